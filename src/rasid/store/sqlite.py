"""The embedded store: one SQLite file, FTS5 for Arabic search, WAL, one transaction per batch.

Tables (schema version in ``PRAGMA user_version``, migrated in place on open):

* ``articles``: one row per distinct text, the full record (zlib-compressed JSON), and the
  columns filters need (site, day, story) with their indexes;
* ``sources``: every record id that carried an article's text (exact duplicates), itself
  included; this is what resume and ``get(id)`` look ids up in;
* ``search``: a contentless FTS5 table over the light-stemmed title and body
  (``rasid.store.text``), rowid = article rowid, BM25-ranked;
* ``blocks``, ``entities`` (canonical) + ``aliases`` + ``entity_articles`` + ``mentions``,
  ``quotes``, ``events``, ``places``, ``dates``;
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
from typing import Any

from rasid.arabic.normalize import normalize
from rasid.dedup import Fingerprint, band_keys, fingerprint, same_story, text_key
from rasid.model import Record
from rasid.store import base
from rasid.store import rows as shared
from rasid.store.base import SCHEMA_VERSION, Store, StoreError
from rasid.store.text import index_forms, parse_query, snippet

__all__ = ["SQLITE_SCHEMA_VERSION", "SqliteStore"]

# Near-duplicate candidates examined per new article: a band key shared by thousands of
# templated items must not make one insert slow.
_MAX_CANDIDATES = 200
_FACET_LIMIT = 20
_COUNT_CAP = 10_000
_RANK_WINDOW = 10_000
_EXPORT_CHUNK = 500

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

_MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    lambda conn: _run_script(conn, _SCHEMA_V1),
    lambda conn: _run_script(conn, _SCHEMA_V2),
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
        if not create and not os.path.exists(self.path):
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
        conn.execute(
            "INSERT INTO search(rowid, title, body, alternates) VALUES (?,?,?,?)",
            (rowid, forms.title, forms.body, forms.alternates),
        )
        conn.executemany(
            'INSERT INTO blocks(article, n, kind, start, "end") VALUES (?,?,?,?,?)',
            [(rowid, n, b.kind, b.start, b.end) for n, b in enumerate(record.blocks)],
        )
        self._put_entities(conn, rowid, record.entities)
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
            keys = band_keys(fp)
            marks = ",".join("?" * len(keys))
            candidates = conn.execute(
                f"SELECT s.article, s.size, s.sig, a.story FROM signatures s"
                f" JOIN articles a ON a.rowid = s.article WHERE s.article IN"
                f" (SELECT DISTINCT article FROM bands WHERE key IN ({marks})"
                f"  ORDER BY article DESC LIMIT {_MAX_CANDIDATES})",
                keys,
            ).fetchall()
            for _, size, sig, story in candidates:
                if story not in stories and same_story(fp, Fingerprint.from_bytes(sig, size)):
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
    def _put_entities(conn: sqlite3.Connection, rowid: int, mentions: list[dict[str, Any]]) -> None:
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
                "INSERT INTO entity_articles(entity, article, count) VALUES (?,?,?)",
                (eid, rowid, count),
            )
        for (eid, norm), count in counted.aliases.items():
            conn.execute(
                "INSERT INTO aliases(entity, norm, text, count) VALUES (?,?,?,?)"
                " ON CONFLICT(entity, norm) DO UPDATE SET count = count + excluded.count",
                (eid, norm, counted.surface[(eid, norm)], count),
            )

    @staticmethod
    def _put_layers(conn: sqlite3.Connection, rowid: int, record: Record) -> None:
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
                )
            )
        conn.executemany(
            "INSERT INTO quotes(article, n, speaker_norm, speaker_entity, data) VALUES (?,?,?,?,?)",
            quotes,
        )
        events = []
        for n, e in enumerate(record.events):
            events.append((rowid, n, *shared.event_columns(e), json.dumps(e, ensure_ascii=False)))
        conn.executemany(
            "INSERT INTO events(article, n, type, actor, recipient, location, date, data)"
            " VALUES (?,?,?,?,?,?,?,?)",
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

    def _selection(self, query: base.SearchQuery) -> tuple[str, str, list[Any]]:
        """SQL selecting ``(rowid, score)`` of every match, the ORDER BY that ranks them (best
        first; newest first without query words), and the parameters."""
        where, params = self._filters(query)
        parsed = parse_query(query.text)
        if parsed:
            # FTS5's own rank (bm25 with the column weights set in the schema). With filters,
            # CROSS JOIN keeps the full-text match as the outer loop: the other order (each
            # filtered article probing the FTS index by rowid) costs seconds on a large base.
            if not where:
                sql = "SELECT rowid, rank AS score FROM search WHERE search MATCH ?"
                return sql, " ORDER BY rank", [parsed.fts5()]
            sql = (
                "SELECT search.rowid, search.rank AS score FROM search"
                " CROSS JOIN articles a ON a.rowid = search.rowid WHERE search MATCH ? AND "
                + " AND ".join(where)
            )
            return sql, " ORDER BY search.rank", [parsed.fts5(), *params]
        if query.text.strip():
            # Only punctuation: nothing can match.
            return "SELECT rowid, 0.0 FROM articles WHERE 0", "", []
        sql = "SELECT a.rowid, 0.0 AS score FROM articles a"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, " ORDER BY a.day DESC, a.rowid DESC", params

    def search(self, query: base.SearchQuery) -> base.SearchPage:
        sql, order, params = self._selection(query)
        # Counting stops at a cap: the exact count of a common word on a large base costs
        # more than the page of hits.
        total = self._read(f"SELECT count(*) FROM ({sql} LIMIT {_COUNT_CAP + 1})", params)[0][0]
        total_exact = total <= _COUNT_CAP
        total = min(total, _COUNT_CAP)
        if not total_exact and order.endswith("rank"):
            # A word in a third of the base would cost a BM25 score per match (a second on
            # 1M articles): rank the most recently stored matches only (FTS5 walks its
            # doclist backwards and stops), so a page costs the same on any base size.
            rowid = order.removeprefix(" ORDER BY ").removesuffix("rank") + "rowid"
            sql = f"SELECT * FROM ({sql} ORDER BY {rowid} DESC LIMIT {_RANK_WINDOW})"
            order = " ORDER BY score"
        rows = self._read(f"{sql}{order} LIMIT ? OFFSET ?", [*params, query.limit, query.offset])
        keys = parse_query(query.text).keys
        hits = []
        for rowid, score in rows:
            blob, story, url, site = self._read(
                "SELECT record, story, url, site FROM articles WHERE rowid = ?", (rowid,)
            )[0]
            record = _unpack(blob)
            passage, spans = snippet(record.get("text") or "", keys)
            hits.append(shared.hit(record, passage, spans, -float(score), site, url, story))
        facets: dict[str, list[tuple[str, int]]] = {}
        if query.facets:
            inner = f"SELECT rowid FROM ({sql})"
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
                "SELECT a.day, sum(ea.count) FROM entity_articles ea JOIN articles a"
                " ON a.rowid = ea.article WHERE ea.entity = ? AND a.day IS NOT NULL"
                " GROUP BY a.day ORDER BY a.day",
                (eid,),
            )
        ]
        co = self._read(
            f"SELECT e.{cols.replace(', ', ', e.')}, count(*) AS together"
            " FROM entity_articles mine JOIN entity_articles other"
            " ON other.article = mine.article AND other.entity != mine.entity"
            " JOIN entities e ON e.id = other.entity WHERE mine.entity = ?"
            " GROUP BY other.entity ORDER BY together DESC, e.id LIMIT 20",
            (eid,),
        )
        articles = [
            shared.article_link(r)
            for r in self._read(
                "SELECT a.id, a.title, a.site, a.published, a.story FROM entity_articles ea"
                " JOIN articles a ON a.rowid = ea.article WHERE ea.entity = ?"
                " ORDER BY a.day DESC, a.rowid DESC LIMIT 20",
                (eid,),
            )
        ]
        return base.EntityDetail(
            entity=summary,
            aliases=aliases,
            timeline=timeline,
            co_mentioned=[(shared.entity_summary(r[:6]), r[6]) for r in co],
            articles=articles,
        )

    def _layer_rows(
        self, table: str, where: list[str], params: list[Any], limit: int, offset: int
    ) -> list[dict[str, Any]]:
        sql = (
            f"SELECT t.data, a.id, a.title, a.site, a.published, a.story FROM {table} t"
            " JOIN articles a ON a.rowid = t.article"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.day DESC, a.rowid DESC, t.n LIMIT ? OFFSET ?"
        return [
            shared.layer_item(json.loads(data), *columns)
            for data, *columns in self._read(sql, [*params, limit, offset])
        ]

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
        more, more_params = shared.common_filters(
            query, "?", day="coalesce(substr(t.date, 1, 10), a.day)"
        )
        where += more
        params += more_params
        return self._layer_rows("events", where, params, query.limit, query.offset)

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
