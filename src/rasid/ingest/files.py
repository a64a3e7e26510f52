"""Files, directories, archives and stdin → the right reader for each document.

* a directory is walked recursively in sorted order, passing over hidden files and folders,
  paperwork (README, LICENSE …) and web assets (images, CSS, JS, fonts — see
  ``rasid.ingest.base.is_skipped``); a path named explicitly is always read;
* zip archives are read member by member (a zip that does not come from disk — a member of
  another archive, stdin — is spooled to a temporary file first, since zip needs seeking);
* tar archives (plain, gzip, bzip2, xz) are streamed member by member (``tarfile`` mode
  ``r|*``): nothing is extracted to disk and the tarball is never in memory;
* gzip/bzip2/xz files are decompressed on the fly and their content sniffed again (a
  ``page.html.gz`` is an HTML page, a ``crawl.warc.gz`` a WARC);
* everything else is sniffed (``rasid.ingest.sniff``) and read as HTML, text dump, JSON /
  JSON Lines (generic or a corpus shape), ANT, or WARC.

Nothing raises out of here: every failure becomes an unreadable Page (see ``base.guarded``).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import shutil
import stat
import sys
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from rasid.ingest import corpora, jsonl, warc
from rasid.ingest.base import (
    MAX_DOCUMENT_BYTES,
    Where,
    describe_exception,
    guarded,
    is_skipped,
    prefixed,
    read_head,
    read_limited,
    too_large,
    unreadable,
)
from rasid.ingest.html import html_page
from rasid.ingest.sniff import (
    HEAD_BYTES,
    binary_signature,
    compressed_inner_head,
    guess_format,
    sniff,
)
from rasid.ingest.textdump import text_dump_page
from rasid.model import Page

__all__ = ["STDIN", "count_hint", "read_path", "read_paths", "read_stream", "walk"]

STDIN = "-"
STDIN_NAME = "<stdin>"
JSON_SHAPES = (*corpora.JSON_SHAPES, jsonl.GENERIC)
_DECOMPRESS = {"gzip": gzip.GzipFile, "bzip2": bz2.BZ2File, "xz": lzma.LZMAFile}
_COMPRESSED_SUFFIXES = {"gzip": (".gz", ".tgz"), "bzip2": (".bz2",), "xz": (".xz",)}


def _fmt(where: Where, fallback: str = "text") -> str:
    return guess_format(where.name) or fallback


def _strip_suffix(name: str | None, kind: str) -> str | None:
    if not name:
        return name
    lowered = name.lower()
    for suffix in _COMPRESSED_SUFFIXES.get(kind, ()):
        if lowered.endswith(suffix):
            return name[: -len(suffix)] + (".tar" if suffix == ".tgz" else "")
    return name


def _spooled(stream: BinaryIO, limit: int) -> BinaryIO:
    spool = tempfile.SpooledTemporaryFile(max_size=limit)  # noqa: SIM115 - caller closes it
    shutil.copyfileobj(stream, spool, 1024 * 1024)
    spool.seek(0)
    return spool  # type: ignore[return-value]


def read_stream(
    stream: BinaryIO,
    where: Where,
    *,
    size: int | None = None,
    disk_path: str | None = None,
) -> Iterator[Page]:
    """Pages from one binary stream, whatever it holds. ``size`` (when known) lets an
    oversized document be refused without reading it; ``disk_path`` lets a zip be opened
    directly instead of being spooled."""
    head = read_head(stream, HEAD_BYTES)
    kind = sniff(head, where.name)
    complete = len(head) < HEAD_BYTES  # the stream ended within the head
    body = _Lazy(head, stream)

    if kind == "empty":
        yield unreadable(where, _fmt(where), "empty document")
        return
    if kind == "binary":
        what = binary_signature(head)
        yield unreadable(
            where, "binary", "binary file, not a document" + (f" ({what})" if what else "")
        )
        return
    if kind in _DECOMPRESS:
        yield from _read_compressed(body.stream, head, kind, where)
        return
    if kind == "zip":
        yield from _read_zip(body.stream, where, disk_path)
        return
    if kind == "tar":
        yield from _read_tar(body.stream, where)
        return
    if kind == "warc":
        yield from warc.read_warc(body.stream, where)
        return
    if kind == "json":
        yield from jsonl.read_json(body.stream, where, JSON_SHAPES)
        return

    # A single document: read it whole, within the size limit.
    fmt = {"html": "html", "ant": "ant"}.get(kind, "text")
    if size is not None and size > where.max_bytes:
        yield unreadable(where, fmt, too_large(size, where.max_bytes))
        return
    if complete:  # the whole document is already in hand
        data, total = head, len(head)
    else:
        data, total = read_limited(body.stream, where.max_bytes)
    if data is None:
        yield unreadable(where, fmt, too_large(total, where.max_bytes))
        return
    if kind == "ant":
        yield from corpora.read_ant(data, where)
    elif kind == "html":
        yield html_page(data, where)
    else:
        yield text_dump_page(data, where)


class _Lazy:
    """The sniffed head plus the rest of the stream, built only when more than the head is
    needed (most news pages fit in the head)."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream
        self._joined: BinaryIO | None = None

    @property
    def stream(self) -> BinaryIO:
        if self._joined is None:
            self._joined = prefixed(self._head, self._stream)
        return self._joined


