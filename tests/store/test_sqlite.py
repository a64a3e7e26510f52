"""What only the embedded SQLite base does: one file, WAL, migrations, and its failure modes
(unreadable, locked, full) with clear errors and nothing half-written."""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

import pytest

from rasid.store import SearchQuery, StoreError, open_store
from rasid.store.sqlite import _MIGRATIONS, SQLITE_SCHEMA_VERSION
from rasid.store.text import index_forms
from tests.store import records as r


def test_one_file_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "base.db"
    with open_store(str(path)) as store:
        store.put_batch([r.wire()])
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SQLITE_SCHEMA_VERSION
    conn.close()


def test_sqlite_url_form(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'base.db'}") as store:
        store.put_batch([r.harvest()])
    assert (tmp_path / "base.db").exists()


def test_an_old_base_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    # A base as the first release wrote it: schema version 1, with data in it.
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    _MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version=1")
    conn.execute("COMMIT")
    conn.close()
    old = sqlite3.connect(path)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    old.close()

    with open_store(str(path)) as store:
        store.put_batch([r.wire()])
        assert store.get("wire-alpha")["title"].startswith("افتتاح محطة")

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SQLITE_SCHEMA_VERSION
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "sources_site" in indexes
    conn.close()


def _as_schema_2(path: Path) -> None:
    """Turn a base into what rasid wrote at schema version 2: its full-text index without
    the column of filter terms, filled from the stored records as version 2 filled it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("DROP TABLE search")
    _MIGRATIONS[0](conn)  # CREATE … IF NOT EXISTS: only the old search table is new
    _MIGRATIONS[1](conn)
    for rowid, blob in conn.execute("SELECT rowid, record FROM articles").fetchall():
        record = json.loads(zlib.decompress(blob))
        forms = index_forms(record["title"], record["text"])
        conn.execute(
            "INSERT INTO search(rowid, title, body, alternates) VALUES (?,?,?,?)",
            (rowid, forms.title, forms.body, forms.alternates),
        )
    conn.execute("PRAGMA user_version=2")
    conn.execute("COMMIT")
    conn.close()


def test_a_schema_2_base_gets_the_filter_index_and_searches_as_a_new_one(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    for path in (fresh, old):
        with open_store(str(path)) as store:
            store.put_batch(r.corpus())
    _as_schema_2(old)
    conn = sqlite3.connect(old)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(search)")]
    conn.close()
    assert columns == ["title", "body", "alternates"]

    queries = [
        SearchQuery(text="الى"),
        SearchQuery(text="الى", site="alpha-news.example"),
        SearchQuery(text="الى", date_from="2023-01-01", date_to="2023-12-31"),
        SearchQuery(text="المياه", entity="سامر الحداد"),
        SearchQuery(text="الى", type="REJECT"),
    ]
    with open_store(str(fresh)) as a, open_store(str(old)) as b:
        for query in queries:
            want = [(h.id, h.score) for h in a.search(query).hits]
            assert want and [(h.id, h.score) for h in b.search(query).hits] == want, query
        # and what is stored after the migration is indexed with its filters too
        b.put_batch([r.congratulations(3, "سالم العمري", "جمهورية الواحة")])
        late = b.search(SearchQuery(text="الى", date_from="2023-03-01", date_to="2023-03-31"))
        assert [h.id for h in late.hits] == ["congrats-3"]
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SQLITE_SCHEMA_VERSION
    assert "tags" in [row[1] for row in conn.execute("PRAGMA table_info(search)")]
    conn.close()


def test_a_base_from_a_newer_rasid_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with open_store(str(path)):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SQLITE_SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer rasid"):
        open_store(str(path))


def test_an_unreadable_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes("هذا ليس ملف قاعدة بيانات\n".encode() * 400)
    with pytest.raises(StoreError, match="not a readable rasid base"):
        open_store(str(path))
    # and the file is left as it was
    assert path.read_bytes().startswith("هذا".encode())


def test_another_sqlite_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a rasid base"):
        open_store(str(path))


def test_a_folder_or_a_missing_base_for_reading(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        open_store(str(tmp_path))
    with pytest.raises(StoreError, match="no base"):
        open_store(str(tmp_path / "missing.db"), create=False)


def test_reading_an_empty_file_as_a_base_refuses_and_leaves_it_alone(tmp_path: Path) -> None:
    # `rasid stats --db notes.txt`: a typo must not turn someone's empty file into a base.
    path = tmp_path / "notes.txt"
    path.write_bytes(b"")
    with pytest.raises(StoreError, match="no base at"):
        open_store(str(path), create=False)
    assert path.read_bytes() == b""
    with open_store(str(path)) as store:  # `rasid ingest` may start a base there
        assert store.stats().articles == 0


def test_a_locked_base_gives_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "base.db"
    with open_store(str(path)):
        pass
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = open_store(str(path), timeout=0.2)
        with pytest.raises(StoreError, match="locked by another process"):
            store.put_batch([r.wire()])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # once the other process is done, the same store goes on
    assert store.put_batch([r.wire()]).stored == 1
    store.close()


def test_a_full_disk_rolls_the_batch_back_and_the_next_run_resumes(tmp_path: Path) -> None:
    path = tmp_path / "base.db"
    store = open_store(str(path))
    store.put_batch([r.harvest()])
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    # SQLite reports exactly what a full disk reports once it may not grow the file.
    store._conn.execute(f"PRAGMA max_page_count={pages + 2}")
    big = [
        r.make_record(f"big-{n}", f"{r.WIRE}\n\n{r.HARVEST} {n}" * 20, title=f"عنوان {n}",
                      url=f"https://e.example/{n}", published="2024-01-01")
        for n in range(20)
    ]  # fmt: skip
    with pytest.raises(StoreError, match="disk is full"):
        store.put_batch(big)
    assert store.stats().articles == 1  # nothing of the failed batch is half-written
    assert store.search(SearchQuery(text="عنوان")).total == 0
    store._conn.execute("PRAGMA max_page_count=1073741823")
    assert store.put_batch(big).stored == 20
    store.close()


def test_every_committed_batch_survives_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "base.db"
    store = open_store(str(path))
    store.put_batch([r.wire(), r.harvest()])
    # no close(): the process "dies" here, and another one opens the file
    with open_store(str(path)) as after:
        assert after.known_ids(["wire-alpha", "harvest-1"]) == {"wire-alpha", "harvest-1"}
    store.close()


def test_counting_and_ranking_stop_at_the_newest_matches_and_say_so(
    tmp_path: Path, monkeypatch
) -> None:
    import rasid.store.sqlite as backend

    with open_store(str(tmp_path / "base.db")) as store:
        store.put_batch(r.corpus())
        everything = store.search(SearchQuery(text="الى"))
        assert (everything.total, everything.total_exact) == (5, True)
        monkeypatch.setattr(backend, "_COUNT_CAP", 2)
        page = store.search(SearchQuery(text="الى"))
        newest = store.search(SearchQuery(text="الى", offset=2))
    # The match past the cap only says "more than 2": the page is ranked among the two most
    # recently stored matches, and a page past them is empty.
    assert (page.total, page.total_exact) == (2, False)
    stored = [record.id for record in r.corpus()]
    matching = sorted((hit.id for hit in everything.hits), key=stored.index)
    assert {hit.id for hit in page.hits} == set(matching[-2:])
    assert newest.hits == [] and newest.total == 2


def test_facets_of_a_large_result_come_from_its_newest_matches(tmp_path: Path, monkeypatch) -> None:
    import rasid.store.sqlite as backend

    with open_store(str(tmp_path / "base.db")) as store:
        store.put_batch(r.corpus())
        exact = store.search(SearchQuery(text="الى", facets=True))
        assert exact.facets_exact and sum(n for _, n in exact.facets["site"]) == 5
        monkeypatch.setattr(backend, "_FACET_WINDOW", 2)
        page = store.search(SearchQuery(text="الى", facets=True))
    assert (page.total, page.total_exact, page.facets_exact) == (5, True, False)
    # the two most recently stored matches: the two congratulations of the official gazette
    assert dict(page.facets["site"]) == {"official-gazette.example": 2}
    assert page.to_dict()["facets_exact"] is False
