"""The intelligence base: records in, questions out (see ``rasid.store.base``).

``open_store("rasid.db")`` opens (or creates) the embedded SQLite base;
``open_store("postgresql://…")`` a PostgreSQL one. Both implement :class:`Store`.
"""

from __future__ import annotations

import importlib

from rasid.store.base import (
    BatchResult,
    EntityDetail,
    EntitySummary,
    EventQuery,
    Failure,
    Hit,
    QuoteQuery,
    SearchPage,
    SearchQuery,
    Stats,
    Store,
    StoreError,
    StoryDetail,
    StorySummary,
)

__all__ = [
    "DEFAULT_DB",
    "BatchResult",
    "EntityDetail",
    "EntitySummary",
    "EventQuery",
    "Failure",
    "Hit",
    "QuoteQuery",
    "SearchPage",
    "SearchQuery",
    "Stats",
    "Store",
    "StoreError",
    "StoryDetail",
    "StorySummary",
    "open_store",
]

DEFAULT_DB = "rasid.db"


def open_store(url: str = DEFAULT_DB, *, create: bool = True, timeout: float = 10.0) -> Store:
    """Open a base. ``postgresql://`` and ``postgres://`` URLs go to the PostgreSQL backend
    (imported only then, so SQLite users need no driver); anything else is a SQLite file path
    (``sqlite:///path`` also works). With ``create=False`` a missing SQLite file is an error
    instead of a new empty base (for read-only commands). ``timeout`` is how many seconds a
    SQLite writer waits for a base locked by another process before giving up."""
    if url.startswith(("postgresql://", "postgres://")):
        module = importlib.import_module("rasid.store.postgres")
        return module.PostgresStore(url, create=create, timeout=timeout)
    from rasid.store.sqlite import SqliteStore

    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
    return SqliteStore(path, create=create, timeout=timeout)
