"""The web UI: server-rendered pages (Jinja2, autoescaped), Arabic right-to-left by default,
English with ``?lang=en``. The pages ask the store the same questions as the JSON API."""

from __future__ import annotations

from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from rasid.api import views
from rasid.api.api import Day, Limit, Page, Text, store_of
from rasid.api.i18n import Messages, pick_lang, plover_types
from rasid.api.views import MAX_QUERY, NotFound, blank, event_query, quote_rows, search_query
from rasid.store import EventQuery, QuoteQuery

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(files("rasid.api").joinpath("templates")))
templates.env.globals["safe_url"] = views.safe_url
templates.env.filters["when"] = views.when
templates.env.globals["plover_types"] = plover_types()

LANG_COOKIE = "rasid_lang"


def messages(request: Request) -> Messages:
    return Messages(pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)))


def url_with(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = {k: v for k, v in request.query_params.items() if k != "lang"}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + ("?" + query if query else "")


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    t = messages(request)
    other = "en" if t.lang == "ar" else "ar"
    response = templates.TemplateResponse(
        request,
        name,
        {
            "t": t,
            "lang_url": url_with(request, lang=other),
            "url_with": lambda **kw: url_with(request, **kw),
            **context,
        },
        status_code=status,
    )
    if request.query_params.get("lang") == t.lang:
        response.set_cookie(LANG_COOKIE, t.lang, max_age=365 * 86400, samesite="lax")
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, message=message)


def pager(page: int, limit: int, shown: int, total: int | None = None) -> dict[str, Any]:
    """What the pagination bar needs; without a total, "next" shows when the page was full."""
    has_next = (page * limit < total) if total is not None else shown >= limit
    return {
        "page": page,
        "first": (page - 1) * limit + 1 if shown else 0,
        "last": (page - 1) * limit + shown,
        "total": total,
        "prev": page - 1 if page > 1 else None,
        "next": page + 1 if has_next else None,
    }


@router.get("/", response_class=HTMLResponse)
@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
    site: Text = None,
    date_from: Annotated[Day, Query(alias="from")] = None,
    date_to: Annotated[Day, Query(alias="to")] = None,
    entity: Text = None,
    type: Text = None,
    story: Text = None,
    page: Page = 1,
    # Ten results a page: each hit's snippet is cut from its article text at query time.
    limit: Limit = 10,
) -> Response:
    filtered = views.filtered(site, date_from, date_to, entity, type, story)
    # Facets count over every match: asked only when a query or filter narrows the base.
    wanted = bool(q.strip()) or filtered
    query = search_query(q, site, date_from, date_to, entity, type, story, page, limit, wanted)
    store = store_of(request)
    result = store.search(query)
    hits = [
        {
            "hit": hit,
            "segments": views.marked_segments(hit.snippet, hit.highlights),
        }
        for hit in result.hits
    ]
    return render(
        request,
        "search.html",
        q=q,
        query=query,
        hits=hits,
        total=result.total,
        facets=result.facets,
        filtered=filtered,
        pager=pager(page, limit, len(hits), result.total),
        stats=request.app.state.pool.stats() if not wanted else None,
    )


@router.get("/article/{record_id}", response_class=HTMLResponse)
def article_page(request: Request, record_id: str) -> Response:
    store = store_of(request)
    record = store.get(record_id[:200])
    if record is None:
        raise NotFound(f"no article {record_id[:80]!r}")
    t = messages(request)
    others: list[dict[str, Any]] = []
    story = record.get("story")
    if story:
        detail = store.story(story)
        if detail is not None:
            others = [m for m in detail.members if m.get("id") != record["id"]]
    for source in record.get("sources") or []:  # exact copies under another id
        if source.get("id") != record["id"] and all(o["id"] != source["id"] for o in others):
            others.append(source)
    entities: dict[str, dict[str, Any]] = {}
    for mention in record.get("entities") or []:
        key = mention.get("entity") or mention.get("text")
        item = entities.setdefault(
            key,
            {
                "id": mention.get("entity"),
                "name": mention.get("name") or mention.get("text"),
                "type": mention.get("type"),
                "en": mention.get("en"),
                "count": 0,
            },
        )
        item["count"] += 1
    return render(
        request,
        "article.html",
        record=record,
        paragraphs=views.paragraphs(record, t),
        speakers=views.speakers(record),
        entities=sorted(entities.values(), key=lambda e: -e["count"]),
        pins=views.record_pins(record, t),
        others=others,
    )


@router.get("/entity/{entity_id:path}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str) -> Response:
    store = store_of(request)
    detail = store.entity(entity_id[:200])
    if detail is None:
        raise NotFound(f"no entity {entity_id[:80]!r}")
    eid = detail.entity.id
    return render(
        request,
        "entity.html",
        detail=detail,
        e=detail.entity,
        series={"days": [d for d, _ in detail.timeline], "counts": [c for _, c in detail.timeline]},
        said=store.quotes(QuoteQuery(entity=eid, limit=20)),
        as_actor=store.events(EventQuery(actor=eid, limit=20)),
        as_recipient=store.events(EventQuery(recipient=eid, limit=20)),
    )


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request, type: Text = None, page: Page = 1, limit: Limit = 50
) -> Response:
    rows = views.entity_rows(store_of(request), type, page, limit)
    return render(
        request, "entities.html", rows=rows, type=blank(type), pager=pager(page, limit, len(rows))
    )


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(
    request: Request,
    speaker: Text = None,
    entity: Text = None,
    story: Text = None,
    side: Text = None,
    page: Page = 1,
    limit: Limit = 50,
) -> Response:
    store = store_of(request)
    rows = quote_rows(store, speaker, entity, story, None, side, page, limit)
    by_side: dict[str, list[dict[str, Any]]] = {}
    if blank(story):
        for quote in rows:
            by_side.setdefault(quote.get("side") or "—", []).append(quote)
    return render(
        request,
        "quotes.html",
        rows=rows,
        by_side=by_side if len(by_side) > 1 else {},
        form={"speaker": speaker, "entity": entity, "story": story, "side": side},
        pager=pager(page, limit, len(rows)),
    )


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    type: Text = None,
    actor: Text = None,
    location: Text = None,
    date_from: Annotated[Day, Query(alias="from")] = None,
    date_to: Annotated[Day, Query(alias="to")] = None,
    site: Text = None,
    page: Page = 1,
    limit: Limit = 50,
) -> Response:
    t = messages(request)
    store = store_of(request)
    query = event_query(type, actor, None, location, date_from, date_to, site, None, page, limit)
    rows = store.events(query)
    sample = list(views.iter_events(store, query, views.TIMELINE_EVENTS))
    return render(
        request,
        "events.html",
        rows=rows,
        form={
            "type": blank(type),
            "actor": actor,
            "location": location,
            "from": query.date_from,
            "to": query.date_to,
            "site": site,
        },
        timeline=views.timeline(sample),
        sampled=len(sample),
        pins=views.event_pins(store, rows, t),
        pager=pager(page, limit, len(rows)),
    )


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, page: Page = 1, limit: Limit = 10) -> Response:
    store = store_of(request)
    rows = store.stories(top=limit, offset=views.offset_for(page, limit))
    # The outlets of each listed story in publication order (one indexed read per story).
    stories = [(row, (store.story(row.id) or None)) for row in rows]
    return render(request, "stories.html", stories=stories, pager=pager(page, limit, len(rows)))
