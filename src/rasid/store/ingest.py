"""Ingest into a store: read → extract → annotate (``rasid.pipeline``) → ``put_batch``.

The stages stay pure; this module only batches their output into transactions. Resume is
free: ids already in the store are skipped, first before extraction (pages whose id is known
up front: a corpus id or a URL) and again at the store (every record). A run killed at any
point loses at most the batch in flight, which the next run redoes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from rasid import ingest as reader
from rasid.model import Page
from rasid.pipeline import run
from rasid.store.base import BatchResult, Store
from rasid.urls import canonical_url

__all__ = ["DEFAULT_BATCH", "ingest", "page_id"]

DEFAULT_BATCH = 200
_LOOKAHEAD = 500  # pages whose ids are checked against the store in one query


def page_id(page: Page) -> str | None:
    """The record id a page will get, when it is known before extraction (the same rule as
    ``rasid.model.record_id``: a given id, else the canonical URL); None otherwise."""
    given = page.given.get("id")
    if given:
        return str(given)
    url = page.source.url or page.given.get("url")
    if url:
        return hashlib.sha1(("url:" + canonical_url(url)).encode("utf-8")).hexdigest()[:16]
    return None


def _unseen(pages: Iterable[Page], store: Store, on_skip: Callable[[int], None]) -> Iterator[Page]:
    pages = iter(pages)
    while chunk := list(islice(pages, _LOOKAHEAD)):
        ids = {pid for page in chunk if (pid := page_id(page))}
        known = store.known_ids(ids) if ids else set()
        skipped = 0
        for page in chunk:
            if page_id(page) in known:
                skipped += 1
            else:
                yield page
        if skipped:
            on_skip(skipped)


def ingest(
    paths: Iterable[str],
    store: Store,
    *,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH,
    published: str | None = None,
    on_batch: Callable[[BatchResult], None] | None = None,
) -> BatchResult:
    """Store every document under ``paths``; returns the totals. ``on_batch`` is called after
    each committed batch (and for pages skipped before extraction) with that batch's counts."""
    total = BatchResult()

    def report(result: BatchResult) -> None:
        total.__iadd__(result)
        if on_batch is not None:
            on_batch(result)

    pages = _unseen(reader.read(list(paths)), store, lambda n: report(BatchResult(skipped=n)))
    batch = []
    for record in run(pages, workers=workers, published=published):
        batch.append(record)
        if len(batch) >= batch_size:
            report(store.put_batch(batch))
            batch = []
    if batch:
        report(store.put_batch(batch))
    return total
