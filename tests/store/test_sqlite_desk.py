"""The SQLite base's listings for the analyst's desk: the ``day`` copies and summary table
that make them index reads, added in place to an older base, and the co-mention window."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rasid.store import EventQuery, QuoteQuery, open_store
from rasid.store import rows as shared
from tests.store import records as r


def _as_schema_3(path: Path) -> None:
    """Turn a base into what rasid wrote at schema version 3: no ``day`` on the listings,
    none of their indexes, no ``entity_days``."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for index in ("events_day", "events_type_day", "events_when", "quotes_day",
                  "quotes_entity_day", "entity_articles_day"):  # fmt: skip
        conn.execute(f"DROP INDEX {index}")
    conn.execute("CREATE INDEX events_type ON events(type, article)")
    conn.execute("CREATE INDEX quotes_entity ON quotes(speaker_entity)")
    for table in ("events", "quotes", "entity_articles"):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN day")
    conn.execute("DROP TABLE entity_days")
    conn.execute("PRAGMA user_version=3")
    conn.execute("COMMIT")
    conn.close()


def _desk(store) -> tuple:
    return (
        store.events(EventQuery(limit=100)),
        store.events(EventQuery(type="AID")),
        store.quotes(QuoteQuery(limit=100)),
        store.quotes(QuoteQuery(entity="per:layla-mansouri")),
        [store.entity(e.id).to_dict() for e in store.entities(top=100)],
    )


def test_an_older_base_gets_the_desk_indexes_and_lists_as_a_new_one(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    for path in (fresh, old):
        with open_store(str(path)) as store:
            store.put_batch(r.corpus())
    _as_schema_3(old)
    with open_store(str(fresh)) as a, open_store(str(old)) as b:
        want = _desk(a)
        assert want[0] and want[2] and want[4]
        assert _desk(b) == want
        # and what is stored after the migration keeps the summary in step
        for store in (a, b):
            store.put_batch([r.congratulations(3, "سالم العمري", "جمهورية الواحة")])
        assert _desk(b) == _desk(a)
    conn = sqlite3.connect(old)
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert {"events_type_day", "quotes_entity_day", "entity_days"} <= names


def test_a_listing_is_read_along_an_index_not_sorted(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "base.db")) as store:
        store.put_batch(r.corpus())
    conn = sqlite3.connect(tmp_path / "base.db")
    for sql, params in (
        ("SELECT * FROM events t WHERE t.type = ?", ("AID",)),
        ("SELECT * FROM events t", ()),
        ("SELECT * FROM quotes t WHERE t.speaker_entity = ?", ("per:layla-mansouri",)),
        ("SELECT * FROM quotes t", ()),
    ):
        plan = " ".join(
            row[3]
            for row in conn.execute(
                f"EXPLAIN QUERY PLAN {sql} ORDER BY t.day DESC, t.article DESC, t.n LIMIT 50",
                params,
            )
        )
        assert "TEMP B-TREE" not in plan, sql
    conn.close()


def test_co_mentions_of_a_very_common_entity_come_from_its_newest_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(str(tmp_path / "base.db")) as store:
        store.put_batch(r.corpus())
        assert all(store.entity(e.id).co_mentioned_exact for e in store.entities(top=100))
        monkeypatch.setattr(shared, "CO_WINDOW", 1)
        seen = 0
        for summary in store.entities(top=100):
            newest = store.entity(summary.id)
            assert newest.co_mentioned_exact == (summary.articles == 1)
            # counted in its latest article only
            latest = store.get(newest.articles[0]["id"])
            others = {m["entity"] for m in latest["entities"]} - {summary.id}
            assert [(e.id, n) for e, n in newest.co_mentioned] == [(e, 1) for e in sorted(others)]
            seen += bool(others)
    assert seen  # not a vacuous comparison


def test_a_date_range_lists_the_same_events_read_by_date_or_walked_newest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rasid.store.sqlite as backend

    with open_store(str(tmp_path / "base.db")) as store:
        store.put_batch(r.corpus())
        everything = store.events(EventQuery(limit=100))
        ranges = [
            ("2022-01-01", "2022-12-31"),
            ("2023-01-01", None),
            (None, "2023-12-31"),
            ("2000-01-01", "2030-12-31"),
        ]
        for date_from, date_to in ranges:
            want = [
                e
                for e in everything
                if (not date_from or (e.get("date") or e["published"])[:10] >= date_from)
                and (not date_to or (e.get("date") or e["published"])[:10] <= date_to)
            ]
            assert want, (date_from, date_to)
            # a range of few events, one walked newest first, one read in two merged parts
            for window in (5_000, 0, 1, 2):
                monkeypatch.setattr(backend, "_DATE_WINDOW", window)
                query = EventQuery(date_from=date_from, date_to=date_to, limit=100)
                assert store.events(query) == want, (date_from, date_to, window)
                paged = [
                    e
                    for offset in range(len(want))
                    for e in store.events(
                        EventQuery(date_from=date_from, date_to=date_to, limit=1, offset=offset)
                    )
                ]
                assert paged == want, (date_from, date_to, window)
