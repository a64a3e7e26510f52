"""WARC crawls: one page per HTML response, with the crawl's own metadata."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from rasid.ingest import read
from rasid.model import Page

from .samples import BODY, SECOND_BODY, SECOND_TITLE, TITLE, html_page, warc_bytes

ARTICLE = "https://www.example-news.net/ar/defense/2024/03/05/inspection"
CRAWL = [
    {"type": "request", "url": ARTICLE, "body": b""},
    {
        "url": ARTICLE,
        "content_type": "text/html; charset=windows-1256",
        "body": html_page().encode("cp1256"),
    },
    {
        "url": "https://www.example-news.net/logo.png",
        "content_type": "image/png",
        "body": b"\x89PNG",
    },
    {
        "url": "https://www.example-news.net/old",
        "status": "301 Moved Permanently",
        "body": b"<p>moved</p>",
    },
    {
        "url": "https://www.example-news.net/gone",
        "status": "404 Not Found",
        "body": html_page().encode(),
    },
    {
        "type": "resource",
        "url": "https://www.example-news.net/ar/world/truce",
        "content_type": "text/html",
        "body": html_page(SECOND_TITLE, [SECOND_BODY]).encode("iso8859_6"),
    },
    {
        "type": "conversion",
        "url": "https://www.example-news.net/ar/world/truce",
        "content_type": "text/plain",
        "body": f"{SECOND_TITLE}\n{SECOND_BODY}\n".encode(),
    },
]


def pages(*paths: Path | str) -> list[Page]:
    return list(read([str(p) for p in paths]))


def test_html_responses_and_resources_become_pages(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_bytes(CRAWL))
    response, resource, conversion = pages(path)

    assert response.kind == "html"
    assert response.encoding == "windows-1256"  # from the HTTP Content-Type
    assert TITLE in response.body and BODY.splitlines()[0] in response.body
    assert response.source.format == "warc"
    assert response.source.path == str(path)
    assert response.source.url == ARTICLE
    assert response.source.site == "example-news.net"
    assert response.source.locator is not None
    assert response.source.locator.startswith("record at offset ")
    assert response.given["url"] == ARTICLE
    assert response.given["crawled"].startswith("20")  # WARC-Date: when it was fetched
    assert "published" not in response.given

    assert resource.kind == "html"
    assert resource.encoding == "iso-8859-6"  # no charset anywhere: detected
    assert SECOND_TITLE in resource.body

    assert conversion.kind == "text"
    assert conversion.body.startswith(SECOND_TITLE)


def test_offsets_point_at_the_record_in_the_uncompressed_warc(tmp_path: Path) -> None:
    data = warc_bytes(CRAWL)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    raw = gzip.decompress(data)
    for page in pages(path):
        offset = int(page.source.locator.rsplit(" ", 1)[1])  # type: ignore[union-attr]
        assert raw[offset:].startswith(b"WARC/1.")
        assert page.source.url is not None
        assert page.source.url.encode() in raw[offset : offset + 2000]


def test_uncompressed_and_compressed_warcs_read_alike(tmp_path: Path) -> None:
    plain = tmp_path / "crawl.warc"
    plain.write_bytes(warc_bytes(CRAWL, gzip=False))
    packed = tmp_path / "crawl.warc.gz"
    packed.write_bytes(warc_bytes(CRAWL))
    assert [(p.kind, p.body) for p in pages(plain)] == [(p.kind, p.body) for p in pages(packed)]


def test_a_gzipped_warc_cut_in_the_middle(tmp_path: Path) -> None:
    records = [
        {
            "url": f"https://example-news.net/ar/{i}",
            "body": html_page(paragraphs=[BODY * 10, str(i)]).encode(),
        }
        for i in range(6)
    ]
    data = warc_bytes(records)
    path = tmp_path / "interrupted.warc.gz"
    # 60% lands inside the fourth record's gzip member (six members of equal size). A cut
    # exactly between two members would leave a valid, shorter WARC: nothing to report.
    path.write_bytes(data[: len(data) * 6 // 10])

    found = pages(path)
    good, broken = found[:-1], found[-1]
    assert len(good) == 3
    assert all(p.kind == "html" for p in good)
    assert broken.kind == "unreadable"
    assert broken.source.path == str(path)
    assert broken.source.locator is not None and broken.source.locator.startswith(
        "record at offset "
    )
    assert broken.errors[0].startswith(f"{path}: broken WARC record at offset ")


def test_an_uncompressed_warc_cut_inside_a_record(tmp_path: Path) -> None:
    records = [
        {"url": f"https://example-news.net/ar/{i}", "body": html_page().encode()} for i in range(3)
    ]
    data = warc_bytes(records, gzip=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 500])
    *good, broken = pages(path)
    assert len(good) == 2
    assert broken.kind == "unreadable"
    assert "truncated" in broken.errors[0]
    assert "bytes missing" in broken.errors[0]


def test_garbage_after_the_last_record_is_reported(tmp_path: Path) -> None:
    data = warc_bytes(CRAWL[:2], gzip=False) + b"this is not a WARC record\r\n"
    path = tmp_path / "tail.warc"
    path.write_bytes(data)
    page, broken = pages(path)
    assert page.kind == "html"
    assert broken.kind == "unreadable"
    assert "broken WARC record at offset" in broken.errors[0]


def test_one_unreadable_payload_does_not_end_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasid.ingest import warc

    real = warc.html_page

    def fussy(data: bytes, *args: object, **kwargs: object) -> Page:
        if kwargs.get("url", "").endswith("/1"):  # type: ignore[union-attr]
            raise ValueError("payload decoder failed")
        return real(data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(warc, "html_page", fussy)
    records = [
        {"url": f"https://example-news.net/ar/{i}", "body": html_page().encode()} for i in range(3)
    ]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_bytes(records))
    first, failed, last = pages(path)
    assert (first.kind, last.kind) == ("html", "html")
    assert failed.kind == "unreadable"
    assert failed.source.url == "https://example-news.net/ar/1"
    assert (
        "cannot read the payload: unexpected ValueError: payload decoder failed" in failed.errors[0]
    )


def test_an_oversized_record_is_refused_and_the_next_one_read(tmp_path: Path) -> None:
    records = [
        {
            "url": "https://example-news.net/ar/huge",
            "body": html_page(paragraphs=[BODY * 400]).encode(),
        },
        {"url": "https://example-news.net/ar/small", "body": html_page().encode()},
    ]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_bytes(records))
    huge, small = read([str(path)], max_bytes=100_000)
    assert huge.kind == "unreadable"
    assert huge.source.url == "https://example-news.net/ar/huge"
    assert "document too large" in huge.errors[0]
    assert small.kind == "html"