def _read_compressed(body: BinaryIO, head: bytes, kind: str, where: Where) -> Iterator[Page]:
    inner_head = compressed_inner_head(head, kind)  # type: ignore[arg-type]
    if inner_head is None:
        yield unreadable(where, kind, f"corrupt {kind} data")
        return
    inner_name = _strip_suffix(where.name, kind)
    inner = sniff(inner_head, inner_name)
    if inner == "warc":
        yield from warc.read_warc(body, where, compression=kind)
    elif inner == "tar":
        yield from _read_tar(body, where)
    else:
        decompressed = _DECOMPRESS[kind](fileobj=body)
        inner_where = where.renamed(inner_name)
        try:
            yield from read_stream(decompressed, inner_where)  # type: ignore[arg-type]
        except _STREAM_ERRORS as exc:
            # Reported here, so a bad .gz inside a tar is that member's problem only.
            yield unreadable(inner_where, _fmt(inner_where), f"broken {kind} data: {_detail(exc)}")


def _member_pages(open_member: BinaryIO, where: Where, size: int | None) -> Iterator[Page]:
    with open_member:
        yield from read_stream(open_member, where, size=size)


def _read_zip(body: BinaryIO, where: Where, disk_path: str | None) -> Iterator[Page]:
    spool: BinaryIO | None = None
    try:
        if disk_path is not None:
            archive = zipfile.ZipFile(disk_path)
        else:
            spool = _spooled(body, where.max_bytes)
            archive = zipfile.ZipFile(spool)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        if spool is not None:
            spool.close()
        yield unreadable(where, "zip", describe_exception(_as_zip_error(exc)))
        return
    with archive:
        for info in archive.infolist():
            if info.is_dir() or is_skipped(info.filename):
                continue
            member = where.inside(info.filename)
            fmt = _fmt(member)
            try:
                handle = archive.open(info)
            except Exception as exc:
                yield unreadable(member, fmt, describe_exception(_as_zip_error(exc)))
                continue
            yield from guarded(_member_pages(handle, member, info.file_size), member, fmt)  # type: ignore[arg-type]
    if spool is not None:
        spool.close()


def _as_zip_error(exc: BaseException) -> BaseException:
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        return zipfile.BadZipFile(f"{exc} (encrypted member)")
    return exc


# Exceptions that mean the archive's byte stream itself is broken (not one member's content).
_STREAM_ERRORS = (tarfile.TarError, EOFError, zlib.error, OSError)


def _read_tar(body: BinaryIO, where: Where) -> Iterator[Page]:
    """Members of a tar stream, in archive order. A broken stream ends the archive with one
    unreadable Page naming the member it broke in (or the last good one)."""
    last: str | None = None
    try:
        with tarfile.open(fileobj=body, mode="r|*") as archive:
            for info in archive:
                if not info.isfile() or is_skipped(info.name):
                    continue
                member = where.inside(info.name)
                handle = archive.extractfile(info)
                if handle is None:
                    continue
                try:
                    yield from _member_pages(handle, member, info.size)  # type: ignore[arg-type]
                except _STREAM_ERRORS as exc:
                    yield unreadable(member, _fmt(member), f"broken tar archive: {_detail(exc)}")
                    return
                except Exception as exc:
                    yield unreadable(member, _fmt(member), describe_exception(exc))
                last = info.name
    except Exception as exc:
        after = f" after member {last}" if last else ""
        yield unreadable(where, "tar", f"broken tar archive{after}: {_detail(exc)}")


