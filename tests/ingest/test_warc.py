"""WARC crawls: one page per HTML response, with the crawl's own metadata."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from rasid.ingest import read
from rasid.ingest.base import Where
from rasid.ingest.warc import read_warc
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


def _articles(n: int) -> list[dict]:
    """``n`` crawled articles of a few kilobytes each."""
    return [
        {
            "url": f"https://example-news.net/ar/{i}",
            "body": html_page(paragraphs=[BODY * 10, str(i)]).encode(),
        }
        for i in range(n)
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
    records = _articles(6)
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


def _seek_record(path: Path, file_offset: int) -> str | None:
    """What ``warcio extract FILE OFFSET`` does: the URL of the record read from that offset."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as handle:
        handle.seek(file_offset)
        record = next(iter(ArchiveIterator(handle)))
        return record.rec_headers.get_header("WARC-Target-URI")


def _file_offset(error: str) -> int:
    return int(error.split("gzip member at file offset ", 1)[1].split(")", 1)[0])


def test_errors_in_a_warc_gzipped_per_record_name_the_offset_to_seek_to(tmp_path: Path) -> None:
    # A crawl with an oversized article in the middle: the error must say where that record
    # is in the .warc.gz the user has, not only in the decompressed stream.
    records = [
        {"url": "https://example-news.net/ar/0", "body": html_page().encode()},
        {
            "url": "https://example-news.net/ar/huge",
            "body": html_page(paragraphs=[BODY * 400]).encode(),
        },
        {"url": "https://example-news.net/ar/2", "body": html_page(SECOND_TITLE).encode()},
    ]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_bytes(records))
    first, huge, last = read([str(path)], max_bytes=100_000)
    assert (first.kind, huge.kind, last.kind) == ("html", "unreadable", "html")

    # The locator still counts decompressed bytes: ids of stored failures stay as they were.
    offset = int(huge.source.locator.rsplit(" ", 1)[1])  # type: ignore[union-attr]
    assert gzip.decompress(path.read_bytes())[offset:].startswith(b"WARC/1.")
    [error] = huge.errors
    assert error.startswith(
        f"{path}: record at offset {offset} (decompressed; gzip member at file offset "
    )
    assert "document too large" in error
    assert _seek_record(path, _file_offset(error)) == "https://example-news.net/ar/huge"


