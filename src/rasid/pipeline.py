"""Run the stages over many pages: ingest → extract → annotate.

The stages are plain functions; this module only decides where they run. ``workers=1`` runs in
this process; more workers use a local process pool. Order is kept, and memory stays bounded by
the pool's chunks, not by the corpus.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from itertools import islice

from rasid.annotate import annotate
from rasid.extract import extract
from rasid.model import Page, Record

# Pages in flight per worker: enough to hide scheduling, small enough to bound memory.
_IN_FLIGHT_PER_WORKER = 16


def process(page: Page, *, published: str | None = None) -> Record:
    """One page through every stage. Never raises: a failing annotation layer leaves the record
    with its extracted text and an error that names the stage."""
    article = extract(page, published=published)
    try:
        return annotate(article)
    except Exception as error:
        record = Record.from_article(article)
        record.errors.append(f"annotate: {type(error).__name__}: {error}")
        return record


def run(
    pages: Iterable[Page], *, workers: int = 1, published: str | None = None
) -> Iterator[Record]:
    stage = partial(process, published=published)
    if workers <= 1:
        yield from map(stage, pages)
        return
    pages = iter(pages)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        window = workers * _IN_FLIGHT_PER_WORKER
        pending = deque(pool.submit(stage, page) for page in islice(pages, window))
        while pending:
            head = pending.popleft()
            nxt = next(pages, None)
            if nxt is not None:
                pending.append(pool.submit(stage, nxt))
            yield head.result()


def failed(record: Record) -> bool:
    """A document failed when nothing could be extracted from it; warnings alone are not
    failures."""
    return bool(record.errors) and not record.text
