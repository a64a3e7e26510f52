"""What both stores make of a record and of the rows they read back, without any SQL.

Backend-independent helpers shared by the SQLite and the PostgreSQL store (``rasid.store.sqlite``,
``rasid.store.postgres``): the rows derived from a record (entity ids, event slot labels,
days, timestamps, the record's JSON form), the bookkeeping of a batch, and the result types
of ``rasid.store.base`` built from fetched rows. The SQL stays in each backend.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rasid.arabic.normalize import normalize
from rasid.dedup import article_keys, fingerprint_table, headline
from rasid.model import Record
from rasid.pipeline import failed
from rasid.store.base import BatchResult, EntitySummary, Failure, Hit, StorySummary

# An entity's co-mentions are counted over at most this many of its newest articles (both
# backends): a country in a third of the base would cost a lookup per article it is in.
CO_WINDOW = 2_000

# ---- from a record --------------------------------------------------------------------------


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def day(published: str | None) -> str | None:
    return published[:10] if published else None


def label(value: Any) -> str | None:
    """The filterable name of an event slot that may be a string or a {entity, name, text}."""
    if value is None:
        return None
    if isinstance(value, dict):
        for key in ("entity", "name", "text"):
            if value.get(key):
                return str(value[key])
        return None
    return str(value)


def entity_id(mention: dict[str, Any]) -> str:
    if mention.get("entity"):
        return str(mention["entity"])
    return f"{mention.get('type') or 'ENT'}:{normalize(str(mention.get('text', '')))}"


def record_dict(record: Record) -> dict[str, Any]:
    """``record.to_dict()`` without ``dataclasses.asdict``'s deep copies (five times faster;
    the annotation lists already hold plain JSON values)."""
    source = record.source
    author = record.author
    return {
        "id": record.id,
        "source": {"path": source.path, "url": source.url, "site": source.site,
                   "format": source.format, "locator": source.locator},
        "title": record.title,
        "lede": record.lede,
        "author": {"name": author.name, "bio": author.bio} if author else None,
        "published": record.published,
        "published_source": record.published_source,
        "text": record.text,
        "blocks": [{"kind": b.kind, "start": b.start, "end": b.end} for b in record.blocks],
        "related": [{"title": r.title, "url": r.url} for r in record.related],
        "removed": [{"kind": r.kind, "text": r.text} for r in record.removed],
        "lang": record.lang,
        "errors": list(record.errors),
        "entities": record.entities,
        "quotes": record.quotes,
        "events": record.events,
        "places": record.places,
        "dates": record.dates,
        "fingerprint": record.fingerprint,
    }  # fmt: skip


def _same(value: str) -> str:
    return value


@dataclass
class Tally:
    """The mentions of one article, counted per entity and per alias."""

    # (n, entity id, surface text, the mention) in the article's order
    mentions: list[tuple[int, str, str, dict[str, Any]]] = field(default_factory=list)
    per_entity: Counter[str] = field(default_factory=Counter)
    # (entity id, normalized surface) -> count, and the first surface text of each
    aliases: Counter[tuple[str, str]] = field(default_factory=Counter)
    surface: dict[tuple[str, str], str] = field(default_factory=dict)
    # entity id -> (name, type, en) of its first mention
    info: dict[str, tuple[str, Any, Any]] = field(default_factory=dict)


def tally(mentions: list[dict[str, Any]], clean: Callable[[str], str] = _same) -> Tally:
    """Count an article's entity mentions; ``clean`` is applied to the ids, texts and names
    a backend stores (PostgreSQL drops NUL characters)."""
    out = Tally()
    for n, m in enumerate(mentions):
        eid = clean(entity_id(m))
        text = clean(str(m.get("text") or ""))
        out.per_entity[eid] += 1
        alias = (eid, normalize(text))
        out.aliases[alias] += 1
        out.surface.setdefault(alias, text)
        out.info.setdefault(eid, (clean(str(m.get("name") or text)), m.get("type"), m.get("en")))
        out.mentions.append((n, eid, text, m))
    return out


def common_filters(
    query: Any,
    mark: str,
    *,
    day: str = "a.day",
    clean: Callable[[str], str] = _same,
) -> tuple[list[str], list[Any]]:
    """The date range, site and story conditions every listing shares, on ``articles a``
    (``day`` may be another date expression), with the backend's placeholder ``mark``."""
    where: list[str] = []
    params: list[Any] = []
    for condition, value in (
        (f"{day} >= {mark}", query.date_from and query.date_from[:10]),
        (f"{day} <= {mark}", query.date_to and query.date_to[:10]),
        (f"a.site = {mark}", query.site),
        (f"a.story = {mark}", query.story),
    ):
        if value:
            where.append(condition)
            params.append(clean(value))
    return where, params


def speaker(quote: dict[str, Any]) -> tuple[Any, Any]:
    """The (name, entity) of a quote's speaker, which may be a name or a {name, entity}."""
    who = quote.get("speaker") or {}
    if isinstance(who, dict):
        return who.get("name"), who.get("entity")
    return who, None


