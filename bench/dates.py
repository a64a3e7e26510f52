#!/usr/bin/env python3
"""Date resolution benchmark: rasid's resolve_dates and dateparser, side by side, in one run.

    .venv/bin/python bench/dates.py [--show N]

The expressions are the labelled table of ``tests/arabic/test_relative_dates.py`` (written by
the project: relative, regional, Hijri and absolute forms, each with its publication date and
expected value). Each is put in the same news sentence and given to

* rasid: ``resolve_dates(sentence, published)``;
* dateparser: ``search_dates(sentence, languages=["ar"], settings={"RELATIVE_BASE":
  published, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False})``.

A system is right on an expression when one of the dates it finds has the expected value at
the expected precision (a day for ``day``, the ISO week for ``week``, the month for
``month``, the year for ``year``). dateparser returns datetimes only, so a month or a year is
compared on its month or year. Time: mean per sentence, both systems, same sentences,
interleaved.

    .venv/bin/python bench/dates.py --against OTHER/src [--articles 3000 --rounds 6]

also times this tree's ``find_dates`` and ``resolve_dates`` against another source tree's
(``git archive COMMIT src | tar -x -C /tmp/before`` gives ``/tmp/before/src``) on SaudiNewsNet
articles from ``../shared/data`` with their publication dates: each round runs both trees in
fresh interpreters, in alternating order, on the same articles, and the ratio is printed.

    .venv/bin/python bench/dates.py --bare-years [--show-years 20]

lists how every bare year of the Hijri range (``عام 1445`` with no era mark) in SaudiNewsNet
is settled, with and without the article's publication date: as Hijri, Persian or Gregorian,
by the text or by the publication date, or left without a value; ``--show-years`` prints
that many contexts of each kind, for reading.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import warnings
import zipfile
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from hijridate import Hijri  # noqa: E402
from tests.arabic.test_relative_dates import TABLE  # noqa: E402

from rasid.arabic.dates import resolve_dates  # noqa: E402
from rasid.arabic.relative_dates import anchor_date  # noqa: E402

SENTENCE = "وقالت الوزارة إن القصف وقع {} في أطراف المدينة."


def _matches(found: date, value: str, precision: str) -> bool:
    if precision == "day":
        return found.isoformat() == value
    if precision == "week":
        iso = found.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}" == value
    if precision == "month":
        return found.isoformat()[:7] == value
    return found.isoformat()[:4] == value


def rasid(sentence: str, published: str) -> list[str | None]:
    return [m.value for m in resolve_dates(sentence, published)]


def dateparser_dates(sentence: str, published: str) -> list[date]:
    from dateparser.search import search_dates

    anchor = anchor_date(published)
    assert anchor is not None
    settings = {
        "RELATIVE_BASE": datetime(anchor.year, anchor.month, anchor.day, 12, 0),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(sentence, languages=["ar"], settings=settings) or []
    return [moment.date() for _, moment in found]


SAUDINEWSNET = REPO.parent / "shared" / "data" / "corpora" / "saudinewsnet" / "dataset"

# Run in a fresh interpreter whose PYTHONPATH is one source tree: the articles come on stdin,
# the milliseconds per article of find_dates and resolve_dates go to stdout.
_TIMER = """
import json, sys, time
from rasid.arabic.dates import find_dates, resolve_dates
articles = json.load(sys.stdin)
start = time.perf_counter()
for text, _ in articles:
    find_dates(text)
middle = time.perf_counter()
for text, published in articles:
    resolve_dates(text, published)
