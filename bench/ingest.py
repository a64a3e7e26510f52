"""Ingest throughput, peak memory and clustering time of the SQLite base.

    .venv/bin/python bench/ingest.py                      # SaudiNewsNet + ANT (~62,000 articles)
    .venv/bin/python bench/ingest.py --limit 2000         # a quick look
    .venv/bin/python bench/ingest.py --million            # + a 1,000,000-article base (long)
    .venv/bin/python bench/ingest.py --cluster-only       # clustering of the existing 62k base
    .venv/bin/python bench/ingest.py --cluster-only --copies 17   # … of the 1M base's texts
    .venv/bin/python bench/ingest.py --cluster-only --db out/bench/rasid-1m.db   # read from it

What it prints, side by side in one run:

* end to end ingest (read → extract → annotate → store, ``rasid.store.ingest.ingest``; with
  ``--no-annotate`` the annotation layers are switched off to separate their cost) on
  ``--workers`` processes: articles per second, and the resident memory of the main process
  and of its workers sampled as the run goes (at 10 %, 50 % and 100 % of the documents: flat
  figures mean memory is bounded by the batch, not by the corpus);
* the store's share: the same records put again into a fresh base without extraction
  (``put_batch`` alone), so the cost of extraction and of storing can be compared;
* clustering alone: MinHash fingerprints + LSH + pair decisions over every stored text
  (``rasid.dedup.fingerprint_table`` on ``--workers`` processes, then ``rasid.dedup.cluster``,
  which makes the same decisions as the stores' incremental clustering); ``--cluster-only``
  times just this on an existing base;
* with ``--million``: a base of 1,000,000 articles made by replicating the 62k base with
  altered ids (each copy a new article: the text gets a marker word so it is not an exact
  duplicate), and clustering timed on it. ``bench/search.py --db`` then measures search on it.

Data is read from ``../shared/data/corpora`` at run time; the script exits 0 with a note when it
is absent. Bases are written under ``out/bench/`` (git-ignored), never into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import sys
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data"
OUT = REPO / "out" / "bench"
CORPORA = {
    "saudinewsnet": Path("corpora") / "saudinewsnet" / "dataset",
    "ant": Path("corpora") / "ant_multisource_v2.1" / (
        "antcorpus.multisource.data-f117ce44a9cfad0dcbd341b7d744e4c3cdb4fed8.tar.gz"),
}  # fmt: skip

try:
    import rasid  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(REPO / "src"))

from rasid import dedup  # noqa: E402
from rasid.store import open_store  # noqa: E402
from rasid.store.base import BatchResult  # noqa: E402
from rasid.store.ingest import ingest  # noqa: E402
from rasid.store.text import filter_tags, index_alternates, index_text  # noqa: E402


def rss_mb(pid: int) -> float:
    """Resident memory of one process, from /proc (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def run_ingest(paths: list[str], db: Path, workers: int, batch: int, expected: int) -> dict:
    if db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    samples: dict[str, tuple[float, float]] = {}
    marks = {"10%": expected * 0.1, "50%": expected * 0.5}
    done = 0
    total = BatchResult()
    me = os.getpid()

    def on_batch(result: BatchResult) -> None:
        nonlocal done
        done += result.stored + result.duplicates + result.failed + result.skipped
        for name, threshold in list(marks.items()):
            if done >= threshold:
                workers_rss = sum(rss_mb(c) for c in children(me))
                samples[name] = (rss_mb(me), workers_rss)
                del marks[name]
        if done % 5000 < batch:
            rate = done / max(time.monotonic() - started, 1e-6)
            print(f"  … {done} documents, {rate:.1f}/s", flush=True)

    started = time.monotonic()
    with open_store(str(db)) as store:
        total = ingest(paths, store, workers=workers, batch_size=batch, on_batch=on_batch)
        samples["100%"] = (rss_mb(me), sum(rss_mb(c) for c in children(me)))
        stats = store.stats()
    elapsed = time.monotonic() - started
    return {
        "documents": done, "seconds": round(elapsed, 1),
        "documents_per_second": round(done / elapsed, 1),
        "articles_per_second": round(total.stored / elapsed, 1),
        "result": total.to_dict(), "stats": stats.to_dict(),
        "rss_mb": {k: [round(v[0]), round(v[1])] for k, v in samples.items()},
        "peak_rss_main_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }  # fmt: skip


def store_only(db: Path, target: Path, batch: int, limit: int) -> dict:
    """put_batch alone: the stored records into a fresh base, without extraction."""
    from rasid.export import record_from_dict

    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with open_store(str(db)) as source:
        records = []
        for n, data in enumerate(source.export_records()):
            if n >= limit:
                break
            records.append(record_from_dict(data))
    started = time.monotonic()
    with open_store(str(target)) as store:
        for i in range(0, len(records), batch):
            store.put_batch(records[i : i + batch])
    elapsed = time.monotonic() - started
    return {"records": len(records), "seconds": round(elapsed, 1),
            "records_per_second": round(len(records) / elapsed, 1)}  # fmt: skip


def _chunks(db: Path, copies: int, size: int = 2000) -> list[tuple[str, int, int, str]]:
    """(base, first rowid, last rowid, marker) per task: the base's rows in ranges of
    ``size``, once per copy. With ``copies`` > 1 every text again per copy with the copy's
    marker word (as in the replicated base), so each copy is fingerprinted for real."""
    with sqlite3.connect(db) as conn:
        rowids = [r[0] for r in conn.execute("SELECT rowid FROM articles ORDER BY rowid")]
    ranges = [(rowids[i], rowids[min(i + size, len(rowids)) - 1])
              for i in range(0, len(rowids), size)]  # fmt: skip
    return [(str(db), lo, hi, f" نسخه{copy}" if copies > 1 else "")
            for copy in range(copies) for lo, hi in ranges]  # fmt: skip


def _fingerprint_rows(
    task: tuple[str, int, int, str],
) -> tuple[dedup.FingerprintTable, list[tuple[str | None, str | None]], float, float]:
    """One worker task: read a range of the base's texts and fingerprint them, with their
    headlines and publication dates; with the CPU
    seconds spent reading and in all (CPU time, not wall time: on a loaded machine the two
    differ, and CPU time is what 2 idle cores would need)."""
    db, lo, hi, marker = task
    started = time.process_time()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute(
        "SELECT id, record, title, published FROM articles WHERE rowid BETWEEN ? AND ?"
        " ORDER BY rowid",
        (lo, hi),
    ).fetchall()
    conn.close()
    texts = []
    for record_id, blob, _title, _published in rows:
        # a base made by replicate() carries each copy's number in its ids: its texts get
        # the copy's marker word, as its search index does
        copy = record_id.rpartition("~")[2] if "~" in record_id else ""
        text = json.loads(zlib.decompress(blob))["text"]
        texts.append(text + (f" نسخه{copy}" if copy.isdigit() else marker))
    read = time.process_time() - started
    table = dedup.fingerprint_table(texts)
    return table, [(row[2], row[3]) for row in rows], read, time.process_time() - started


def cluster_all(db: Path, workers: int, copies: int = 1) -> dict:
    """Clustering alone over every text of the base, with the decisions ingest makes
    incrementally (``rasid.dedup.cluster``): fingerprints on ``workers`` processes (each
    reads its own rows), then LSH buckets, candidates and pair decisions in this process.
    With ``copies`` > 1 the base is replicated in memory (every copy fingerprinted)."""
    started = time.monotonic()
    tables, titles, dates, reading, cpu = [], [], [], 0.0, 0.0
    with ProcessPoolExecutor(workers) as pool:
        for table, given, read, spent in pool.map(_fingerprint_rows, _chunks(db, copies)):
            tables.append(table)
            titles += [title for title, _ in given]
            dates += [published for _, published in given]
            reading += read
            cpu += spent
    table = dedup.FingerprintTable.concat(tables)
    del tables
    fingerprinted = time.monotonic() - started
    cluster_cpu = time.process_time()
    # the headlines and dates too: the stores' decision reads them
    result = dedup.cluster(table, titles=titles, published=dates)
    cluster_cpu = time.process_time() - cluster_cpu
    elapsed = time.monotonic() - started
    sizes = np.bincount(result.story)
    return {
        "articles": len(table), "seconds": round(elapsed, 1),
        "fingerprint_seconds": round(fingerprinted, 1),
        "reading_cpu_seconds": round(reading, 1),
        "fingerprint_cpu_seconds": round(cpu - reading, 1),
        "cluster_seconds": round(elapsed - fingerprinted, 1),
        "cluster_cpu_seconds": round(cluster_cpu, 1),
        # what 2 (or --workers) otherwise idle cores would take: the workers' CPU shared out,
        # then the single-process LSH + decisions
        "idle_estimate_seconds": round(cpu / workers + cluster_cpu, 1),
        "candidates": result.candidates, "pair_decisions": result.decisions,
        "clusters_of_2_or_more": int(np.count_nonzero(sizes >= 2)),
        "largest_cluster": int(sizes.max()) if len(sizes) else 0,
        "load_average": os.getloadavg()[0],
    }  # fmt: skip


def print_clustering(c: dict) -> None:
    print(f"clustering {c['articles']} articles: {c['seconds']} s wall at load average "
          f"{c['load_average']:.2f} (fingerprints {c['fingerprint_seconds']} s wall: "
          f"{c['reading_cpu_seconds']} s CPU reading texts + {c['fingerprint_cpu_seconds']} s "
          f"CPU fingerprinting, summed over workers; LSH + decisions {c['cluster_seconds']} s "
          f"wall, {c['cluster_cpu_seconds']} s CPU); on idle cores ≈ "
          f"{c['idle_estimate_seconds']} s; {c['candidates']} candidate pairs, "
          f"{c['pair_decisions']} full decisions, {c['clusters_of_2_or_more']} stories of 2+, "
          f"largest {c['largest_cluster']}", flush=True)  # fmt: skip


def replicate(db: Path, target: Path, copies: int) -> dict:
    """The 1M base: every article of ``db`` ``copies`` times with altered ids (and a marker
    word, so the copies are articles of their own, not exact duplicates)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    started = time.monotonic()
    with open_store(str(target)):
        pass
    src = sqlite3.connect(db)
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA synchronous=OFF")
    rows = src.execute(
        "SELECT id, text_key, title, url, site, published, day, lang, record FROM articles"
    ).fetchall()
    indexed = []
    for row in rows:
        record = json.loads(zlib.decompress(row[-1]))
        indexed.append((index_text(row[2] or ""), index_text(record["text"]),
                        index_alternates(f"{row[2] or ''}\n{record['text']}")))  # fmt: skip
    n = 0
    for copy in range(copies):
        dst.execute("BEGIN")
        for row, (title, body, alts) in zip(rows, indexed, strict=True):
            new_id = f"{row[0]}~{copy}"
            cur = dst.execute(
                "INSERT INTO articles(id, text_key, title, url, site, published, day, lang,"
                " story, record) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (new_id, f"{row[1]}~{copy}", row[2], row[3], row[4], row[5], row[6], row[7],
                 new_id, row[8]),
            )  # fmt: skip
            rowid = cur.lastrowid
            dst.execute(
                "INSERT INTO sources(id, article, url, site, title, published, added)"
                " VALUES (?,?,?,?,?,?,'')",
                (new_id, rowid, row[3], row[4], row[2], row[5]),
            )
            dst.execute(
                "INSERT INTO stories(id, root, size, articles, first_published,"
                " last_published, title) VALUES (?,?,1,1,?,?,?)",
                (new_id, rowid, row[5], row[5], row[2]),
            )
            dst.execute(
                "INSERT INTO search(rowid, title, body, alternates, tags) VALUES (?,?,?,?,?)",
                (rowid, title, f"{body} نسخه{copy}", alts, filter_tags(row[4], row[6])),
            )
            n += 1
        dst.execute("COMMIT")
        print(f"  … {n} articles", flush=True)
    dst.execute("INSERT INTO search(search) VALUES ('optimize')")
    src.close()
    dst.close()
    return {"articles": n, "seconds": round(time.monotonic() - started, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--db", type=Path, default=OUT / "rasid-62k.db")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--reuse", action="store_true", help="keep an existing --db")
    parser.add_argument("--million", action="store_true", help="also build and cluster 1M")
    parser.add_argument(
        "--only-million", action="store_true",
        help="only build the 1M base from an existing --db (no ingest, no clustering)",
    )  # fmt: skip
    parser.add_argument(
        "--cluster-only", action="store_true",
        help="only time the clustering of the existing --db (no ingest, no rebuild)",
    )  # fmt: skip
    parser.add_argument(
        "--copies", type=int, default=1,
        help="with --cluster-only: cluster --db replicated N times in memory, each copy with"
        " its marker word as in the 1M base (17 × the 62k base = the 1M base)",
    )  # fmt: skip
    parser.add_argument(
        "--no-annotate", action="store_true",
        help="extract and store only (the annotation layers off), to separate their cost",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args()
    paths = [args.data / p for p in CORPORA.values()]
    if not all(p.exists() for p in paths):
        print(f"{args.data}/corpora is not present: shared data is only on dev/CI machines")
        return 0
    args.db.parent.mkdir(parents=True, exist_ok=True)
    figures: dict = {"workers": args.workers, "batch": args.batch,
                     "annotate": not args.no_annotate}  # fmt: skip
    if args.no_annotate:
        import rasid.annotate

        # Workers are forked after this, so they inherit the empty layer list.
        rasid.annotate._components = []

    if args.cluster_only:
        if not args.db.exists():
            print(f"{args.db} does not exist: build it first (without --cluster-only)")
            return 1
        figures["clustering"] = cluster_all(args.db, args.workers, copies=args.copies)
        print_clustering(figures["clustering"])
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
        return 0
    if args.only_million:
        args.reuse = args.million = True
    if not (args.reuse and args.db.exists()):
        inputs = [str(p) for p in paths]
        expected = args.limit or 62_555
        if args.limit:
            from itertools import islice

            from rasid import ingest as reader

            sample = args.db.parent / "sample.jsonl"
            with sample.open("w", encoding="utf-8") as f:
                for page in islice(reader.read(inputs), args.limit):
                    f.write(json.dumps({"id": page.given.get("id"), "url": page.source.url,
                                        "title": page.given.get("title"),
                                        "published": page.given.get("published"),
                                        "site": page.given.get("site") or page.source.site,
                                        "text": page.body}, ensure_ascii=False) + "\n")  # fmt: skip
            inputs = [str(sample)]
        print(f"ingest → {args.db} on {args.workers} workers, batches of {args.batch}")
        figures["ingest"] = run_ingest(inputs, args.db, args.workers, args.batch, expected)
        ing = figures["ingest"]
        print(f"ingest: {ing['documents']} documents in {ing['seconds']} s = "
              f"{ing['documents_per_second']} docs/s ({ing['articles_per_second']} new "
              f"articles/s); {ing['result']}")  # fmt: skip
        print(f"resident memory MB [main, workers] by progress: {ing['rss_mb']}; "
              f"peak main {ing['peak_rss_main_mb']} MB")  # fmt: skip

    if args.only_million:
        with sqlite3.connect(args.db) as conn:
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        copies = -(-1_000_000 // max(1, articles))
        figures["replicate"] = replicate(args.db, args.db.parent / "rasid-1m.db", copies)
        print(f"1M base: {figures['replicate']}")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
        return 0

    store_figures = store_only(args.db, args.db.parent / "store-only.db", args.batch, 10_000)
    figures["store_only"] = store_figures
    print(f"put_batch alone: {store_figures['records']} records in {store_figures['seconds']} s"
          f" = {store_figures['records_per_second']} records/s")  # fmt: skip

    figures["clustering"] = cluster_all(args.db, args.workers)
    print_clustering(figures["clustering"])

    if args.million:
        with sqlite3.connect(args.db) as conn:
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        copies = -(-1_000_000 // max(1, articles))
        big = args.db.parent / "rasid-1m.db"
        figures["replicate"] = replicate(args.db, big, copies)
        print(f"1M base: {figures['replicate']}")
        figures["clustering_1m"] = cluster_all(args.db, args.workers, copies=copies)
        print_clustering(figures["clustering_1m"])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
