"""Turning a base back into what an earlier release left, for the migration tests: its stored
fingerprints rewritten and its schema version set back to before a migration step, on SQLite
or on the real PostgreSQL server of the store tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

import rasid.store.postgres as pg_store
import rasid.store.sqlite as sqlite_store
from rasid.dedup import Fingerprint
from rasid.model import Record
from rasid.store import open_store


def read(url: str, query: str) -> list[tuple[Any, ...]]:
    """The rows of ``query`` on the base at ``url`` (binary values as bytes on both)."""
    if url.startswith("postgresql://"):
        with psycopg.connect(url) as conn:
            rows = conn.execute(query).fetchall()
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
    conn = sqlite3.connect(url)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def signatures(url: str) -> list[tuple[int, bytes]]:
    return read(url, "SELECT size, sig FROM signatures ORDER BY article")


def rewind(
    url: str,
    step: str,
    old_signature: Callable[[bytes, int], bytes],
    shift_bands: bool = False,
    dropped: Iterable[int] = (),
) -> None:
    """Give every stored fingerprint the earlier release's bytes (``old_signature(sig, size)``),
    move the band keys off the current ones when that release hashed them otherwise, remove
    the ``dropped`` keys that release did not keep, and set the schema back to the version
    before the migration function named ``step``."""
    gone = [(key,) for key in dropped]
    if url.startswith("postgresql://"):
        version = pg_store._MIGRATIONS.index(getattr(pg_store, step))
        with psycopg.connect(url) as conn:
            rows = conn.execute("SELECT article, size, sig FROM signatures").fetchall()
            for article, size, sig in rows:
                conn.execute(
                    "UPDATE signatures SET sig = %s WHERE article = %s",
                    (old_signature(bytes(sig), size), article),
                )
            if shift_bands:
                conn.execute("UPDATE bands SET key = key + 1")
            with conn.cursor() as cur:
                cur.executemany("DELETE FROM bands WHERE key = %s", gone)
            conn.execute("DELETE FROM schema_version WHERE version > %s", (version,))
        return
    version = sqlite_store._MIGRATIONS.index(getattr(sqlite_store, step))
    conn = sqlite3.connect(url, isolation_level=None)
    for article, size, sig in conn.execute("SELECT article, size, sig FROM signatures").fetchall():
        conn.execute(
            "UPDATE signatures SET sig = ? WHERE article = ?",
            (old_signature(sig, size), article),
        )
    if shift_bands:
        conn.execute("UPDATE bands SET key = key + 1")
    conn.executemany("DELETE FROM bands WHERE key = ?", gone)
    conn.execute(f"PRAGMA user_version={version}")
    conn.close()


def stored_then_rewound(
    url: str,
    records: list[Record],
    story_of: str,
    step: str,
    old_signature: Callable[[bytes, int], bytes],
) -> str:
    """Store ``records``, turn the base back into what the release before ``step`` left (see
    :func:`rewind`; no fingerprint is then of the current format), and return the story of
    the record ``story_of`` as it was stored."""
    with open_store(url) as store:
        store.put_batch(records)
        story = store.get(story_of)["story"]
    rewind(url, step, old_signature)
    assert all(Fingerprint.from_bytes(sig, size) is None for size, sig in signatures(url))
    return story
