"""The embedded store: one SQLite file, FTS5 for Arabic search, WAL, one transaction per batch.

Tables (schema version in ``PRAGMA user_version``, migrated in place on open):

* ``articles``: one row per distinct text, the full record (zlib-compressed JSON), and the
  columns filters need (site, day, story) with their indexes;
* ``sources``: every record id that carried an article's text (exact duplicates), itself
  included; this is what resume and ``get(id)`` look ids up in;
* ``search``: a contentless FTS5 table over the light-stemmed title and body
  (``rasid.store.text``), rowid = article rowid, BM25-ranked, with a ``tags`` column holding
  each article's filter values as terms (site, day/month/year, event types, entities), so a
  filtered search is one full-text query;
* ``blocks``, ``entities`` (canonical) + ``aliases`` + ``entity_articles`` + ``mentions``,
  ``quotes``, ``events``, ``places``, ``dates``; the listings carry their article's ``day``
  (indexed in the order the desk lists them) and ``entity_days`` holds each entity's mentions
  per day;
* ``signatures`` + ``bands`` (MinHash and LSH keys, ``rasid.dedup``) and ``stories`` (one row
  per story cluster with its size and dates, so the largest stories need no scan);
* ``failures``: documents that could not be processed (document, stage, error, time).
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from rasid.arabic.normalize import normalize
from rasid.dedup import (
    FORMAT,
    MAX_CANDIDATES,
    Fingerprint,
    article_keys,
    fingerprint,
    headline,
    hours_apart,
    same_story,
    text_key,
)
from rasid.model import Record
from rasid.store import base
from rasid.store import rows as shared
from rasid.store.base import SCHEMA_VERSION, Store, StoreError
from rasid.store.text import (
    day_range_tags,
    entity_tag,
    filter_tags,
    index_forms,
    parse_query,
    site_tag,
    snippet,
    type_tag,
)

__all__ = ["SQLITE_SCHEMA_VERSION", "SqliteStore"]

_FACET_LIMIT = 20
# A query's matches beyond the newest 10,000 are neither counted nor ranked: the exact count
# of a common word, or a BM25 score for each of its matches, would cost a second on 1M
# articles, and a page must cost the same on any base size.
_COUNT_CAP = 10_000
# Facets look up each match's site, events and entities: beyond this many matches they are
# counted over the most recently stored ones (10,000 lookups cost more than the whole page).
_FACET_WINDOW = 2_000
_EXPORT_CHUNK = 500
# The day an event is filtered on: its own date, else its article's (``events_when``).
_EVENT_DAY = "coalesce(substr(t.date, 1, 10), t.day)"
# A date range holding at most this many events is read by date and sorted.
_DATE_WINDOW = 5_000

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    text_key TEXT NOT NULL,
    title TEXT,
    url TEXT,
    site TEXT,
    published TEXT,
    day TEXT,
    lang TEXT,
    story TEXT NOT NULL,
    record BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_text_key ON articles(text_key);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story);
CREATE INDEX IF NOT EXISTS articles_site_day ON articles(site, day);
CREATE INDEX IF NOT EXISTS articles_day ON articles(day);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY,
    article INTEGER NOT NULL,
    url TEXT,
    site TEXT,
    path TEXT,
    format TEXT,
    title TEXT,
    published TEXT,
    added TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_article ON sources(article);
CREATE TABLE IF NOT EXISTS blocks (
    article INTEGER NOT NULL, n INTEGER NOT NULL, kind TEXT, start INTEGER, "end" INTEGER,
    PRIMARY KEY (article, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    norm TEXT NOT NULL,
    type TEXT,
    en TEXT,
    mentions INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS entities_rank ON entities(articles DESC);
CREATE INDEX IF NOT EXISTS entities_type_rank ON entities(type, articles DESC);
CREATE INDEX IF NOT EXISTS entities_norm ON entities(norm);
CREATE TABLE IF NOT EXISTS aliases (
    entity TEXT NOT NULL, norm TEXT NOT NULL, text TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (entity, norm)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aliases_norm ON aliases(norm);
CREATE TABLE IF NOT EXISTS entity_articles (
    entity TEXT NOT NULL, article INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (entity, article)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_articles_article ON entity_articles(article);
CREATE TABLE IF NOT EXISTS mentions (
    article INTEGER NOT NULL, n INTEGER NOT NULL, entity TEXT NOT NULL, type TEXT,
    text TEXT, start INTEGER, "end" INTEGER,
    PRIMARY KEY (article, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quotes (
    rowid INTEGER PRIMARY KEY,
    article INTEGER NOT NULL, n INTEGER NOT NULL,
    speaker_norm TEXT, speaker_entity TEXT, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_norm);
CREATE INDEX IF NOT EXISTS quotes_entity ON quotes(speaker_entity);
CREATE TABLE IF NOT EXISTS events (
    rowid INTEGER PRIMARY KEY,
    article INTEGER NOT NULL, n INTEGER NOT NULL,
    type TEXT, actor TEXT, recipient TEXT, location TEXT, date TEXT, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_article ON events(article);
CREATE INDEX IF NOT EXISTS events_type ON events(type, article);
CREATE INDEX IF NOT EXISTS events_actor ON events(actor);
CREATE INDEX IF NOT EXISTS events_recipient ON events(recipient);
CREATE INDEX IF NOT EXISTS events_location ON events(location);
CREATE TABLE IF NOT EXISTS places (
    article INTEGER NOT NULL, n INTEGER NOT NULL, name TEXT, entity TEXT,
    lat REAL, lon REAL, country TEXT, data TEXT NOT NULL,
    PRIMARY KEY (article, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dates (
    article INTEGER NOT NULL, n INTEGER NOT NULL, text TEXT, value TEXT, precision TEXT,
    PRIMARY KEY (article, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS signatures (
    article INTEGER PRIMARY KEY, size INTEGER NOT NULL, sig BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, article INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS bands_key ON bands(key);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    root INTEGER NOT NULL,
    size INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    first_published TEXT,
    last_published TEXT,
    title TEXT
);
CREATE INDEX IF NOT EXISTS stories_size ON stories(size DESC);
CREATE TABLE IF NOT EXISTS failures (
    id TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    stage TEXT NOT NULL,
    error TEXT NOT NULL,
    time TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    title, body, alternates, content='', tokenize='unicode61 remove_diacritics 0'
);
"""


