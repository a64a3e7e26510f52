"""Ingest: whatever the user points rasid at → a stream of ``rasid.model.Page``.

``read`` takes files, directories, archives (zip, tar, tar.gz …), WARC crawls, JSON Lines /
JSON arrays, the SaudiNewsNet and ANT corpora, or ``-`` for stdin, and yields one Page per
document, lazily: a corpus is never held in memory as a whole. The kind of every file is
sniffed from its content (the extension only breaks ties).

Bad input never raises: a missing path, an empty or binary file, a corrupt archive, a broken
WARC record, a malformed JSON line or an oversized document each yields a Page with
``kind="unreadable"`` whose ``errors`` say what and where, and the stream goes on.

Module map: ``files`` (walking, archives, dispatch), ``sniff`` (what is this file?),
``encoding`` (bytes → text), ``html`` and ``textdump`` (single documents), ``jsonl`` (JSON),
``warc`` (crawls), ``corpora`` (SaudiNewsNet, ANT), ``urls`` (canonical URLs, sites),
``base`` (shared conventions: Source path/locator/format, errors, limits).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from rasid.ingest.base import MAX_DOCUMENT_BYTES
from rasid.ingest.files import count_hint as _count_hint
from rasid.ingest.files import read_paths
from rasid.model import Page

__all__ = ["MAX_DOCUMENT_BYTES", "count_hint", "read"]


def read(
    paths: Iterable[str],
    *,
    stdin: BinaryIO | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Iterator[Page]:
    """Pages from every document under ``paths``, in order.

    Each path is a file, a directory (recursive, sorted, hidden files skipped), a zip, a tar
    (``.tar``, ``.tar.gz``, ``.tgz`` …), a WARC (``.warc``, ``.warc.gz``), JSON Lines or a JSON
    array, or ``"-"`` for the bytes of ``stdin`` (default ``sys.stdin.buffer``). A single
    document larger than ``max_bytes`` (20 MB) becomes an unreadable Page saying so.
    """
    yield from read_paths(_as_list(paths), stdin=stdin, max_bytes=max_bytes)


def count_hint(paths: Iterable[str]) -> int | None:
    """A cheap estimate of how many documents ``read(paths)`` yields, for a progress bar: the
    number of files under the paths, or ``None`` when that says nothing (stdin, archives,
    WARC and JSON files hold an unknown number of documents)."""
    return _count_hint(_as_list(paths))


def _as_list(paths: Iterable[str] | str | os.PathLike[str]) -> Iterable[str]:
    """A single path given where a list was expected is read as one path, not as letters."""
    if isinstance(paths, str | os.PathLike):
        return [os.fspath(paths)]
    return (os.fspath(path) for path in paths)
