"""The analyst's desk: server time per page type, p50/p95, HTML page and JSON API side by side.

    .venv/bin/python bench/ui.py                      # the demo corpus, ingested into a tmp base
    .venv/bin/python bench/ui.py --db rasid-62k.db    # a base you built (SaudiNewsNet + ANT …)
    .venv/bin/python bench/ui.py --db … --requests 200 --json out/ui.json

Target (issue 7): every page under 300 ms server time at p95 on the SaudiNewsNet+ANT base.
Server time is what the app's own middleware measures (the ``Server-Timing`` header it sends
on every response): routing, store queries, rendering — no network, no browser. Requests go
through the ASGI app in-process, one at a time, after one warm-up request per page type (the
first render compiles templates). Each page type is asked with parameters drawn from the base
itself: queries from its most mentioned entity names and common words, ids of its articles,
entities and stories, so the figures cover real, varied lookups, not one cached answer.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import httpx  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from rasid.api import create_app  # noqa: E402
from rasid.store import QuoteQuery, SearchQuery, Store, open_store  # noqa: E402
from rasid.store.ingest import ingest  # noqa: E402

BUDGET_MS = 300.0
WORDS = ["الحرب", "الرئيس", "مجلس الأمن", "النفط", "اتفاق", "هجوم", "الحكومة", "المملكة", "غزة"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def server_ms(response: httpx.Response) -> float:
    match = re.search(r"dur=([\d.]+)", response.headers.get("server-timing", ""))
    return float(match.group(1)) if match else float("nan")


def samples(store: Store, n: int, rng: random.Random) -> dict[str, list[str]]:
    """Parameters drawn from the base: ``{page type: [path suffix, …]}``."""
    names = [e.name for e in store.entities(top=40)] or ["خبر"]
    entity_ids = [e.id for e in store.entities(top=200)] or ["none"]
    people = [e.id for e in store.entities(type="PER", top=50)] or entity_ids
    ids: list[str] = []
    offset = 0
    while len(ids) < 400:
        page = store.search(SearchQuery(limit=100, offset=offset))
        ids += [h.id for h in page.hits]
        offset += 100
        if len(page.hits) < 100 or offset > 5000:
            break
    ids = ids or ["none"]
    stories = [s.id for s in store.stories(top=50)]
    speakers = [
        (q.get("speaker") or {}).get("name")
        for q in store.quotes(QuoteQuery(limit=200))
        if isinstance(q.get("speaker"), dict)
    ]
    speakers = [s for s in speakers if s] or ["المتحدث"]
    types = ["ASSAULT", "CONSULT", "ACCUSE", "AID", "AGREE", "THREATEN"]
    # Months the base covers, from its most mentioned entity's mentions per day.
    top = store.entity(entity_ids[0]) if entity_ids != ["none"] else None
    months = sorted({day[:7] for day, _ in top.timeline}) if top else []
    months = months or ["2024-01"]

    def pick(items: list[str]) -> str:
        return quote(rng.choice(items), safe=":")

    draw: dict[str, Callable[[], str]] = {
        "search": lambda: "search?q=" + pick(names + WORDS),
        "search+facet": lambda: "search?q=" + pick(WORDS) + "&type=" + pick(types),
        "browse (no query)": lambda: f"search?page={rng.randint(1, 20)}",
        "article": lambda: "article/" + pick(ids),
        "entity": lambda: "entity/" + pick(entity_ids),
        "quotes": lambda: rng.choice(["quotes", "quotes?speaker=" + pick(speakers)]),
        "quotes by entity": lambda: "quotes?entity=" + pick(people),
        "events": lambda: rng.choice(["events", "events?type=" + pick(types)]),
        "stories": lambda: f"stories?page={rng.randint(1, 3)}",
    }
    if stories:
        draw["quotes of a story"] = lambda: "quotes?story=" + pick(stories)

    def month_events() -> str:
        month = rng.choice(months)
        return f"events?from={month}-01&to={month}-28"

    # Drawn last, so the other page types get the same parameters as in earlier runs.
    draw["events of a month"] = month_events
    return {name: [make() for _ in range(n)] for name, make in draw.items()}


def measure(client: TestClient, paths: list[str]) -> list[float]:
    times = []
    for path in paths:
        response = client.get(path)
        if response.status_code >= 500:
            raise SystemExit(f"{path}: {response.status_code} {response.text[:200]}")
        times.append(server_ms(response))
    return times


def demo_base(folder: str) -> str:
    path = str(Path(folder) / "demo.db")
    with open_store(path) as store:
        ingest([str(REPO / "demo")], store)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a base (SQLite path or postgresql:// URL); default: demo")
    parser.add_argument("--requests", type=int, default=60, help="requests per page type")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="write every figure here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if not db:
            started = time.perf_counter()
            db = demo_base(tmp)
            print(f"no --db: ingested the demo corpus in {time.perf_counter() - started:.1f} s")
        with open_store(db, create=False) as store:
            stats = store.stats()
            plan = samples(store, args.requests, random.Random(args.seed))
        print(
            f"base {db}: {stats.articles:,} articles, {stats.entities:,} entities, "
            f"{stats.quotes:,} quotes, {stats.events:,} events, {stats.stories:,} stories"
        )
        rows = []
        with TestClient(create_app(db), raise_server_exceptions=True) as client:
            for name, paths in plan.items():
                for prefix in ("/", "/api/"):  # warm-up: template compile, first query plans
                    client.get(prefix + paths[0])
                html = measure(client, ["/" + p for p in paths])
                # The API mirrors the pages: /search → /api/search, /article/x → /api/article/x …
                api = measure(client, ["/api/" + p for p in paths])
                rows.append((name, html, api))

    print(f"\nserver time in ms, {args.requests} requests per page type (budget {BUDGET_MS:.0f})")
    head = f"{'page':20s} {'html p50':>9s} {'html p95':>9s} {'api p50':>8s} {'api p95':>8s}"
    print(head + f" {'html/api p95':>13s} {'p95/budget':>11s}")
    report = {"db": db, "stats": stats.to_dict(), "budget_ms": BUDGET_MS, "pages": {}}
    worst = 0.0
    for name, html, api in rows:
        h50, h95 = statistics.median(html), percentile(html, 95)
        a50, a95 = statistics.median(api), percentile(api, 95)
        worst = max(worst, h95, a95)
        print(
            f"{name:20s} {h50:9.1f} {h95:9.1f} {a50:8.1f} {a95:8.1f} "
            f"{h95 / max(a95, 0.01):13.2f} {max(h95, a95) / BUDGET_MS:11.2f}"
        )
        report["pages"][name] = {
            "html": {"p50": h50, "p95": h95, "max": max(html)},
            "api": {"p50": a50, "p95": a95, "max": max(api)},
        }
    verdict = "within" if worst <= BUDGET_MS else "OVER"
    print(f"\nworst p95 {worst:.1f} ms: {verdict} the {BUDGET_MS:.0f} ms budget")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
