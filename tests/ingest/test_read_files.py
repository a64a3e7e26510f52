"""Reading files, folders and stdin: what a user points rasid at, and what comes out."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import pytest

from rasid.ingest import MAX_DOCUMENT_BYTES, count_hint, read
from rasid.model import Page

from .samples import BODY, FIXTURES, PARAGRAPHS, TITLE, html_page, warc_bytes


def pages(*paths: Path | str, **options: object) -> list[Page]:
    return list(read([str(p) for p in paths], **options))  # type: ignore[arg-type]


def test_an_html_file_is_one_html_page() -> None:
    [page] = pages(FIXTURES / "khabar.html")
    assert page.kind == "html"
    assert page.encoding == "utf-8"
    assert TITLE in page.body
    assert page.source.path == str(FIXTURES / "khabar.html")
    assert page.source.format == "html"
    assert page.source.locator is None
    assert page.errors == []


def test_a_text_dump_is_kept_whole_for_the_line_classifier(tmp_path: Path) -> None:
    [page] = pages(FIXTURES / "dump.txt")
    assert page.kind == "text"
    assert page.source.format == "text"
    assert PARAGRAPHS[1] in page.body.splitlines()
    assert "شارك على فيسبوك" in page.body  # boilerplate is the extractor's job

    windows = tmp_path / "windows.txt"
    windows.write_bytes("\r\n".join(PARAGRAPHS).encode("cp1256"))
    [page] = pages(windows)
    assert page.body == "\n".join(PARAGRAPHS)
    assert page.encoding == "windows-1256"


def test_content_decides_not_the_extension(tmp_path: Path) -> None:
    (tmp_path / "saved.txt").write_text(html_page(), encoding="utf-8")
    (tmp_path / "crawl").write_bytes(
        warc_bytes([{"url": "https://example-news.net/ar/1", "body": html_page().encode()}])
    )
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(html_page().encode("cp1256")))
    saved, crawled, zipped = pages(
        tmp_path / "saved.txt", tmp_path / "crawl", tmp_path / "page.html.gz"
    )
    assert saved.kind == "html" and saved.source.format == "html"
    assert crawled.kind == "html" and crawled.source.format == "warc"
    assert crawled.source.url == "https://example-news.net/ar/1"
    assert zipped.kind == "html" and zipped.encoding == "windows-1256" and TITLE in zipped.body


def test_a_directory_is_walked_sorted_and_recursively(tmp_path: Path) -> None:
    (tmp_path / "b.html").write_text(html_page(), encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "z.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a" / "c.txt").write_text(BODY, encoding="utf-8")
    # Passed over: hidden files and folders, paperwork, the assets of a saved page.
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.html").write_text(html_page(), encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / "README.md").write_text("# notes", encoding="utf-8")
    (tmp_path / "b_files").mkdir()
    (tmp_path / "b_files" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "b_files" / "site.css").write_text("body{}", encoding="utf-8")

    found = pages(tmp_path)
    assert [Path(p.source.path).relative_to(tmp_path).as_posix() for p in found] == [
        "a/c.txt",
        "a/z.txt",
        "b.html",
    ]
    assert count_hint([str(tmp_path)]) == 3


def test_a_directory_with_a_mix_of_good_and_bad_files(tmp_path: Path) -> None:
    (tmp_path / "1-good.html").write_text(html_page(), encoding="utf-8")
    (tmp_path / "2-empty.html").write_bytes(b"")
    (tmp_path / "3-image.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "4-truncated.html").write_text(html_page()[:400], encoding="utf-8")
    (tmp_path / "5-noise.txt").write_bytes(bytes(range(0x80, 0x100)) * 40)
    (tmp_path / "6-good.txt").write_text(BODY, encoding="utf-8")

    found = {Path(p.source.path).name: p for p in pages(tmp_path)}
    assert list(found) == [
        "1-good.html",
        "2-empty.html",
        "3-image.bin",
        "4-truncated.html",
        "5-noise.txt",
        "6-good.txt",
    ]
    assert found["1-good.html"].kind == "html"
    assert found["2-empty.html"].kind == "unreadable"
    assert found["2-empty.html"].errors == [f"{tmp_path / '2-empty.html'}: empty document"]
    assert found["3-image.bin"].kind == "unreadable"
    assert "binary file, not a document" in found["3-image.bin"].errors[0]
    # A truncated page is still a page: the extractor copes with what is there.
    assert found["4-truncated.html"].kind == "html"
    assert found["4-truncated.html"].errors == []
    assert found["5-noise.txt"].kind == "unreadable"
    assert "binary file" in found["5-noise.txt"].errors[0]
    assert found["6-good.txt"].kind == "text"


def test_a_missing_path_is_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "page.html"
    first, second = pages(missing, FIXTURES / "khabar.html")
    assert first.kind == "unreadable"
    assert first.source.path == str(missing)
    assert first.errors == [f"{missing}: no such file or directory"]
    assert second.kind == "html"
    assert count_hint([str(missing)]) is None


def test_stdin_is_read_with_a_dash() -> None:
    [page] = pages("-", stdin=io.BytesIO(html_page().encode("iso8859_6")))
    assert page.kind == "html"
    assert page.encoding == "iso-8859-6"
    assert page.source.path == "<stdin>"
    assert count_hint(["-"]) is None


def test_a_single_path_string_is_not_read_letter_by_letter() -> None:
    assert [p.kind for p in read(str(FIXTURES / "khabar.html"))] == ["html"]


def test_undecodable_bytes_in_a_page_are_a_warning_not_a_failure(tmp_path: Path) -> None:
    data = html_page().encode()
    cut = data.index("الجوية".encode()) + 1  # drop the second byte of a letter
    path = tmp_path / "cut.html"
    path.write_bytes(data[:cut] + data[cut + 1 :])
    [page] = pages(path)
    assert page.kind == "html"
    assert page.encoding == "utf-8"
    assert len(page.errors) == 1
    assert "encoding: 1 undecodable bytes replaced with U+FFFD" in page.errors[0]
    assert page.errors[0].startswith(str(path))


def test_a_document_over_the_size_limit_is_refused_by_name(tmp_path: Path) -> None:
    big = tmp_path / "huge.html"
    with big.open("wb") as handle:
        handle.write(html_page().encode() * 200)  # a real page head …
        handle.truncate(MAX_DOCUMENT_BYTES + 5 * 1024 * 1024)  # … then 25 MB in all
    [page] = pages(big)
    assert page.kind == "unreadable"
    assert page.errors == [f"{big}: document too large (25.0 MB > 20 MB limit)"]


def test_the_size_limit_holds_for_streams_of_unknown_size() -> None:
    data = html_page().encode() * 100
    [page] = pages("-", stdin=io.BytesIO(data), max_bytes=64 * 1024 + 10)
    assert page.kind == "unreadable"
    assert "document too large" in page.errors[0]
    assert page.source.path == "<stdin>"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked.html"
    locked.write_text(html_page(), encoding="utf-8")
    locked.chmod(0)
    [page] = pages(locked)
    assert page.kind == "unreadable"
    assert "permission denied" in page.errors[0]


def test_nothing_raises_out_of_read(tmp_path: Path) -> None:
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "fake.zip").write_bytes(b"PK\x03\x04 this is no zip")
    (tmp_path / "fake.tar.gz").write_bytes(gzip.compress(b"\x00" * 300)[:30])
    (tmp_path / "fake.warc").write_bytes(b"WARC/1.0\r\nContent-Length: 99999\r\n\r\nshort")
    (tmp_path / "fake.json").write_bytes(b"[{]")
    paths = [str(tmp_path), str(tmp_path / "nowhere"), "-"]
    found = list(read(paths, stdin=io.BytesIO(b"\x00\x00")))
    assert len(found) == 7
    assert all(p.kind == "unreadable" and p.errors for p in found)


def test_a_file_named_in_windows_1256_is_read_and_named_printably(tmp_path: Path) -> None:
    # Arabic file names copied from Windows are often windows-1256 bytes, not UTF-8; Python
    # hands them over as lone surrogates, which no JSON output or base can store.
    name = "خبر عاجل.html".encode("cp1256")
    with open(os.path.join(os.fsencode(tmp_path), name), "w", encoding="utf-8") as handle:
        handle.write(html_page())
    [page] = pages(tmp_path)
    assert page.kind == "html" and TITLE in page.body
    assert page.source.path.encode("utf-8")  # printable, storable
    assert page.source.path.endswith("\\xce\\xc8\\xd1 \\xda\\xc7\\xcc\\xe1.html")


def test_a_page_with_a_few_stray_nul_bytes_is_read_without_them(tmp_path: Path) -> None:
    path = tmp_path / "scraped.html"
    page_bytes = html_page().encode("utf-8")
    path.write_bytes(page_bytes.replace(b"<p>", b"<p>\x00\x00", 2))
    [page] = pages(path)
    assert page.kind == "html"
    assert "\x00" not in page.body and PARAGRAPHS[0] in page.body
    assert page.errors == [f"{path}: 4 NUL bytes dropped"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text_not_binary(tmp_path: Path, codec: str) -> None:
    # What some Windows tools write when told "Unicode" and no BOM.
    html = tmp_path / "page.html"
    html.write_bytes(html_page().encode(codec))
    dump = tmp_path / "dump.txt"
    dump.write_bytes(BODY.encode(codec))
    first, second = pages(html, dump)
    assert (first.kind, first.encoding) == ("html", codec)
    assert TITLE in first.body and first.errors == []
    assert (second.kind, second.body) == ("text", BODY)
