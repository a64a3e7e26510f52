#!/usr/bin/env python3
"""Extraction benchmark: rasid's HTML extractor and trafilatura, side by side, in one run.

    .venv/bin/python bench/extraction.py [--limit N] [--repeat K] [--json PATH]

1. ScrapingHub article-extraction-benchmark (181 English pages): word-shingle precision,
   recall and F1 exactly as its evaluate.py computes them (see bench/scoring.py); the scorer is
   first checked against the published tools' predictions shipped with the data.
2. Arabic fixtures (assabah, CNN Arabic ×2, LBC): body F1 (same scorer, Unicode tokenizer for
   every system), must-have / must-not-have snippets, title, author and date.
3. Throughput, one core: every system over the same pages, measurements interleaved.

The data is read from ``<repo>/../shared/data`` (``--data`` to override) and never copied.
``rasid.extract.extract`` is optional: while it cannot be imported, trafilatura is reported
alone with a note saying why.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from fixtures import (
    AEB_DIR,
    ARABIC_DIR,
    DEFAULT_DATA,
    PUBLISHED_AEB,
    REPO,
    AebSet,
    Doc,
    Fixture,
    Snippet,
    load_aeb,
    load_arabic,
)
from scoring import Scores, score_page, score_pages, tokenize_unicode

TARGET_F1_GAP = -0.01  # rasid F1 − trafilatura F1 on ScrapingHub must be ≥ this
TARGET_SPEED_RATIO = 0.80  # rasid pages/s ÷ trafilatura pages/s must be ≥ this


# --- systems ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Output:
    text: str = ""
    title: str | None = None
    author: str | None = None
    published: str | None = None
    error: str | None = None


Extractor = Callable[[Doc], Output]


@dataclass(slots=True)
class System:
    name: str
    run: Extractor  # text, plus metadata when the system gives it in the same call
    run_with_metadata: Extractor  # what the Arabic table uses (title, author, date)


def trafilatura_system(name: str, **options: Any) -> System:
    import trafilatura

    def run(doc: Doc) -> Output:
        return Output(text=trafilatura.extract(doc.html, url=doc.url, **options) or "")

    def run_with_metadata(doc: Doc) -> Output:
        out = run(doc)
        meta = trafilatura.bare_extraction(doc.html, url=doc.url, with_metadata=True, **options)
        if meta is not None:
            out.title, out.author, out.published = meta.title, meta.author, meta.date
        return out

    return System(name, run, run_with_metadata)


def load_rasid() -> tuple[System | None, str | None]:
    """rasid's extractor as a System, or None and the reason it cannot be used yet."""
    try:
        try:
            import rasid  # noqa: F401
        except ModuleNotFoundError as exc:
            if exc.name != "rasid":
                raise
            sys.path.insert(0, str(REPO / "src"))  # run from a checkout without PYTHONPATH=src
        from rasid.extract import extract
        from rasid.model import Page, Source
    except Exception as exc:  # the extractor is being written: ImportError, or a half-saved file
        return None, f"{type(exc).__name__}: {exc}"

    def run(doc: Doc) -> Output:
        page = Page(
            source=Source(path=str(doc.path), url=doc.url, format="html"),
            kind="html",
            body=doc.html,
        )
        article = extract(page)
        return Output(
            text=article.text or "",
            title=article.title,
            author=article.author.name if article.author else None,
            published=article.published,
            error="; ".join(article.errors) if article.errors else None,
        )

    return System("rasid", run, run), None


def safe(run: Extractor, doc: Doc) -> Output:
    """A page that makes a system raise scores as an empty extraction; the error is kept."""
    try:
        return run(doc)
    except Exception as exc:
        return Output(error=f"{type(exc).__name__}: {exc}")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


# --- 1. ScrapingHub AEB -------------------------------------------------------------------------


@dataclass(slots=True)
class AebResult:
    scores: Scores
    pages: dict[str, Scores]
    empty: int
    errors: dict[str, str]
    failed: int  # pages with an error and no text
    seconds: float


def run_aeb(system: System, aeb: AebSet) -> AebResult:
    truth = aeb.truth
    outputs: dict[str, Output] = {}
    start = time.perf_counter()
    for doc in aeb.docs:
        outputs[doc.id] = safe(system.run, doc)
    seconds = time.perf_counter() - start
    pages = {key: score_page(truth[key], out.text) for key, out in outputs.items()}
    scores = score_pages([(truth[key], out.text) for key, out in outputs.items()])
    return AebResult(
        scores=scores,
        pages=pages,
        empty=sum(1 for out in outputs.values() if not out.text.strip()),
        errors={key: out.error for key, out in outputs.items() if out.error},
        failed=sum(1 for out in outputs.values() if out.error and not out.text.strip()),
        seconds=seconds,
    )


