"""What the API and the pages share: request checks, and the shaping of stored records into
what a page shows (highlight segments, map pins, timelines).

Everything here returns plain data; templates escape it (autoescape is on), so text from the
pages we ingested is never markup.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

from rasid.store import (
    EntitySummary,
    EventQuery,
    QuoteQuery,
    SearchQuery,
    Stats,
    Store,
    open_store,
)

# Longest query we accept: beyond this a search is not a query but a pasted document, and
# FTS cost grows with the number of terms.
MAX_QUERY = 500
MAX_PAGE_SIZE = 100
# Deepest result we page to: OFFSET cost grows with depth; a user narrows with filters instead.
MAX_OFFSET = 10_000
# How long the base's counts are reused before they are counted again.
STATS_SECONDS = 60.0
# Events read to draw a timeline or a map: the newest matching ones (bounded per request).
TIMELINE_EVENTS = 500

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadRequest(Exception):
    """A request the user can fix; answered with a 4xx and this message."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class NotFound(BadRequest):
    def __init__(self, message: str) -> None:
        super().__init__(message, 404)


def check_date(value: str | None, name: str) -> str | None:
    """An ISO day (``YYYY-MM-DD``) or nothing; anything else is the user's error."""
    if value is None or value == "":
        return None
    if not _ISO_DAY.fullmatch(value):
        raise BadRequest(f"{name}: not a date: {value[:40]!r} (use YYYY-MM-DD)")
    try:
        date.fromisoformat(value)
    except ValueError as error:
        raise BadRequest(f"{name}: not a date: {value!r} ({error})") from None
    return value


def check_range(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    date_from, date_to = check_date(date_from, "from"), check_date(date_to, "to")
    if date_from and date_to and date_from > date_to:
        raise BadRequest(f"from ({date_from}) is after to ({date_to})")
    return date_from, date_to


def offset_for(page: int, limit: int) -> int:
    offset = (page - 1) * limit
    if offset > MAX_OFFSET:
        raise BadRequest(f"page {page} is too deep (at most {MAX_OFFSET} results): add filters")
    return offset


def blank(value: str | None) -> str | None:
    """Empty form fields mean "no filter"."""
    value = (value or "").strip()
    return value or None


def filtered(*values: str | None) -> bool:
    """Whether any of these form fields narrows the results."""
    return any(blank(v) for v in values)


def search_query(
    q: str,
    site: str | None,
    date_from: str | None,
    date_to: str | None,
    entity: str | None,
    type_: str | None,
    story: str | None,
    page: int,
    limit: int,
    facets: bool = True,
) -> SearchQuery:
    date_from, date_to = check_range(blank(date_from), blank(date_to))
    return SearchQuery(
        text=q.strip(),
        date_from=date_from,
        date_to=date_to,
        site=blank(site),
        entity=blank(entity),
        type=blank(type_),
        story=blank(story),
        limit=limit,
        offset=offset_for(page, limit),
        facets=facets,
    )


def quote_rows(
    store: Store,
    speaker: str | None,
    entity: str | None,
    story: str | None,
    article: str | None,
    side: str | None,
    page: int,
    limit: int,
) -> list[dict[str, Any]]:
    query = QuoteQuery(
        speaker=blank(speaker),
        entity=blank(entity),
        story=blank(story),
        article=blank(article),
        limit=limit,
        offset=offset_for(page, limit),
    )
    side = blank(side)
    if side is None:
        return store.quotes(query)
    # The store has no side filter: read a bounded window and keep that side's quotes.
    window = QuoteQuery(**{**{n: getattr(query, n) for n in query.__slots__}})
    window.offset, window.limit = 0, TIMELINE_EVENTS
    rows = [q for q in store.quotes(window) if (q.get("side") or "") == side]
    return rows[query.offset : query.offset + limit]


def event_query(
    type_: str | None,
    actor: str | None,
    recipient: str | None,
    location: str | None,
    date_from: str | None,
    date_to: str | None,
    site: str | None,
    story: str | None,
    page: int = 1,
    limit: int = 50,
) -> EventQuery:
    date_from, date_to = check_range(blank(date_from), blank(date_to))
    return EventQuery(
        type=blank(type_),
        actor=blank(actor),
        recipient=blank(recipient),
        location=blank(location),
        date_from=date_from,
        date_to=date_to,
        site=blank(site),
        story=blank(story),
        limit=limit,
        offset=offset_for(page, limit),
    )


def entity_rows(store: Store, type_: str | None, page: int, limit: int) -> list[EntitySummary]:
    """A page of the most mentioned entities, of one type or all."""
    return store.entities(type=blank(type_), top=limit, offset=offset_for(page, limit))


def safe_url(url: str | None) -> str | None:
    """A link we may render as a link: http(s) only. ``javascript:``, ``data:`` and the rest
    come from untrusted pages and are shown as text, never followed."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


# ---- one store per worker thread ---------------------------------------------------------


class StorePool:
    """One open store per server thread: a SQLite connection must not be shared by threads
    running at the same time, and opening one per request would cost more than the query."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()
        self._stats: tuple[float, Stats] | None = None
        self.get()  # fail now, at start-up, when the base is missing or unreadable

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.url, create=False)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def stats(self) -> Stats:
        """The base's counts, cached for :data:`STATS_SECONDS`: counting every row of a large
        base is a full scan, too slow for a home page that every visit opens."""
        now = time.monotonic()
        cached = self._stats
        if cached is None or now - cached[0] > STATS_SECONDS:
            cached = (now, self.get().stats())
            self._stats = cached
        return cached[1]

    def changed(self) -> None:
        """The base was written to (POST /api/ingest): recount on the next ask."""
        self._stats = None

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                store.close()
            self._all.clear()


