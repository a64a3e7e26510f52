from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile

import pytest

from rasid.ingest.sniff import sniff

from .samples import BODY, TITLE, ant_doc, html_page, warc_bytes


def _tar() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        data = BODY.encode()
        info = tarfile.TarInfo("news/1.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.html", html_page())
    return out.getvalue()


WARC = warc_bytes([{"url": "https://example.com/1", "body": html_page().encode()}], gzip=False)

CASES = [
    (
        "html after a BOM and blank lines",
        b"\xef\xbb\xbf\n\n  " + html_page().encode(),
        None,
        "html",
    ),
    ("an HTML fragment", f"<div class='story'><p>{BODY}</p></div>".encode(), None, "html"),
    ("a .txt that is HTML", html_page().encode(), "page.txt", "html"),
    ("an .html file that starts with text", BODY.encode(), "page.html", "html"),
    ("a text dump", f"الرئيسية\n{TITLE}\n{BODY}\n".encode(), "dump.txt", "text"),
    ("a headline in brackets is not JSON", f"[عاجل] {TITLE}\n{BODY}".encode(), None, "text"),
    ("ANT pseudo-XML", ant_doc("X-1", TITLE, BODY).encode(), "X-1.txt", "ant"),
    ("a JSON array", json.dumps([{"text": BODY}], ensure_ascii=False).encode(), None, "json"),
    ("JSON Lines", b'{"text": "x"}\n{"text": "y"}\n', "data", "json"),
    ("pretty-printed JSON", b'{\n  "text": "x"\n}\n', None, "json"),
    ("an uncompressed WARC", WARC, None, "warc"),
    ("a gzipped file", gzip.compress(WARC), "crawl", "gzip"),
    ("a zip", _zip(), "x.bin", "zip"),
    ("a tar", _tar(), None, "tar"),
    ("NUL bytes", b"MZ\x00\x00\x01\x02binary", None, "binary"),
    ("a PNG", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo", "binary"),
    ("a PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "report.txt", "binary"),
    ("control bytes", bytes(range(1, 32)) * 20, None, "binary"),
    ("nothing", b"", None, "empty"),
    ("only whitespace", b" \n\t\r\n", "blank.html", "empty"),
]


@pytest.mark.parametrize(
    ("head", "name", "kind"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_sniff(head: bytes, name: str | None, kind: str) -> None:
    assert sniff(head, name) == kind