# Version n is reached by running _MIGRATIONS[n - 1] on a base at version n - 1.
def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT first; statements one by one stay in the migration's
    # transaction, so a failed migration leaves the base as it was.
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


# Version 2: sites are counted and listed from the sources (every outlet of a text), which
# needs its own index on a large base; and search ranks with FTS5's built-in ``rank`` (its
# fast path for ORDER BY … LIMIT), set here to BM25 with a headline match worth three body
# matches and an alternate reading worth half of one.
_SCHEMA_V2 = """
CREATE INDEX IF NOT EXISTS sources_site ON sources(site);
INSERT INTO search(search, rank) VALUES ('rank', 'bm25(3.0, 1.0, 0.5)');
"""


def _article_tags(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> dict[int, str]:
    """The ``tags`` of stored articles, rows ``(rowid, site, day)``, from the base's tables."""
    marks = ",".join("?" * len(rows))
    ids = [row[0] for row in rows]
    types: dict[int, list[str]] = {}
    for article, kind in conn.execute(
        f"SELECT article, type FROM events WHERE article IN ({marks})", ids
    ):
        types.setdefault(article, []).append(kind)
    entities: dict[int, list[str]] = {}
    for article, entity in conn.execute(
        f"SELECT article, entity FROM entity_articles WHERE article IN ({marks})", ids
    ):
        entities.setdefault(article, []).append(entity)
    return {
        rowid: filter_tags(site, day, types.get(rowid, ()), entities.get(rowid, ()))
        for rowid, site, day in rows
    }


def _index_filters(conn: sqlite3.Connection) -> None:
    """Version 3: the filters become terms of a fourth FTS column (weight 0 in BM25). A
    contentless FTS5 table can neither gain a column nor have a row rewritten without its
    indexed text, so the index is rebuilt from the stored records, tokenized again: 280 s for
    59,900 articles on a loaded 2-core machine, in the one transaction of the migration."""
    conn.execute(
        "CREATE VIRTUAL TABLE search_v3 USING fts5(title, body, alternates, tags, content='',"
        " tokenize='unicode61 remove_diacritics 0')"
    )
    last = 0
    while True:
        rows = conn.execute(
            "SELECT rowid, site, day, record FROM articles WHERE rowid > ? ORDER BY rowid"
            " LIMIT 500",
            (last,),
        ).fetchall()
        if not rows:
            break
        tags = _article_tags(conn, [row[:3] for row in rows])
        for rowid, _site, _day, blob in rows:
            record = _unpack(blob)
            forms = index_forms(record.get("title"), record.get("text") or "")
            conn.execute(
                "INSERT INTO search_v3(rowid, title, body, alternates, tags) VALUES (?,?,?,?,?)",
                (rowid, forms.title, forms.body, forms.alternates, tags[rowid]),
            )
        last = rows[-1][0]
    conn.execute("DROP TABLE search")
    conn.execute("ALTER TABLE search_v3 RENAME TO search")
    conn.execute("INSERT INTO search(search, rank) VALUES ('rank', 'bm25(3.0, 1.0, 0.5, 0.0)')")
    conn.execute("INSERT INTO search(search) VALUES ('optimize')")


# The analyst's desk lists quotes, events and an entity's articles newest first, and draws an
# entity's mentions per day: the listings carry their article's day so one index gives both
# the filter and the order (a LIMIT then stops after a page, instead of sorting every row);
# ``entity_days`` holds each entity's mentions per day, kept in step by every insert.
_DESK_INDEXES = """
CREATE INDEX IF NOT EXISTS events_day ON events(day DESC, article DESC, n);
CREATE INDEX IF NOT EXISTS events_type_day ON events(type, day DESC, article DESC, n);
CREATE INDEX IF NOT EXISTS events_when ON events(coalesce(substr(date, 1, 10), day));
DROP INDEX IF EXISTS events_type;
CREATE INDEX IF NOT EXISTS quotes_day ON quotes(day DESC, article DESC, n);
CREATE INDEX IF NOT EXISTS quotes_entity_day ON quotes(speaker_entity, day DESC, article DESC, n);
DROP INDEX IF EXISTS quotes_entity;
CREATE INDEX IF NOT EXISTS entity_articles_day ON entity_articles(entity, day DESC, article DESC);
CREATE TABLE IF NOT EXISTS entity_days (
    entity TEXT NOT NULL, day TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (entity, day)
) WITHOUT ROWID;
DELETE FROM entity_days;
INSERT INTO entity_days(entity, day, count)
    SELECT entity, day, sum(count) FROM entity_articles WHERE day IS NOT NULL GROUP BY entity, day
"""


def _desk_indexes(conn: sqlite3.Connection) -> None:
    """Version 4: the listings' ``day`` columns (filled from their articles), their indexes
    and ``entity_days``. Safe to run again on a base that already has any part of it."""
    for table in ("events", "quotes", "entity_articles"):
        if "day" not in [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN day TEXT")
        conn.execute(
            f"UPDATE {table} SET day = (SELECT day FROM articles WHERE rowid = {table}.article)"
        )
    _run_script(conn, _DESK_INDEXES)


def _refingerprint(conn: sqlite3.Connection) -> None:
    """Version 5: signatures of an older ``rasid.dedup.FORMAT`` are recomputed from each
    article's stored text, and the LSH keys with them, the headline's key included (the
    incremental clustering skips a signature it cannot compare, so new articles would never
    join an old article's story).
    Stories already built stay as they are. 500 articles at a time: memory stays bounded."""
    conn.execute("DELETE FROM bands")
    last = 0
    while True:
        rows = conn.execute(
            "SELECT s.article, a.record, a.title FROM signatures s"
            " JOIN articles a ON a.rowid = s.article"
            " WHERE s.article > ? ORDER BY s.article LIMIT 500",
            (last,),
        ).fetchall()
        if not rows:
            break
        gone, updates, bands = shared.refingerprinted(
            [(article, _unpack(blob).get("text") or "", title) for article, blob, title in rows]
        )
        conn.executemany("DELETE FROM signatures WHERE article = ?", [(a,) for a in gone])
        conn.executemany("UPDATE signatures SET size = ?, sig = ? WHERE article = ?", updates)
        conn.executemany("INSERT INTO bands(key, article) VALUES (?,?)", bands)
        last = rows[-1][0]


def _resample(conn: sqlite3.Connection) -> None:
    """Version 6: fingerprints gain their sample of shingle hashes (format rfp3), which
    the pair decision reads containment from. When any stored fingerprint is not of the
    current ``rasid.dedup.FORMAT``, every fingerprint and every LSH key of the base is
    recomputed (the work of version 5, :func:`_refingerprint`); nothing is done when all
    are current (version 5 has just written them, or the base is new)."""
    stale = conn.execute(
        "SELECT 1 FROM signatures WHERE substr(sig, 1, ?) != ? LIMIT 1", (len(FORMAT), FORMAT)
    ).fetchone()
    if stale is not None:
        _refingerprint(conn)


def _opening_keys(conn: sqlite3.Connection) -> None:
    """Version 7: the LSH keys gain each article's opening keys (``rasid.dedup.opening_keys``,
    fingerprint format rfp4), so a rewrite that kept an old article's opening and little else
    is its candidate. The same work as version 6 (:func:`_resample`): a base holding any
    fingerprint not of the current format has all its fingerprints and all its LSH keys
    recomputed, the opening keys among them; its stories stay as they were."""
    _resample(conn)


def _vocabulary(conn: sqlite3.Connection) -> None:
    """Version 8: fingerprints gain their vocabulary (``rasid.dedup.VOCABULARY_WORDS``,
    format rfp5), which tells a rewrite of another report's opening from a later step of
    the story. The same work as version 7 (:func:`_opening_keys`): a base holding any
    fingerprint not of the current format has all its fingerprints and all its LSH keys
    recomputed; its stories stay as they were."""
    _resample(conn)


_MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    lambda conn: _run_script(conn, _SCHEMA_V1),
    lambda conn: _run_script(conn, _SCHEMA_V2),
    _index_filters,
    _desk_indexes,
    _refingerprint,
    _resample,
    _opening_keys,
    _vocabulary,
]
# The SQLite schema's own version (PRAGMA user_version); it grows with _MIGRATIONS.
SQLITE_SCHEMA_VERSION = len(_MIGRATIONS)
assert SQLITE_SCHEMA_VERSION >= SCHEMA_VERSION

_OUR_TABLES = {"meta", "articles", "sources"}


def _explain(error: sqlite3.Error, path: str) -> StoreError:
    """A message a user can act on for the errors that are about the base itself."""
    message = str(error)
    low = message.lower()
    if "locked" in low or "busy" in low:
        text = (
            f"the base {path} is locked by another process (another rasid ingest?); "
            "nothing was written, run again when it has finished"
        )
    elif "not a database" in low or "malformed" in low or "encrypted" in low:
        text = f"{path} is not a readable rasid base (SQLite says: {message})"
    elif "disk is full" in low or "disk i/o" in low:
        text = (
            f"cannot write to {path}: the disk is full ({message}); the batch was rolled back, "
            "free some space and run again to resume"
        )
    elif "unable to open" in low or "readonly" in low or "read-only" in low:
        text = f"cannot open {path} for writing ({message})"
    else:
        text = f"{path}: {message}"
    store_error = StoreError(text)
    store_error.__cause__ = error
    return store_error


def _pack(record: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(record, ensure_ascii=False).encode("utf-8"), 3)


def _unpack(blob: bytes) -> dict[str, Any]:
    return json.loads(zlib.decompress(blob))


class SqliteStore(Store):
    def __init__(self, path: str, *, create: bool = True, timeout: float = 10.0) -> None:
        self.url = self.path = str(path)
        if os.path.isdir(self.path):
            raise StoreError(f"{self.path} is a folder, not a rasid base file")
        if not create and (not os.path.exists(self.path) or os.path.getsize(self.path) == 0):
            # An empty file is no base either: reading must not write a schema into it.
            raise StoreError(f"no base at {self.path}: run `rasid ingest PATH --db {self.path}`")
        try:
            self._conn = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise _explain(error, self.path) from error
        self._closed = False
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a committed batch survives a process kill; only a power cut
            # may lose the last batches, never corrupt the base.
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA temp_store=MEMORY")
            self._conn.execute("PRAGMA cache_size=-65536")
            self._migrate()
        except sqlite3.Error as error:
            self._conn.close()
            raise _explain(error, self.path) from error

    # ---- plumbing --------------------------------------------------------------------------

    def _migrate(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SQLITE_SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer rasid (schema {version}, this one reads "
                f"up to {SQLITE_SCHEMA_VERSION}); upgrade rasid"
            )
        if version == 0:
            tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master")}
            if tables and not tables >= _OUR_TABLES:
                raise StoreError(f"{self.path} is a SQLite file but not a rasid base")
        for target in range(version + 1, SQLITE_SCHEMA_VERSION + 1):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                _MIGRATIONS[target - 1](self._conn)
                self._conn.execute(f"PRAGMA user_version={target}")
                self._conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('migrated', ?)",
                    (shared.now(),),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise _explain(error, self.path) from error
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as error:
            raise _explain(error, self.path) from error

    # ---- writing ---------------------------------------------------------------------------

    def put_batch(self, records: Iterable[Record]) -> base.BatchResult:
        records = list(records)
        result = base.BatchResult()
        if not records:
            return result
        with self._transaction() as conn:
            known = self._known(conn, [r.id for r in records])

            def fail(key: str, document: str, stage: str, error: str) -> None:
                self._failure(conn, key, document, stage, error)

            for record in shared.to_store(records, known, result, fail):
                conn.execute("SAVEPOINT record")
                try:
                    new = self._put_one(conn, record)
                except sqlite3.OperationalError:
                    # Locked, full, I/O: a problem of the base, not of this record.
                    raise
                except Exception as error:
                    conn.execute("ROLLBACK TO record")
                    conn.execute("RELEASE record")
                    self._failure(
                        conn,
                        record.id,
                        record.source.describe(),
                        "store",
                        f"{type(error).__name__}: {error}",
                    )
                    result.failed += 1
                    continue
                conn.execute("RELEASE record")
                shared.count_stored(result, new)
        return result

    def put_failure(self, document: str, stage: str, error: str) -> None:
        with self._transaction() as conn:
            self._failure(conn, f"{stage}:{document}", document, stage, error)

    @staticmethod
    def _failure(conn: sqlite3.Connection, key: str, document: str, stage: str, error: str) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO failures(id, document, stage, error, time) VALUES (?,?,?,?,?)",
            (key, document, stage, error[:2000], shared.now()),
        )

    def _put_one(self, conn: sqlite3.Connection, record: Record) -> bool:
        """Insert one record; True for a new article, False for a new source of a stored one."""
        source = record.source
        key = text_key(record.text)
        row = conn.execute(
            "SELECT rowid, story FROM articles WHERE text_key = ? LIMIT 1", (key,)
        ).fetchone()
        if row is not None:
            self._add_source(conn, row[0], record)
            conn.execute(
                "UPDATE stories SET size = size + 1,"
                " first_published = CASE WHEN first_published IS NULL OR :p < first_published"
                "  THEN coalesce(:p, first_published) ELSE first_published END,"
                " last_published = CASE WHEN last_published IS NULL OR :p > last_published"
                "  THEN coalesce(:p, last_published) ELSE last_published END"
                " WHERE id = :story",
                {"p": record.published, "story": row[1]},
            )
            return False

        forms = index_forms(record.title, record.text)
        fp = fingerprint(record.text, forms.bases)
        data = shared.record_dict(record)
        if fp is not None:
            data["fingerprint"] = fp.hex()
        cursor = conn.execute(
            "INSERT INTO articles(id, text_key, title, url, site, published, day, lang, story,"
            " record) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                record.id,
                key,
                record.title,
                source.url,
                source.site,
                record.published,
                shared.day(record.published),
                record.lang,
                record.id,
                _pack(data),
            ),
        )
        rowid = cursor.lastrowid
        assert rowid is not None
        self._add_source(conn, rowid, record)
        self._cluster(conn, rowid, record, fp)
        tags = filter_tags(
            source.site,
            shared.day(record.published),
            [e.get("type") for e in record.events],
            [shared.entity_id(m) for m in record.entities],
        )
        conn.execute(
            "INSERT INTO search(rowid, title, body, alternates, tags) VALUES (?,?,?,?,?)",
            (rowid, forms.title, forms.body, forms.alternates, tags),
        )
        conn.executemany(
            'INSERT INTO blocks(article, n, kind, start, "end") VALUES (?,?,?,?,?)',
            [(rowid, n, b.kind, b.start, b.end) for n, b in enumerate(record.blocks)],
        )
        self._put_entities(conn, rowid, shared.day(record.published), record.entities)
        self._put_layers(conn, rowid, record)
        return True

    @staticmethod
    def _add_source(conn: sqlite3.Connection, rowid: int, record: Record) -> None:
        s = record.source
        conn.execute(
            "INSERT INTO sources(id, article, url, site, path, format, title, published, added)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            (
                record.id,
                rowid,
                s.url,
                s.site,
                s.path,
                s.format,
                record.title,
                record.published,
                shared.now(),
            ),
        )

    def _cluster(
        self, conn: sqlite3.Connection, rowid: int, record: Record, fp: Fingerprint | None
    ) -> None:
        """Join the story of every stored near-duplicate (merging them), or start one."""
        stories: set[str] = set()
        if fp is not None:
            mine = headline(record.title)
            keys = article_keys(fp, mine)
            marks = ",".join("?" * len(keys))
            candidates = conn.execute(
                f"SELECT s.article, s.size, s.sig, a.story, a.title, a.published FROM signatures s"
                f" JOIN articles a ON a.rowid = s.article WHERE s.article IN"
                f" (SELECT DISTINCT article FROM bands WHERE key IN ({marks})"
                f"  ORDER BY article DESC LIMIT {MAX_CANDIDATES})",
                keys,
            ).fetchall()
            for _, size, sig, story, title, when in candidates:
                # None: an older format (opening the base re-fingerprints it: _refingerprint)
                other = Fingerprint.from_bytes(bytes(sig), size)
                if story in stories or other is None:
                    continue
                apart = hours_apart(record.published, when)
                if same_story(fp, other, headlines=(mine, headline(title)), apart=apart):
                    stories.add(story)
            conn.execute(
                "INSERT INTO signatures(article, size, sig) VALUES (?,?,?)",
                (rowid, fp.size, fp.to_bytes()),
            )
            conn.executemany(
                "INSERT INTO bands(key, article) VALUES (?,?)", [(k, rowid) for k in keys]
            )
        if not stories:
            conn.execute(
                "INSERT INTO stories(id, root, size, articles, first_published, last_published,"
                " title) VALUES (?,?,1,1,?,?,?)",
                (record.id, rowid, record.published, record.published, record.title),
            )
            return
        # The oldest story absorbs the others, so story ids stay stable as clusters grow.
        rows = conn.execute(
            f"SELECT id, root, size, articles, first_published, last_published FROM stories"
            f" WHERE id IN ({','.join('?' * len(stories))}) ORDER BY root",
            sorted(stories),
        ).fetchall()
        keep, size, articles, first, last = shared.merged_story(rows, record.published)
        for other in rows[1:]:
            conn.execute("UPDATE articles SET story = ? WHERE story = ?", (keep, other[0]))
            conn.execute("DELETE FROM stories WHERE id = ?", (other[0],))
        conn.execute(
            "UPDATE stories SET size = ?, articles = ?, first_published = ?, last_published = ?"
            " WHERE id = ?",
            (size, articles, first, last, keep),
        )
        conn.execute("UPDATE articles SET story = ? WHERE rowid = ?", (keep, rowid))

    @staticmethod
    def _put_entities(
        conn: sqlite3.Connection, rowid: int, day: str | None, mentions: list[dict[str, Any]]
    ) -> None:
        counted = shared.tally(mentions)
        conn.executemany(
            'INSERT INTO mentions(article, n, entity, type, text, start, "end")'
            " VALUES (?,?,?,?,?,?,?)",
            [
                (rowid, n, eid, m.get("type"), text, m.get("start"), m.get("end"))
                for n, eid, text, m in counted.mentions
            ],
        )
        for eid, count in counted.per_entity.items():
            name, etype, en = counted.info[eid]
            conn.execute(
                "INSERT INTO entities(id, name, norm, type, en, mentions, articles)"
                " VALUES (?,?,?,?,?,?,1) ON CONFLICT(id) DO UPDATE SET"
                " mentions = mentions + excluded.mentions, articles = articles + 1,"
                " en = coalesce(en, excluded.en)",
                (eid, name, normalize(name), etype, en, count),
            )
            conn.execute(
                "INSERT INTO entity_articles(entity, article, count, day) VALUES (?,?,?,?)",
                (eid, rowid, count, day),
            )
            if day is not None:
                conn.execute(
                    "INSERT INTO entity_days(entity, day, count) VALUES (?,?,?)"
                    " ON CONFLICT(entity, day) DO UPDATE SET count = count + excluded.count",
                    (eid, day, count),
                )
        for (eid, norm), count in counted.aliases.items():
            conn.execute(
                "INSERT INTO aliases(entity, norm, text, count) VALUES (?,?,?,?)"
                " ON CONFLICT(entity, norm) DO UPDATE SET count = count + excluded.count",
                (eid, norm, counted.surface[(eid, norm)], count),
            )

    @staticmethod
    def _put_layers(conn: sqlite3.Connection, rowid: int, record: Record) -> None:
        day = shared.day(record.published)
        quotes = []
        for n, q in enumerate(record.quotes):
            name, entity = shared.speaker(q)
            quotes.append(
                (
                    rowid,
                    n,
                    normalize(name) if name else None,
                    entity,
                    json.dumps(q, ensure_ascii=False),
                    day,
                )
            )
        conn.executemany(
            "INSERT INTO quotes(article, n, speaker_norm, speaker_entity, data, day)"
            " VALUES (?,?,?,?,?,?)",
            quotes,
        )
        events = []
        for n, e in enumerate(record.events):
            events.append(
                (rowid, n, *shared.event_columns(e), json.dumps(e, ensure_ascii=False), day)
            )
        conn.executemany(
            "INSERT INTO events(article, n, type, actor, recipient, location, date, data, day)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            events,
        )
        conn.executemany(
            "INSERT INTO places(article, n, name, entity, lat, lon, country, data)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [
                (
                    rowid,
                    n,
                    p.get("name"),
                    p.get("entity"),
                    p.get("lat"),
                    p.get("lon"),
                    p.get("country"),
                    json.dumps(p, ensure_ascii=False),
                )
                for n, p in enumerate(record.places)
            ],
        )
        conn.executemany(
            "INSERT INTO dates(article, n, text, value, precision) VALUES (?,?,?,?,?)",
            [
                (rowid, n, d.get("text"), d.get("value"), d.get("precision"))
                for n, d in enumerate(record.dates)
            ],
        )

    # ---- resume ----------------------------------------------------------------------------

    @staticmethod
    def _known(conn: sqlite3.Connection, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in conn.execute(
                    f"SELECT id FROM sources WHERE id IN ({marks})"
                    f" UNION SELECT id FROM failures WHERE id IN ({marks})",
                    chunk + chunk,
                )
            )
        return found

    def has(self, record_id: str) -> bool:
        return bool(self.known_ids([record_id]))

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        try:
            return self._known(self._conn, list(ids))
        except sqlite3.Error as error:
            raise _explain(error, self.path) from error

    # ---- reading ---------------------------------------------------------------------------

    def _record(self, rowid: int, blob: bytes, story: str) -> dict[str, Any]:
        record = _unpack(blob)
        record["story"] = story
        record["sources"] = [
            shared.source(r)
            for r in self._read(
                "SELECT id, url, site, path, format, title, published FROM sources"
                " WHERE article = ? ORDER BY coalesce(published, ''), added, id",
                (rowid,),
            )
        ]
        return record

    def get(self, record_id: str) -> dict[str, Any] | None:
        rows = self._read(
            "SELECT a.rowid, a.record, a.story FROM sources s JOIN articles a"
            " ON a.rowid = s.article WHERE s.id = ?",
            (record_id,),
        )
        if not rows:
            return None
        return self._record(*rows[0])

    def _entity_ids(self, name: str) -> list[str]:
        norm = normalize(name)
        rows = self._read(
            "SELECT id FROM entities WHERE id = ? OR norm = ?"
            " UNION SELECT entity FROM aliases WHERE norm = ?",
            (name, norm, norm),
        )
        return [r[0] for r in rows]

    def _filters(self, query: base.SearchQuery) -> tuple[list[str], list[Any]]:
        """SQL conditions on ``articles a`` for the query's filters (all index-backed)."""
        where, params = shared.common_filters(query, "?")
        if query.entity:
            ids = self._entity_ids(query.entity) or ["\x00none"]
            where.append(
                f"a.rowid IN (SELECT article FROM entity_articles WHERE entity IN"
                f" ({','.join('?' * len(ids))}))"
            )
            params.extend(ids)
        if query.type:
            where.append("a.rowid IN (SELECT article FROM events WHERE type = ?)")
            params.append(query.type)
        return where, params

    def _bound_day(self, last: bool) -> str | None:
        """The first (or last) full publication day in the base (an index seek)."""
        rows = self._read(
            "SELECT day FROM articles WHERE day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
            f" ORDER BY day {'DESC' if last else ''} LIMIT 1"
        )
        return rows[0][0] if rows else None

    def _tag_filters(self, query: base.SearchQuery) -> tuple[list[str], base.SearchQuery] | None:
        """FTS5 expressions on the ``tags`` column for the filters the index holds, and the
        query left with the filters still to check in SQL (a story; a date bound that is not a
        full date). None when the filters match nothing."""
        terms: list[str] = []
        done: dict[str, None] = {}
        if query.site:
            terms.append(site_tag(query.site))
            done["site"] = None
        if query.type:
            terms.append(type_tag(query.type))
            done["type"] = None
        if query.entity:
            ids = self._entity_ids(query.entity)
            if not ids:
                return None
            terms.append("(" + " OR ".join(entity_tag(i) for i in ids) + ")")
            done["entity"] = None
        if query.date_from or query.date_to:
            # An open end is the base's first or last day: a few year terms at most.
            starts = [d for d in [(query.date_from or "")[:10], self._bound_day(False)] if d]
            ends = [d for d in [(query.date_to or "")[:10], self._bound_day(True)] if d]
            days = day_range_tags(max(starts), min(ends)) if starts and ends else []
            if days == []:
                return None
            if days is not None:
                terms.append("(" + " OR ".join(days) + ")")
                done["date_from"] = done["date_to"] = None
        return terms, replace(query, **done)

    def _selection(
        self, query: base.SearchQuery, *, ranked: bool = True
    ) -> tuple[str, str, list[Any]]:
        """SQL selecting ``(rowid, score)`` of every match (``rowid`` alone when not
        ``ranked``: BM25 is most of the cost of a full-text match, and counts need none of
        it), the ORDER BY that ranks them (best first; newest first without query words), and
        the parameters."""
        nothing = "SELECT rowid FROM articles WHERE 0", "", []
        parsed = parse_query(query.text)
        if parsed:
            # The filters are terms of the same index (FTS5 intersects their doclists with the
            # words'); only a story filter is checked row by row, with the full-text match as
            # the outer loop (CROSS JOIN): the other order, each filtered article probing the
            # index by rowid, costs seconds on a large base. Ranked by FTS5's own rank (BM25
            # with the column weights set in the schema).
            tagged = self._tag_filters(query)
            if tagged is None:
                return nothing
            tags, rest = tagged
            # No query word can be a tag term (``rasid.store.text.filter_tags``), so neither
            # side needs a column filter (which would cost a position-list check per match).
            match = " AND ".join([parsed.fts5(), *tags])
            where, params = self._filters(rest)
            if not where:
                score = ", rank AS score" if ranked else ""
                sql = f"SELECT rowid{score} FROM search WHERE search MATCH ?"
                return sql, " ORDER BY rank", [match]
            score = ", search.rank AS score" if ranked else ""
            sql = (
                f"SELECT search.rowid{score} FROM search"
                " CROSS JOIN articles a ON a.rowid = search.rowid WHERE search MATCH ? AND "
                + " AND ".join(where)
            )
            return sql, " ORDER BY search.rank", [match, *params]
        if query.text.strip():
            # Only punctuation: nothing can match.
            return nothing
        where, params = self._filters(query)
        sql = (
            "SELECT a.rowid, 0.0 AS score FROM articles a"
            if ranked
            else "SELECT a.rowid FROM articles a"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, " ORDER BY a.day DESC, a.rowid DESC", params

    def search(self, query: base.SearchQuery) -> base.SearchPage:
        sql, order, params = self._selection(query)
        # The matches without their scores, for the facets (and the count of a listing).
        ids = self._selection(query, ranked=False)[0]
        # The most recently stored matches first (FTS5 walks its doclists backwards and stops).
        newest = order.removeprefix(" ORDER BY ")
        window = _COUNT_CAP + 1
        rows: list[tuple[Any, ...]] = []
        if order.endswith("rank"):
            # One statement ranks the newest matches and counts them: a separate count would
            # intersect the doclists a second time. The one match read past the cap only says
            # that there are more; it is not ranked.
            newest = newest.removesuffix("rank") + "rowid DESC"
            rows = self._read(
                f"SELECT rowid, score, n FROM (SELECT rowid, score, count(*) OVER () AS n,"
                f" min(rowid) OVER () AS oldest FROM ({sql} ORDER BY {newest} LIMIT {window}))"
                f" WHERE n <= {_COUNT_CAP} OR rowid > oldest"
                " ORDER BY score, rowid DESC LIMIT ? OFFSET ?",
                [*params, query.limit, query.offset],
            )
        if rows:
            total = rows[0][2]
        else:
            # A listing without query words, or a page past the last match.
            total = self._read(f"SELECT count(*) FROM ({ids} LIMIT {window})", params)[0][0]
            if not order.endswith("rank"):
                rows = self._read(
                    f"{sql}{order} LIMIT ? OFFSET ?", [*params, query.limit, query.offset]
                )
        total_exact = total <= _COUNT_CAP
        total = min(total, _COUNT_CAP)
        keys = parse_query(query.text).keys
        hits = []
        for rowid, score, *_ in rows:
            blob, story, url, site = self._read(
                "SELECT record, story, url, site FROM articles WHERE rowid = ?", (rowid,)
            )[0]
            record = _unpack(blob)
            passage, spans = snippet(record.get("text") or "", keys)
            hits.append(shared.hit(record, passage, spans, -float(score), site, url, story))
        facets: dict[str, list[tuple[str, int]]] = {}
        facets_exact = total <= _FACET_WINDOW
        if query.facets:
            inner = f"SELECT rowid FROM ({ids})"
            if not facets_exact:
                inner = f"SELECT rowid FROM ({ids} ORDER BY {newest} LIMIT {_FACET_WINDOW})"
            facets["site"] = self._facet(
                f"SELECT site, count(*) FROM articles WHERE rowid IN ({inner})"
                " AND site IS NOT NULL GROUP BY site",
                params,
            )
            facets["type"] = self._facet(
                f"SELECT type, count(DISTINCT article) FROM events WHERE article IN ({inner})"
                " AND type IS NOT NULL GROUP BY type",
                params,
            )
            facets["entity"] = self._facet(
                f"SELECT e.name, count(*) FROM entity_articles ea JOIN entities e"
                f" ON e.id = ea.entity WHERE ea.article IN ({inner}) GROUP BY ea.entity",
                params,
            )
        return base.SearchPage(
            hits=hits,
            total=total,
            offset=query.offset,
            limit=query.limit,
            facets=facets,
            total_exact=total_exact,
            facets_exact=facets_exact or not query.facets,
        )

    def _facet(self, sql: str, params: list[Any]) -> list[tuple[str, int]]:
        return [
            (r[0], r[1])
            for r in self._read(f"{sql} ORDER BY 2 DESC, 1 LIMIT {_FACET_LIMIT}", params)
        ]

    def entities(
        self, type: str | None = None, top: int = 50, offset: int = 0
    ) -> list[base.EntitySummary]:
        cols = "id, name, type, en, mentions, articles"
        if type:
            rows = self._read(
                f"SELECT {cols} FROM entities WHERE type = ? ORDER BY articles DESC, id"
                " LIMIT ? OFFSET ?",
                (type, top, offset),
            )
        else:
            rows = self._read(
                f"SELECT {cols} FROM entities ORDER BY articles DESC, id LIMIT ? OFFSET ?",
                (top, offset),
            )
        return [shared.entity_summary(r) for r in rows]

    def entity(self, entity: str) -> base.EntityDetail | None:
        ids = self._entity_ids(entity)
        if not ids:
            return None
        cols = "id, name, type, en, mentions, articles"
        row = self._read(
            f"SELECT {cols} FROM entities WHERE id IN ({','.join('?' * len(ids))})"
            " ORDER BY articles DESC LIMIT 1",
            ids,
        )[0]
        summary = shared.entity_summary(row)
        eid = summary.id
        aliases = [
            (r[0], r[1])
            for r in self._read(
                "SELECT text, count FROM aliases WHERE entity = ? ORDER BY count DESC", (eid,)
            )
        ]
        timeline = [
            (r[0], r[1])
            for r in self._read(
                "SELECT day, count FROM entity_days WHERE entity = ? ORDER BY day", (eid,)
            )
        ]
        # Co-mentions are counted over the entity's newest articles (``shared.CO_WINDOW``).
        # The top 20 are picked before their names are looked up (20 lookups, not one a row).
        co = self._read(
            f"SELECT e.{cols.replace(', ', ', e.')}, co.together FROM"
            " (SELECT other.entity AS entity, count(*) AS together"
            "  FROM (SELECT article FROM entity_articles WHERE entity = ?"
            "   ORDER BY day DESC, article DESC LIMIT ?) mine"
            "  JOIN entity_articles other ON other.article = mine.article AND other.entity != ?"
            "  GROUP BY other.entity ORDER BY together DESC, other.entity LIMIT 20) co"
            " JOIN entities e ON e.id = co.entity ORDER BY co.together DESC, e.id",
            (eid, shared.CO_WINDOW, eid),
        )
        articles = [
            shared.article_link(r)
            for r in self._read(
                "SELECT a.id, a.title, a.site, a.published, a.story FROM entity_articles ea"
                " JOIN articles a ON a.rowid = ea.article WHERE ea.entity = ?"
                " ORDER BY ea.day DESC, ea.article DESC LIMIT 20",
                (eid,),
            )
        ]
        return base.EntityDetail(
            entity=summary,
            aliases=aliases,
            timeline=timeline,
            co_mentioned=[(shared.entity_summary(r[:6]), r[6]) for r in co],
            articles=articles,
            co_mentioned_exact=summary.articles <= shared.CO_WINDOW,
        )

    def _layer_rows(
        self,
        table: str,
        where: list[str],
        params: list[Any],
        limit: int,
        offset: int,
        sides: list[tuple[str | None, list[str], list[Any]]] | None = None,
    ) -> list[dict[str, Any]]:
        """A page of quotes or events newest first, under the conditions ``where``. With
        ``sides`` (index hint, conditions, parameters), the union of those disjoint parts,
        each read in the listing's order and merged."""
        cols = "t.data, a.id, a.title, a.site, a.published, a.story"
        if not sides:
            sql = f"SELECT {cols} FROM {table} t JOIN articles a ON a.rowid = t.article"
            if where:
                sql += " WHERE " + " AND ".join(where)
            # The listing's own copy of the article's day: its index gives filter and order.
            sql += " ORDER BY t.day DESC, t.article DESC, t.n LIMIT ? OFFSET ?"
            args = [*params, limit, offset]
        else:
            parts, args = [], []
            for index, more, more_params in sides:
                hint = f" INDEXED BY {index}" if index else ""
                parts.append(
                    f"SELECT {cols}, t.day AS d, t.article AS ar, t.n AS nn FROM {table} t{hint}"
                    " JOIN articles a ON a.rowid = t.article WHERE " + " AND ".join([*where, *more])
                )
                args += [*params, *more_params]
            sql = " UNION ALL ".join(parts) + " ORDER BY d DESC, ar DESC, nn LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [shared.layer_item(json.loads(row[0]), *row[1:6]) for row in self._read(sql, args)]

    def quotes(self, query: base.QuoteQuery) -> list[dict[str, Any]]:
        where: list[str] = []
        params: list[Any] = []
        if query.speaker:
            ids = self._entity_ids(query.speaker)
            cond = "t.speaker_norm = ?"
            params.append(normalize(query.speaker))
            if ids:
                cond += f" OR t.speaker_entity IN ({','.join('?' * len(ids))})"
                params.extend(ids)
            where.append(f"({cond})")
        if query.entity:
            where.append("t.speaker_entity = ?")
            params.append(query.entity)
        if query.story:
            where.append("a.story = ?")
            params.append(query.story)
        if query.article:
            where.append("t.article = (SELECT article FROM sources WHERE id = ?)")
            params.append(query.article)
        return self._layer_rows("quotes", where, params, query.limit, query.offset)

    def events(self, query: base.EventQuery) -> list[dict[str, Any]]:
        where: list[str] = []
        params: list[Any] = []
        if query.type:
            where.append("t.type = ?")
            params.append(query.type)
        for column, value in (
            ("actor", query.actor),
            ("recipient", query.recipient),
            ("location", query.location),
        ):
            if value:
                names = [normalize(value), *self._entity_ids(value)]
                where.append(f"t.{column} IN ({','.join('?' * len(names))})")
                params.extend(names)
        more, more_params = shared.common_filters(replace(query, date_from=None, date_to=None), "?")
        where += more
        params += more_params
        sides = self._date_sides(query)
        return self._layer_rows("events", where, params, query.limit, query.offset, sides)

    def _date_sides(
        self, query: base.EventQuery
    ) -> list[tuple[str | None, list[str], list[Any]]] | None:
        """How to read the events of a date range (on ``_EVENT_DAY``), as the parts of
        :meth:`_layer_rows`, from two looks at the index: a range of few events is read by
        date and sorted; one that fills a page among the newest events is walked newest
        first; any other is read as its undated events (their day is the article's: walked
        newest first within the range) merged with its dated ones (read by date, sorted)."""
        bounds = [(op, d[:10]) for op, d in ((">=", query.date_from), ("<=", query.date_to)) if d]
        if not bounds:
            return None
        days = [d for _, d in bounds]

        def within(expr: str) -> list[str]:
            return [f"{expr} {op} ?" for op, _ in bounds]

        inside = " AND ".join(within(_EVENT_DAY.replace("t.", "")))
        found = self._read(
            f"SELECT count(*) FROM (SELECT 1 FROM events INDEXED BY events_when WHERE {inside}"
            f" LIMIT {_DATE_WINDOW + 1})",
            days,
        )[0][0]
        if found <= _DATE_WINDOW:
            return [("events_when", within(_EVENT_DAY), days)]
        # ``+t.day`` keeps the planner off events_when, on the newest-first day index.
        walked = within(_EVENT_DAY.replace("t.day", "+t.day"))
        newest = self._read(
            f"SELECT count(*) FROM (SELECT date, day FROM events ORDER BY day DESC, article DESC"
            f" LIMIT {_DATE_WINDOW}) WHERE {inside}",
            days,
        )[0][0]
        if newest >= query.offset + query.limit:
            return [(None, walked, days)]
        return [
            (None, ["t.date IS NULL", *within("t.day")], days),
            ("events_when", ["t.date IS NOT NULL", *within(_EVENT_DAY)], days),
        ]

    def _story_rows(self, rows: list[tuple[Any, ...]]) -> list[base.StorySummary]:
        out = []
        for row in rows:
            sites = [
                r[0]
                for r in self._read(
                    "SELECT s.site FROM articles a JOIN sources s ON s.article = a.rowid"
                    " WHERE a.story = ? AND s.site IS NOT NULL GROUP BY s.site"
                    " ORDER BY min(coalesce(s.published, ''))",
                    (row[0],),
                )
            ]
            out.append(shared.story_summary(row, sites))
        return out

    def stories(self, top: int = 20, offset: int = 0, min_size: int = 2) -> list[base.StorySummary]:
        return self._story_rows(
            self._read(
                "SELECT id, size, first_published, last_published, title FROM stories"
                " WHERE size >= ? ORDER BY size DESC, root LIMIT ? OFFSET ?",
                (min_size, top, offset),
            )
        )

    def story(self, story_id: str) -> base.StoryDetail | None:
        rows = self._read(
            "SELECT id, size, first_published, last_published, title FROM stories WHERE id = ?",
            (story_id,),
        )
        if not rows:
            return None
        members = [
            shared.story_member(r)
            for r in self._read(
                "SELECT s.id, s.title, s.site, s.url, s.published, a.id FROM articles a"
                " JOIN sources s ON s.article = a.rowid WHERE a.story = ?"
                " ORDER BY coalesce(s.published, ''), s.added, s.id",
                (story_id,),
            )
        ]
        return base.StoryDetail(story=self._story_rows(rows)[0], members=members)

    def stats(self) -> base.Stats:
        def count(sql: str) -> int:
            return int(self._read(sql)[0][0] or 0)

        return base.Stats(
            articles=count("SELECT count(*) FROM articles"),
            sources=count("SELECT count(*) FROM sources"),
            sites=count("SELECT count(DISTINCT site) FROM sources"),
            entities=count("SELECT count(*) FROM entities"),
            mentions=count("SELECT count(*) FROM mentions"),
            quotes=count("SELECT count(*) FROM quotes"),
            events=count("SELECT count(*) FROM events"),
            places=count("SELECT count(*) FROM places"),
            dates=count("SELECT count(*) FROM dates"),
            stories=count("SELECT count(*) FROM stories WHERE size >= 2"),
            clustered=count("SELECT coalesce(sum(articles), 0) FROM stories WHERE articles >= 2"),
            failures=count("SELECT count(*) FROM failures"),
        )

    def failures(self, limit: int = 100) -> list[base.Failure]:
        return [
            shared.failure(r)
            for r in self._read(
                "SELECT document, stage, error, time FROM failures ORDER BY time DESC, id LIMIT ?",
                (limit,),
            )
        ]

    def export_records(self, query: base.SearchQuery | None = None) -> Iterator[dict[str, Any]]:
        if query is None:
            last = 0
            while True:
                rows = self._read(
                    "SELECT rowid, record, story FROM articles WHERE rowid > ?"
                    " ORDER BY rowid LIMIT ?",
                    (last, _EXPORT_CHUNK),
                )
                if not rows:
                    return
                for row in rows:
                    yield self._record(*row)
                last = rows[-1][0]
        sql, order, params = self._selection(query)
        # Only the rowids are held (8 bytes each); records are read chunk by chunk.
        rowids = [r[0] for r in self._read(sql + order, params)]
        for i in range(0, len(rowids), _EXPORT_CHUNK):
            chunk = rowids[i : i + _EXPORT_CHUNK]
            found = {
                r[0]: r
                for r in self._read(
                    f"SELECT rowid, record, story FROM articles WHERE rowid IN"
                    f" ({','.join('?' * len(chunk))})",
                    chunk,
                )
            }
            for rowid in chunk:
                yield self._record(*found[rowid])

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._conn.close()
