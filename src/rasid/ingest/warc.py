"""WARC files (web crawls), read with warcio.

Pages come from

* ``response`` records with HTTP status 2xx and an HTML content type (``text/html``,
  ``application/xhtml+xml``; a missing content type is sniffed), charset from the HTTP
  ``Content-Type``;
* ``resource`` records with an HTML content type (the WARC record's own ``Content-Type``);
* ``text/plain`` ``conversion``/``resource`` records (e.g. Common Crawl WET text) → kind
  ``text``.

Everything else (requests, metadata, revisits, redirects, images, scripts) is passed over.
``Source.url`` and ``given["url"]`` are the ``WARC-Target-URI``; ``given["crawled"]`` is the
``WARC-Date`` — when the page was fetched, a fallback hint for the publication date, never the
date itself. ``Source.locator`` is ``"record at offset N"``.

Compressed WARCs are decompressed here as one stream (Python's gzip handles both the usual
per-record gzip members and a WARC gzipped as a whole), so offsets count bytes of the
*uncompressed* WARC (``zcat file.warc.gz | tail -c +N+1`` shows the record).

Broken input: warcio stops silently at a truncated record, so the reader checks each record's
length against its ``Content-Length`` and the end of the last record against the end of the
file. A truncated or unparseable record gives one unreadable Page naming the file and offset,
and ends that file (after a broken record there is nothing reliable to resynchronise on).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from rasid.ingest.base import (
    Where,
    clean_given,
    describe_exception,
    read_limited,
    too_large,
    unreadable,
)
from rasid.ingest.encoding import charset_from_content_type
from rasid.ingest.html import html_page
from rasid.ingest.sniff import sniff
from rasid.ingest.textdump import text_dump_page
from rasid.model import Page

__all__ = ["HTML_TYPES", "TEXT_TYPES", "read_warc"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/xhtml"})
TEXT_TYPES = frozenset({"text/plain"})
_DECOMPRESSORS = {"gzip": gzip.GzipFile, "bzip2": bz2.BZ2File, "xz": lzma.LZMAFile}


class _Counting:
    """Counts the bytes warcio reads, so the end of the last record can be compared with the
    end of the file."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        # read1 returns what one underlying read gives: the tail of the last complete gzip
        # member comes out before the error about the truncated member after it.
        self._read = getattr(stream, "read1", stream.read)
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._read(size)
        self.count += len(data)
        return data

    def tell(self) -> int:
        return self.count

    def close(self) -> None:
        """warcio may close its reader; the caller owns the stream."""


def _media_type(value: str | None) -> str | None:
    if not value:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def _wanted(record: Any) -> tuple[str | None, str | None] | None:
    """(media type, content-type header) for records that may hold a page, else ``None``."""
    rec_type = record.rec_type
    if rec_type == "response":
        http = record.http_headers
        if http is None:
            return None
        try:
            status = int(http.get_statuscode() or 0)
        except ValueError:
            return None
        if not 200 <= status < 300:
            return None
        content_type = http.get_header("Content-Type")
    elif rec_type in ("resource", "conversion"):
        content_type = record.rec_headers.get_header("Content-Type")
    else:
        return None
    media = _media_type(content_type)
    if media is None or media in HTML_TYPES or media in TEXT_TYPES:
        return media, content_type
    return None


def _problem(exc: BaseException) -> str:
    if isinstance(exc, ArchiveLoadFailed):
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return lines[0] if lines else "not a WARC record"
    return describe_exception(exc)


def _drain(stream: Any) -> None:
    while stream.read(1024 * 1024):
        pass


def _record_page(record: Any, where: Where, at: str) -> Page | None:
    wanted = _wanted(record)
    if wanted is None:
        return None
    media, content_type = wanted
    url = record.rec_headers.get_header("WARC-Target-URI")
    given = clean_given({"url": url, "crawled": record.rec_headers.get_header("WARC-Date")})
    data, size = read_limited(record.content_stream(), where.max_bytes)
    if data is None:
        problem = f"{at}: {too_large(size, where.max_bytes)}"
        return unreadable(where, "warc", problem, at=at, url=url, given=given)
    if media is None:
        sniffed = sniff(data[:65536])
        if sniffed not in ("html", "text"):
            return None
        media = "text/html" if sniffed == "html" else "text/plain"
    if not data.strip():
        return unreadable(where, "warc", f"{at}: empty document", at=at, url=url, given=given)
    declared = charset_from_content_type(content_type)
    if media in HTML_TYPES:
        return html_page(data, where, fmt="warc", declared=declared, at=at, url=url, given=given)
    return text_dump_page(data, where, fmt="warc", declared=declared, at=at, url=url, given=given)


def read_warc(stream: BinaryIO, where: Where, compression: str | None = None) -> Iterator[Page]:
    """Pages from one WARC stream; ``compression`` is ``gzip``/``bzip2``/``xz`` or ``None``."""
    raw: BinaryIO = stream
    if compression:
        raw = _DECOMPRESSORS[compression](fileobj=stream)  # type: ignore[assignment]
    counting = _Counting(raw)
    records = ArchiveIterator(counting)
    offset = 0

    def broken(problem: str) -> Page:
        at = f"record at offset {offset}"
        return unreadable(where, "warc", f"broken WARC record at offset {offset}: {problem}", at=at)

    while True:
        offset = records.offset
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as exc:
            yield broken(_problem(exc))
            return
        at = f"record at offset {offset}"
        try:
            page = _record_page(record, where, at)
        except Exception as exc:
            # The payload could not be decoded; if the record's framing is intact (checked
            # next), this record alone is lost and the file goes on.
            url = record.rec_headers.get_header("WARC-Target-URI")
            problem = f"{at}: cannot read the payload: {_problem(exc)}"
            page = unreadable(where, "warc", problem, at=at, url=url)
        try:
            _drain(record.raw_stream)
            missing = getattr(record.raw_stream, "limit", 0)
        except Exception as exc:
            yield broken(_problem(exc))
            return
        if missing:
            declared = record.rec_headers.get_header("Content-Length")
            yield broken(f"truncated: {missing} of {declared} bytes missing")
            return
        if page is not None:
            yield page
        try:
            records.get_record_offset()  # finish the record, so .offset is the next one's
        except Exception as exc:
            yield broken(_problem(exc))
            return

    try:
        _drain(counting)
    except Exception as exc:
        offset = records.offset
        yield broken(_problem(exc))
        return
    if counting.count > records.offset:
        offset = records.offset
        extra = counting.count - records.offset
        yield broken(f"{extra} bytes at the end are not a complete WARC record (truncated?)")