end = time.perf_counter()
print(json.dumps([(middle - start) * 1000, (end - middle) * 1000]))
"""


def _articles(limit: int | None) -> list[tuple[str, str | None]]:
    articles: list[tuple[str, str | None]] = []
    for path in sorted(SAUDINEWSNET.glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for item in json.loads(archive.read(name)):
                    articles.append((item.get("content") or "", item.get("date_extracted")))
                    if limit is not None and len(articles) == limit:
                        return articles
    return articles


def _time_tree(src: Path, payload: str) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", _TIMER], input=payload, capture_output=True, text=True,
        env=env, cwd="/", check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def against(other: Path, limit: int, rounds: int) -> int:
    """This tree's find_dates and resolve_dates against another tree's, side by side."""
    if not SAUDINEWSNET.is_dir():
        print(f"skipped: {SAUDINEWSNET} is not present (shared data is on dev/CI machines)")
        return 0
    if not (other / "rasid" / "arabic" / "dates.py").is_file():
        print(f"{other} holds no rasid/arabic/dates.py: give the src folder of a source tree")
        return 2
    articles = _articles(limit)
    payload = json.dumps(articles)
    trees = {"this": REPO / "src", "other": other}
    totals = {name: [0.0, 0.0] for name in trees}
    for round_ in range(rounds):
        for name in sorted(trees, reverse=round_ % 2 == 1):
            for i, ms in enumerate(_time_tree(trees[name], payload)):
                totals[name][i] += ms
    n = len(articles) * rounds
    print(f"\n{len(articles)} SaudiNewsNet articles, {rounds} rounds, trees in alternating order")
    print(f"{'ms/article':<16}{'this':>10}{'other':>10}{'this/other':>12}")
    for i, name in enumerate(("find_dates", "resolve_dates")):
        this, that = totals["this"][i] / n, totals["other"][i] / n
        print(f"{name:<16}{this:>10.3f}{that:>10.3f}{this / that:>11.2f}x")
    return 0


_BARE_YEAR = re.compile(r"(?:في\s+)?(?:ال|لل|ل)?(?:عام|سنة|سنه)\s*(\d{4})")


def bare_years(show: int) -> int:
    """How resolve_dates settles the bare years of the Hijri range in SaudiNewsNet."""
    if not SAUDINEWSNET.is_dir():
        print(f"skipped: {SAUDINEWSNET} is not present (shared data is on dev/CI machines)")
        return 0
    kinds: Counter[tuple[str, str, str]] = Counter()
    contexts: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for text, published in _articles(None):
        if not _BARE_YEAR.search(text):
            continue
        for given in (published, None):
            for m in resolve_dates(text, given):
                bare = _BARE_YEAR.fullmatch(m.text)
                if bare is None or not 1343 <= int(bare.group(1)) <= 1500:
                    continue
                if m.value is None:
                    calendar = "none"
                elif "/" not in m.value:
                    calendar = "gregorian"
                else:  # a span: the Hijri year's, or else the Persian year's
                    first = Hijri(int(bare.group(1)), 1, 1).to_gregorian().isoformat()
                    calendar = "hijri" if m.value.startswith(first) else "solar"
                kind = (
                    "published" if given else "no date",
                    calendar,
                    "by date" if m.relative else "by text",
                )
                kinds[kind] += 1
                if len(contexts[kind]) < show:
                    contexts[kind].append(
                        text[max(0, m.start - 60) : m.end + 20].replace("\n", " ")
                    )
    print("\nbare years 1343-1500 in SaudiNewsNet (matches):")
    for kind, count in sorted(kinds.items()):
        print(f"  {' / '.join(kind):<36}{count:>6}")
        for context in contexts[kind]:
            print(f"      {context}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=int, default=10, help="show N dateparser misses")
    parser.add_argument("--against", type=Path, help="another source tree's src folder to time")
    parser.add_argument("--articles", type=int, default=3000, help="articles for --against")
    parser.add_argument("--rounds", type=int, default=6, help="rounds for --against")
    parser.add_argument("--bare-years", action="store_true", help="list bare Hijri-range years")
    parser.add_argument("--show-years", type=int, default=0, help="contexts of each kind")
    args = parser.parse_args()
    rasid_right = parser_right = 0
    rasid_time = parser_time = 0.0
    misses: list[str] = []
    for expression, published, value, precision in TABLE:
        sentence = SENTENCE.format(expression)
        start = time.perf_counter()
        values = rasid(sentence, published)
        rasid_time += time.perf_counter() - start
        rasid_right += value in values
        start = time.perf_counter()
        found = dateparser_dates(sentence, published)
        parser_time += time.perf_counter() - start
        right = any(_matches(d, value, precision) for d in found)
        parser_right += right
        if not right:
            misses.append(f"  {expression} → {[d.isoformat() for d in found]} (want {value})")
    n = len(TABLE)
    print(f"{n} expressions from tests/arabic/test_relative_dates.py")
    print(f"{'system':<12}{'right':>10}{'share':>10}{'ms/sentence':>14}")
    print(f"{'rasid':<12}{rasid_right:>10}{rasid_right / n:>10.1%}{rasid_time / n * 1000:>14.3f}")
    print(
        f"{'dateparser':<12}{parser_right:>10}{parser_right / n:>10.1%}"
        f"{parser_time / n * 1000:>14.3f}"
    )
    print(f"dateparser / rasid time: {parser_time / max(rasid_time, 1e-9):.0f}x")
    if args.show and misses:
        print(f"\nsome dateparser misses ({len(misses)}):")
        print("\n".join(misses[: args.show]))
    if args.bare_years:
        bare_years(args.show_years)
    if args.against is not None:
        return against(args.against.resolve(), args.articles, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
