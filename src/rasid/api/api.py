"""The JSON API under ``/api/``: the same questions as the CLI, in the record contract's field
names. Documented at ``/api/openapi.json``."""

from __future__ import annotations

import hmac
import io
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from rasid.api import views
from rasid.api.i18n import Messages
from rasid.api.views import (
    MAX_PAGE_SIZE,
    MAX_QUERY,
    BadRequest,
    NotFound,
    event_query,
    quote_rows,
    search_query,
)
from rasid.ingest.base import MAX_DOCUMENT_BYTES, Where
from rasid.ingest.files import read_stream
from rasid.pipeline import failed, process
from rasid.store import EventQuery, Store

router = APIRouter(prefix="/api", tags=["api"])

Page = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Results per page.")]
Text = Annotated[str | None, Query(max_length=200)]
Day = Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD")]


def store_of(request: Request) -> Store:
    return request.app.state.pool.get()


def event_filters(
    type: Text = None,
    actor: Text = None,
    recipient: Text = None,
    location: Text = None,
    date_from: Annotated[Day, Query(alias="from")] = None,
    date_to: Annotated[Day, Query(alias="to")] = None,
    site: Text = None,
    story: Text = None,
) -> EventQuery:
    """The event filters the events endpoints share (a FastAPI dependency)."""
    return event_query(type, actor, recipient, location, date_from, date_to, site, story)


EventFilters = Annotated[EventQuery, Depends(event_filters)]


def paged(query: EventQuery, page: int, limit: int) -> EventQuery:
    return replace(query, limit=limit, offset=views.offset_for(page, limit))


@router.get("/search", summary="Full-text search across Arabic spelling variants")
def search(
    request: Request,
    q: Annotated[str, Query(max_length=MAX_QUERY, description="Words or «phrases».")] = "",
    site: Text = None,
    date_from: Annotated[Day, Query(alias="from")] = None,
    date_to: Annotated[Day, Query(alias="to")] = None,
    entity: Text = None,
    type: Text = None,
    story: Text = None,
    page: Page = 1,
    limit: Limit = 20,
    facets: Annotated[
        bool | None,
        Query(
            description="Counts by site, event type and entity over all matches. Default: on "
            "when a query or filter narrows the base (over a whole large base they cost a scan)."
        ),
    ] = None,
) -> dict[str, Any]:
    if facets is None:
        facets = bool(q.strip()) or views.filtered(site, date_from, date_to, entity, type, story)
    query = search_query(q, site, date_from, date_to, entity, type, story, page, limit, facets)
    result = store_of(request).search(query)
    return {**result.to_dict(), "page": page}


@router.get("/article/{record_id}", summary="One article: the full record contract")
def article(request: Request, record_id: str) -> dict[str, Any]:
    record = store_of(request).get(record_id[:200])
    if record is None:
        raise NotFound(f"no article {record_id[:80]!r}")
    return record


@router.get("/entities", summary="The most mentioned entities, optionally of one type")
def entities(
    request: Request,
    type: Text = None,
    page: Page = 1,
    limit: Limit = 50,
) -> list[dict[str, Any]]:
    rows = views.entity_rows(store_of(request), type, page, limit)
    return [row.to_dict() for row in rows]


@router.get(
    "/entity/{entity_id:path}",
    summary="One entity: aliases, mentions per day, co-mentioned entities, latest articles",
)
def entity(request: Request, entity_id: str) -> dict[str, Any]:
    detail = store_of(request).entity(entity_id[:200])
    if detail is None:
        raise NotFound(f"no entity {entity_id[:80]!r}")
    return detail.to_dict()


@router.get("/quotes", summary="Quotes by speaker, speaker entity, side, story or article")
def quotes(
    request: Request,
    speaker: Text = None,
    entity: Text = None,
    story: Text = None,
    article: Text = None,
    side: Text = None,
    page: Page = 1,
    limit: Limit = 50,
) -> list[dict[str, Any]]:
    return quote_rows(store_of(request), speaker, entity, story, article, side, page, limit)


