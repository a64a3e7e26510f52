"""The server store: PostgreSQL through psycopg 3, for teams and large bases.

It keeps the same tables and the same semantics as the SQLite store (``rasid.store.sqlite``;
the rules are in ``rasid.store.base``), with PostgreSQL's own tools where SQLite has FTS5:

* ``articles.search`` is a ``tsvector`` over the search keys of ``rasid.store.text.index_forms``
  — the title (weight A), the body (B) and the other readings of clitic-initial words (C) —
  put once more through the ``arabic`` snowball configuration, so a query meets the text after
  the same two steps. A GIN index serves ``@@``; hits are ranked with ``ts_rank_cd`` (weights
  3 : 1 : 0.5, the SQLite store's BM25 column weights) and their snippets are cut from the
  original text like SQLite's. A tsvector holds at most 1 MB: beyond the first 16,000 words a
  giant text adds each further word once (word search still finds it; phrases are matched in
  the first 16,000 words);
* ``schema_version`` lists every migration applied; opening a base migrates it in place, in
  one transaction, under an advisory lock (two processes opening a new base at once is safe);
* every ``put_batch`` is one transaction under a transaction-level advisory lock, so several
  writers (two ``rasid ingest`` runs) are serialized the way SQLite's write lock serializes
  them, and exact-duplicate and cluster decisions never race;
* a server that goes away (stopped, restarted, network cut) raises :class:`StoreError`; the
  server rolls back the open transaction, so nothing of the batch is written, and the next
  call (or the next run) connects again and resumes.

Every text column is ``COLLATE "C"`` so ordering and comparisons are by code point, as in
SQLite, whatever the database's locale.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import errors as pg_errors

from rasid.arabic.normalize import normalize
from rasid.arabic.stem import search_terms
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
from rasid.store.text import ParsedQuery, index_forms, parse_query, snippet

__all__ = ["POSTGRES_SCHEMA_VERSION", "PostgresStore"]

# Same limits as the SQLite store.
_FACET_LIMIT = 20
_EXPORT_CHUNK = 500
_ID_CHUNK = 5000

# Advisory lock keys (any two constants unique to rasid): one for migrations, one for writers.
_LOCK_MIGRATE = 0x7261736964_01
_LOCK_WRITE = 0x7261736964_02

# The text search configuration: PostgreSQL's snowball stemmer for Arabic.
_TS_CONFIG = "arabic"
# ts_rank_cd weights {D, C, B, A} for the title (A), the body (B) and the other readings of
# its words (C): 3 : 1 : 0.5, the SQLite store's BM25 column weights.
_RANK_WEIGHTS = "{0.1, 0.167, 0.333, 1.0}"
# A tsvector holds at most 1 MB and positions up to 16383: the first words keep their order
# (phrases match there), the rest of a giant text adds each remaining word once.
_INDEX_ORDERED_WORDS = 16_000
_INDEX_BUDGET_CHARS = 300_000

_TIMEOUT_S = 10.0

# "TEXT" everywhere below means code-point ordering (see the module docstring).
_T = 'TEXT COLLATE "C"'

_SCHEMA_V1 = [
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)",
    f"CREATE TABLE meta (key {_T} PRIMARY KEY, value TEXT)",
    f"""CREATE TABLE articles (
        pk BIGSERIAL PRIMARY KEY,
        id {_T} NOT NULL UNIQUE,
        text_key {_T} NOT NULL,
        title {_T},
        url {_T},
        site {_T},
        published {_T},
        day {_T},
        lang {_T},
        story {_T} NOT NULL,
        record JSON NOT NULL,
        search TSVECTOR NOT NULL
    )""",
    "CREATE INDEX articles_text_key ON articles(text_key)",
    "CREATE INDEX articles_story ON articles(story)",
    "CREATE INDEX articles_site_day ON articles(site, day)",
    "CREATE INDEX articles_day ON articles(day DESC NULLS LAST, pk DESC)",
    "CREATE INDEX articles_search ON articles USING GIN (search)",
    f"""CREATE TABLE sources (
        id {_T} PRIMARY KEY,
        article BIGINT NOT NULL REFERENCES articles(pk),
        url {_T}, site {_T}, path {_T}, format {_T}, title {_T}, published {_T},
        added {_T} NOT NULL
    )""",
    "CREATE INDEX sources_article ON sources(article)",
    "CREATE INDEX sources_site ON sources(site)",
    f"""CREATE TABLE blocks (
        article BIGINT NOT NULL, n INTEGER NOT NULL, kind {_T}, start INTEGER, "end" INTEGER,
        PRIMARY KEY (article, n)
    )""",
    f"""CREATE TABLE entities (
        id {_T} PRIMARY KEY,
        name {_T} NOT NULL,
        norm {_T} NOT NULL,
        type {_T},
        en {_T},
        mentions INTEGER NOT NULL DEFAULT 0,
        articles INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX entities_rank ON entities(articles DESC, id)",
    "CREATE INDEX entities_type_rank ON entities(type, articles DESC, id)",
    "CREATE INDEX entities_norm ON entities(norm)",
    f"""CREATE TABLE aliases (
        entity {_T} NOT NULL, norm {_T} NOT NULL, text {_T} NOT NULL, count INTEGER NOT NULL,
        PRIMARY KEY (entity, norm)
    )""",
    "CREATE INDEX aliases_norm ON aliases(norm)",
    f"""CREATE TABLE entity_articles (
        entity {_T} NOT NULL, article BIGINT NOT NULL, count INTEGER NOT NULL,
        PRIMARY KEY (entity, article)
    )""",
    "CREATE INDEX entity_articles_article ON entity_articles(article)",
    f"""CREATE TABLE mentions (
        article BIGINT NOT NULL, n INTEGER NOT NULL, entity {_T} NOT NULL, type {_T},
        text {_T}, start INTEGER, "end" INTEGER,
        PRIMARY KEY (article, n)
    )""",
    f"""CREATE TABLE quotes (
        pk BIGSERIAL PRIMARY KEY,
        article BIGINT NOT NULL, n INTEGER NOT NULL,
        speaker_norm {_T}, speaker_entity {_T}, data JSON NOT NULL
    )""",
    "CREATE INDEX quotes_article ON quotes(article)",
    "CREATE INDEX quotes_speaker ON quotes(speaker_norm)",
    "CREATE INDEX quotes_entity ON quotes(speaker_entity)",
    f"""CREATE TABLE events (
        pk BIGSERIAL PRIMARY KEY,
        article BIGINT NOT NULL, n INTEGER NOT NULL,
        type {_T}, actor {_T}, recipient {_T}, location {_T}, date {_T}, data JSON NOT NULL
    )""",
    "CREATE INDEX events_article ON events(article)",
    "CREATE INDEX events_type ON events(type, article)",
    "CREATE INDEX events_actor ON events(actor)",
    "CREATE INDEX events_recipient ON events(recipient)",
    "CREATE INDEX events_location ON events(location)",
    f"""CREATE TABLE places (
        article BIGINT NOT NULL, n INTEGER NOT NULL, name {_T}, entity {_T},
        lat DOUBLE PRECISION, lon DOUBLE PRECISION, country {_T}, data JSON NOT NULL,
        PRIMARY KEY (article, n)
    )""",
    f"""CREATE TABLE dates (
        article BIGINT NOT NULL, n INTEGER NOT NULL, text {_T}, value {_T}, precision {_T},
        PRIMARY KEY (article, n)
    )""",
    """CREATE TABLE signatures (
        article BIGINT PRIMARY KEY, size INTEGER NOT NULL, sig BYTEA NOT NULL
    )""",
    "CREATE TABLE bands (key BIGINT NOT NULL, article BIGINT NOT NULL)",
    "CREATE INDEX bands_key ON bands(key, article DESC)",
    f"""CREATE TABLE stories (
        id {_T} PRIMARY KEY,
        root BIGINT NOT NULL,
        size INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        first_published {_T},
        last_published {_T},
        title {_T}
    )""",
    "CREATE INDEX stories_size ON stories(size DESC, root)",
    f"""CREATE TABLE failures (
        id {_T} PRIMARY KEY,
        document {_T} NOT NULL,
        stage {_T} NOT NULL,
        error {_T} NOT NULL,
        time {_T} NOT NULL
    )""",
    "CREATE INDEX failures_time ON failures(time DESC, id)",
]

