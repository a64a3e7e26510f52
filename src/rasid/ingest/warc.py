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

Offsets. In an uncompressed WARC, N is the record's byte offset in the file: what
``warcio extract FILE N`` takes. Compressed WARCs are decompressed here as one stream (so a WARC
gzipped per record and one gzipped as a whole read alike), and N counts bytes of the
*decompressed* WARC (``zcat FILE | tail -c +N+1`` shows the record). The locator keeps that
meaning because record ids of failed documents are made from it (``rasid.model.record_id``:
a broken record has no URL), so a base that already holds them neither loses nor repeats
them. Error messages about a ``.warc.gz`` add where to look in the file the user has. A
record that starts a gzip member (the usual WARC gzipped per record): that member's file
offset, which ``warcio extract FILE M`` takes (``"record at offset 18233 (decompressed; gzip
member at file offset 5120)"``). A record inside a member (a WARC gzipped as a whole, or
records written into one member): the message says it does not start a member and gives the
file offset of the member holding it. Data after the last member that is not gzip: where the
gzip data stops. bzip2 and xz WARCs: decompressed offsets only. A WARC inside an archive:
offsets in that member.

Broken input: warcio stops silently at a truncated record, so the reader checks each record's
length against its ``Content-Length`` and the end of the last record against the end of the
file. A truncated or unparseable record gives one unreadable Page naming the file and offset,
and ends that file (after a broken record there is nothing reliable to resynchronise on).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from functools import partial
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
_DECOMPRESSORS = {"bzip2": bz2.BZ2File, "xz": lzma.LZMAFile}
_GZIP_MAGIC = b"\x1f\x8b"
# Most decompressed bytes one read makes (a read without a size), and compressed bytes
# read from the file at a time (as GzipFile does).
_GZIP_CHUNK = 1024 * 1024
_GZIP_READ = 8192
_CUT = "Compressed file ended before the end-of-stream marker was reached"


class _GzipMembers:
    """A gzip file decompressed member by member, noting where each member starts: at which
    decompressed offset and at which offset of the file. That pair turns a record's
    decompressed offset into the file offset ``warcio extract`` can seek to.

    Replaces ``gzip.GzipFile`` (one inflate, not two) and follows the steps of its reader
    (CPython 3.11 ``gzip._GzipReader.read``, errors and their messages included), so what is
    read, and where a broken file fails, is what it was: the data of a member comes out
    before the error about its CRC or about the cut member after it. The caller drops starts
    it no longer needs (``forget_before``), so memory does not grow with the file."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buffer = b""  # compressed bytes read from the stream, not yet used
        self._file_offset = 0  # file offset of the first buffered byte
        self._offset = 0  # decompressed bytes handed over
        self._decompressor: Any = None  # None: a member header comes next
        self._crc = 0
        self._size = 0  # decompressed bytes of the current member
        self._starts: deque[tuple[int, int]] = deque()  # (decompressed, file) offsets
        # (decompressed, file) offsets of data that is not gzip where a member should start.
        self.stop: tuple[int, int] | None = None
        # (decompressed, file) offsets of the member being read or whose header is being read:
        # the one an error comes from.
        self.current: tuple[int, int] | None = None

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        limit = size if size > 0 else _GZIP_CHUNK
        while True:
            if self._decompressor is not None and self._decompressor.eof:
                self._end_member()
            if self._decompressor is None and not self._start_member():
                return b""
            decompressor = self._decompressor
            data = self._take(_GZIP_READ)
            out = decompressor.decompress(data, limit)
            # Give back what this member did not use, so headers and trailers see it.
            self._give_back(decompressor.unconsumed_tail or decompressor.unused_data)
            if out:
                self._crc = zlib.crc32(out, self._crc)
                self._size += len(out)
                self._offset += len(out)
                return out
            if not data:
                raise EOFError(_CUT)

    def _take(self, size: int) -> bytes:
        if not self._buffer:
            self._buffer = self._stream.read(size)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        self._file_offset += len(data)
        return data

    def _give_back(self, data: bytes) -> None:
        self._buffer = data + self._buffer
        self._file_offset -= len(data)

    def _exact(self, size: int) -> bytes:
        data = self._take(size)
        while len(data) < size:
            more = self._take(size - len(data))
            if not more:
                raise EOFError(_CUT)
            data += more
        return data

    def _start_member(self) -> bool:
        """Read the next member's header; ``False`` at the end of the file."""
        start = self._file_offset
        self.current = (self._offset, start)
        magic = self._take(2)
        if len(magic) == 1:
            magic += self._take(1)
        if not magic:
            return False
        if magic != _GZIP_MAGIC:
            self.stop = (self._offset, start)
            raise gzip.BadGzipFile(f"Not a gzipped file ({magic!r})")
        method, flags = self._exact(8)[:2]
        if method != 8:
            raise gzip.BadGzipFile("Unknown compression method")
        if flags & 4:  # FEXTRA
            self._exact(int.from_bytes(self._exact(2), "little"))
        for flag in (8, 16):  # FNAME, FCOMMENT: zero-terminated
            while flags & flag and self._exact(1) != b"\x00":
                pass
        if flags & 2:  # FHCRC
            self._exact(2)
        self._starts.append((self._offset, start))
        self._decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
        self._crc = zlib.crc32(b"")
        self._size = 0
        return True

    def _end_member(self) -> None:
        """Check the member's trailer and skip the NUL padding allowed after it."""
        trailer = self._exact(8)
        if int.from_bytes(trailer[:4], "little") != self._crc:
            crc = int.from_bytes(trailer[:4], "little")
            raise gzip.BadGzipFile(f"CRC check failed {hex(crc)} != {hex(self._crc)}")
        if int.from_bytes(trailer[4:], "little") != self._size & 0xFFFFFFFF:
            raise gzip.BadGzipFile("Incorrect length of data produced")
        self._decompressor = None
        byte = b"\x00"
        while byte == b"\x00":
            byte = self._take(1)
        self._give_back(byte)

    def forget_before(self, offset: int) -> None:
        """Drop the starts no record at or after decompressed ``offset`` can need."""
        starts = self._starts
        while len(starts) > 1 and starts[1][0] <= offset:
            starts.popleft()

    def member_of(self, offset: int) -> tuple[int, int] | None:
        """(decompressed, file) offsets of the start of the gzip member holding decompressed
        ``offset``: the last start at or before it; ``None`` before any member is known."""
        self.forget_before(offset)
        if self._starts and self._starts[0][0] <= offset:
            return self._starts[0]
        return None


