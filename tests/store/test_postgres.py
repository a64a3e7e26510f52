"""What only the PostgreSQL store has to show: a server that goes away, schema migrations on a
server, several writers at once, the ``arabic`` snowball stemmer, and values PostgreSQL text
cannot hold. Everything the two stores share is in the common suite (``store`` fixture).

Every test runs against a real throwaway server (``tests/store/pg_server.py``)."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from typer.testing import CliRunner

import rasid.store.postgres as pg_store
from rasid.arabic.stem import search_terms
from rasid.cli import app
from rasid.model import Record
from rasid.store import SearchQuery, StoreError, open_store
from rasid.store.ingest import ingest
from tests.shared import DEMO, REPO
from tests.store import records as fiction
from tests.store.pg_server import PgServer


@pytest.fixture
def private_server(pg_server: PgServer) -> Iterator[PgServer]:
    """The session's server, for a test that stops it: running again afterwards, whatever
    happened (tests of one process run one at a time, so no other test sees it stopped)."""
    yield pg_server
    pg_server.start()


# The parts of a record the annotation layers make (other stages' output).
LAYERS = ("entities", "quotes", "events", "places", "dates")
STORE_STATS = ("articles", "sources", "sites", "stories", "clustered", "failures")


def contents(url: str, layers: bool = True) -> dict[str, Any]:
    """Everything a base holds, in a form two bases can be compared by. ``layers=False`` leaves
    out what the annotation layers made: runs in separate processes minutes apart may meet a
    lexicon edited in between (a working tree), which is no concern of the store."""
    with open_store(url) as store:
        stats = store.stats().to_dict()
        return {
            "records": sorted(
                json.dumps(
                    {k: v for k, v in r.items() if layers or k not in LAYERS},
                    ensure_ascii=False,
                    sort_keys=True,
                )
                for r in store.export_records()
            ),
            "stats": stats if layers else {k: stats[k] for k in STORE_STATS},
            "failures": sorted((f.document, f.stage, f.error) for f in store.failures(10_000)),
            "stories": [s.to_dict() for s in store.stories(top=1000, min_size=1)],
        }


# ---- a server that goes away --------------------------------------------------------------


def test_server_stopped_mid_batch_rolls_the_batch_back_and_the_next_run_resumes(
    private_server: PgServer,
) -> None:
    server = private_server
    inputs = [str(DEMO / "feeds"), str(DEMO / "dumps")]  # ten documents, three batches
    clean_url = server.create_database()
    with open_store(clean_url) as store:
        ingest(inputs, store, batch_size=4)
    clean = contents(clean_url)
    assert clean["stats"]["sources"] >= 9

    url = server.create_database()
    store = open_store(url)
    put_one = store._put_one
    calls: list[str] = []  # ids the store was asked to write, in order
    committed: list[int] = []  # len(calls) at each commit

    def stop_the_server_in_batch_two(conn: psycopg.Connection, record: Record) -> bool:
        calls.append(record.id)
        if committed and len(calls) == committed[0] + 2:  # half-way through batch two
            server.stop("immediate")
        return put_one(conn, record)

    store._put_one = stop_the_server_in_batch_two  # type: ignore[method-assign]
    with pytest.raises(StoreError) as caught:
        ingest(inputs, store, batch_size=4, on_batch=lambda _: committed.append(len(calls)))
    store.close()
    message = str(caught.value)
    assert "lost the connection" in message
    assert "rolled back" in message and "run the same command again" in message.lower()

    server.start()
    first_batch, in_flight = calls[: committed[0]], calls[committed[0] :]
    with open_store(url) as store:
        # The first batch is there; nothing of the one in flight is.
        assert store.known_ids(first_batch) == set(first_batch)
        assert in_flight and store.known_ids(in_flight) == set()
        assert store.stats().sources == len(first_batch)

        ingest(inputs, store, batch_size=4)
    assert contents(url) == clean


def test_an_ingest_killed_midway_then_run_again_gives_the_records_of_a_clean_run(
    pg_server: PgServer,
) -> None:
    inputs = [str(DEMO / "feeds"), str(DEMO / "dumps")]
    clean_url = pg_server.create_database()
    with open_store(clean_url) as store:
        ingest(inputs, store)
    url = pg_server.create_database()
    open_store(url).close()  # the schema exists before the watcher below polls it
    command = [sys.executable, "-m", "rasid.cli", "ingest", *inputs, "--db", url,
               "--batch", "1", "--no-progress"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    stored, deadline = 0, time.monotonic() + 120
    with psycopg.connect(url, autocommit=True) as watcher:
        while time.monotonic() < deadline and proc.poll() is None and stored < 3:
            stored = watcher.execute("SELECT count(*) FROM sources").fetchone()[0]
            time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 3 <= stored < contents(clean_url)["stats"]["sources"]

    again = [sys.executable, "-m", "rasid.cli", "ingest", *inputs, "--db", url, "--no-progress"]
    done = subprocess.run(again, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert contents(url, layers=False) == contents(clean_url, layers=False)


def test_a_store_reconnects_after_the_server_restarts(private_server: PgServer) -> None:
    url = private_server.create_database()
    with open_store(url) as store:
        store.put_batch(fiction.corpus())
        private_server.stop("fast")
        with pytest.raises(StoreError, match=r"lost the connection|cannot connect"):
            store.put_batch([fiction.harvest()])
        private_server.start()
        # Reads and writes go on over a new connection, with nothing lost or doubled.
        assert store.get("harvest-1")["title"] == fiction.harvest().title
        assert store.put_batch(fiction.corpus()).skipped == len(fiction.corpus())
        assert store.stats().sources == len(fiction.corpus())


def test_a_missing_database_or_server_is_a_clear_error(pg_server: PgServer) -> None:
    with pytest.raises(StoreError, match="Create the database first"):
        open_store(pg_server.url("no_such_base"))
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        nobody_home = f"postgresql://rasid@127.0.0.1:{probe.getsockname()[1]}/rasid"
    with pytest.raises(StoreError, match=r"cannot connect.*Is the server running"):
        open_store(nobody_home)


def test_the_cli_reports_a_lost_server_and_exits_with_an_error(private_server: PgServer) -> None:
    url = private_server.create_database()
    with open_store(url) as store:
        store.put_batch(fiction.corpus())
    private_server.stop("immediate")
    result = CliRunner().invoke(app, ["ingest", str(DEMO), "--db", url, "--no-progress"])
    assert result.exit_code == 2
    assert "cannot connect" in result.output


def test_passwords_stay_out_of_error_messages(pg_server: PgServer) -> None:
    url = f"postgresql://rasid:sekrit@127.0.0.1:{pg_server.port}/no_such_base"
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert "sekrit" not in str(caught.value)
    assert "rasid:***@" in str(caught.value)


# ---- schema versions ----------------------------------------------------------------------


def schema_versions(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY 1")]


def test_a_new_database_gets_every_migration(pg_url: str) -> None:
    with open_store(pg_url):
        pass
    assert schema_versions(pg_url) == list(range(1, pg_store.POSTGRES_SCHEMA_VERSION + 1))


def test_read_only_commands_do_not_create_a_schema(pg_url: str) -> None:
    with pytest.raises(StoreError, match="no rasid base"):
        pg_store.PostgresStore(pg_url, create=False)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT to_regclass('articles')").fetchone() == (None,)


def build_v1_by_hand(url: str) -> None:
    """A version-1 base as the first release left it: its tables and one stored article,
    written with plain SQL (no store code beyond the version-1 DDL)."""
    text = fiction.HARVEST
    record = fiction.harvest().to_dict()
    with psycopg.connect(url) as conn:
        for statement in pg_store._SCHEMA_V1:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00+00:00')")
        pk = conn.execute(
            "INSERT INTO articles(id, text_key, title, url, site, published, day, lang, story,"
            " record, search) VALUES ('harvest-1', 'k1', %s, %s, 'delta-agri.example', %s,"
            " '2023-06-02', 'ar', 'harvest-1', %s, to_tsvector('arabic', %s)) RETURNING pk",
            (record["title"], record["source"]["url"], record["published"], json.dumps(record),
             " ".join(search_terms(text))),
        ).fetchone()[0]  # fmt: skip
        conn.execute(
            "INSERT INTO sources(id, article, site, added) VALUES"
            " ('harvest-1', %s, 'delta-agri.example', '2026-01-01T00:00:00+00:00')",
            (pk,),
        )
        conn.execute(
            "INSERT INTO stories VALUES ('harvest-1', %s, 1, 1, %s, %s, %s)",
            (pk, record["published"], record["published"], record["title"]),
        )


def test_an_old_base_is_migrated_in_place_and_keeps_its_records(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_v1_by_hand(pg_url)

    # The next release adds a column and fills it from the stored records.
    def v2(conn: psycopg.Connection) -> None:
        conn.execute("ALTER TABLE articles ADD COLUMN words INTEGER")
        conn.execute(
            "UPDATE articles SET words = array_length(regexp_split_to_array("
            "record->>'text', '\\s+'), 1)"
        )

    monkeypatch.setattr(pg_store, "_MIGRATIONS", [*pg_store._MIGRATIONS, v2])

    with open_store(pg_url) as store:
        assert store.get("harvest-1")["title"] == fiction.harvest().title
        assert [h.id for h in store.search(SearchQuery(text="حصاد القمح")).hits] == ["harvest-1"]
        assert store.put_batch([fiction.wire()]).stored == 1
    # v1 by hand; every later one, the new one included, on opening
    assert schema_versions(pg_url) == list(range(1, len(pg_store._MIGRATIONS) + 1))
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT words FROM articles WHERE id = 'harvest-1'").fetchone()[0] > 40


def test_a_migration_that_fails_leaves_the_base_as_it_was(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_v1_by_hand(pg_url)

    def broken_v2(conn: psycopg.Connection) -> None:
        conn.execute("ALTER TABLE articles ADD COLUMN words INTEGER")
        conn.execute("SELECT no_such_function()")

    monkeypatch.setattr(pg_store, "_MIGRATIONS", [*pg_store._MIGRATIONS, broken_v2])
    with pytest.raises(StoreError):
        open_store(pg_url)
    monkeypatch.undo()

    assert schema_versions(pg_url) == [1]
    with psycopg.connect(pg_url) as conn:
        columns = {
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'articles'"
            )
        }
        assert "words" not in columns  # fmt: skip
    with open_store(pg_url) as store:
        assert store.get("harvest-1") is not None


def test_a_base_from_a_newer_rasid_is_refused(pg_url: str) -> None:
    with open_store(pg_url):
        pass
    with psycopg.connect(pg_url) as conn:
        conn.execute(
            "INSERT INTO schema_version VALUES (%s, 'later')",
            (pg_store.POSTGRES_SCHEMA_VERSION + 1,),
        )
    with pytest.raises(StoreError, match="newer rasid"):
        open_store(pg_url)


def test_a_database_with_someone_elses_articles_table_is_refused(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE articles (id serial primary key, body text)")
    with pytest.raises(StoreError, match="not a rasid base"):
        open_store(pg_url)


def test_many_processes_opening_a_new_database_at_once_migrate_it_once(pg_url: str) -> None:
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            open_store(pg_url).close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert schema_versions(pg_url) == list(range(1, pg_store.POSTGRES_SCHEMA_VERSION + 1))


# ---- several writers ----------------------------------------------------------------------


def test_two_writers_with_the_same_records_store_each_once(pg_url: str) -> None:
    open_store(pg_url).close()
    results = []

    def write() -> None:
        with open_store(pg_url) as store:
            results.append(store.put_batch(fiction.corpus()))

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = sorted(results, key=lambda r: r.skipped)
    assert first.skipped == 0 and second.skipped == len(fiction.corpus())
    with open_store(pg_url) as store:
        assert store.stats().sources == len(fiction.corpus())
        # The exact copy is a source of the wire story, not a second article.
        assert store.stats().articles == len(fiction.corpus()) - 1


def test_a_writer_waits_for_another_then_gives_up_with_a_clear_error(pg_url: str) -> None:
    store = pg_store.PostgresStore(pg_url, timeout=1)
    with store, psycopg.connect(pg_url) as other:
        other.execute("SELECT pg_advisory_lock(%s)", (pg_store._LOCK_WRITE,))
        with pytest.raises(StoreError, match="busy: another rasid process"):
            store.put_batch(fiction.corpus())
        other.execute("SELECT pg_advisory_unlock(%s)", (pg_store._LOCK_WRITE,))
        assert store.stats().sources == 0
        assert store.put_batch(fiction.corpus()).stored == len(fiction.corpus()) - 1


# ---- the arabic snowball stemmer ----------------------------------------------------------


def test_the_snowball_stemmer_finds_forms_the_light_stemmer_keeps_apart(pg_url: str) -> None:
    # «بقصف» keeps its ب for the light stemmer (a lone ب is not split: بوتين، بريطانيا); the
    # snowball stemmer of PostgreSQL's `arabic` configuration takes it off.
    text = (
        "ندد المجلس البلدي في بلدة الواحة الشرقية بقصف استهدف مخازن الحبوب ليلة الأحد، "
        "وطالب رئيسه عماد الفارس بفتح تحقيق في الحادث وتعويض المزارعين المتضررين."
    )
    record = fiction.make_record(
        "oasis-1", text, title="المجلس البلدي يندد", url="https://oasis.example/1",
        published="2024-05-05T10:00:00+03:00",
    )  # fmt: skip
    with open_store(pg_url) as store:
        store.put_batch([record])
        page = store.search(SearchQuery(text="قصف"))
    assert [hit.id for hit in page.hits] == ["oasis-1"]
    hit = page.hits[0]
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["بقصف"]


def test_ranking_puts_a_title_match_first(pg_url: str) -> None:
    with open_store(pg_url) as store:
        store.put_batch(fiction.corpus())
        hits = store.search(SearchQuery(text="حصاد")).hits
    assert hits[0].id == "harvest-1"
    assert hits[0].score > 0


# ---- values PostgreSQL cannot hold as they are ---------------------------------------------


def test_nul_characters_and_odd_values_do_not_break_a_batch(pg_url: str) -> None:
    nul = fiction.make_record(
        "nul-1", "أعلن المجلس\x00 البلدي افتتاح سوق جديدة للخضار في وسط المدينة يوم السبت.",
        title="سوق\x00 جديدة", url="https://oasis.example/nul", published="2024-05-04",
        places=[{"name": "الواحة", "lat": "not a number", "lon": None}],
    )  # fmt: skip
    surrogate = fiction.make_record(
        "bad-utf", "نص فيه محرف \udc80 لا يرمز في UTF-8 وكلمات أخرى كثيرة بعده للاختبار.",
        title="محرف", url="https://oasis.example/bad", published="2024-05-04",
    )  # fmt: skip
    with open_store(pg_url) as store:
        result = store.put_batch([nul, surrogate, fiction.harvest()])
        assert (result.stored, result.failed) == (2, 1)
        stored = store.get("nul-1")
        assert stored["text"] == nul.text  # the record itself keeps every character
        assert store.search(SearchQuery(text="الخضار")).total == 1
        (failure,) = store.failures()
        assert failure.stage == "store" and "oasis.example/bad" in failure.document
        assert store.get("harvest-1") is not None


def giant(words: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    return " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(4, 7))) for _ in range(words)
    )


def test_a_text_too_big_for_one_tsvector_is_stored_and_searchable(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 100,000 mostly distinct words: past what one tsvector holds (1 MB). (The shared suite
    # stores a 200,000-word text of common words.)
    text = "افتتاحية طويلة جدا. " + giant(100_000) + " خاتمة"
    repeated = (fiction.HARVEST + "\n\n") * 500 + "وفي الختام زار الوفد مدينة القيروان."
    records = [
        fiction.make_record("giant-1", text, title="نص عملاق", url="https://x.example/1",
                            published="2024-01-01"),
        fiction.make_record("giant-2", repeated, title="نص مكرر", url="https://x.example/2",
                            published="2024-01-02"),
    ]  # fmt: skip
    with open_store(pg_url) as store:
        # Unbounded, PostgreSQL refuses the giant's tsvector: that record alone fails.
        with monkeypatch.context() as unbounded:
            unbounded.setattr(pg_store, "_INDEX_BUDGET_CHARS", 10**9)
            unbounded.setattr(pg_store, "_INDEX_ORDERED_WORDS", 10**9)
            copy = fiction.make_record(
                "giant-0", text + " نسخة", title="نسخة", url="https://x.example/0",
                published="2024-01-01",
            )  # fmt: skip
            assert store.put_batch([copy]).failed == 1
            assert "too long for tsvector" in store.failures()[0].error

        result = store.put_batch(records)
        assert result.stored == 2
        assert [h.id for h in store.search(SearchQuery(text="افتتاحية")).hits] == ["giant-1"]
        # A word met only once, after the words whose order the tsvector keeps, is found.
        assert [h.id for h in store.search(SearchQuery(text="القيروان")).hits] == ["giant-2"]
        assert store.get("giant-1")["text"] == text