Migration = Callable[[psycopg.Connection], None]


def _statements(statements: list[str]) -> Migration:
    def apply(conn: psycopg.Connection) -> None:
        for statement in statements:
            conn.execute(statement)

    return apply


# Version 2 (the analyst's desk): listings carry their article's day, so one index gives a
# listing's filter and its newest-first order and a LIMIT stops after a page; ``entity_days``
# holds each entity's mentions per day, kept in step by every insert.
_DESK_INDEXES = [
    f"ALTER TABLE events ADD COLUMN IF NOT EXISTS day {_T}",
    "UPDATE events t SET day = a.day FROM articles a WHERE a.pk = t.article",
    "CREATE INDEX IF NOT EXISTS events_day ON events(day DESC NULLS LAST, article DESC, n)",
    "CREATE INDEX IF NOT EXISTS events_type_day"
    " ON events(type, day DESC NULLS LAST, article DESC, n)",
    "DROP INDEX IF EXISTS events_type",
    # the day a date filter reads: the event's own date, else its article's
    "CREATE INDEX IF NOT EXISTS events_when ON events((coalesce(substr(date, 1, 10), day)))",
    f"ALTER TABLE quotes ADD COLUMN IF NOT EXISTS day {_T}",
    "UPDATE quotes t SET day = a.day FROM articles a WHERE a.pk = t.article",
    "CREATE INDEX IF NOT EXISTS quotes_day ON quotes(day DESC NULLS LAST, article DESC, n)",
    "CREATE INDEX IF NOT EXISTS quotes_entity_day"
    " ON quotes(speaker_entity, day DESC NULLS LAST, article DESC, n)",
    "DROP INDEX IF EXISTS quotes_entity",
    f"ALTER TABLE entity_articles ADD COLUMN IF NOT EXISTS day {_T}",
    "UPDATE entity_articles t SET day = a.day FROM articles a WHERE a.pk = t.article",
    "CREATE INDEX IF NOT EXISTS entity_articles_day"
    " ON entity_articles(entity, day DESC NULLS LAST, article DESC)",
    f"""CREATE TABLE IF NOT EXISTS entity_days (
        entity {_T} NOT NULL, day {_T} NOT NULL, count BIGINT NOT NULL,
        PRIMARY KEY (entity, day)
    )""",
    "DELETE FROM entity_days",
    "INSERT INTO entity_days(entity, day, count) SELECT entity, day, sum(count)"
    " FROM entity_articles WHERE day IS NOT NULL GROUP BY entity, day",
]


def _refingerprint(conn: psycopg.Connection) -> None:
    """Version 3: signatures of an older ``rasid.dedup.FORMAT`` are recomputed from each
    article's stored text, and the LSH keys with them, the headline's key included (the
    incremental clustering skips a signature it cannot compare, so new articles would never
    join an old article's story).
    Stories already built stay as they are. 500 articles at a time: memory stays bounded."""
    conn.execute("DELETE FROM bands")
    last = 0
    while True:
        rows = conn.execute(
            "SELECT s.article, a.record, a.title FROM signatures s"
            " JOIN articles a ON a.pk = s.article"
            " WHERE s.article > %s ORDER BY s.article LIMIT 500",
            (last,),
        ).fetchall()
        if not rows:
            break
        gone, updates, bands = shared.refingerprinted(
            [
                (article, (record.get("text") or "") if isinstance(record, dict) else "", title)
                for article, record, title in rows
            ]
        )
        if gone:
            conn.execute("DELETE FROM signatures WHERE article = ANY(%s)", (gone,))
        with conn.cursor() as cur:  # executemany pipelines the statements: few round trips
            cur.executemany("UPDATE signatures SET size = %s, sig = %s WHERE article = %s", updates)
            cur.executemany("INSERT INTO bands(key, article) VALUES (%s,%s)", bands)
        last = rows[-1][0]