def _detail(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def walk(directory: str) -> Iterator[tuple[str, OSError | None]]:
    """Files under ``directory``, recursively, sorted by name; hidden and skipped names are
    passed over; symlinked directories are followed once. Yields ``(path, error)``, the error
    being set when a folder could not be listed."""
    seen: set[tuple[int, int]] = set()

    def visit(folder: str) -> Iterator[tuple[str, OSError | None]]:
        try:
            info = os.stat(folder)
            key = (info.st_dev, info.st_ino)
            if key in seen:
                return
            seen.add(key)
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            yield folder, exc
            return
        for entry in entries:
            if entry.name.startswith(".") or entry.name == "__MACOSX":
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                yield from visit(entry.path)
            elif not is_skipped(entry.name):
                yield entry.path, None

    yield from visit(directory)


def _read_file(path: str, max_bytes: int) -> Iterator[Page]:
    where = Where(path=path, name=os.path.basename(path), max_bytes=max_bytes)
    fmt = _fmt(where)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after streaming
    except FileNotFoundError:
        yield unreadable(where, fmt, "no such file or directory")
        return
    except OSError as exc:
        yield unreadable(where, fmt, describe_exception(exc))
        return
    with handle:
        try:
            size: int | None = os.fstat(handle.fileno()).st_size
        except OSError:
            size = None
        yield from guarded(read_stream(handle, where, size=size, disk_path=path), where, fmt)


def read_path(
    path: str, *, stdin: BinaryIO | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Page]:
    """Pages from one path (a file, a directory, or ``-`` for stdin)."""
    if path == STDIN:
        where = Where(path=STDIN_NAME, max_bytes=max_bytes)
        source = stdin if stdin is not None else sys.stdin.buffer
        yield from guarded(read_stream(source, where), where, "text")
        return
    where = Where(path=path, name=os.path.basename(path), max_bytes=max_bytes)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        yield unreadable(where, _fmt(where), "no such file or directory")
        return
    except OSError as exc:
        yield unreadable(where, _fmt(where), describe_exception(exc))
        return
    if stat.S_ISDIR(info.st_mode):
        for found, error in walk(path):
            if error is not None:
                folder = Where(path=found, max_bytes=max_bytes)
                yield unreadable(folder, "text", f"cannot list folder: {describe_exception(error)}")
            else:
                yield from _read_file(found, max_bytes)
    elif stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        yield from _read_file(path, max_bytes)
    else:
        yield unreadable(where, _fmt(where), "not a regular file or directory")


def read_paths(
    paths: Iterable[str], *, stdin: BinaryIO | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Page]:
    for path in paths:
        path = os.fspath(path)
        where = Where(path=str(path), max_bytes=max_bytes)
        yield from guarded(read_path(str(path), stdin=stdin, max_bytes=max_bytes), where, "text")


# Extensions count_hint cannot count documents in without reading the file.
_CONTAINER_FORMATS = frozenset({"zip", "tar", "warc", "json", "jsonl"})


def count_hint(paths: Iterable[str]) -> int | None:
    """How many documents ``paths`` probably hold, for a progress bar: one per file (found by
    the same walk ``read`` does), or ``None`` as soon as a path is stdin, missing, or a
    container whose document count is unknown without reading it (zip, tar, WARC, JSON,
    compressed files)."""
    total = 0
    for path in paths:
        path = os.fspath(path)
        if path == STDIN:
            return None
        if os.path.isdir(path):
            names = [found for found, error in walk(path) if error is None]
        elif os.path.isfile(path):
            names = [path]
        else:
            return None
        for name in names:
            lowered = name.lower()
            if guess_format(name) in _CONTAINER_FORMATS or lowered.endswith((".gz", ".bz2", ".xz")):
                return None
        total += len(names)
    return total
