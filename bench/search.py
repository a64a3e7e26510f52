"""Search latency on a SQLite base: p50/p95 of top-20 queries, side by side across bases.

    .venv/bin/python bench/search.py                                   # the 62k base
    .venv/bin/python bench/search.py --db out/bench/rasid-62k.db --db out/bench/rasid-1m.db

The 200 queries are varied and drawn from the base itself (seeded, so every run and every base
gets the same list): one, two and three words from real titles, written as a user would
(without hamza, with ه for ة, with a clitic و/ب/ل attached), quoted phrases, and queries with
a site or date filter (also timed apart). Each query is
``Store.search(SearchQuery(text, limit=20))`` as the CLI runs it: ranked hits, total count and
highlighted snippets. Each base file is read once before its queries, so the figures are
those of a warm page cache. Build the bases with ``bench/ingest.py`` (``--only-million`` for the
1,000,000-article one).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "out" / "bench"

try:
    import rasid  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(REPO / "src"))

from rasid.store import SearchQuery, open_store  # noqa: E402

_WORD = re.compile(r"[\u0621-\u064a]{4,}")
_HAMZA = str.maketrans("أإآ", "ااا")


def _variant(word: str, rng: random.Random) -> str:
    """The word as a hurried user types it."""
    kind = rng.randrange(4)
    if kind == 0:
        return word.translate(_HAMZA)
    if kind == 1:
        return word[:-1] + "ه" if word.endswith("ة") else word
    if kind == 2:
        return rng.choice("وبل") + word
    return word


def make_queries(db: Path, n: int, seed: int) -> list[SearchQuery]:
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    top = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0
    rows = []
    while len(rows) < n * 2 and top:
        row = conn.execute(
            "SELECT title, site, day FROM articles WHERE rowid >= ? AND title IS NOT NULL"
            " LIMIT 1", (rng.randint(1, top),)).fetchone()  # fmt: skip
        if row:
            rows.append(row)
    conn.close()
    queries: list[SearchQuery] = []
    for title, site, day in rows:
        words = _WORD.findall(title)
        if not words:
            continue
        kind = len(queries) % 5
        if kind == 0:
            text = _variant(rng.choice(words), rng)
            queries.append(SearchQuery(text=text))
        elif kind == 1:
            picked = rng.sample(words, min(2, len(words)))
            queries.append(SearchQuery(text=" ".join(_variant(w, rng) for w in picked)))
        elif kind == 2:
            picked = rng.sample(words, min(3, len(words)))
            queries.append(SearchQuery(text=" ".join(picked)))
        elif kind == 3:
            i = rng.randrange(len(words))
            queries.append(SearchQuery(text=f"«{' '.join(words[i : i + 2])}»"))
        else:
            text = _variant(rng.choice(words), rng)
            if day and rng.random() < 0.5:
                queries.append(SearchQuery(text=text, date_from=day[:8] + "01", date_to=day))
            else:
                queries.append(SearchQuery(text=text, site=site))
        if len(queries) == n:
            break
    return queries


def warm(db: Path) -> float:
    """Read the base file once, so every base is timed with a warm page cache, as a server
    that has been answering for a while has it (a 5 GB base read cold from disk measures the
    disk instead). Returns the seconds the read took."""
    started = time.perf_counter()
    for path in (db, db.with_name(db.name + "-wal")):
        if path.exists():
            with path.open("rb") as handle:
                while handle.read(1 << 24):
                    pass
    return time.perf_counter() - started


def measure(db: Path, queries: list[SearchQuery]) -> dict:
    times: list[float] = []
    filtered: list[float] = []
    totals: list[int] = []
    warm_s = warm(db)
    with open_store(str(db), create=False) as store:
        store.search(SearchQuery(text="تجربة"))  # open the files
        for query in queries:
            started = time.perf_counter()
            page = store.search(query)
            times.append((time.perf_counter() - started) * 1000)
            totals.append(page.total)
            if query.site or query.date_from:
                filtered.append(times[-1])
        articles = store.stats().articles
    times.sort()
    filtered.sort()
    return {
        "db": str(db), "articles": articles, "queries": len(times), "warm_s": round(warm_s, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "max_ms": round(times[-1], 1),
        "filtered_p50_ms": round(statistics.median(filtered), 1) if filtered else None,
        "filtered_max_ms": round(filtered[-1], 1) if filtered else None,
        "median_matches": statistics.median(totals),
        "no_match": sum(1 for t in totals if t == 0),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, action="append")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    dbs = args.db or [OUT / "rasid-62k.db"]
    missing = [db for db in dbs if not db.exists()]
    if missing:
        print(f"no base at {missing[0]}: build it with bench/ingest.py first")
        return 0
    queries = make_queries(dbs[0], args.queries, args.seed)
    results = [measure(db, queries) for db in dbs]
    print(f"{len(queries)} top-20 queries (target p95 ≤ 50 ms)")
    print(f"{'base':28s} {'articles':>9s} {'p50 ms':>7s} {'p95 ms':>7s} {'max ms':>7s} "
          f"{'ratio p95':>9s} {'filtered p50':>12s} {'filtered max':>12s}")  # fmt: skip
    for result in results:
        ratio = result["p95_ms"] / max(results[0]["p95_ms"], 1e-9)
        print(f"{Path(result['db']).name:28s} {result['articles']:9d} {result['p50_ms']:7.1f} "
              f"{result['p95_ms']:7.1f} {result['max_ms']:7.1f} {ratio:9.2f} "
              f"{result['filtered_p50_ms'] or 0:12.1f} "
              f"{result['filtered_max_ms'] or 0:12.1f}")  # fmt: skip
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