# Version n is reached by running _MIGRATIONS[n - 1] on a base at version n - 1, inside the
# same transaction that records it in schema_version (PostgreSQL DDL is transactional: a
# migration that fails leaves the base exactly as it was).
def _resample(conn: psycopg.Connection) -> None:
    """Version 4: fingerprints gain their sample of shingle hashes (format rfp3), which
    the pair decision reads containment from. When any stored fingerprint is not of the
    current ``rasid.dedup.FORMAT``, every fingerprint and every LSH key of the base is
    recomputed (the work of version 3, :func:`_refingerprint`); nothing is done when all
    are current (version 3 has just written them, or the base is new)."""
    stale = conn.execute(
        "SELECT 1 FROM signatures WHERE substring(sig from 1 for %s) <> %s LIMIT 1",
        (len(FORMAT), FORMAT),
    ).fetchone()
    if stale is not None:
        _refingerprint(conn)


def _opening_keys(conn: psycopg.Connection) -> None:
    """Version 5: the LSH keys gain each article's opening keys (``rasid.dedup.opening_keys``,
    fingerprint format rfp4), so a rewrite that kept an old article's opening and little else
    is its candidate. The same work as version 4 (:func:`_resample`): a base holding any
    fingerprint not of the current format has all its fingerprints and all its LSH keys
    recomputed, the opening keys among them; its stories stay as they were."""
    _resample(conn)


def _vocabulary(conn: psycopg.Connection) -> None:
    """Version 6: fingerprints gain their vocabulary (``rasid.dedup.VOCABULARY_WORDS``,
    format rfp5), which tells a rewrite of another report's opening from a later step of
    the story. The same work as version 5 (:func:`_opening_keys`): a base holding any
    fingerprint not of the current format has all its fingerprints and all its LSH keys
    recomputed; its stories stay as they were."""
    _resample(conn)


_MIGRATIONS: list[Migration] = [
    _statements(_SCHEMA_V1),
    _statements(_DESK_INDEXES),
    _refingerprint,
    _resample,
    _opening_keys,
    _vocabulary,
]
# The PostgreSQL schema's own version (rows of schema_version); it grows with _MIGRATIONS.
POSTGRES_SCHEMA_VERSION = len(_MIGRATIONS)
assert POSTGRES_SCHEMA_VERSION >= SCHEMA_VERSION

# Tables whose presence without a schema_version says "someone else's database".
_OUR_TABLES = ("articles", "sources", "stories")


def _clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL characters (the JSON copy of the record keeps them
    escaped); every other value passes as it is."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _offset(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _bounded(keys_text: str) -> str:
    """Search keys (space-separated) as the tsvector is built from them (bounded, see above)."""
    if len(keys_text) <= _INDEX_ORDERED_WORDS * 2:  # surely fewer words than the bound
        return _clean(keys_text)
    keys = keys_text.split()
    if len(keys) <= _INDEX_ORDERED_WORDS:
        return _clean(keys_text)
    head = keys[:_INDEX_ORDERED_WORDS]
    seen, budget = set(head), _INDEX_BUDGET_CHARS - sum(map(len, head))
    for key in keys[_INDEX_ORDERED_WORDS:]:
        if key not in seen:
            budget -= len(key) + 1
            if budget < 0:
                break
            seen.add(key)
            head.append(key)
    return _clean(" ".join(head))


def _display(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        parts = urlsplit(url)
        if parts.password:
            host = parts.hostname or ""
            if parts.port:
                host += f":{parts.port}"
            user = f"{parts.username}:***@" if parts.username else ""
            return urlunsplit(parts._replace(netloc=user + host))
    except ValueError:
        pass
    return url


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _connection_lost(error: psycopg.Error) -> bool:
    """The server went away: shut down (57P…), a connection exception (08…), or a failure the
    client saw itself (a closed socket, no SQLSTATE)."""
    if not isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError)):
        return False
    state = error.sqlstate
    return state is None or state.startswith(("08", "57P"))


def _explain(error: psycopg.Error, where: str) -> StoreError:
    """A message a user can act on for the errors that are about the base or the server."""
    message = _first_line(error)
    if isinstance(error, pg_errors.DiskFull):
        text = (
            f"the PostgreSQL server of {where} is out of disk space ({message}); the batch was "
            "rolled back, free some space and run again to resume"
        )
    elif isinstance(error, pg_errors.InsufficientPrivilege):
        text = f"the PostgreSQL user may not do this on {where} ({message}); ask for write rights"
    elif isinstance(error, pg_errors.ReadOnlySqlTransaction):
        text = f"{where} is read-only (a standby server?): {message}"
    elif isinstance(error, pg_errors.InvalidCatalogName):
        text = (
            f"{message} on the server of {where}: create it first "
            "(`createdb NAME`, or CREATE DATABASE in psql)"
        )
    elif _connection_lost(error):
        text = (
            f"lost the connection to the PostgreSQL base {where} ({message}); the batch in "
            "progress was rolled back and nothing of it was written. Run the same command "
            "again when the server is back: it resumes where the last committed batch ended"
        )
    else:
        text = f"{where}: {message}"
    store_error = StoreError(text)
    store_error.__cause__ = error
    return store_error


def _base_problem(error: BaseException, conn: psycopg.Connection) -> bool:
    """True when an error inside one record's savepoint is about the server, the connection or
    the schema (the batch must stop), not about the record (which then becomes a failure)."""
    if conn.closed or conn.broken:
        return True
    if isinstance(
        error,
        (
            psycopg.OperationalError,
            psycopg.InterfaceError,
            psycopg.InternalError,
            psycopg.NotSupportedError,
        ),
    ):
        # ... except the per-value limits a bizarre record can hit.
        return not isinstance(error, pg_errors.ProgramLimitExceeded)
    # A ProgrammingError from the server (undefined table, permission) is the schema's; one
    # raised before sending (a value psycopg cannot adapt) is the record's.
    return isinstance(error, psycopg.ProgrammingError) and error.sqlstate is not None


