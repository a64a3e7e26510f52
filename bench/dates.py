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
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=int, default=10, help="show N dateparser misses")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
