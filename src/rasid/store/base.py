"""The store interface: what every backend (SQLite, PostgreSQL) offers to the CLI, the API and
the web UI.

A store keeps records (the record contract of DESIGN.md) and answers questions about them. The
backends differ only in their SQL; everything they must agree on lives outside them:

* ``rasid.store.text``: the search form of a text (normalized, clitics off, light-stemmed
  terms), query parsing and snippets that highlight the *original* text;
* ``rasid.dedup``: the exact-duplicate key (hash of the normalized text), MinHash signatures,
  LSH band keys and the pair decision for near-duplicates (story clusters).
* ``rasid.store.rows``: what a backend derives from a record (entity ids, event labels, days,
  the record's JSON form), the bookkeeping of a batch, and these result types built from the
  rows it reads.

Semantics every backend keeps (the shared test suite in ``tests/store/`` checks them):

* ``put_batch`` is one transaction: all of the batch or nothing. Records whose id is already
  stored (as an article or as another source of one) are skipped, so re-ingesting and resuming
  after a crash store nothing twice. A record with the same normalized text as a stored article
  (an exact duplicate) adds a *source* to that article instead of a new article. A record that
  failed (``rasid.pipeline.failed``) goes to the failures table, never silently away.
* Near-duplicates join one story cluster, incrementally: each new article is compared with the
  stored ones through LSH band keys kept in the store, so clustering survives restarts. Every
  article has a story id (a singleton story is its own).
* ``get(id)`` accepts an article id or the id of any of its sources, and returns the stored
  record exactly as the contract gives it, plus ``story`` (cluster id) and ``sources`` (every
  outlet that carried the same text, including the first one).
* Listing methods never scan every article per request: they go through indexes.

Backends are opened with :func:`rasid.store.open_store`. Errors a user can act on (an
unreadable file, a locked base, a full disk, a server that went away) raise :class:`StoreError`
with a message that says what to do; the batch in progress is rolled back.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from rasid.model import Record

__all__ = [
    "SCHEMA_VERSION",
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
]

# The first schema version of every backend. Each backend keeps its own list of migrations
# (SQLite: ``rasid.store.sqlite.SQLITE_SCHEMA_VERSION``) and upgrades older bases in place.
SCHEMA_VERSION = 1


class StoreError(Exception):
    """A problem with the base itself (not with one document): unreadable, locked, full, gone.
    The message is meant for the user."""


@dataclass(slots=True)
class BatchResult:
    """What one ``put_batch`` did. ``stored`` new articles, ``duplicates`` records that were
    already there or were an exact copy of a stored text (added as sources), ``failed``
    documents recorded in the failures table. ``skipped`` counts ids already stored (resume)."""

    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    skipped: int = 0

    def __iadd__(self, other: BatchResult) -> BatchResult:
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.skipped += other.skipped
        return self

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(slots=True)
class SearchQuery:
    """A search (or an export selection). ``text`` may be empty: then filters alone select,
    newest first. ``date_from``/``date_to`` are ISO dates (inclusive) on ``published``;
    ``entity`` is an entity id or a name (any alias, any spelling); ``type`` a PLOVER event
    type; ``story`` a story id. ``facets`` asks for counts by site, event type and entity over
    the whole result (not only the page)."""

    text: str = ""
    date_from: str | None = None
    date_to: str | None = None
    site: str | None = None
    entity: str | None = None
    type: str | None = None
    story: str | None = None
    limit: int = 20
    offset: int = 0
    facets: bool = False


@dataclass(slots=True)
class Hit:
    """One search result. ``snippet`` is a passage of the original text (or title);
    ``highlights`` are ``(start, end)`` spans inside ``snippet`` that matched the query."""

    id: str
    title: str | None
    snippet: str
    highlights: list[tuple[int, int]]
    score: float
    published: str | None
    site: str | None
    url: str | None
    story: str | None

    def marked(self, open_mark: str = "<mark>", close_mark: str = "</mark>") -> str:
        """The snippet with its highlights wrapped in marks (escape the snippet first for
        HTML: the marks are inserted as given)."""
        out, pos = [], 0
        for start, end in self.highlights:
            out += [self.snippet[pos:start], open_mark, self.snippet[start:end], close_mark]
            pos = end
        out.append(self.snippet[pos:])
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["highlights"] = [list(span) for span in self.highlights]
        return data


@dataclass(slots=True)
class SearchPage:
    """A page of hits, the total number of matches (see ``total_exact``), and (when asked)
    facets: for ``site``,
    ``type`` (PLOVER) and ``entity``, a list of ``(value, count)``, largest first."""

    hits: list[Hit]
    total: int
    offset: int
    limit: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # False when a backend stopped counting at a cap (``total`` is then a lower bound, shown
    # as "10000+"): counting every match of a common word costs more than the page itself.
    total_exact: bool = True
    # False when the facets were counted over the most recently stored matches only (a
    # backend's cap, like the count's): a large result's proportions, not its totals.
    facets_exact: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "total_exact": self.total_exact,
            "facets_exact": self.facets_exact,
            "offset": self.offset,
            "limit": self.limit,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": {k: [list(v) for v in vs] for k, vs in self.facets.items()},
        }


@dataclass(slots=True)
class EntitySummary:
    """A canonical entity: ``mentions`` over all articles, ``articles`` that mention it."""

    id: str
    name: str
    type: str
    en: str | None
    mentions: int
    articles: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class EntityDetail:
    """One entity for its page: every alias with its count, mentions per day of publication,
    the entities most often mentioned in the same articles, and its most recent articles."""

    entity: EntitySummary
    aliases: list[tuple[str, int]]
    timeline: list[tuple[str, int]]
    co_mentioned: list[tuple[EntitySummary, int]]
    articles: list[dict[str, Any]]
    # False when co-mentions were counted over the entity's newest articles only (a
    # backend's cap): the proportions of a very common entity's company, not its totals.
    co_mentioned_exact: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.entity.to_dict(),
            "aliases": [list(a) for a in self.aliases],
            "timeline": [list(t) for t in self.timeline],
            "co_mentioned": [{**e.to_dict(), "together": n} for e, n in self.co_mentioned],
            "co_mentioned_exact": self.co_mentioned_exact,
            "articles": self.articles,
        }


@dataclass(slots=True)
class QuoteQuery:
    """Quotes by speaker (a name, any spelling, matched on the speaker's name), by the speaker's
    entity id, by story, or of one article. Newest first."""

    speaker: str | None = None
    entity: str | None = None
    story: str | None = None
    article: str | None = None
    limit: int = 50
    offset: int = 0


@dataclass(slots=True)
class EventQuery:
    """Events by PLOVER type, actor/recipient (entity id or name), location name, dates on
    the article's ``published`` (or the event's own date when it has one), site, story."""

    type: str | None = None
    actor: str | None = None
    recipient: str | None = None
    location: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    site: str | None = None
    story: str | None = None
    limit: int = 50
    offset: int = 0


@dataclass(slots=True)
class StorySummary:
    """A story cluster: its articles and the outlets that carried it."""

    id: str
    size: int
    title: str | None
    first_published: str | None
    last_published: str | None
    sites: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class StoryDetail:
    """A story with its members in publication order: ``{id, title, site, url, published}``
    for every article and every exact-duplicate source."""

    story: StorySummary
    members: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {**self.story.to_dict(), "members": self.members}


@dataclass(slots=True)
class Failure:
    document: str
    stage: str
    error: str
    time: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Stats:
    articles: int = 0
    sources: int = 0
    sites: int = 0
    entities: int = 0
    mentions: int = 0
    quotes: int = 0
    events: int = 0
    places: int = 0
    dates: int = 0
    stories: int = 0
    clustered: int = 0
    failures: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


class Store(ABC):
    """A base of records. Use as a context manager, or call :meth:`close`."""

    url: str

    # ---- writing ---------------------------------------------------------------------------

    @abstractmethod
    def put_batch(self, records: Iterable[Record]) -> BatchResult:
        """Store a batch in one transaction (see the module docstring for the rules)."""

    @abstractmethod
    def put_failure(self, document: str, stage: str, error: str) -> None:
        """Record a document that could not be processed (its own transaction)."""

    # ---- resume ----------------------------------------------------------------------------

    @abstractmethod
    def has(self, record_id: str) -> bool:
        """True when this id is stored, as an article, a source of one, or a failure."""

    @abstractmethod
    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` that :meth:`has` would say yes to, in one round trip."""

    # ---- reading ---------------------------------------------------------------------------

    @abstractmethod
    def get(self, record_id: str) -> dict[str, Any] | None:
        """The stored record (contract fields) plus ``story`` and ``sources``, or None."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchPage:
        """Arabic full-text search across spelling variants, BM25-ranked, with filters."""

    @abstractmethod
    def entities(
        self, type: str | None = None, top: int = 50, offset: int = 0
    ) -> list[EntitySummary]:
        """Entities by number of articles mentioning them, optionally of one type."""

    @abstractmethod
    def entity(self, entity: str) -> EntityDetail | None:
        """One entity by id or by any of its names."""

    @abstractmethod
    def quotes(self, query: QuoteQuery) -> list[dict[str, Any]]:
        """Quotes as the record gives them, plus ``article``, ``title``, ``site``,
        ``published`` and ``story`` of the article they come from."""

    @abstractmethod
    def events(self, query: EventQuery) -> list[dict[str, Any]]:
        """Events as the record gives them, plus ``article``, ``title``, ``site``,
        ``published`` and ``story``."""

    @abstractmethod
    def stories(self, top: int = 20, offset: int = 0, min_size: int = 2) -> list[StorySummary]:
        """The largest story clusters (articles + exact-duplicate sources), largest first."""

    @abstractmethod
    def story(self, story_id: str) -> StoryDetail | None:
        """One story with its outlets in publication order."""

    @abstractmethod
    def stats(self) -> Stats:
        """Counts of everything in the base."""

    @abstractmethod
    def failures(self, limit: int = 100) -> list[Failure]:
        """The most recent failures."""

    @abstractmethod
    def export_records(self, query: SearchQuery | None = None) -> Iterator[dict[str, Any]]:
        """Every selected record (all when ``query`` is None) as :meth:`get` returns it,
        streamed: memory stays bounded whatever the size of the base."""

    # ---- lifetime --------------------------------------------------------------------------

    @abstractmethod
    def close(self) -> None:
        """Release the connection(s). Idempotent."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