class PostgresStore(Store):
    """``create=False`` refuses a database without a rasid schema (read-only commands) instead
    of creating the tables; ``timeout`` is how many seconds to wait for the server to answer a
    connection, and for another writer's batch to finish."""

    def __init__(self, url: str, *, create: bool = True, timeout: float = _TIMEOUT_S) -> None:
        self.url = url
        self._where = _display(url)
        self._timeout = max(1.0, float(timeout))
        self._create = create
        self._lock = threading.RLock()
        self._conn: psycopg.Connection | None = None
        self._closed = False
        self._in_transaction = False
        # Snowball stems of search keys, asked of the server once per key (for highlights).
        self._stems: dict[str, frozenset[str]] = {}
        self._connection()
        try:
            self._migrate()
        except BaseException:
            self.close()
            raise

    # ---- plumbing --------------------------------------------------------------------------

    def _connection(self) -> psycopg.Connection:
        """The open connection, made again when the last one was lost (server restarted)."""
        if self._closed:
            raise StoreError(f"the store {self._where} is closed")
        conn = self._conn
        if conn is not None and not conn.closed and not conn.broken:
            return conn
        if conn is not None:
            conn.close()
        try:
            self._conn = psycopg.connect(
                self.url,
                autocommit=True,
                connect_timeout=int(self._timeout),
                application_name="rasid",
            )
        except psycopg.Error as error:
            message = _first_line(error)
            if isinstance(error, pg_errors.InvalidCatalogName) or "does not exist" in message:
                raise StoreError(
                    f"cannot open {self._where}: {message}. Create the database first "
                    "(`createdb NAME`, or CREATE DATABASE in psql)"
                ) from error
            raise StoreError(
                f"cannot connect to the PostgreSQL base {self._where}: {message}. Is the server "
                "running, and are the host, port, user and password in the URL right?"
            ) from error
        return self._conn

    def _migrate(self) -> None:
        version = self._version()
        if version == len(_MIGRATIONS):
            return
        if version == 0 and not self._create:
            raise StoreError(
                f"no rasid base in {self._where} yet: run `rasid ingest PATH --db {self._where}`"
            )
        # A session lock taken *before* the migration's transaction begins: a transaction that
        # started before another process's migration committed could still see the catalog
        # without its tables.
        self._read("SELECT pg_advisory_lock(%s)", (_LOCK_MIGRATE,))
        try:
            self._migrate_locked()
        finally:
            conn = self._conn
            if conn is not None and not conn.closed and not conn.broken:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_MIGRATE,))

    def _migrate_locked(self) -> None:
        with self._transaction() as conn:
            # Read again under the lock: another process may have migrated meanwhile.
            version, latest = self._version(), len(_MIGRATIONS)
            if version == latest:
                return
            if version > latest:
                raise StoreError(
                    f"{self._where} was written by a newer rasid (schema {version}, this one "
                    f"reads up to {latest}); upgrade rasid"
                )
            if version == 0:
                ours = conn.execute(
                    "SELECT count(*) FROM unnest(%s::text[]) t WHERE to_regclass(t) IS NOT NULL",
                    (list(_OUR_TABLES),),
                ).fetchone()
                if ours and ours[0]:
                    raise StoreError(
                        f"{self._where} already has tables named {', '.join(_OUR_TABLES)} but "
                        "no rasid schema_version: it is not a rasid base (use another database "
                        "or schema)"
                    )
            for target in range(version + 1, latest + 1):
                _MIGRATIONS[target - 1](conn)
                conn.execute(
                    "INSERT INTO schema_version(version, applied) VALUES (%s, %s)",
                    (target, shared.now()),
                )
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('migrated', %s)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (shared.now(),),
                )

    def _version(self) -> int:
        """The schema version of the base: 0 for an empty database."""
        rows = self._read("SELECT to_regclass('schema_version') IS NOT NULL")
        if not rows[0][0]:
            return 0
        return int(self._read("SELECT coalesce(max(version), 0) FROM schema_version")[0][0])

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection]:
        with self._lock:
            conn = self._connection()
            self._in_transaction = True
            try:
                with conn.transaction():
                    yield conn
            except psycopg.Error as error:
                raise _explain(error, self._where) from error
            finally:
                self._in_transaction = False

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        params = tuple(params)
        with self._lock:
            for attempt in (1, 2):
                conn = self._connection()
                try:
                    return conn.execute(sql, params).fetchall()
                except psycopg.Error as error:
                    # A read on a connection the server dropped (restarted since the last
                    # call) is tried once more on a new one; a write never is.
                    if attempt == 1 and conn.broken and not self._in_transaction:
                        continue
                    raise _explain(error, self._where) from error
        raise AssertionError("unreachable")

    # ---- writing ---------------------------------------------------------------------------

    def put_batch(self, records: Iterable[Record]) -> base.BatchResult:
        records = list(records)
        result = base.BatchResult()
        if not records:
            return result
        with self._transaction() as conn:
            # One writer at a time (see the module docstring); readers are not blocked.
            self._write_lock(conn)
            known = self._known(conn, [r.id for r in records])
            # Pipeline mode: statements whose results are not read are sent without waiting for
            # the server, which saves most round trips of a record's dozens of INSERTs.

            def fail(key: str, document: str, stage: str, error: str) -> None:
                self._failure(conn, key, document, stage, error)

            with conn.pipeline():
                for record in shared.to_store(records, known, result, fail):
                    try:
                        with conn.transaction():  # a savepoint: one bad record is undone alone
                            new = self._put_one(conn, record)
                    except Exception as error:
                        if _base_problem(error, conn):
                            raise
                        self._failure(
                            conn,
                            record.id,
                            record.source.describe(),
                            "store",
                            f"{type(error).__name__}: {_first_line(error)}",
                        )
                        result.failed += 1
                        continue
                    shared.count_stored(result, new)
        return result

    def _write_lock(self, conn: psycopg.Connection) -> None:
        conn.execute(f"SET LOCAL lock_timeout = '{int(self._timeout * 1000)}ms'")
        try:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_WRITE,))
        except pg_errors.LockNotAvailable as error:
            raise StoreError(
                f"{self._where} is busy: another rasid process has been writing to it for more "
                f"than {self._timeout:g} s; nothing was written, run again when it has finished"
            ) from error

    def put_failure(self, document: str, stage: str, error: str) -> None:
        with self._transaction() as conn:
            self._write_lock(conn)
            self._failure(conn, f"{stage}:{document}", document, stage, error)

    @staticmethod
    def _failure(conn: psycopg.Connection, key: str, document: str, stage: str, error: str) -> None:
        conn.execute(
            "INSERT INTO failures(id, document, stage, error, time) VALUES (%s,%s,%s,%s,%s)"
            " ON CONFLICT (id) DO UPDATE SET document = excluded.document,"
            " stage = excluded.stage, error = excluded.error, time = excluded.time",
            (_clean(key), _clean(document), _clean(stage), _clean(error[:2000]), shared.now()),
        )

    def _put_one(self, conn: psycopg.Connection, record: Record) -> bool:
        """Insert one record; True for a new article, False for a new source of a stored one."""
        source = record.source
        key = text_key(record.text)
        row = conn.execute(
            "SELECT pk, story FROM articles WHERE text_key = %s LIMIT 1", (key,)
        ).fetchone()
        if row is not None:
            self._add_source(conn, row[0], record)
            published = _clean(record.published)
            conn.execute(
                "UPDATE stories SET size = size + 1,"
                " first_published = least(first_published, %s),"
                " last_published = greatest(last_published, %s) WHERE id = %s",
                (published, published, row[1]),
            )
            return False

        forms = index_forms(record.title, record.text)
        fp = fingerprint(record.text, forms.bases)
        data = shared.record_dict(record)
        if fp is not None:
            data["fingerprint"] = fp.hex()
        rowid = conn.execute(
            "INSERT INTO articles(id, text_key, title, url, site, published, day, lang, story,"
            " record, search) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"
            f" setweight(to_tsvector('{_TS_CONFIG}', %s), 'A')"
            f" || setweight(to_tsvector('{_TS_CONFIG}', %s), 'B')"
            f" || setweight(to_tsvector('{_TS_CONFIG}', %s), 'C')) RETURNING pk",
            (
                _clean(record.id),
                key,
                _clean(record.title),
                _clean(source.url),
                _clean(source.site),
                _clean(record.published),
                _clean(shared.day(record.published)),
                _clean(record.lang),
                _clean(record.id),
                _json(data),
                _bounded(forms.title),
                _bounded(forms.body),
                _bounded(forms.alternates),
            ),
        ).fetchone()[0]
        self._add_source(conn, rowid, record)
        self._cluster(conn, rowid, record, fp)
        with conn.cursor() as cur:
            cur.executemany(
                'INSERT INTO blocks(article, n, kind, start, "end") VALUES (%s,%s,%s,%s,%s)',
                [
                    (rowid, n, _clean(b.kind), _offset(b.start), _offset(b.end))
                    for n, b in enumerate(record.blocks)
                ],
            )
        self._put_entities(conn, rowid, _clean(shared.day(record.published)), record.entities)
        self._put_layers(conn, rowid, record)
        return True

    @staticmethod
    def _add_source(conn: psycopg.Connection, rowid: int, record: Record) -> None:
        s = record.source
        conn.execute(
            "INSERT INTO sources(id, article, url, site, path, format, title, published, added)"
            " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (
                _clean(record.id),
                rowid,
                _clean(s.url),
                _clean(s.site),
                _clean(s.path),
                _clean(s.format),
                _clean(record.title),
                _clean(record.published),
                shared.now(),
            ),
        )

    def _cluster(
        self, conn: psycopg.Connection, rowid: int, record: Record, fp: Fingerprint | None
    ) -> None:
        """Join the story of every stored near-duplicate (merging them), or start one."""
        stories: set[str] = set()
        published = _clean(record.published)
        if fp is not None:
            mine = headline(record.title)
            keys = article_keys(fp, mine)
            candidates = conn.execute(
                "SELECT s.article, s.size, s.sig, a.story, a.title, a.published FROM signatures s"
                " JOIN articles a ON a.pk = s.article WHERE s.article IN"
                " (SELECT DISTINCT article FROM bands WHERE key = ANY(%s)"
                f"  ORDER BY article DESC LIMIT {MAX_CANDIDATES})",
                (keys,),
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
                "INSERT INTO signatures(article, size, sig) VALUES (%s,%s,%s)",
                (rowid, fp.size, fp.to_bytes()),
            )
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO bands(key, article) VALUES (%s,%s)", [(k, rowid) for k in keys]
                )
        if not stories:
            conn.execute(
                "INSERT INTO stories(id, root, size, articles, first_published, last_published,"
                " title) VALUES (%s,%s,1,1,%s,%s,%s)",
                (_clean(record.id), rowid, published, published, _clean(record.title)),
            )
            return
        # The oldest story absorbs the others, so story ids stay stable as clusters grow.
        rows = conn.execute(
            "SELECT id, root, size, articles, first_published, last_published FROM stories"
            " WHERE id = ANY(%s) ORDER BY root",
            (sorted(stories),),
        ).fetchall()
        keep, size, articles, first, last = shared.merged_story(rows, published)
        for other in rows[1:]:
            conn.execute("UPDATE articles SET story = %s WHERE story = %s", (keep, other[0]))
            conn.execute("DELETE FROM stories WHERE id = %s", (other[0],))
        conn.execute(
            "UPDATE stories SET size = %s, articles = %s, first_published = %s,"
            " last_published = %s WHERE id = %s",
            (size, articles, first, last, keep),
        )
        conn.execute("UPDATE articles SET story = %s WHERE pk = %s", (keep, rowid))

    @staticmethod
    def _put_entities(
        conn: psycopg.Connection, rowid: int, day: str | None, mentions: list[dict[str, Any]]
    ) -> None:
        counted = shared.tally(mentions, _clean)
        per_entity, info = counted.per_entity, counted.info
        with conn.cursor() as cur:
            cur.executemany(
                'INSERT INTO mentions(article, n, entity, type, text, start, "end")'
                " VALUES (%s,%s,%s,%s,%s,%s,%s)",
                [
                    (
                        rowid,
                        n,
                        eid,
                        _clean(m.get("type")),
                        text,
                        _offset(m.get("start")),
                        _offset(m.get("end")),
                    )
                    for n, eid, text, m in counted.mentions
                ],
            )
            cur.executemany(
                "INSERT INTO entities(id, name, norm, type, en, mentions, articles)"
                " VALUES (%s,%s,%s,%s,%s,%s,1) ON CONFLICT (id) DO UPDATE SET"
                " mentions = entities.mentions + excluded.mentions,"
                " articles = entities.articles + 1, en = coalesce(entities.en, excluded.en)",
                [
                    (eid, name, normalize(name), _clean(etype), _clean(en), count)
                    for eid, count in per_entity.items()
                    for name, etype, en in [info[eid]]
                ],
            )
            cur.executemany(
                "INSERT INTO entity_articles(entity, article, count, day) VALUES (%s,%s,%s,%s)",
                [(eid, rowid, count, day) for eid, count in per_entity.items()],
            )
            if day is not None:
                cur.executemany(
                    "INSERT INTO entity_days(entity, day, count) VALUES (%s,%s,%s)"
                    " ON CONFLICT (entity, day) DO UPDATE"
                    " SET count = entity_days.count + excluded.count",
                    [(eid, day, count) for eid, count in per_entity.items()],
                )
            cur.executemany(
                "INSERT INTO aliases(entity, norm, text, count) VALUES (%s,%s,%s,%s)"
                " ON CONFLICT (entity, norm) DO UPDATE SET count = aliases.count + excluded.count",
                [
                    (eid, norm, counted.surface[(eid, norm)], n)
                    for (eid, norm), n in counted.aliases.items()
                ],
            )

    @staticmethod
    def _put_layers(conn: psycopg.Connection, rowid: int, record: Record) -> None:
        day = _clean(shared.day(record.published))
        quotes = []
        for n, q in enumerate(record.quotes):
            name, entity = shared.speaker(q)
            quotes.append(
                (
                    rowid,
                    n,
                    _clean(normalize(str(name))) if name else None,
                    _clean(entity),
                    _clean(_json(q)),
                    day,
                )
            )
        events = []
        for n, e in enumerate(record.events):
            events.append((rowid, n, *map(_clean, shared.event_columns(e)), _json(e), day))
        places = [
            (
                rowid,
                n,
                _clean(p.get("name")),
                _clean(p.get("entity")),
                _number(p.get("lat")),
                _number(p.get("lon")),
                _clean(p.get("country")),
                _json(p),
            )
            for n, p in enumerate(record.places)
        ]
        dates = [
            (rowid, n, _clean(d.get("text")), _clean(d.get("value")), _clean(d.get("precision")))
            for n, d in enumerate(record.dates)
        ]
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO quotes(article, n, speaker_norm, speaker_entity, data, day)"
                " VALUES (%s,%s,%s,%s,%s,%s)",
                quotes,
            )
            cur.executemany(
                "INSERT INTO events(article, n, type, actor, recipient, location, date, data,"
                " day) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                events,
            )
            cur.executemany(
                "INSERT INTO places(article, n, name, entity, lat, lon, country, data)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                places,
            )
            cur.executemany(
                "INSERT INTO dates(article, n, text, value, precision) VALUES (%s,%s,%s,%s,%s)",
                dates,
            )

    # ---- resume ----------------------------------------------------------------------------

    @staticmethod
    def _known(conn: psycopg.Connection, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), _ID_CHUNK):
            chunk = [_clean(x) for x in ids[i : i + _ID_CHUNK]]
            found.update(
                r[0]
                for r in conn.execute(
                    "SELECT id FROM sources WHERE id = ANY(%s)"
                    " UNION SELECT id FROM failures WHERE id = ANY(%s)",
                    (chunk, chunk),
                )
            )
        return found

    def has(self, record_id: str) -> bool:
        return bool(self.known_ids([record_id]))

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        with self._lock:
            try:
                found = self._known(self._connection(), ids)
            except psycopg.Error as error:
                raise _explain(error, self._where) from error
        # Ids are stored without NUL characters; answer in the caller's spelling.
        return {x for x in ids if _clean(x) in found}

    # ---- reading ---------------------------------------------------------------------------

    def _sources(self, pks: list[int]) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = {pk: [] for pk in pks}
        for r in self._read(
            "SELECT article, id, url, site, path, format, title, published FROM sources"
            " WHERE article = ANY(%s) ORDER BY article, coalesce(published, ''), added, id",
            (pks,),
        ):
            out[r[0]].append(shared.source(r[1:]))
        return out

    def _records(self, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        """Rows ``(pk, record, story)`` as :meth:`get` returns them, in the given order."""
        sources = self._sources([r[0] for r in rows])
        out = []
        for pk, record, story in rows:
            record["story"] = story
            record["sources"] = sources[pk]
            out.append(record)
        return out

    def get(self, record_id: str) -> dict[str, Any] | None:
        rows = self._read(
            "SELECT a.pk, a.record, a.story FROM sources s JOIN articles a"
            " ON a.pk = s.article WHERE s.id = %s",
            (_clean(record_id),),
        )
        return self._records(rows)[0] if rows else None

    def _entity_ids(self, name: str) -> list[str]:
        norm = _clean(normalize(name))
        rows = self._read(
            "SELECT id FROM entities WHERE id = %s OR norm = %s"
            " UNION SELECT entity FROM aliases WHERE norm = %s",
            (_clean(name), norm, norm),
        )
        return [r[0] for r in rows]

    def _filters(self, query: base.SearchQuery) -> tuple[list[str], list[Any]]:
        """SQL conditions on ``articles a`` for the query's filters (all index-backed)."""
        where, params = shared.common_filters(query, "%s", clean=_clean)
        if query.entity:
            ids = self._entity_ids(query.entity)
            where.append("a.pk IN (SELECT article FROM entity_articles WHERE entity = ANY(%s))")
            params.append(ids)
        if query.type:
            where.append("a.pk IN (SELECT article FROM events WHERE type = %s)")
            params.append(_clean(query.type))
        return where, params

    @staticmethod
    def _tsquery(parsed: ParsedQuery) -> tuple[str, list[Any]]:
        """Every group (a word, or a phrase of keys in order) required."""
        parts = [f"phraseto_tsquery('{_TS_CONFIG}', %s)" for _ in parsed.groups]
        return "(" + " && ".join(parts) + ")", [_clean(" ".join(g)) for g in parsed.groups]

    def _selection(self, query: base.SearchQuery) -> tuple[str, list[Any]]:
        """SQL selecting ``(pk, score)`` of every match, best first (newest first when the
        text query is empty)."""
        where, params = self._filters(query)
        parsed = parse_query(query.text)
        if parsed:
            tsquery, terms = self._tsquery(parsed)
            sql = (
                f"SELECT a.pk, ts_rank_cd('{_RANK_WEIGHTS}'::float4[], a.search, {tsquery}, 1)"
                f" AS score FROM articles a WHERE a.search @@ {tsquery}"
            )
            if where:
                sql += " AND " + " AND ".join(where)
            return sql + " ORDER BY score DESC, a.pk", [*terms, *terms, *params]
        if query.text.strip():
            # Only punctuation: nothing can match.
            return "SELECT pk, 0.0::float4 AS score FROM articles WHERE false", []
        sql = "SELECT a.pk, 0.0::float4 AS score FROM articles a"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql + " ORDER BY a.day DESC NULLS LAST, a.pk DESC", params

    def _snowball(self, keys: set[str]) -> dict[str, frozenset[str]]:
        """The lexemes the ``arabic`` configuration makes of each search key (cached)."""
        missing = sorted(k for k in keys if k not in self._stems)
        if missing:
            if len(self._stems) > 500_000:
                self._stems.clear()
            for key, lexemes in self._read(
                f"SELECT k, array(SELECT lexeme FROM unnest(to_tsvector('{_TS_CONFIG}', k)))"
                " FROM unnest(%s::text[]) AS k",
                ([_clean(k) for k in missing],),
            ):
                self._stems[key] = frozenset(lexemes)
        return {k: self._stems.get(_clean(k), frozenset()) for k in keys}

    def _passage(self, text: str, keys: set[str]) -> tuple[str, list[tuple[int, int]]]:
        """The snippet of a hit, cut like the SQLite store's. When none of the query's own
        keys is in the text (the snowball stemmer alone made the match: «بعمل» for «عمل»),
        the words whose snowball stems the query holds are highlighted instead."""
        passage, spans = snippet(text, keys)
        if spans or not keys or not text:
            return passage, spans
        wanted = set().union(*self._snowball(keys).values())
        words = set(search_terms(text)) - keys
        merged = {
            k for k, lexemes in self._snowball(words).items() if lexemes and lexemes <= wanted
        }
        return snippet(text, merged) if merged else (passage, spans)

    def search(self, query: base.SearchQuery) -> base.SearchPage:
        sql, params = self._selection(query)
        rows = self._read(f"{sql} LIMIT %s OFFSET %s", [*params, query.limit, query.offset])
        total = self._read(f"SELECT count(*) FROM ({sql}) AS hits", params)[0][0]
        found = {
            r[0]: r
            for r in self._read(
                "SELECT pk, record, story, url, site FROM articles WHERE pk = ANY(%s)",
                ([r[0] for r in rows],),
            )
        }
        keys = parse_query(query.text).keys
        hits = []
        for pk, score in rows:
            _, record, story, url, site = found[pk]
            passage, spans = self._passage(record.get("text") or "", keys)
            hits.append(shared.hit(record, passage, spans, float(score), site, url, story))
        facets: dict[str, list[tuple[str, int]]] = {}
        if query.facets:
            inner = f"SELECT pk FROM ({sql}) AS hits"
            facets["site"] = self._facet(
                f"SELECT site, count(*) FROM articles WHERE pk IN ({inner})"
                " AND site IS NOT NULL GROUP BY site",
                params,
            )
            facets["type"] = self._facet(
                f"SELECT type, count(DISTINCT article) FROM events WHERE article IN ({inner})"
                " AND type IS NOT NULL GROUP BY type",
                params,
            )
            facets["entity"] = self._facet(
                "SELECT e.name, count(*) FROM entity_articles ea JOIN entities e"
                f" ON e.id = ea.entity WHERE ea.article IN ({inner}) GROUP BY ea.entity, e.name",
                params,
            )
        return base.SearchPage(
            hits=hits, total=total, offset=query.offset, limit=query.limit, facets=facets
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
                f"SELECT {cols} FROM entities WHERE type = %s ORDER BY articles DESC, id"
                " LIMIT %s OFFSET %s",
                (_clean(type), top, offset),
            )
        else:
            rows = self._read(
                f"SELECT {cols} FROM entities ORDER BY articles DESC, id LIMIT %s OFFSET %s",
                (top, offset),
            )
        return [shared.entity_summary(r) for r in rows]

    def entity(self, entity: str) -> base.EntityDetail | None:
        ids = self._entity_ids(entity)
        if not ids:
            return None
        cols = "id, name, type, en, mentions, articles"
        row = self._read(
            f"SELECT {cols} FROM entities WHERE id = ANY(%s) ORDER BY articles DESC, id LIMIT 1",
            (ids,),
        )[0]
        summary = shared.entity_summary(row)
        eid = summary.id
        aliases = [
            (r[0], r[1])
            for r in self._read(
                "SELECT text, count FROM aliases WHERE entity = %s ORDER BY count DESC, norm",
                (eid,),
            )
        ]
        timeline = [
            (r[0], int(r[1]))
            for r in self._read(
                "SELECT day, count FROM entity_days WHERE entity = %s ORDER BY day", (eid,)
            )
        ]
        # Counted over the entity's newest articles, as in the SQLite store.
        co = self._read(
            "SELECT e.id, e.name, e.type, e.en, e.mentions, e.articles, co.together FROM"
            " (SELECT other.entity, count(*) AS together"
            "  FROM (SELECT article FROM entity_articles WHERE entity = %s"
            "   ORDER BY day DESC NULLS LAST, article DESC LIMIT %s) mine"
            "  JOIN entity_articles other ON other.article = mine.article AND other.entity != %s"
            "  GROUP BY other.entity ORDER BY together DESC, other.entity LIMIT 20) co"
            " JOIN entities e ON e.id = co.entity ORDER BY co.together DESC, e.id",
            (eid, shared.CO_WINDOW, eid),
        )
        articles = [
            shared.article_link(r)
            for r in self._read(
                "SELECT a.id, a.title, a.site, a.published, a.story FROM entity_articles ea"
                " JOIN articles a ON a.pk = ea.article WHERE ea.entity = %s"
                " ORDER BY ea.day DESC NULLS LAST, ea.article DESC LIMIT 20",
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
        self, table: str, where: list[str], params: list[Any], limit: int, offset: int
    ) -> list[dict[str, Any]]:
        sql = (
            f"SELECT t.data, a.id, a.title, a.site, a.published, a.story FROM {table} t"
            " JOIN articles a ON a.pk = t.article"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        # The listing's own copy of the article's day: its index gives filter and order at once.
        sql += " ORDER BY t.day DESC NULLS LAST, t.article DESC, t.n LIMIT %s OFFSET %s"
        return [
            shared.layer_item(dict(data), *columns)
            for data, *columns in self._read(sql, [*params, limit, offset])
        ]

    def quotes(self, query: base.QuoteQuery) -> list[dict[str, Any]]:
        where: list[str] = []
        params: list[Any] = []
        if query.speaker:
            ids = self._entity_ids(query.speaker)
            where.append("(t.speaker_norm = %s OR t.speaker_entity = ANY(%s))")
            params += [_clean(normalize(query.speaker)), ids]
        if query.entity:
            where.append("t.speaker_entity = %s")
            params.append(_clean(query.entity))
        if query.story:
            where.append("a.story = %s")
            params.append(_clean(query.story))
        if query.article:
            where.append("t.article = (SELECT article FROM sources WHERE id = %s)")
            params.append(_clean(query.article))
        return self._layer_rows("quotes", where, params, query.limit, query.offset)

    def events(self, query: base.EventQuery) -> list[dict[str, Any]]:
        where: list[str] = []
        params: list[Any] = []
        if query.type:
            where.append("t.type = %s")
            params.append(_clean(query.type))
        for column, value in (
            ("actor", query.actor),
            ("recipient", query.recipient),
            ("location", query.location),
        ):
            if value:
                where.append(f"t.{column} = ANY(%s)")
                params.append([_clean(normalize(value)), *self._entity_ids(value)])
        more, more_params = shared.common_filters(
            query, "%s", day="coalesce(substr(t.date, 1, 10), t.day)", clean=_clean
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
                    "SELECT s.site FROM articles a JOIN sources s ON s.article = a.pk"
                    " WHERE a.story = %s AND s.site IS NOT NULL GROUP BY s.site"
                    " ORDER BY min(coalesce(s.published, '')), s.site",
                    (row[0],),
                )
            ]
            out.append(shared.story_summary(row, sites))
        return out

    def stories(self, top: int = 20, offset: int = 0, min_size: int = 2) -> list[base.StorySummary]:
        return self._story_rows(
            self._read(
                "SELECT id, size, first_published, last_published, title FROM stories"
                " WHERE size >= %s ORDER BY size DESC, root LIMIT %s OFFSET %s",
                (min_size, top, offset),
            )
        )

    def story(self, story_id: str) -> base.StoryDetail | None:
        rows = self._read(
            "SELECT id, size, first_published, last_published, title FROM stories WHERE id = %s",
            (_clean(story_id),),
        )
        if not rows:
            return None
        members = [
            shared.story_member(r)
            for r in self._read(
                "SELECT s.id, s.title, s.site, s.url, s.published, a.id FROM articles a"
                " JOIN sources s ON s.article = a.pk WHERE a.story = %s"
                " ORDER BY coalesce(s.published, ''), s.added, s.id",
                (_clean(story_id),),
            )
        ]
        return base.StoryDetail(story=self._story_rows(rows)[0], members=members)

    def stats(self) -> base.Stats:
        row = self._read(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM sources),"
            " (SELECT count(DISTINCT site) FROM sources), (SELECT count(*) FROM entities),"
            " (SELECT count(*) FROM mentions), (SELECT count(*) FROM quotes),"
            " (SELECT count(*) FROM events), (SELECT count(*) FROM places),"
            " (SELECT count(*) FROM dates), (SELECT count(*) FROM stories WHERE size >= 2),"
            " (SELECT coalesce(sum(articles), 0) FROM stories WHERE articles >= 2),"
            " (SELECT count(*) FROM failures)"
        )[0]
        names = ("articles", "sources", "sites", "entities", "mentions", "quotes", "events",
                 "places", "dates", "stories", "clustered", "failures")  # fmt: skip
        return base.Stats(**{name: int(value or 0) for name, value in zip(names, row, strict=True)})

    def failures(self, limit: int = 100) -> list[base.Failure]:
        return [
            shared.failure(r)
            for r in self._read(
                "SELECT document, stage, error, time FROM failures ORDER BY time DESC, id LIMIT %s",
                (limit,),
            )
        ]

    def export_records(self, query: base.SearchQuery | None = None) -> Iterator[dict[str, Any]]:
        if query is None:
            last = 0
            while True:
                rows = self._read(
                    "SELECT pk, record, story FROM articles WHERE pk > %s ORDER BY pk LIMIT %s",
                    (last, _EXPORT_CHUNK),
                )
                if not rows:
                    return
                yield from self._records(rows)
                last = rows[-1][0]
        sql, params = self._selection(query)
        # Only the keys are held (8 bytes each); records are read chunk by chunk.
        pks = [r[0] for r in self._read(sql, params)]
        for i in range(0, len(pks), _EXPORT_CHUNK):
            chunk = pks[i : i + _EXPORT_CHUNK]
            found = {
                r[0]: r
                for r in self._read(
                    "SELECT pk, record, story FROM articles WHERE pk = ANY(%s)", (chunk,)
                )
            }
            yield from self._records([found[pk] for pk in chunk])

    # ---- lifetime --------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None