@router.get("/events", summary="PLOVER events by type, actor, place, dates, site or story")
def events(
    request: Request, filters: EventFilters, page: Page = 1, limit: Limit = 50
) -> list[dict[str, Any]]:
    return store_of(request).events(paged(filters, page, limit))


@router.get(
    "/events.geojson",
    summary="The located events of a page of results, as GeoJSON points",
    response_class=JSONResponse,
)
def events_geojson(
    request: Request, filters: EventFilters, page: Page = 1, limit: Limit = 100
) -> JSONResponse:
    store = store_of(request)
    pins = views.event_pins(store, store.events(paged(filters, page, limit)), Messages("en"))
    return JSONResponse(views.geojson(pins), media_type="application/geo+json")


@router.get(
    "/events/timeline",
    summary="Event counts by day and PLOVER type (over the newest matching events)",
)
def events_timeline(request: Request, filters: EventFilters) -> dict[str, Any]:
    rows = list(views.iter_events(store_of(request), filters, views.TIMELINE_EVENTS))
    return {**views.timeline(rows), "events": len(rows), "cap": views.TIMELINE_EVENTS}


@router.get("/stories", summary="Story clusters carried by several outlets, largest first")
def stories(
    request: Request,
    page: Page = 1,
    limit: Limit = 20,
    min_size: Annotated[int, Query(ge=1, le=1000)] = 2,
) -> list[dict[str, Any]]:
    rows = store_of(request).stories(
        top=limit, offset=views.offset_for(page, limit), min_size=min_size
    )
    return [row.to_dict() for row in rows]


@router.get("/story/{story_id}", summary="One story with its outlets in publication order")
def story(request: Request, story_id: str) -> dict[str, Any]:
    detail = store_of(request).story(story_id[:200])
    if detail is None:
        raise NotFound(f"no story {story_id[:80]!r}")
    return detail.to_dict()


@router.get("/stats", summary="Counts of everything in the base")
def stats(request: Request) -> dict[str, int]:
    return request.app.state.pool.stats().to_dict()


@router.post(
    "/ingest",
    summary="Extract, annotate and store one page (HTML, text or JSON); returns its record",
    description="Off unless the server was started with a token (`rasid serve --token …`); "
    "then send it as `Authorization: Bearer <token>`. The body is the page itself.",
)
async def ingest(request: Request) -> JSONResponse:
    token: str | None = request.app.state.ingest_token
    if not token:
        raise BadRequest("ingest is off: start the server with --token to enable it", 403)
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise BadRequest("missing or wrong token (Authorization: Bearer <token>)", 401)
    body = await request.body()
    if not body.strip():
        raise BadRequest("empty body: send the page (HTML, text or JSON) as the request body")
    if len(body) > MAX_DOCUMENT_BYTES:
        raise BadRequest(f"page larger than {MAX_DOCUMENT_BYTES} bytes", 413)
    name = {"text/html": "page.html", "application/json": "page.json"}.get(
        request.headers.get("content-type", "").split(";")[0].strip()
    )
    # Extraction and annotation are CPU work: off the event loop.
    record = await run_in_threadpool(_ingest_one, request.app.state.pool, body, name)
    return JSONResponse(record, status_code=201)


def _ingest_one(pool: views.StorePool, body: bytes, name: str | None) -> dict[str, Any]:
    pages = list(read_stream(io.BytesIO(body), Where(path="api:ingest", name=name)))
    if len(pages) != 1:
        raise BadRequest(f"send one page per request (this body holds {len(pages)})")
    record = process(pages[0])
    if failed(record):
        raise BadRequest("nothing could be extracted: " + "; ".join(record.errors)[:500])
    store = pool.get()
    store.put_batch([record])
    pool.changed()
    stored = store.get(record.id)
    return stored if stored is not None else record.to_dict()
