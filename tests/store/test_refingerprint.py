"""A base written before the current fingerprint format is re-fingerprinted when it is opened:
its signatures and band keys are recomputed from the stored texts, so a new article joins
the story of an old near-duplicate again. Runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import sqlite3

import numpy as np
import psycopg

import rasid.store.sqlite as sqlite_store
from rasid.dedup import (
    FORMAT,
    NUM_PERM,
    Fingerprint,
    article_keys,
    band_keys,
    fingerprint,
    headline,
)
from rasid.store import open_store
from tests.store import records as r
from tests.store.rewind import read, rewind, signatures


def _old_format(sig: bytes, _size: int) -> bytes:
    """A signature as the previous release stored it: untagged 32-bit values, which the
    current code cannot compare (``Fingerprint.from_bytes`` returns None)."""
    assert sig.startswith(FORMAT)
    return np.arange(NUM_PERM, dtype="<u4").tobytes()


def _bands(url: str) -> set[int]:
    return {row[0] for row in read(url, "SELECT key FROM bands")}


def test_an_old_format_base_is_refingerprinted_and_new_rewrites_join_old_stories(
    store_url: str,
) -> None:
    with open_store(store_url) as store:
        store.put_batch([r.wire(), r.harvest()])
        old_story = store.get("wire-alpha")["story"]
    rewind(store_url, "_refingerprint", _old_format, shift_bands=True)
    assert all(Fingerprint.from_bytes(sig, size) is None for size, sig in signatures(store_url))

    with open_store(store_url) as store:
        # the migration ran on opening: every signature is comparable again, with its keys
        old = [r.wire(), r.harvest()]
        expected = [fingerprint(record.text) for record in old]
        stored = [Fingerprint.from_bytes(sig, size) for size, sig in signatures(store_url)]
        assert [fp.to_bytes() for fp in stored] == [fp.to_bytes() for fp in expected]
        keys = {
            key
            for fp, record in zip(expected, old, strict=True)
            for key in article_keys(fp, headline(record.title))
        }
        assert _bands(store_url) == keys
        assert len(keys) > len(set(band_keys(expected[0])) | set(band_keys(expected[1])))

        # and a rewrite of the old wire story joins the story it started
        store.put_batch([r.rewrite()])
        assert store.get("wire-beta")["story"] == old_story
        assert store.get("harvest-1")["story"] != old_story


def test_refingerprinting_drops_signatures_of_texts_too_short_to_compare(store_url: str) -> None:
    with open_store(store_url) as store:
        store.put_batch([r.wire()])
    rewind(store_url, "_refingerprint", _old_format, shift_bands=True)
    # a text the current fingerprint finds too short (the old format may have kept one)
    short = "اجتماع الحكومة اليوم"
    assert fingerprint(short) is None
    if store_url.startswith("postgresql://"):
        with psycopg.connect(store_url) as conn:
            conn.execute(
                "UPDATE articles SET record ="
                " jsonb_set(record::jsonb, '{text}', to_jsonb(%s::text))::json",
                (short,),
            )
    else:
        conn = sqlite3.connect(store_url, isolation_level=None)
        (blob,) = conn.execute("SELECT record FROM articles").fetchone()
        record = sqlite_store._unpack(blob)
        record["text"] = short
        conn.execute("UPDATE articles SET record = ?", (sqlite_store._pack(record),))
        conn.close()

    with open_store(store_url) as store:
        assert signatures(store_url) == []
        assert _bands(store_url) == set()
        assert store.get("wire-alpha")["text"] == short  # the article itself stays
