"""What is this file? Decided from its first bytes, with the file name as a tie-breaker.

Content wins over the extension: a ``.txt`` that holds HTML is HTML, a file without an
extension that holds a gzipped WARC is a WARC. The extension only decides between readings
the content leaves open (an ``.html`` file that starts with plain text is still HTML; a
``.json`` file that starts with ``{`` is JSON even if the first line looks odd).
"""

from __future__ import annotations

import re
import zlib
from typing import Literal

from rasid.ingest.encoding import utf16_without_bom

__all__ = [
    "BINARY_SIGNATURES",
    "HEAD_BYTES",
    "Kind",
    "compressed_inner_head",
    "guess_format",
    "sniff",
]

Kind = Literal[
    "empty",
    "gzip",
    "bzip2",
    "xz",
    "zip",
    "tar",
    "warc",
    "json",
    "ant",
    "html",
    "text",
    "binary",
]

# How many leading bytes the sniffer looks at.
HEAD_BYTES = 64 * 1024

# File signatures of formats that are certainly not documents (checked before the text
# heuristics: a PDF header is ASCII, a PNG header nearly so).
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF media"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"(\xb5/\xfd", "Zstandard data"),
)

_COMPRESSED: tuple[tuple[bytes, Kind], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\x0b\x0c\x1b")
# More than this share of control bytes in the head → binary.
CONTROL_SHARE = 0.10
# Scraped pages sometimes carry a few stray NUL bytes; binary formats are full of them.
NUL_SHARE = 0.01

_HTML_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|span|article|section|header|nav"
    rb"|main|table|link|script|style|h[1-6]|br|a|img|ul|ol|!--|\?xml)[\s>/]",
    re.IGNORECASE,
)
_HTML_ANYWHERE = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
# "Near the start": the first tag must sit within this many bytes after leading whitespace.
HTML_TAG_WINDOW = 2048
_ANT_START = re.compile(rb"<DOC>\s*<DOCNO>", re.IGNORECASE)
_JSON_ARRAY = re.compile(rb"\[\s*(?:[{\]]|$)")
_JSON_OBJECT = re.compile(rb"\{\s*(?:[\"}]|$)")

_EXTENSION_FORMATS: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".php": "html",
    ".asp": "html",
    ".aspx": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".warc": "warc",
    ".arc": "warc",
    ".zip": "zip",
    ".tar": "tar",
    ".tgz": "tar",
    ".tbz2": "tar",
    ".txz": "tar",
}
_COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz")


def _strip_compression(name: str) -> str:
    lowered = name.lower()
    for suffix in _COMPRESSION_SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def guess_format(name: str | None) -> str | None:
    """The format a file name suggests (``page.html.gz`` → ``html``), or ``None``."""
    if not name:
        return None
    base = _strip_compression(name.rsplit("/", 1)[-1]).lower()
    if base.endswith((".tar",)) or name.lower().endswith((".tgz", ".tbz2", ".txz")):
        return "tar"
    dot = base.rfind(".")
    return _EXTENSION_FORMATS.get(base[dot:]) if dot > 0 else None


def binary_signature(head: bytes) -> str | None:
    """The name of a known non-document format whose signature ``head`` starts with."""
    for magic, what in BINARY_SIGNATURES:
        if head.startswith(magic):
            return what
    return None


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(head):
        return False  # UTF-16: NULs are expected
    if head.count(0) > NUL_SHARE * len(head):
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > CONTROL_SHARE * len(head)


def _text_start(head: bytes) -> bytes:
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            if bom != b"\xef\xbb\xbf":
                # UTF-16 text: look at it as ASCII by dropping the NULs (markup is ASCII).
                head = head.replace(b"\x00", b"")
            break
    else:
        if utf16_without_bom(head):
            head = head.replace(b"\x00", b"")
    return head.lstrip()


def compressed_inner_head(head: bytes, kind: Kind, size: int = HEAD_BYTES) -> bytes | None:
    """The first decompressed bytes of a compressed ``head``, or ``None`` when they cannot be
    decompressed (corrupt data)."""
    try:
        if kind == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, size)
        if kind == "bzip2":
            import bz2

            return bz2.BZ2Decompressor().decompress(head, size)
        if kind == "xz":
            import lzma

            return lzma.LZMADecompressor().decompress(head, size)
    except (zlib.error, OSError, EOFError, ValueError):
        return None
    return None


def _is_tar(head: bytes) -> bool:
    return len(head) >= 262 and head[257:262] == b"ustar"


def sniff(head: bytes, name: str | None = None) -> Kind:
    """The kind of a file from its first bytes (``HEAD_BYTES`` of them are enough)."""
    if not _text_start(head):
        return "empty"
    for magic, kind in _COMPRESSED:
        if head.startswith(magic):
            return kind
    if head.startswith(_ZIP):
        return "zip"
    if _is_tar(head):
        return "tar"
    if head.startswith((b"WARC/1.0", b"WARC/1.1", b"WARC/0.")):
        return "warc"
    if binary_signature(head) or _looks_binary(head):
        return "binary"

    start = _text_start(head)
    if _ANT_START.match(start):
        return "ant"
    suggested = guess_format(name)
    if start[:1] in (b"[", b"{"):
        pattern = _JSON_ARRAY if start[:1] == b"[" else _JSON_OBJECT
        if pattern.match(start) or suggested in ("json", "jsonl"):
            return "json"
    if start.startswith(b"<") and _HTML_START.search(start[:HTML_TAG_WINDOW]):
        return "html"
    if _HTML_ANYWHERE.search(start[:HTML_TAG_WINDOW]):
        return "html"
    if suggested == "html":
        return "html"
    if suggested == "tar":
        # An old (pre-POSIX) tar without the "ustar" magic: trust the name.
        return "tar"
    return "text"
