"""What every reader shares: where a document is, how to fail politely, bounded reads.

Conventions (the ``Source`` of every Page):

* ``Source.path`` is the file on disk the document came from — the path as the user gave it or
  as the directory walk found it — or ``"<stdin>"``;
* ``Source.locator`` says where inside that file: the archive member (``"2015-07-21.json"``,
  nested archives joined with ``!``: ``"outer.tar!inner/page.html"``), then, after a comma, the
  position inside a multi-document file: ``"line 12"`` (JSON Lines), ``"item 3"`` (JSON array),
  ``"record at offset 1234"`` (WARC), ``"DOC 2"`` (an ANT file with several DOCs). Plain files
  have no locator;
* ``Source.format`` is the document's own format: ``html``, ``text``, ``jsonl``, ``json``,
  ``warc``, ``saudinewsnet``, ``ant``; a member of a zip or tar has its own format, never
  ``zip``. Unreadable documents carry the format their name or content suggested, ``binary``
  for binary files, or ``zip``/``tar``/``gzip`` when the container itself is broken.

Every error message starts with ``Source.describe()`` of the document (minus the position,
which the message itself names: ``"data.jsonl: line 2: invalid JSON: …"``).
"""

from __future__ import annotations

import io
import re
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from rasid.ingest.encoding import BINARY_LOSS_SHARE, Decoded
from rasid.model import Page, PageKind, Source
from rasid.urls import site_of

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "SKIPPED_NAMES",
    "SKIPPED_SUFFIXES",
    "Where",
    "clean_given",
    "describe_exception",
    "guarded",
    "is_skipped",
    "prefixed",
    "read_head",
    "read_limited",
    "text_page",
    "too_large",
    "unreadable",
]

# A single document (an HTML page, a text dump, an ANT file, one JSON line or WARC record)
# larger than this is not parsed: it becomes an unreadable Page that says so. Containers
# (zip, tar, WARC, JSON Lines, JSON arrays) may be any size: they are streamed.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

# Files that a directory walk or an archive listing passes over: project paperwork and the
# assets of a saved web page ("page_files/…"). A path named explicitly is always read.
SKIPPED_NAMES = re.compile(
    r"^(?:(?:readme|license|licence|copying|notice|changelog|changes|authors|contributing"
    r"|citation)(?:\.(?:upstream|md|markdown|rst|txt))*|thumbs\.db|desktop\.ini)$",
    re.IGNORECASE,
)
SKIPPED_SUFFIXES: tuple[str, ...] = (
    ".css",
    ".js",
    ".mjs",
    ".map",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".avif",
    ".svg",
    ".ico",
    ".bmp",
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".eot",
    ".mp3",
    ".mp4",
    ".m4a",
    ".webm",
    ".ogg",
    ".wav",
    ".avi",
    ".mov",
)
# Keys a container may put into Page.given (see rasid.model.Page); "crawled" is the WARC-Date
# of a crawl record, a hint for the extractor when the page names no date of its own.
GIVEN_KEYS = frozenset(
    {"id", "url", "title", "author", "published", "lede", "site", "lang", "crawled"}
)


def is_skipped(name: str) -> bool:
    """Whether a walk passes over this path (hidden component, paperwork, web asset)."""
    parts = [part for part in name.replace("\\", "/").split("/") if part not in ("", ".")]
    if not parts:
        return True
    if any(part.startswith(".") or part == "__MACOSX" for part in parts):
        return True
    base = parts[-1]
    return bool(SKIPPED_NAMES.match(base)) or base.lower().endswith(SKIPPED_SUFFIXES)


@dataclass(frozen=True, slots=True)
class Where:
    """The place of a document: the file on disk, the member inside containers, and the name
    whose extension hints at the format. Carries the size limit down into containers."""

    path: str
    member: str | None = None
    name: str | None = None
    max_bytes: int = MAX_DOCUMENT_BYTES

    def __post_init__(self) -> None:
        # Names that are not UTF-8 on disk or in a tar (windows-1256 Arabic names) reach us
        # as lone surrogates, which no output or base can hold: keep their bytes as \xNN.
        for attr in ("path", "member", "name"):
            value = getattr(self, attr)
            if value is not None and _LONE_SURROGATE.search(value):
                object.__setattr__(self, attr, printable_name(value))

    def inside(self, member: str) -> Where:
        chain = f"{self.member}!{member}" if self.member else member
        return replace(self, member=chain, name=member)

    def renamed(self, name: str | None) -> Where:
        return replace(self, name=name)

    def locator(self, at: str | None = None) -> str | None:
        parts = [part for part in (self.member, at) if part]
        return ", ".join(parts) if parts else None

    def source(self, fmt: str, *, url: str | None = None, at: str | None = None) -> Source:
        return Source(
            path=self.path, url=url, site=site_of(url), format=fmt, locator=self.locator(at)
        )

    def describe(self) -> str:
        return f"{self.path} ({self.member})" if self.member else self.path


