"""HTML pages: trafilatura's main block, cleaned and completed by the Arabic layer."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from rasid.extract import extract
from rasid.model import Page, Source
from tests.shared import DEMO, shared_path

EXPECTED_FILE = Path(__file__).parent / "expected" / "demo-pages-a.json"
EXPECTED = json.loads(EXPECTED_FILE.read_text("utf-8"))["pages"]


def html_page(html: str, path: str = "page.html", url: str | None = None) -> Page:
    return Page(source=Source(path=path, url=url, format="html"), kind="html", body=html)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_demo_pages_come_out_as_written(name):
    expected = EXPECTED[name]
    article = extract(html_page((DEMO / "pages" / name).read_text("utf-8"), path=name))
    paragraphs = [article.text[b.start : b.end] for b in article.blocks if b.kind == "paragraph"]
    headings = [article.text[b.start : b.end] for b in article.blocks if b.kind == "heading"]

    assert article.title == expected["title"]
    assert (article.author.name if article.author else None) == expected["author"]
    assert article.published[:10] == expected["published"]
    assert paragraphs[0].startswith(expected["first_words"])
    assert paragraphs[-1].startswith(expected["last_words"])
    assert len(paragraphs) == expected["n_paragraphs"]
    assert headings == expected["headings"]
    # The related box and any inline "اقرأ أيضا" link are both headlines of other stories.
    related = [r.title for r in article.related]
    assert set(expected["related"]) <= set(related)
    if expected.get("read_also"):
        assert expected["read_also"] in related
    for furniture in ("اترك تعليقاً", "جميع الحقوق محفوظة", "اشترك في النشرة البريدية"):
        assert furniture not in article.text


def fixture_html(*parts: str) -> str:
    path = shared_path("data", "html", "arabic-news-fixtures", *parts)
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


def test_comment_form_header_and_interview_byline_on_assabah():
    folder = "trafilatura-assabah"
    gold = next(iter(json.loads(fixture_html(folder, "evaldata-entry.json")).values()))
    article = extract(html_page(fixture_html(folder, "assabah.com.tn.article.html")))
    for snippet in gold["with"]:
        assert snippet in article.text
    for snippet in gold["without"]:
        assert snippet not in article.text
    assert article.author.name == "آسيا العتروس"
    assert "حوار" not in article.text[:40]


def test_cnn_arabic_levantine_date_and_comment_disclaimer():
    article = extract(html_page(fixture_html("newspaper4k-cnn-arabic", "arabic_article.html")))
    assert article.published.startswith("2013-08-28")
    assert article.title == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"
    assert article.text.startswith("دمشق، سوريا (CNN) -- أكدت جهات سورية معارضة")
    assert "لا تعبر عن رأي موقع CNN" not in article.text
    assert {r.kind for r in article.removed} == {"comment_form"}


def test_lbc_json_metadata_and_body():
    gold = json.loads(fixture_html("fundus-lbcgroup", "LBCGroup.json"))
    expected = next(iter(gold.values()))
    article = extract(html_page(fixture_html("fundus-lbcgroup", "LBCGroup_2026_01_08.html.gz")))
    assert article.published.startswith("2026-01-08T11:42:50")
    paragraphs = article.text.split("\n\n")
    assert paragraphs == expected["body"]["sections"][0]["paragraphs"]


def test_truncated_html_still_gives_the_text_it_has():
    html = (DEMO / "pages" / "a01-kherson-withdrawal.html").read_text("utf-8")
    cut = html[: int(len(html) * 0.6)]
    article = extract(html_page(cut))
    assert article.title
    assert article.text.startswith("دخلت وحدات من الجيش الأوكراني")


@pytest.mark.parametrize(
    "body, error",
    [
        ("", "empty document"),
        ("   \n ", "empty document"),
        ("<html><body></body></html>", "no article text"),
    ],
)
def test_pages_without_text_say_so(body, error):
    article = extract(html_page(body))
    assert article.text == ""
    assert any(error in e for e in article.errors)


@pytest.mark.parametrize("bad", ["http://[::1", "javascript:void(0)"])
def test_a_broken_canonical_link_is_not_taken_as_the_url(bad):
    # A CMS template bug can print a canonical link no URL parser accepts; the og:url beside
    # it is still good, and the annotation layers that read the URL must not trip on it.
    html = (DEMO / "pages" / "a01-kherson-withdrawal.html").read_text("utf-8")
    html = html.replace("<head>", f'<head><link rel="canonical" href="{bad}">', 1)
    html = html.replace('<link rel="canonical" href="https', '<link rel="x" href="https', 1)
    article = extract(html_page(html))
    assert (
        article.source.url
        == "https://www.difa-amn.example/2022/11/11/kherson-ukrainian-forces-enter/"
    )
    assert article.title and article.errors == []


def test_a_broken_link_or_page_address_costs_only_that_url():
    html = (DEMO / "pages" / "a01-kherson-withdrawal.html").read_text("utf-8")
    first = html.index('href="https://www.difa-amn.example/2022/07/27/')
    html = html[:first] + 'href="http://[object' + html[first + len('href="https://') :]
    article = extract(html_page(html))
    assert article.text.startswith("دخلت وحدات من الجيش الأوكراني")
    assert "كيف حوّلت ضربات «هيمارس» جسر أنتونيفسكي إلى نقطة ضعف في خطوط الإمداد الروسية" in [
        r.title for r in article.related
    ]
    # The address a crawl gave the page is just as likely to be broken.
    given = extract(html_page(html, url="http://[::1"))
    assert given.text == article.text and given.errors == []


def test_a_page_nested_deeper_than_libxml2s_default_keeps_its_article():
    # Broken templates that never close a <div> (one per comment, per menu item) nest the
    # article hundreds of levels deep; lxml's default stops at 255 and drops the rest.
    html = (DEMO / "pages" / "a01-kherson-withdrawal.html").read_text("utf-8")
    start = html.index(">", html.index("<body")) + 1
    html = html[:start] + "<div class='wrap'>" * 600 + html[start:]
    article = extract(html_page(html))
    assert article.text.startswith("دخلت وحدات من الجيش الأوكراني")
    assert article.title and article.errors == []