class _Counting:
    """Counts the bytes warcio reads, so the end of the last record can be compared with the
    end of the file."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        # read1 (bz2, xz; the gzip reader's read behaves alike) returns what one step gives:
        # the tail of the last complete member comes out before the error about the
        # truncated member after it.
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


def _record_page(record: Any, where: Where, at: str, said: Callable[[], str]) -> Page | None:
    """The page of one record (``at``: its locator; ``said()``: its position in messages,
    built only for an error)."""
    wanted = _wanted(record)
    if wanted is None:
        return None
    media, content_type = wanted
    url = record.rec_headers.get_header("WARC-Target-URI")
    given = clean_given({"url": url, "crawled": record.rec_headers.get_header("WARC-Date")})
    data, size = read_limited(record.content_stream(), where.max_bytes)
    if data is None:
        problem = f"{said()}: {too_large(size, where.max_bytes)}"
        return unreadable(where, "warc", problem, at=at, url=url, given=given)
    if media is None:
        sniffed = sniff(data[:65536])
        if sniffed not in ("html", "text"):
            return None
        media = "text/html" if sniffed == "html" else "text/plain"
    if not data.strip():
        return unreadable(where, "warc", f"{said()}: empty document", at=at, url=url, given=given)
    declared = charset_from_content_type(content_type)
    if media in HTML_TYPES:
        return html_page(data, where, fmt="warc", declared=declared, at=at, url=url, given=given)
    return text_dump_page(data, where, fmt="warc", declared=declared, at=at, url=url, given=given)


def read_warc(stream: BinaryIO, where: Where, compression: str | None = None) -> Iterator[Page]:
    """Pages from one WARC stream; ``compression`` is ``gzip``/``bzip2``/``xz`` or ``None``."""
    raw: BinaryIO = stream
    members: _GzipMembers | None = None
    if compression == "gzip":
        members = _GzipMembers(stream)
        raw = members  # type: ignore[assignment]
    elif compression:
        raw = _DECOMPRESSORS[compression](fileobj=stream)  # type: ignore[assignment]
    counting = _Counting(raw)
    records = ArchiveIterator(counting)
    offset = 0

    def place(offset: int) -> str:
        """The record's position as messages say it: the locator, plus what a user can seek
        to in a compressed file (see the module docstring)."""
        if compression is None:
            return f"record at offset {offset}"
        member = members.member_of(offset) if members is not None else None
        if member is None:
            return f"record at offset {offset} (decompressed {compression} stream)"
        start, seek = member
        if start == offset:
            return f"record at offset {offset} (decompressed; gzip member at file offset {seek})"
        return (
            f"record at offset {offset} (decompressed; it does not start a gzip member; "
            f"the member holding it starts at file offset {seek})"
        )

    def broken(exc: BaseException | str) -> Page:
        at = f"record at offset {offset}"
        problem = exc if isinstance(exc, str) else _problem(exc)
        stop = members.stop if members is not None else None
        if stop is not None and isinstance(exc, gzip.BadGzipFile):
            # What follows the last member is not gzip (trailing data): say where it is, not
            # where the last record, a good one, began.
            said = (
                f"{at} (decompressed; the gzip data stops at file offset {stop[1]}, "
                f"decompressed offset {stop[0]}: what follows is not a gzip member)"
            )
        else:
            said = place(offset)
            failing = members.current if members is not None else None
            if failing is not None and failing[0] > offset:
                # A member that broke before giving any data fails while the record before
                # it is being finished: name the member that failed, not only the good one.
                said = (
                    said[:-1] + f"; the gzip member that fails starts at file offset {failing[1]})"
                )
        return unreadable(where, "warc", f"broken WARC {said}: {problem}", at=at)

    while True:
        offset = records.offset
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as exc:
            yield broken(exc)
            return
        at = f"record at offset {offset}"
        if members is not None:
            members.forget_before(offset)
        try:
            page = _record_page(record, where, at, partial(place, offset))
        except Exception as exc:
            # The payload could not be decoded; if the record's framing is intact (checked
            # next), this record alone is lost and the file goes on.
            url = record.rec_headers.get_header("WARC-Target-URI")
            problem = f"{place(offset)}: cannot read the payload: {_problem(exc)}"
            page = unreadable(where, "warc", problem, at=at, url=url)
        try:
            _drain(record.raw_stream)
            missing = getattr(record.raw_stream, "limit", 0)
        except Exception as exc:
            yield broken(exc)
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
            yield broken(exc)
            return

    try:
        _drain(counting)
    except Exception as exc:
        offset = records.offset
        yield broken(exc)
        return
    if counting.count > records.offset:
        offset = records.offset
        extra = counting.count - records.offset
        yield broken(f"{extra} bytes at the end are not a complete WARC record (truncated?)")
