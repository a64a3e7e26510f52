from __future__ import annotations

import pytest

from rasid.urls import canonical_url, site_of


def test_canonical_url_drops_what_does_not_name_the_article() -> None:
    url = "HTTPS://WWW.Example-News.NET:443/ar/news/1001/?utm_source=rss&utm_medium=x&fbclid=abc#comments"
    assert canonical_url(url) == "https://example-news.net/ar/news/1001"


def test_canonical_url_keeps_a_meaningful_query_sorted() -> None:
    url = "http://www.example-news.net/article.php?page=2&id=77&gclid=zz&ref=home"
    assert canonical_url(url) == "http://example-news.net/article.php?id=77&page=2"


def test_percent_encoded_and_raw_arabic_paths_are_the_same_article() -> None:
    raw = "http://www.alarabiya.net/ar/arab-and-world/2018/04/13/الكرملين-يحذر.html"
    encoded = (
        "http://alarabiya.net/ar/arab-and-world/2018/04/13/"
        "%D8%A7%D9%84%D9%83%D8%B1%D9%85%D9%84%D9%8A%D9%86-%D9%8A%D8%AD%D8%B0%D8%B1.html"
    )
    assert canonical_url(raw) == canonical_url(encoded)
    assert "الكرملين" in canonical_url(encoded)  # readable, not escaped


def test_structural_escapes_and_path_case_survive() -> None:
    assert canonical_url("https://x.org/A%2fB/Page") == "https://x.org/A%2FB/Page"
    assert canonical_url("http://x.org:8080/") == "http://x.org:8080"


@pytest.mark.parametrize("junk", ["", "   ", "not a url", "http://", "::::"])
def test_canonical_url_never_raises(junk: str) -> None:
    assert isinstance(canonical_url(junk), str)


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://arabic.cnn.com/middle-east/article/2013/08/28/x", "arabic.cnn.com"),
        ("http://www.bbc.co.uk/arabic/world-43193332", "bbc.co.uk"),
        ("https://WWW.Aawsat.com:443/home", "aawsat.com"),
        ("arabic.cnn.com", "arabic.cnn.com"),
        ("www.skynewsarabia.com/world/1", "skynewsarabia.com"),
        (None, None),
        ("", None),
        ("no host here", None),
    ],
)
def test_site_of(url: str | None, site: str | None) -> None:
    assert site_of(url) == site