def clean_given(values: dict[str, Any]) -> dict[str, str]:
    """Keep the known ``given`` keys with non-empty values, as stripped strings."""
    given: dict[str, str] = {}
    for key, value in values.items():
        if key not in GIVEN_KEYS or value is None or isinstance(value, bool | dict):
            continue
        if isinstance(value, list):
            value = ", ".join(str(item).strip() for item in value if str(item).strip())
        text = without_surrogates(str(value).strip())[0]
        if text:
            given[key] = text
    return given


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> tuple[str, int]:
    """``text`` with each lone UTF-16 surrogate (JSON's ``"\\ud800"``: no character, and
    nothing UTF-8 can store or print) replaced by U+FFFD, and how many there were."""
    if not _LONE_SURROGATE.search(text):
        return text, 0
    return _LONE_SURROGATE.subn("\ufffd", text)


def printable_name(name: str) -> str:
    """A file name as text: the bytes that were not UTF-8 (lone surrogates from
    ``os.fsdecode``) written as ``\\xNN``; any other lone surrogate as U+FFFD."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return without_surrogates(name)[0]


def unreadable(
    where: Where,
    fmt: str,
    problem: str,
    *,
    at: str | None = None,
    url: str | None = None,
    given: dict[str, str] | None = None,
) -> Page:
    """A Page that says what went wrong and where; the stream goes on after it."""
    return Page(
        source=where.source(fmt, url=url, at=at),
        kind="unreadable",
        given=given or {},
        errors=[f"{where.describe()}: {problem}"],
    )


def too_large(size: int | None, limit: int) -> str:
    mb = 1024 * 1024
    limit_text = f"{limit / mb:g} MB"
    if size is None:
        return f"document too large (more than the {limit_text} limit)"
    return f"document too large ({size / mb:.1f} MB > {limit_text} limit)"


def text_page(
    decoded: Decoded,
    where: Where,
    kind: PageKind,
    fmt: str,
    *,
    size: int,
    at: str | None = None,
    url: str | None = None,
    given: dict[str, str] | None = None,
) -> Page:
    """A Page from decoded bytes; a lossy decode adds a warning, a hopeless one (most bytes
    undecodable) makes the document unreadable as a binary file."""
    if decoded.lost and decoded.lost > BINARY_LOSS_SHARE * max(size, 1):
        share = 100 * decoded.lost / max(size, 1)
        return unreadable(
            where,
            "binary",
            f"binary file, not a document ({share:.0f}% of the bytes are not text in any "
            "known encoding)",
            at=at,
            url=url,
            given=given,
        )
    errors = []
    if decoded.lost:
        position = f"{at}: " if at else ""
        errors.append(
            f"{where.describe()}: {position}encoding: {decoded.lost} undecodable bytes "
            f"replaced with U+FFFD (decoded as {decoded.encoding})"
        )
    body = decoded.text
    if "\x00" in body:
        # Stray NULs (a scraper's padding, a botched copy) are no text, and glue words
        # together for every stage after this one.
        nuls = body.count("\x00")
        body = body.replace("\x00", "")
        position = f"{at}: " if at else ""
        errors.append(f"{where.describe()}: {position}{nuls} NUL bytes dropped")
    if kind in ("text", "clean"):
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    return Page(
        source=where.source(fmt, url=url, at=at),
        kind=kind,
        body=body,
        encoding=decoded.encoding,
        given=given or {},
        errors=errors,
    )


def describe_exception(exc: BaseException) -> str:
    """A one-line account of a reading failure, in the user's terms."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, zipfile.BadZipFile):
        return f"corrupt zip: {detail}"
    if isinstance(exc, tarfile.TarError):
        return f"broken tar archive: {detail}"
    if isinstance(exc, EOFError):
        return f"truncated data: {detail}"
    if isinstance(exc, zlib.error):
        return f"corrupt compressed data: {detail}"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, OSError):
        return f"read error: {detail}"
    return f"unexpected {type(exc).__name__}: {detail}"


def guarded(pages: Iterator[Page], where: Where, fmt: str) -> Iterator[Page]:
    """Yield ``pages``; if producing them fails, end with an unreadable Page instead of an
    exception, so one bad document never stops the stream."""
    try:
        yield from pages
    except Exception as exc:
        yield unreadable(where, fmt, describe_exception(exc))


def read_head(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes, fewer only at the end of the stream (pipes return short reads)."""
    chunks: list[bytes] = []
    wanted = size
    while wanted > 0:
        chunk = stream.read(wanted)
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def read_limited(stream: BinaryIO, limit: int) -> tuple[bytes | None, int]:
    """The whole stream when it holds at most ``limit`` bytes; otherwise ``None`` and the
    stream's total size (the rest is read and dropped, so memory stays bounded)."""
    data = read_head(stream, limit + 1)
    if len(data) <= limit:
        return data, len(data)
    total = len(data)
    del data
    while True:
        chunk = stream.read(1024 * 1024)
        if not chunk:
            return None, total
        total += len(chunk)


class _Prefixed(io.RawIOBase):
    """A stream that first replays ``head`` (already read for sniffing), then continues with
    the rest of ``stream``. Closing it leaves ``stream`` open."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._pos = 0
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._pos < len(self._head):
            n = min(len(view), len(self._head) - self._pos)
            view[:n] = self._head[self._pos : self._pos + n]
            self._pos += n
            return n
        data = self._stream.read(len(view))
        n = len(data)
        view[:n] = data
        return n


def prefixed(head: bytes, stream: BinaryIO) -> BinaryIO:
    """``head`` followed by the rest of ``stream``, as one buffered binary stream."""
    return io.BufferedReader(_Prefixed(head, stream), buffer_size=64 * 1024)  # type: ignore[return-value]