def check_references(aeb: AebSet) -> dict[str, dict[str, Any]]:
    """Score the published tools' predictions (output/*.json) on every page of the set."""
    results: dict[str, dict[str, Any]] = {}
    for name, (ver, predictions) in aeb.references.items():
        scores = score_pages([(aeb.truth[key], predictions.get(key)) for key in aeb.truth])
        published = PUBLISHED_AEB.get(name)
        results[name] = {
            "version": ver,
            **scores.as_dict(),
            "published": dict(zip(("f1", "precision", "recall"), published, strict=True))
            if published
            else None,
            "matches_published": published is not None
            and all(
                abs(round(mine, 3) - theirs) < 1e-9
                for mine, theirs in zip(
                    (scores.f1, scores.precision, scores.recall), published, strict=True
                )
            ),
        }
    return results


# --- 2. Arabic fixtures -------------------------------------------------------------------------


def norm(text: str | None) -> str:
    """NFC and collapsed whitespace, for finding snippets."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def same_words(got: str | None, expected: str | None) -> bool:
    """Titles and names match when their words do: punctuation and quotes are ignored (the LBC
    headline is quoted on the page, not in og:title), a site suffix is not."""
    return tokenize_unicode(got) == tokenize_unicode(expected)


@dataclass(slots=True)
class ArabicResult:
    fixture: str
    body: Scores | None
    body_f1_aeb_tokenizer: float | None
    title: str | None
    title_ok: bool
    author: str | None
    author_ok: bool
    published: str | None
    date_ok: bool
    with_found: list[str]
    with_missing: list[str]
    leaked: list[Snippet]
    checked_without: int
    empty: bool
    error: str | None = None


def check_fixture(fixture: Fixture, out: Output) -> ArabicResult:
    text = norm(out.text)
    body = body_aeb = None
    if fixture.body is not None:
        body = score_page(fixture.body, out.text, tokenize=tokenize_unicode)
        body_aeb = score_page(fixture.body, out.text).f1
    published = str(out.published) if out.published else None
    return ArabicResult(
        fixture=fixture.id,
        body=body,
        body_f1_aeb_tokenizer=body_aeb,
        title=out.title,
        title_ok=fixture.title is not None and same_words(out.title, fixture.title),
        author=out.author,
        author_ok=same_words(out.author, fixture.author),
        published=published,
        date_ok=bool(published) and published[:10] in fixture.dates,
        with_found=[s.text for s in fixture.with_ if norm(s.text) in text],
        with_missing=[s.text for s in fixture.with_ if norm(s.text) not in text],
        leaked=[s for s in fixture.without if norm(s.text) in text],
        checked_without=len(fixture.without),
        empty=not text,
        error=out.error,
    )


# --- 3. Throughput ------------------------------------------------------------------------------


def one_pass(run: Extractor, docs: Sequence[Doc], passes: int) -> float:
    gc.collect()
    start = time.perf_counter()
    for _ in range(passes):
        for doc in docs:
            with contextlib.suppress(Exception):  # already reported by the quality pass
                run(doc)
    return time.perf_counter() - start


def throughput(
    systems: Sequence[tuple[str, Extractor]],
    docs: Sequence[Doc],
    repeat: int,
    passes: int,
) -> dict[str, dict[str, Any]]:
    """``repeat`` rounds; in each round every system runs ``passes`` times over all ``docs``,
    the order rotating from round to round so drift hits every system alike."""
    seconds: dict[str, list[float]] = {name: [] for name, _ in systems}
    for round_ in range(repeat):
        order = list(systems[round_ % len(systems) :]) + list(systems[: round_ % len(systems)])
        for name, run in order:
            seconds[name].append(one_pass(run, docs, passes))
    pages = len(docs) * passes
    return {
        name: {
            "pages_per_s": pages / statistics.median(times),
            "best_pages_per_s": pages / min(times),
            "seconds": times,
            "pages_per_measurement": pages,
        }
        for name, times in seconds.items()
    }


# --- output -------------------------------------------------------------------------------------


def say(line: str = "") -> None:
    print(line, flush=True)


def note(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "  –  "
    return f"{value:+.3f}" if signed else f"{value:.3f}"


def short(text: str | None, width: int = 22) -> str:
    text = norm(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def print_aeb(
    aeb: AebSet, results: dict[str, AebResult], references: dict[str, dict[str, Any]], show: int
) -> None:
    n = len(aeb.docs)
    ref = references.get("trafilatura")
    say(f"ScrapingHub AEB ({n} pages, English; 4-token shingles)   P      R      F1   empty")
    if ref:
        ok = sum(1 for r in references.values() if r["matches_published"])
        known = sum(1 for r in references.values() if r["published"])
        say(
            f"  scorer check: published output/trafilatura.json ({ref['version']}) "
            f"{fmt(ref['precision'])}  {fmt(ref['recall'])}  {fmt(ref['f1'])}"
            f"  (README 0.938 0.978 0.958; {ok}/{known} published tools reproduce to 3 decimals)"
        )
    if n != len(aeb.truth):
        say(f"  (--limit: {n} of {len(aeb.truth)} pages)")
    for name, r in results.items():
        s = r.scores
        errors = f"  errors on {len(r.errors)} ({r.failed} without text)" if r.errors else ""
        say(f"  {name:<40} {fmt(s.precision)}  {fmt(s.recall)}  {fmt(s.f1)}  {r.empty:>4}{errors}")
    if "rasid" in results and "trafilatura" in results:
        gap = {
            k: getattr(results["rasid"].scores, k) - getattr(results["trafilatura"].scores, k)
            for k in ("precision", "recall", "f1")
        }
        met = "met" if gap["f1"] >= TARGET_F1_GAP else "NOT met"
        say(
            f"  {'rasid − trafilatura':<40} {fmt(gap['precision'], True)} "
            f"{fmt(gap['recall'], True)} {fmt(gap['f1'], True)}"
            f"   target F1 gap ≥ {TARGET_F1_GAP:+.2f}: {met}"
        )
        losses = sorted(
            (
                (rp.f1 - results["trafilatura"].pages[key].f1, key)
                for key, rp in results["rasid"].pages.items()
            ),
        )[:show]
        losses = [(d, key) for d, key in losses if d < -0.005]
        if losses:
            say("  largest per-page F1 losses, rasid vs trafilatura:")
            for d, key in losses:
                t = results["trafilatura"].pages[key]
                r = results["rasid"].pages[key]
                err = results["rasid"].errors.get(key)
                extra = f"  [{short(err, 60)}]" if err else ""
                say(f"    {key[:12]}  traf {t.f1:.3f}  rasid {r.f1:.3f}  ({d:+.3f}){extra}")
    say()


def print_arabic(fixtures: list[Fixture], results: dict[str, list[ArabicResult]]) -> None:
    say(
        "Arabic fixtures (4-token shingles, Unicode tokenizer that keeps harakat inside words, "
        "for every system)"
    )
    say(
        f"  {'page':<11} {'system':<28} {'P':>5}  {'R':>5}  {'F1':>5}  title  "
        f"{'author':<22} {'date':<13} with  leaks"
    )
    for i, fixture in enumerate(fixtures):
        for name, rows in results.items():
            r = rows[i]
            b = r.body
            author = mark(r.author_ok) + " " + (short(r.author, 20) if r.author else "none")
            date = mark(r.date_ok) + " " + (r.published[:10] if r.published else "none")
            n_with = len(r.with_found) + len(r.with_missing)
            with_ = f"{len(r.with_found)}/{n_with}" if n_with else "–"
            leaks = f"{len(r.leaked)}/{r.checked_without}" if r.checked_without else "–"
            if r.empty:
                leaks = "no text"
            say(
                f"  {fixture.id if name == next(iter(results)) else '':<11} {name:<28} "
                f"{fmt(b.precision if b else None):>5}  {fmt(b.recall if b else None):>5}  "
                f"{fmt(b.f1 if b else None):>5}  {mark(r.title_ok):^5}  {author:<22} "
                f"{date:<13} {with_:>4}  {leaks:>5}"
                + (f"  error: {short(r.error, 50)}" if r.error else "")
            )
    say("  expected:")
    for fixture in fixtures:
        line = (
            f"    {fixture.id:<11} author {fixture.author or 'none'}; "
            f"date {' or '.join(fixture.dates)}"
        )
        if fixture.without:
            line += "; leaks checked: " + ", ".join(
                f"«{short(s.text, 26)}» ({s.origin})" for s in fixture.without
            )
        say(line)
    say("  summary     system                       body F1  title  author  date  with  leaks")
    for name, rows in results.items():
        f1s = [r.body.f1 for r in rows if r.body]
        empty = sum(r.empty for r in rows)
        say(
            f"              {name:<28} {fmt(statistics.mean(f1s) if f1s else None):>6}  "
            f"{sum(r.title_ok for r in rows)}/{len(rows):<4} {sum(r.author_ok for r in rows)}/"
            f"{len(rows):<5} {sum(r.date_ok for r in rows)}/{len(rows):<3} "
            f"{sum(len(r.with_found) for r in rows)}/"
            f"{sum(len(r.with_found) + len(r.with_missing) for r in rows):<3} "
            f"{sum(len(r.leaked) for r in rows)}/"
            f"{sum(r.checked_without for r in rows if not r.empty)}"
            + (f"   no text on {empty} page(s)" if empty else "")
        )
    say()


def print_throughput(
    speeds: dict[str, dict[str, Any]],
    pages: int,
    passes: int,
    repeat: int,
    load: tuple[float, float],
    caveat: str | None,
) -> None:
    say(
        f"Throughput (pages/s, one core; {pages} pages × {passes} pass(es) per measurement, "
        f"median of {repeat} interleaved measurements; load {load[0]:.2f}→{load[1]:.2f})"
    )
    base = speeds.get("trafilatura", {}).get("pages_per_s")
    for name, s in speeds.items():
        ratio = f"   ratio {s['pages_per_s'] / base:.2f}" if base and name != "trafilatura" else ""
        say(
            f"  {name:<40} {s['pages_per_s']:7.1f}  (best {s['best_pages_per_s']:.1f}, "
            f"{1000 / s['pages_per_s']:.1f} ms/page){ratio}"
        )
    if base and "rasid" in speeds:
        ratio = speeds["rasid"]["pages_per_s"] / base
        met = "met" if ratio >= TARGET_SPEED_RATIO else "NOT met"
        if caveat:
            met = f"not judged — {caveat}"
        say(f"  rasid / trafilatura = {ratio:.2f}   target ≥ {TARGET_SPEED_RATIO:.2f}: {met}")
    say()


# --- main ---------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data directory")
    parser.add_argument("--limit", type=int, help="only the first N ScrapingHub pages")
    parser.add_argument(
        "--repeat", type=int, default=3, help="interleaved throughput measurements (0: skip)"
    )
    parser.add_argument(
        "--min-seconds",
        type=float,
        default=3.0,
        help="each throughput measurement repeats the pages until it lasts about this long",
    )
    parser.add_argument("--show", type=int, default=5, help="per-page losses to list")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    args = parser.parse_args(argv)

    data = args.data.resolve()
    report: dict[str, Any] = {
        "data": str(data),
        "python": platform.python_version(),
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "trafilatura": version("trafilatura"),
    }
    have_aeb = (data / AEB_DIR / "ground-truth.json").is_file()
    have_arabic = (data / ARABIC_DIR).is_dir()
    if not have_aeb and not have_arabic:
        say(f"extraction bench: no data at {data} (expected {AEB_DIR} and {ARABIC_DIR}); skipped.")
        return 0

    systems = [
        trafilatura_system("trafilatura"),
        trafilatura_system("trafilatura favor_precision", favor_precision=True),
        trafilatura_system("trafilatura no comments", include_comments=False),
    ]
    rasid, why = load_rasid()
    report["rasid_available"] = rasid is not None
    report["rasid_import_error"] = why
    report["rasid"] = version("rasid") if rasid else None
    if rasid:
        systems.append(rasid)
    say(
        f"extraction bench — trafilatura {report['trafilatura']}, "
        f"rasid {report['rasid'] or ('source tree' if rasid else 'not importable')}, "
        f"python {report['python']}, {report['cpu']} ×{report['cpus']}, "
        f"load {os.getloadavg()[0]:.2f}; data {data}"
    )
    if rasid is None:
        say(f"NOTE: rasid's extractor is not importable yet ({why}); reporting trafilatura alone.")
    say()

    # 1. ScrapingHub
    aeb: AebSet | None = None
    aeb_results: dict[str, AebResult] = {}
    if have_aeb:
        aeb = load_aeb(data, args.limit)
        references = check_references(aeb)
        for system in systems:
            note(f"… ScrapingHub: {system.name}")
            aeb_results[system.name] = run_aeb(system, aeb)
        print_aeb(aeb, aeb_results, references, args.show)
        report["aeb"] = {
            "pages": len(aeb.docs),
            "definition": "scrapinghub/article-extraction-benchmark evaluate.py: \\w+ tokens, "
            "4-token shingle multisets, per-page P/R, mean P over non-empty predictions, "
            "mean R over non-empty truths, F1 of the two means",
            "references": references,
            "systems": {
                name: {
                    **r.scores.as_dict(),
                    "empty": r.empty,
                    "failed": r.failed,
                    "errors": r.errors,
                    "seconds": r.seconds,
                    "per_page": {
                        key: {"precision": s.precision, "recall": s.recall, "f1": s.f1}
                        for key, s in r.pages.items()
                    },
                }
                for name, r in aeb_results.items()
            },
        }
        if "rasid" in aeb_results:
            report["aeb"]["rasid_minus_trafilatura"] = {
                k: getattr(aeb_results["rasid"].scores, k)
                - getattr(aeb_results["trafilatura"].scores, k)
                for k in ("precision", "recall", "f1")
            }
    else:
        say(f"ScrapingHub AEB: no data at {data / AEB_DIR}; skipped.\n")

    # 2. Arabic
    fixtures: list[Fixture] = []
    if have_arabic:
        fixtures = load_arabic(data)
        arabic = {
            s.name: [check_fixture(f, safe(s.run_with_metadata, f.doc)) for f in fixtures]
            for s in systems
        }
        print_arabic(fixtures, arabic)
        report["arabic"] = {
            "tokenizer": "NFC, runs of \\w plus combining marks (Mn/Mc/Me) and ZWNJ/ZWJ",
            "fixtures": {
                f.id: {
                    "path": str(f.doc.path),
                    "url": f.doc.url,
                    "expected": {
                        "title": f.title,
                        "author": f.author,
                        "dates": list(f.dates),
                        "body": f.body is not None,
                        "with": [s.text for s in f.with_],
                        "without": [{"text": s.text, "origin": s.origin} for s in f.without],
                    },
                    "notes": list(f.notes),
                }
                for f in fixtures
            },
            "systems": {
                name: {
                    r.fixture: {
                        "body": r.body.as_dict() if r.body else None,
                        "body_f1_aeb_tokenizer": r.body_f1_aeb_tokenizer,
                        "title": r.title,
                        "title_ok": r.title_ok,
                        "author": r.author,
                        "author_ok": r.author_ok,
                        "published": r.published,
                        "date_ok": r.date_ok,
                        "with_missing": r.with_missing,
                        "leaked": [s.text for s in r.leaked],
                        "empty": r.empty,
                        "error": r.error,
                    }
                    for r in rows
                }
                for name, rows in arabic.items()
            },
        }
    else:
        say(f"Arabic fixtures: no data at {data / ARABIC_DIR}; skipped.\n")

    # 3. Throughput
    docs = (aeb.docs if aeb else []) + [f.doc for f in fixtures]
    if args.repeat > 0 and docs:
        timed: list[tuple[str, Extractor]] = [
            ("trafilatura", systems[0].run),
            (
                "trafilatura with_metadata",
                trafilatura_system("with_metadata", with_metadata=True).run,
            ),
        ]
        if rasid:
            timed.append(("rasid", rasid.run))
        # Seconds per page, from the quality run (which also warmed up every system's caches).
        if aeb and aeb.docs:
            per_page = aeb_results["trafilatura"].seconds / len(aeb.docs)
        else:
            per_page = one_pass(systems[0].run, docs, 1) / len(docs)
        passes = max(1, math.ceil(args.min_seconds / (per_page * len(docs))))
        note(f"… throughput: {len(timed)} systems × {args.repeat} rounds × {passes} pass(es)")
        load_before = os.getloadavg()
        speeds = throughput(timed, docs, args.repeat, passes)
        caveat = None
        if rasid and "rasid" in aeb_results:
            failed = aeb_results["rasid"].failed
            if failed > len(aeb_results["rasid"].pages) // 10:
                caveat = f"rasid failed on {failed} of {len(aeb_results['rasid'].pages)} pages"
        load_after = os.getloadavg()
        print_throughput(
            speeds, len(docs), passes, args.repeat, (load_before[0], load_after[0]), caveat
        )
        report["throughput"] = {
            "pages": len(docs),
            "passes_per_measurement": passes,
            "repeat": args.repeat,
            "loadavg_before": load_before,
            "loadavg_after": load_after,
            "caveat": caveat,
            "systems": speeds,
        }
        if rasid:
            report["throughput"]["rasid_over_trafilatura"] = (
                speeds["rasid"]["pages_per_s"] / speeds["trafilatura"]["pages_per_s"]
            )

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
        note(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
