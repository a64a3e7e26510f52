"""The PostgreSQL store beside the SQLite store, on the same records, in one run.

    .venv/bin/python bench/postgres.py                  # 2,000 SaudiNewsNet articles
    .venv/bin/python bench/postgres.py --limit 10000
    .venv/bin/python bench/postgres.py --pg postgresql://user@host/db   # an existing server

What it prints, SQLite and PostgreSQL side by side with the ratio PostgreSQL / SQLite:

* storing: the same records (read and extracted once, beforehand, annotation layers on) put
  into a fresh base of each kind in batches of ``--batch`` (``Store.put_batch``), records/s;
* search: the query mix of ``bench/search.py`` (words as a hurried user types them, phrases,
  filters) drawn from the stored titles, p50/p95 latency of ``Store.search`` (top 20 with
  snippets and the total count);
* agreement: what each base holds (articles, sources, story clusters) — the dedup and
  clustering rules are shared, so these must be equal — and, per query, the number of matches
  (PostgreSQL's ``arabic`` snowball stemmer merges more word forms than the light stemmer
  alone, so it finds as many or more) and the overlap of the two top-20 lists.

Without ``--pg`` a throwaway server is started with the test suite's harness
(``tests/store/pg_server.py``: initdb on a free port, deleted afterwards). Articles come from
``../shared/data/corpora/saudinewsnet``; without it the demo corpus is used (small: the figures
then say little). Bases are written under ``out/bench/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data" / "corpora" / "saudinewsnet" / "dataset"
OUT = REPO / "out" / "bench"
sys.path.insert(0, str(REPO))  # tests.store.pg_server, bench.search
try:
    import rasid  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(REPO / "src"))

from bench.search import make_queries  # noqa: E402

from rasid import ingest as reader  # noqa: E402
from rasid.pipeline import run  # noqa: E402
from rasid.store import SearchQuery, Store, open_store  # noqa: E402


def read_records(limit: int) -> tuple[list, str, float]:
    source = DATA if DATA.exists() else REPO / "demo"
    started = time.perf_counter()
    records = list(islice(run(reader.read([str(source)]), workers=2), limit))
    return records, str(source), time.perf_counter() - started


def put_all(store: Store, records: list, batch: int) -> float:
    started = time.perf_counter()
    for i in range(0, len(records), batch):
        store.put_batch(records[i : i + batch])
    return time.perf_counter() - started


def search_all(store: Store, queries: list[SearchQuery]) -> dict:
    store.search(SearchQuery(text="تجربة"))  # warm up: connections, caches
    times, totals, tops = [], [], []
    for query in queries:
        started = time.perf_counter()
        page = store.search(query)
        times.append((time.perf_counter() - started) * 1000)
        totals.append(page.total)
        tops.append({hit.id for hit in page.hits})
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "totals": totals,
        "tops": tops,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=2000, help="articles to store")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--pg", help="an existing, empty PostgreSQL database URL")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args()

    server = None
    pg_url = args.pg
    if pg_url is None:
        from tests.store.pg_server import PgServer, missing_reason

        reason = missing_reason()
        if reason:
            print(f"no PostgreSQL server: {reason}")
            return 0
        server = PgServer()
        server.start()
        pg_url = server.create_database("rasid_bench")
    try:
        records, source, read_s = read_records(args.limit)
        print(f"{len(records)} records from {source} (read + extract + annotate: {read_s:.1f} s)")
        OUT.mkdir(parents=True, exist_ok=True)
        sqlite_path = OUT / "postgres-compare.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)

        figures: dict = {"records": len(records), "source": source, "batch": args.batch}
        with open_store(str(sqlite_path)) as lite, open_store(pg_url) as pg:
            put = {
                "sqlite": put_all(lite, records, args.batch),
                "postgres": put_all(pg, records, args.batch),
            }
            queries = make_queries(sqlite_path, args.queries, args.seed)
            found = {"sqlite": search_all(lite, queries), "postgres": search_all(pg, queries)}
            stats = {"sqlite": lite.stats().to_dict(), "postgres": pg.stats().to_dict()}
    finally:
        if server is not None:
            server.destroy()

    print(f"\n{'':28s} {'SQLite':>10s} {'PostgreSQL':>11s} {'PG/SQLite':>10s}")
    rate = {k: len(records) / max(v, 1e-9) for k, v in put.items()}
    print(f"{'put_batch records/s':28s} {rate['sqlite']:10.1f} {rate['postgres']:11.1f} "
          f"{rate['postgres'] / rate['sqlite']:10.2f}")  # fmt: skip
    for key in ("p50_ms", "p95_ms"):
        a, b = found["sqlite"][key], found["postgres"][key]
        print(
            f"{'search ' + key.replace('_', ' '):28s} {a:10.1f} {b:11.1f} {b / max(a, 1e-9):10.2f}"
        )
    for key in ("articles", "sources", "stories", "clustered", "failures"):
        a, b = stats["sqlite"][key], stats["postgres"][key]
        print(f"{key:28s} {a:10d} {b:11d} {'same' if a == b else 'DIFFERENT':>10s}")
    lite_totals, pg_totals = found["sqlite"]["totals"], found["postgres"]["totals"]
    overlap = [
        len(a & b) / len(a | b) for a, b in zip(found["sqlite"]["tops"], found["postgres"]["tops"],
                                                strict=True) if a | b
    ]  # fmt: skip
    print(f"\n{len(queries)} queries: median matches SQLite {statistics.median(lite_totals)}, "
          f"PostgreSQL {statistics.median(pg_totals)}; PostgreSQL finds as many or more in "
          f"{sum(p >= s for s, p in zip(lite_totals, pg_totals, strict=True))}/{len(queries)}; "
          f"no match: SQLite {lite_totals.count(0)}, PostgreSQL {pg_totals.count(0)}; "
          f"top-20 overlap (Jaccard) mean {statistics.mean(overlap or [1.0]):.2f}")  # fmt: skip
    figures.update(
        put_seconds=put, records_per_second=rate, stats=stats,
        search={k: {m: v[m] for m in ("p50_ms", "p95_ms")} for k, v in found.items()},
        matches={"sqlite": lite_totals, "postgres": pg_totals},
        top20_jaccard_mean=statistics.mean(overlap or [1.0]),
    )  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