# ---- search hits -------------------------------------------------------------------------


def marked_segments(text: str, spans: Iterable[Iterable[int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, highlighted) so a template can wrap the highlighted pieces
    in ``<mark>`` while escaping every piece."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in sorted((int(s), int(e)) for s, e in spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


# ---- the article view --------------------------------------------------------------------


@dataclass(slots=True)
class Segment:
    """A run of article text under the same annotations. ``entity`` is the entity id to link
    to; ``kinds`` the CSS classes; ``notes`` the hover text."""

    text: str
    kinds: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entity: str | None = None


@dataclass(slots=True)
class Paragraph:
    kind: str
    segments: list[Segment]


def _valid_span(item: dict[str, Any], size: int) -> tuple[int, int] | None:
    start, end = item.get("start"), item.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    if 0 <= start < end <= size:
        return start, end
    return None


def annotations(record: dict[str, Any], t: Any) -> list[tuple[int, int, str, str, str | None]]:
    """Every highlight of an article as ``(start, end, kind, note, entity_id)``."""
    text = record.get("text") or ""
    size = len(text)
    out: list[tuple[int, int, str, str, str | None]] = []
    for event in record.get("events") or []:
        span = _valid_span(event, size)
        if span:
            label = t.plover(event.get("type"))
            modality = event.get("modality")
            note = f"{t('kind.event')}: {label} ({event.get('type')})"
            if modality:
                note += f" · {t('modality.' + modality)}"
            out.append((*span, "event", note, None))
    for quote in record.get("quotes") or []:
        span = _valid_span(quote, size)
        if span:
            speaker = quote.get("speaker") or {}
            who = speaker.get("name") if isinstance(speaker, dict) else None
            out.append((*span, "quote", f"{t('kind.quote')}: {who or '?'}", None))
    for mention in record.get("entities") or []:
        span = _valid_span(mention, size)
        if span:
            etype = str(mention.get("type") or "")
            name = mention.get("name") or mention.get("text") or ""
            note = f"{t('type.' + etype)}: {name}"
            if mention.get("en"):
                note += f" ({mention['en']})"
            out.append((*span, "ent ent-" + etype.lower(), note, mention.get("entity")))
    for ref in record.get("dates") or []:
        span = _valid_span(ref, size)
        if span:
            out.append((*span, "date", f"{t('kind.date')}: {ref.get('value') or '?'}", None))
    return out


def paragraphs(record: dict[str, Any], t: Any) -> list[Paragraph]:
    """The article text, block by block, cut into segments at every annotation boundary."""
    text = record.get("text") or ""
    blocks = [
        (b.get("kind", "paragraph"), b["start"], b["end"])
        for b in record.get("blocks") or []
        if _valid_span(b, len(text))
    ]
    if not blocks and text:
        blocks = [("paragraph", 0, len(text))]
    spans = annotations(record, t)
    # Boundaries sorted once; each block takes its slice of them (no per-block rescans).
    cuts = sorted({p for s, e, *_ in spans for p in (s, e)})
    # Spans sorted by start, swept once across the text with an active list.
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[Paragraph] = []
    active: list[tuple[int, int, str, str, str | None]] = []
    nxt = 0
    ci = 0
    for kind, bstart, bend in blocks:
        points = [bstart]
        while ci < len(cuts) and cuts[ci] <= bstart:
            ci += 1
        j = ci
        while j < len(cuts) and cuts[j] < bend:
            points.append(cuts[j])
            j += 1
        points.append(bend)
        segments: list[Segment] = []
        for a, b in pairwise(points):
            if a >= b:
                continue
            while nxt < len(spans) and spans[nxt][0] <= a:
                active.append(spans[nxt])
                nxt += 1
            active = [s for s in active if s[1] > a]
            seg = Segment(text[a:b])
            for s, e, k, note, ent in active:
                if s <= a and b <= e:
                    seg.kinds.append(k)
                    seg.notes.append(note)
                    if ent and seg.entity is None:
                        seg.entity = ent
            segments.append(seg)
        out.append(Paragraph(kind, segments))
    return out


def speakers(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Who speaks in an article, with how many quotes, most first."""
    counts: Counter[tuple[str, str | None, str | None]] = Counter()
    for quote in record.get("quotes") or []:
        speaker = quote.get("speaker") if isinstance(quote.get("speaker"), dict) else {}
        name = (speaker or {}).get("name")
        if name:
            counts[(name, speaker.get("role"), speaker.get("entity"))] += 1
    return [
        {"name": n, "role": r, "entity": e, "quotes": c} for (n, r, e), c in counts.most_common()
    ]


# ---- places, pins and timelines ----------------------------------------------------------


def _coords(place: dict[str, Any]) -> tuple[float, float] | None:
    lat, lon = place.get("lat"), place.get("lon")
    numbers = isinstance(lat, int | float) and isinstance(lon, int | float)
    if numbers and -90 <= lat <= 90 and -180 <= lon <= 180:
        return float(lat), float(lon)
    return None


def place_index(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The record's located places by entity id and by name."""
    index: dict[str, dict[str, Any]] = {}
    for place in record.get("places") or []:
        if _coords(place) is None:
            continue
        for key in (place.get("entity"), place.get("name")):
            if key:
                index.setdefault(str(key), place)
    return index


def locate(event: dict[str, Any], index: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    for key in (event.get("location"), event.get("location_text")):
        if key and str(key) in index:
            return index[str(key)]
    return None


def pin(event: dict[str, Any], place: dict[str, Any], t: Any, article: str | None) -> dict:
    lat, lon = _coords(place) or (0.0, 0.0)
    return {
        "lat": lat,
        "lon": lon,
        "name": place.get("name") or "",
        "type": event.get("type") or "",
        "label": t.plover(event.get("type")),
        "date": event.get("date") or event.get("published") or "",
        "article": article,
    }


def record_pins(record: dict[str, Any], t: Any) -> list[dict[str, Any]]:
    index = place_index(record)
    pins = []
    for event in record.get("events") or []:
        place = locate(event, index)
        if place:
            pins.append(pin(event, place, t, record.get("id")))
    if not pins:  # no located event: still show where the article's places are
        for place in index.values():
            pins.append(pin({}, place, t, record.get("id")))
    return pins


def event_pins(store: Store, events: list[dict[str, Any]], t: Any) -> list[dict[str, Any]]:
    """Pins for listed events: the places of each event's article (one read per distinct
    article, so a page of events costs at most a page of reads)."""
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        if event.get("location") or event.get("location_text"):
            by_article[event["article"]].append(event)
    pins = []
    for article, items in by_article.items():
        record = store.get(article)
        if not record:
            continue
        index = place_index(record)
        for event in items:
            place = locate(event, index)
            if place:
                pins.append(pin(event, place, t, article))
    return pins


def geojson(pins: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                "properties": {k: v for k, v in p.items() if k not in ("lat", "lon")},
            }
            for p in pins
        ],
    }


def _iso_day(value: Any) -> str | None:
    # a span of days (a Hijri or Persian year) is no one day of the timeline
    if isinstance(value, str) and "/" not in value and _ISO_DAY.match(value[:10]):
        return value[:10]
    return None


# An event's own date counts on the timeline only when it is close to the report: a
# "historical" mention (the 2014 annexation, in a 2023 article) belongs to the report's day,
# or a decade of empty days would squeeze the chart.
_NEAR_DAYS = 31


def event_day(event: dict[str, Any]) -> str | None:
    """The day an event counts on the timeline: its own date when near the article's
    publication, else the publication day."""
    own, published = _iso_day(event.get("date")), _iso_day(event.get("published"))
    if own and published:
        try:
            gap = abs((date.fromisoformat(own) - date.fromisoformat(published)).days)
        except ValueError:
            return published
        return own if gap <= _NEAR_DAYS else published
    return own or published


def timeline(events: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Counts by day and PLOVER type: ``{days: [...], series: {TYPE: [count per day]},
    undated: n}`` (events of undated articles cannot be placed on a day)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    undated = 0
    for event in events:
        day = event_day(event)
        if day:
            counts[str(event.get("type") or "?")][day] += 1
        else:
            undated += 1
    days = sorted({d for c in counts.values() for d in c})
    series = {
        etype: [c.get(d, 0) for d in days]
        for etype, c in sorted(counts.items(), key=lambda kv: -sum(kv[1].values()))
    }
    return {"days": days, "series": series, "undated": undated}


def iter_events(store: Store, query: EventQuery, cap: int) -> Iterator[dict[str, Any]]:
    """Up to ``cap`` matching events, newest first, read in pages."""
    seen = 0
    offset = 0
    page = 500
    while seen < cap:
        q = EventQuery(**{**_as_dict(query), "limit": min(page, cap - seen), "offset": offset})
        rows = store.events(q)
        yield from rows
        seen += len(rows)
        offset += len(rows)
        if len(rows) < q.limit:
            return


def _as_dict(query: EventQuery) -> dict[str, Any]:
    return {name: getattr(query, name) for name in query.__slots__}


def when(value: str | None) -> str:
    """An ISO date or date-time as a reader wants it: ``2022-10-17 14:10``."""
    if not value:
        return "—"
    if len(value) >= 16 and value[10] == "T":
        return value[:10] + " " + value[11:16]
    return value