def event_columns(event: dict[str, Any]) -> tuple[Any, str | None, str | None, str | None, Any]:
    """An event's filterable columns: type, the normalized actor, recipient and location
    labels, and the date label."""
    labels = [label(event.get(k)) for k in ("actor", "recipient", "location")]
    actor, recipient, location = [normalize(v) if v else None for v in labels]
    return event.get("type"), actor, recipient, location, label(event.get("date"))


def merged_story(
    rows: list[tuple[Any, ...]], published: str | None
) -> tuple[str, int, int, str | None, str | None]:
    """The stories a new article joins, rows ``(id, root, size, articles, first_published,
    last_published)`` oldest first, merged with it into the oldest: its ``(id, size,
    articles, first_published, last_published)``."""
    size = sum(r[2] for r in rows) + 1
    articles = sum(r[3] for r in rows) + 1
    dates = [d for r in rows for d in (r[4], r[5]) if d] + ([published] if published else [])
    return rows[0][0], size, articles, min(dates) if dates else None, max(dates) if dates else None


# ---- a batch --------------------------------------------------------------------------------


def to_store(
    records: Iterable[Record],
    known: set[str],
    result: BatchResult,
    fail: Callable[[str, str, str, str], None],
) -> Iterator[Record]:
    """The records of a batch that are to be stored, in order. Counts in ``result`` the ones
    already stored (skipped), the ones seen before in this batch (duplicates) and the ones
    extraction failed on, each of which goes to ``fail(key, document, stage, error)``."""
    seen: set[str] = set()
    for record in records:
        if record.id in known:
            result.skipped += 1
            continue
        if record.id in seen:
            # The same document twice in one input (a page and its crawl copy).
            result.duplicates += 1
            continue
        seen.add(record.id)
        if failed(record):
            fail(record.id, record.source.describe(), "extract", "; ".join(record.errors))
            result.failed += 1
            continue
        yield record


def count_stored(result: BatchResult, new: bool) -> None:
    """Count one stored record: a new article, or a new source of a stored one."""
    if new:
        result.stored += 1
    else:
        result.duplicates += 1


# ---- fetched rows to results ----------------------------------------------------------------


def source(row: tuple[Any, ...]) -> dict[str, Any]:
    """A row ``(id, url, site, path, format, title, published)`` of ``sources``."""
    return {
        "id": row[0],
        "url": row[1],
        "site": row[2],
        "path": row[3],
        "format": row[4],
        "title": row[5],
        "published": row[6],
    }


def hit(
    record: dict[str, Any],
    passage: str,
    spans: list[tuple[int, int]],
    score: float,
    site: str | None,
    url: str | None,
    story: str,
) -> Hit:
    return Hit(
        id=record["id"],
        title=record.get("title"),
        snippet=passage,
        highlights=spans,
        score=round(score, 4),
        published=record.get("published"),
        site=site,
        url=url,
        story=story,
    )


def entity_summary(row: tuple[Any, ...]) -> EntitySummary:
    """A row ``(id, name, type, en, mentions, articles)`` of ``entities``."""
    return EntitySummary(
        id=row[0], name=row[1], type=row[2] or "", en=row[3], mentions=row[4], articles=row[5]
    )


def article_link(row: tuple[Any, ...]) -> dict[str, Any]:
    """A row ``(id, title, site, published, story)`` of ``articles``."""
    return {"id": row[0], "title": row[1], "site": row[2], "published": row[3], "story": row[4]}


def layer_item(
    item: dict[str, Any],
    article: str,
    title: str | None,
    site: str | None,
    published: str | None,
    story: str,
) -> dict[str, Any]:
    """A quote or event (its stored JSON, as a new dict) with its article's columns."""
    item.update(article=article, title=title, site=site, published=published, story=story)
    return item


def story_summary(row: tuple[Any, ...], sites: list[str]) -> StorySummary:
    """A row ``(id, size, first_published, last_published, title)`` of ``stories``."""
    sid, size, first, last, title = row
    return StorySummary(
        id=sid, size=size, title=title, first_published=first, last_published=last, sites=sites
    )


def story_member(row: tuple[Any, ...]) -> dict[str, Any]:
    """A row ``(source id, title, site, url, published, article id)`` of a story."""
    return {
        "id": row[0],
        "title": row[1],
        "site": row[2],
        "url": row[3],
        "published": row[4],
        "article": row[5],
    }


def failure(row: tuple[Any, ...]) -> Failure:
    """A row ``(document, stage, error, time)`` of ``failures``."""
    return Failure(document=row[0], stage=row[1], error=row[2], time=row[3])


def refingerprinted(
    rows: list[tuple[Any, str, str | None]],
) -> tuple[list[Any], list[tuple[int, bytes, Any]], list[tuple[int, Any]]]:
    """The re-fingerprint migration's writes for (article, text, title) rows: the articles
    whose text is now too short to compare (their signature goes), the (size, signature,
    article) updates, and the (key, article) LSH rows, the headline's key included."""
    table = fingerprint_table(text for _, text, _ in rows)
    gone, updates, bands = [], [], []
    for i, (article, _, title) in enumerate(rows):
        fp = table.get(i)
        if fp is None:
            gone.append(article)
            continue
        updates.append((fp.size, fp.to_bytes(), article))
        bands.extend((key, article) for key in article_keys(fp, headline(title)))
    return gone, updates, bands