def test_a_broken_record_of_a_warc_gzipped_per_record_names_its_gzip_member(
    tmp_path: Path,
) -> None:
    records = _articles(6)
    data = warc_bytes(records)
    path = tmp_path / "interrupted.warc.gz"
    path.write_bytes(data[: len(data) * 6 // 10])  # inside the fourth record's member
    *good, broken = pages(path)
    assert [p.kind for p in good] == ["html"] * 3
    [error] = broken.errors
    assert error.startswith(f"{path}: broken WARC record at offset ")
    assert "truncated data" in error
    member = _file_offset(error)
    assert data[member : member + 2] == b"\x1f\x8b"
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(data)  # the same offset in the complete file holds the fourth record
    assert _seek_record(whole, member) == "https://example-news.net/ar/3"


def test_a_member_broken_before_any_data_is_named_as_the_one_that_fails(tmp_path: Path) -> None:
    # The third member is cut inside its header: it fails while the second record is being
    # finished, so the message names the second record, and the member that fails too.
    first, second, third = (warc_bytes(_articles(3)[i : i + 1]) for i in range(3))
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(first + second + third[:5])
    *good, broken = pages(path)
    assert [p.kind for p in good] == ["html", "html"]
    [error] = broken.errors
    assert f"gzip member at file offset {len(first)};" in error
    assert f"the gzip member that fails starts at file offset {len(first) + len(second)})" in error


def test_a_warc_gzipped_as_a_whole_points_to_its_one_member(tmp_path: Path) -> None:
    records = _articles(4)
    plain = warc_bytes(records, gzip=False)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(gzip.compress(plain)[:-200])  # one member for the whole crawl, cut short
    *good, broken = pages(path)
    assert good and all(p.kind == "html" for p in good)
    offset = int(broken.source.locator.rsplit(" ", 1)[1])  # type: ignore[union-attr]
    assert offset > 0 and plain[offset:].startswith(b"WARC/1.")
    assert broken.errors[0].startswith(
        f"{path}: broken WARC record at offset {offset} (decompressed; it does not start a "
        "gzip member; the member holding it starts at file offset 0): "
    )


def test_a_record_sharing_a_member_in_a_warc_gzipped_per_record(tmp_path: Path) -> None:
    # Per-record gzip, except that the second and third records were written into one
    # member: the third record's error points to that member, not to "not gzipped per record".
    records = [
        {"url": "https://example-news.net/ar/0", "body": html_page().encode()},
        {"url": "https://example-news.net/ar/1", "body": html_page(SECOND_TITLE).encode()},
        {
            "url": "https://example-news.net/ar/huge",
            "body": html_page(paragraphs=[BODY * 400]).encode(),
        },
        {"url": "https://example-news.net/ar/3", "body": html_page().encode()},
    ]
    first, *shared, last = [warc_bytes([record]) for record in records]
    merged = gzip.compress(b"".join(gzip.decompress(member) for member in shared))
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(first + merged + last)
    *_, huge, after = read([str(path)], max_bytes=100_000)
    assert (huge.source.url, huge.kind, after.kind) == (records[2]["url"], "unreadable", "html")
    offset = int(huge.source.locator.rsplit(" ", 1)[1])  # type: ignore[union-attr]
    assert huge.errors[0].startswith(
        f"{path}: record at offset {offset} (decompressed; it does not start a gzip member; "
        f"the member holding it starts at file offset {len(first)}): document too large"
    )


def test_data_after_the_last_member_is_reported_where_the_gzip_data_stops(
    tmp_path: Path,
) -> None:
    data = warc_bytes(_articles(3))
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data + b"<!-- appended by a broken uploader -->")
    *good, broken = pages(path)
    assert [p.kind for p in good] == ["html"] * 3
    [error] = broken.errors
    decompressed = len(gzip.decompress(data))
    assert (
        f"(decompressed; the gzip data stops at file offset {len(data)}, decompressed offset "
        f"{decompressed}: what follows is not a gzip member): read error: Not a gzipped file"
    ) in error
    assert "gzip member at file offset" not in error  # no good record is blamed


def test_a_damaged_member_is_named_not_reported_as_the_end_of_the_gzip_data(
    tmp_path: Path,
) -> None:
    first, second, third = [warc_bytes([record]) for record in _articles(3)]
    damaged = bytearray(second)
    damaged[-8] ^= 0xFF  # the member's CRC
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(first + bytes(damaged) + third)
    *_, broken = pages(path)
    [error] = broken.errors
    assert f"gzip member at file offset {len(first)}): read error: CRC check failed" in error


class _Pieces:
    """A pipe whose reads stop at the given offsets (as a network read may), so a gzip
    header can arrive in two pieces."""

    def __init__(self, data: bytes, cuts: list[int]) -> None:
        self._data = data
        self._at = 0
        self._cuts = cuts

    def read(self, size: int = -1) -> bytes:
        end = next((cut for cut in self._cuts if cut > self._at), len(self._data))
        if size >= 0:
            end = min(end, self._at + size)
        chunk = self._data[self._at : end]
        self._at += len(chunk)
        return chunk


def test_member_offsets_survive_split_headers_nul_padding_and_large_members() -> None:
    # A member inflating to more than a megabyte, NUL padding between members (allowed by
    # gzip), and reads that split both members' headers: the empty record's error still
    # names the file offset of its own member.
    records = [
        {
            "url": "https://example-news.net/ar/long",
            "body": html_page(paragraphs=[BODY * 2000]).encode(),
        },
        {"url": "https://example-news.net/ar/empty", "body": b" \n"},
    ]
    long_member, empty_member = [warc_bytes([record]) for record in records]
    assert len(gzip.decompress(long_member)) > 1024 * 1024
    second = len(long_member) + 7
    stream = _Pieces(long_member + b"\x00" * 7 + empty_member, cuts=[5, second + 1])
    long_page, empty = read_warc(stream, Where("crawl.warc.gz"), "gzip")  # type: ignore[arg-type]
    assert long_page.kind == "html"
    offset = len(gzip.decompress(long_member))
    assert empty.errors == [
        f"crawl.warc.gz: record at offset {offset} (decompressed; gzip member at file offset "
        f"{second}): empty document"
    ]
