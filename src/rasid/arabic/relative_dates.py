"""Relative and anchored dates in Arabic news, resolved against the publication date.

News rarely writes the full date of what it reports: ``اليوم الجمعة``، ``أمس الخميس``،
``أول أمس``، ``مساء الأحد``، ``الأسبوع الماضي``، ``قبل ثلاثة أيام``، ``في سبتمبر``،
``11 نونبر``، ``17 ربيع الآخر``، ``مطلع الشهر الجاري``، ``الحادي عشر من نوفمبر``. Each names
a day, week, month or year only together with the day the article was published (the
*anchor*). :func:`resolve_dates` finds them next to the absolute dates of
:func:`rasid.arabic.dates.find_dates` and gives each an ISO value.

Rules (the vocabulary is data: ``data/relative_words.tsv``, ``weekdays.tsv``, ``months.tsv``)
------------------------------------------------------------------------------------------
* Day words (``اليوم``، ``أمس``، ``أول أمس``، ``غدا``، ``بعد غد``) shift the anchor by their
  offset, with or without a day part (``مساء أمس``) or a weekday (``اليوم الجمعة``: the weekday
  is not checked against the anchor — the offset is what the sentence says).
* A bare weekday (``يوم الجمعة``، ``مساء الأحد``) is the most recent such day *on or before*
  the anchor: news reports what happened, and on a Friday ``الجمعة`` is that Friday, not
  the one a week back (dateparser's answer). ``الجمعة الماضي`` is strictly before the
  anchor, ``الجمعة المقبل`` strictly after. A weekday after ``صلاة``/``خطبة``/``كلا``/``بين`` is
  not a day.
* ``الأسبوع/الشهر/العام الماضي/الجاري/المقبل`` and ``هذا الشهر`` give a week (ISO week value
  ``2022-W45``, precision ``week``), a month or a year; ``مطلع/منتصف/أواخر`` before them
  narrow the reading but not the value.
* ``قبل/منذ/بعد`` + a count + a unit (``قبل ثلاثة أيام``، ``منذ يومين``، ``بعد أسبوع``) shift
  the anchor; not when ``من``/``على`` follows (``بعد يومين من الهجوم`` counts from another
  event) or a year follows (``منذ عام 2014`` is absolute).
* A bare month name needs a cue (``في``، ``خلال``، ``شهر``، ``مطلع``…) or a direction
  (``سبتمبر الماضي``), because ``مارس`` is also a verb and ``آب`` a noun; it is the most
  recent such month on or before the anchor (``الماضي``: strictly before; ``المقبل``: after).
* A day and month without a year (``11 نونبر``، ``الحادي عشر من نوفمبر``، ``17 رمضان``) take
  the year that puts them nearest the anchor (a past date on a tie); a direction word after
  them forces the past or the future. ``11 من الشهر الجاري`` is a day of the anchor's month.

Without an anchor, relative expressions are still found but their value is None: a value
guessed from today's date would be silently wrong for every archived article.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from hijridate import Gregorian, Hijri

from rasid.arabic.dates import (
    _END,
    _LEX,
    _YEAR_SEP,
    DateMatch,
    _alternation,
    _ar,
    _fold,
    _Found,
    _key,
    _Parts,
    _read_tsv,
    _scan,
    parse_published,
)

__all__ = ["anchor_date", "resolve_dates"]


# ---------------------------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Words:
    by_kind: dict[str, dict[str, str]]

    def __getitem__(self, kind: str) -> dict[str, str]:
        return self.by_kind.get(kind, {})


@cache
def _words() -> _Words:
    by_kind: dict[str, dict[str, str]] = {}
    for row in _read_tsv("relative_words.tsv"):
        kind, word = row[0], row[1]
        value = row[2] if len(row) > 2 else ""
        by_kind.setdefault(kind, {})[_key(word)] = value
    return _Words(by_kind)


_W = _words()
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
# Latin weekday and month names ("Sun", "may", "mar") are ordinary English words on their own;
# only the Arabic ones may stand without a number.
_AR_WEEKDAYS = {k: v for k, v in _LEX.weekdays.items() if _ARABIC_LETTER.search(k)}
_AR_MONTHS = {k: v for k, v in _LEX.gregorian.items() if _ARABIC_LETTER.search(k)}


def _alt(kind: str) -> str:
    return _alternation(_W[kind])


# A word starts here, or after a one-letter conjunction/preposition (وأمس، فالجمعة، بالأمس).
_START = r"(?:(?<!\w)|(?<=(?<!\w)[وفب]))"
_DAY = _alt("day")
_DAYPART = _alt("daypart")
_DIR = _alt("direction")
_THIS = _alt("this")
_PERIOD = _alt("period")
_UNIT = _alt("unit")
_NUMBER = _alt("number")
_AGO = _alt("ago")
_ORDINAL = _alt("ordinal")
_PART = _alt("part")
_MONTH_CUE = _alt("month_cue")
_WEEKDAY = _alternation(_AR_WEEKDAYS)
_MONTH = _alternation(_AR_MONTHS)


def _month_group(tag: str) -> str:
    """An Arabic month name, optionally doubled (``تشرين الثاني/نوفمبر``, ``آب (أغسطس)``)."""
    return (
        rf"(?P<{tag}1>{_MONTH}){_END}"
        rf"(?:\s*[/\-–|]\s*(?P<{tag}2>{_MONTH}){_END}|\s*\(\s*(?P<{tag}3>{_MONTH})\s*\))?"
    )


_DIRECTION_AFTER = rf"(?:\s+(?P<{{name}}>{_DIR}){_END})?"

# Tried in this order at each position; every alternative ends on a whole word.
_RELATIVE_ALTERNATIVES = [
    # الحادي عشر من نوفمبر (2022) / 11 من الشهر الجاري / الأول من هذا الشهر
    rf"{_START}(?:في\s+)?(?:(?P<o_wd>{_WEEKDAY}){_END}[\s,،]{{1,6}})?"
    rf"(?:(?P<o_ord>{_ORDINAL})|(?P<o_num>\d{{1,2}}))\s+(?:من\s+)?"
    rf"(?:(?P<o_this>{_THIS})\s+)?(?P<o_per>الشهر){_END}(?:\s+(?P<o_dir>{_DIR}){_END})?",
    rf"{_START}(?:في\s+)?(?:(?P<n_wd>{_WEEKDAY}){_END}[\s,،]{{1,6}})?"
    rf"(?P<n_ord>{_ORDINAL})\s+(?:من\s+)?(?:شهر\s+)?{_month_group('n_m')}"
    rf"(?:{_YEAR_SEP}(?P<n_y>\d{{4}})(?!\d))?" + _DIRECTION_AFTER.format(name="n_dir"),
    # قبل ثلاثة أيام / منذ يومين / بعد أسبوع / قبل 3 سنوات
    rf"{_START}(?P<a_ago>{_AGO})\s+(?:(?P<a_num>{_NUMBER}|\d{{1,3}}(?!\d))\s*)?"
    rf"(?P<a_unit>{_UNIT}){_END}(?!\s*(?:من|على|عن|\d){_END})",
    # مساء اليوم / اليوم الجمعة / أمس الخميس / يوم أمس / أول أمس
    rf"{_START}(?:في\s+)?(?:(?P<d_part>{_DAYPART})\s+)?(?P<d_day>{_DAY}){_END}"
    rf"(?:[\s,،]{{1,6}}(?:يوم\s+)?(?P<d_wd>{_WEEKDAY}){_END})?",
    # مطلع الشهر الجاري / الأسبوع الماضي / هذا العام / خلال العام المقبل
    rf"{_START}(?:(?:في|خلال)\s+)?(?:(?P<p_part>{_PART})\s+)?"
    rf"(?:(?P<p_this>{_THIS})\s+(?P<p_per1>{_PERIOD}){_END}"
    rf"|(?P<p_per2>{_PERIOD})\s+(?P<p_dir>{_DIR}){_END})",
    # مساء الأحد / يوم الجمعة / الجمعة الماضي / ليلة الخميس
    rf"{_START}(?:في\s+)?(?:(?P<w_part>{_DAYPART})\s+)?(?:(?P<w_yawm>يوم)\s+)?"
    rf"(?P<w_wd>{_WEEKDAY}){_END}" + _DIRECTION_AFTER.format(name="w_dir"),
    # في سبتمبر / خلال أيلول الماضي / مطلع نوفمبر / شهر آب المقبل
    rf"{_START}(?:(?P<m_cue>{_MONTH_CUE})\s+)?(?:(?P<m_part>{_PART})\s+)?(?:(?P<m_shahr>شهر)\s+)?"
    rf"{_month_group('m_m')}(?![\s/\-(]{{0,6}}\d)" + _DIRECTION_AFTER.format(name="m_dir"),
]
_RELATIVE_RE = re.compile(_ar("|".join(_RELATIVE_ALTERNATIVES)), re.IGNORECASE)

# The words a relative expression can start with. The grammar is only tried where one of
# them starts a word: trying it at every position of an article cost ten times more.
_FIRST_WORDS = (
    frozenset(
        word.split()[0]
        for kind in ("day", "daypart", "this", "period", "ago", "ordinal", "part", "month_cue")
        for word in _W[kind]
    )
    | frozenset(w.split()[0] for w in (*_AR_WEEKDAYS, *_AR_MONTHS))
    | {"في", "خلال", "يوم", "شهر"}
)
# A first word, optionally after a one-letter proclitic (group "w" is where the match starts).
_FIRST_RE = re.compile(
    _ar(rf"(?<!\w)[وفب]?(?P<w>{_alternation(dict.fromkeys(_FIRST_WORDS, ''))}{_END}|\d)")
)
# A direction word right after a yearless day-month of the absolute grammar: "11 نوفمبر الماضي".
_DIRECTION_RE = re.compile(_ar(rf"\s+(?P<dir>{_DIR}){_END}"))
# The word before a match, for the weekday blockers ("صلاة الجمعة").
_WORD_BEFORE_RE = re.compile(r"(\w+)\s*$")


def _relative_matches(text: str) -> Iterator[re.Match[str]]:
    """Leftmost, non-overlapping grammar matches, tried only where a first word starts."""
    pos = 0
    for first in _FIRST_RE.finditer(text):
        at = first.start()
        if at < pos:
            continue
        m = _RELATIVE_RE.match(text, at)
        if m is None and first.start("w") != at:
            m = _RELATIVE_RE.match(text, first.start("w"))  # وأمس، بالأمس، فالجمعة
        if m is not None:
            yield m
            pos = m.end()


def anchor_date(published: date | datetime | str | None) -> date | None:
    """The calendar day of a publication value (ISO string, date or datetime), or None.

    The day is the one written in the value (its local day): ``2022-11-11T23:30:00+03:00`` is
    the 11th where it was published, which is the day its ``اليوم`` means.
    """
    if published is None:
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    if not isinstance(published, str):
        return None
    value = parse_published(published)
    if value is None or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _week(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def _sign(direction: str | None) -> int | None:
    """past -> -1, current -> 0, future -> 1, nothing -> None."""
    if direction is None:
        return None
    return {"past": -1, "current": 0, "future": 1}.get(_W["direction"].get(_key(direction), ""))


def _weekday_day(anchor: date, weekday: int, sign: int | None) -> date:
    back = (anchor.isoweekday() - weekday) % 7
    if sign == 1:
        return anchor + timedelta(days=(weekday - anchor.isoweekday()) % 7 or 7)
    if sign == -1 and back == 0:
        back = 7
    return anchor - timedelta(days=back)


def _month_year(anchor: date, month: int, sign: int | None) -> int:
    """The year of a named month: most recent on or before the anchor unless told otherwise."""
    if sign == 0:
        return anchor.year
    if sign == 1:
        return anchor.year if month > anchor.month else anchor.year + 1
    if sign == -1:
        return anchor.year if month < anchor.month else anchor.year - 1
    return anchor.year if month <= anchor.month else anchor.year - 1


# How far ahead a yearless day may point without "المقبل": news mostly reports what happened,
# but announces what is days or weeks away ("الانتخابات في 20 نوفمبر").
_FUTURE_WINDOW = timedelta(days=60)


def _pick(candidates: list[date], anchor: date, sign: int | None) -> date | None:
    """The candidate a yearless day means: the nearest one within the next two months, else the
    most recent on or before the anchor; or the nearest on the side a direction word says."""
    if sign == -1:
        candidates = [c for c in candidates if c < anchor]
    elif sign == 1:
        candidates = [c for c in candidates if c > anchor]
    elif sign == 0:
        candidates = [c for c in candidates if c.year == anchor.year] or candidates
    else:
        candidates = [c for c in candidates if c <= anchor + _FUTURE_WINDOW]
    if not candidates:
        return None
    if sign is None:
        soon = [c for c in candidates if c > anchor]
        past = [c for c in candidates if c <= anchor]
        if past and soon:
            return min(past + soon, key=lambda c: (abs((c - anchor).days), c > anchor))
        return max(past) if past else min(soon)
    return min(candidates, key=lambda c: (abs((c - anchor).days), c > anchor))


def _yearless_day(anchor: date, month: int, day: int, calendar: str, sign: int | None):
    candidates: list[date] = []
    if calendar == "hijri":
        hijri_year = Gregorian(anchor.year, anchor.month, anchor.day).to_hijri().year
        years = (hijri_year - 1, hijri_year, hijri_year + 1)
    else:
        years = (anchor.year - 1, anchor.year, anchor.year + 1)
    for year in years:
        try:
            if calendar == "hijri":
                g = Hijri(year, month, day).to_gregorian()
                candidates.append(date(g.year, g.month, g.day))
            else:
                candidates.append(date(year, month, day))
        except (ValueError, OverflowError):
            continue
    return _pick(candidates, anchor, sign)


# ---------------------------------------------------------------------------------------------
# Matches to values
# ---------------------------------------------------------------------------------------------

Resolved = tuple[str | None, str]  # value (None: no anchor or invalid), precision


def _yearless_hook(anchor: date | None):
    """The hook that lets the absolute grammar keep ``11 نوفمبر`` and ``17 رمضان``."""

    def hook(folded: str, parts: _Parts, start: int, end: int) -> _Found | None:
        if parts.month is None or parts.day is None:
            return None
        if folded[end - 1] == ".":
            end -= 1  # "Nov." abbreviates; after an Arabic month name the dot ends the sentence
        direction = _DIRECTION_RE.match(folded, end)
        sign = None
        if direction is not None:
            sign = _sign(direction.group("dir"))
            end = direction.end()
        if anchor is None:
            if not _valid_yearless(parts):
                return None
            return _Found(start, end, None, "day", True)
        day = _yearless_day(anchor, parts.month, parts.day, parts.calendar, sign)
        if day is None:
            return None
        return _Found(start, end, day.isoformat(), "day", True)

    return hook


def _valid_yearless(parts: _Parts) -> bool:
    """Whether a day-month can exist in some year (a 30 February cannot)."""
    if parts.month is None or parts.day is None:
        return False
    if parts.calendar == "hijri":
        return 1 <= parts.month <= 12 and 1 <= parts.day <= 30
    try:
        date(2024, parts.month, parts.day)  # a leap year: 29 February exists
    except ValueError:
        return False
    return True


def _ordinal_or_number(m: re.Match[str], ord_group: str, num_group: str | None) -> int:
    if m.group(ord_group):
        return int(_W["ordinal"][_key(m.group(ord_group))])
    assert num_group is not None
    return int(m.group(num_group))


def _resolve_match(m: re.Match[str], folded: str, anchor: date | None) -> Resolved | None:
    """Value and precision of one relative match; None when it is not a date after all."""
    g = m.group
    if g("o_per") is not None:  # 11 من الشهر الجاري
        sign = 0 if g("o_this") else _sign(g("o_dir"))
        if sign is None:
            return None
        day = _ordinal_or_number(m, "o_ord", "o_num")
        if not 1 <= day <= 31:
            return None
        if anchor is None:
            return None, "day"
        year, month = _shift_month(anchor.year, anchor.month, sign)
        try:
            return date(year, month, day).isoformat(), "day"
        except ValueError:
            return None
    if g("n_ord") is not None:  # الحادي عشر من نوفمبر
        month = _month_of_ar(m, "n_m")
        if month is None:
            return None
        day = _ordinal_or_number(m, "n_ord", None)
        if g("n_y"):
            try:
                return date(int(g("n_y")), month, day).isoformat(), "day"
            except ValueError:
                return None
        parts = _Parts(None, month, day)
        if not _valid_yearless(parts):
            return None
        if anchor is None:
            return None, "day"
        found = _yearless_day(anchor, month, day, "gregorian", _sign(g("n_dir")))
        return (found.isoformat(), "day") if found else None
    if g("a_ago") is not None:  # قبل ثلاثة أيام
        unit, _, count_text = _W["unit"][_key(g("a_unit"))].partition(":")
        count = int(count_text)
        number = g("a_num")
        if number is not None:
            if count != 0:
                return None  # "قبل 3 يوم" is not Arabic; "قبل ثلاثة يومين" even less
            count = int(number) if number.isdigit() else int(_W["number"][_key(number)])
        if count == 0 or count > 400:
            return None  # "منذ سنوات": vague, no value to give
        sign = -1 if _W["ago"][_key(g("a_ago"))] == "past" else 1
        precision = {"day": "day", "week": "week", "month": "month", "year": "year"}[unit]
        if anchor is None:
            return None, precision
        if unit in {"day", "week"}:
            day = anchor + timedelta(days=sign * count * (7 if unit == "week" else 1))
            return (day.isoformat() if unit == "day" else _week(day)), precision
        if unit == "month":
            year, month = _shift_month(anchor.year, anchor.month, sign * count)
            return f"{year:04d}-{month:02d}", precision
        return f"{anchor.year + sign * count:04d}", precision
    if g("d_day") is not None:  # اليوم الجمعة / مساء أمس
        if anchor is None:
            return None, "day"
        offset = int(_W["day"][_key(g("d_day"))])
        return (anchor + timedelta(days=offset)).isoformat(), "day"
    if g("p_per1") is not None or g("p_per2") is not None:  # الشهر الماضي / هذا العام
        period = _W["period"][_key(g("p_per1") or g("p_per2"))]
        sign = 0 if g("p_per1") else _sign(g("p_dir"))
        if sign is None:
            return None
        if anchor is None:
            return None, period
        if period == "week":
            return _week(anchor + timedelta(days=7 * sign)), "week"
        if period == "month":
            year, month = _shift_month(anchor.year, anchor.month, sign)
            return f"{year:04d}-{month:02d}", "month"
        return f"{anchor.year + sign:04d}", "year"
    if g("w_wd") is not None:  # مساء الأحد / الجمعة الماضي
        if not (g("w_part") or g("w_yawm")) and _blocked_weekday(folded, m.start()):
            return None
        if anchor is None:
            return None, "day"
        weekday = _LEX.weekdays[_key(g("w_wd"))]
        sign = _sign(g("w_dir"))
        return _weekday_day(anchor, weekday, None if sign == 0 else sign).isoformat(), "day"
    if g("m_m1") is not None:  # في سبتمبر
        if not (g("m_cue") or g("m_part") or g("m_shahr") or g("m_dir")):
            return None
        month = _month_of_ar(m, "m_m")
        if month is None:
            return None
        if anchor is None:
            return None, "month"
        year = _month_year(anchor, month, _sign(g("m_dir")))
        return f"{year:04d}-{month:02d}", "month"
    return None  # pragma: no cover - every alternative sets one of the groups above


def _month_of_ar(m: re.Match[str], tag: str) -> int | None:
    first = _AR_MONTHS[_key(m.group(f"{tag}1"))]
    second = m.group(f"{tag}2") or m.group(f"{tag}3")
    if second is not None and _AR_MONTHS[_key(second)] != first:
        return None
    return first


def _blocked_weekday(folded: str, start: int) -> bool:
    """``صلاة الجمعة``, ``كلا الاثنين``: the weekday name is not a day here."""
    before = _WORD_BEFORE_RE.search(folded, max(0, start - 20), start)
    return before is not None and _key(before.group(1)) in _W["not_weekday"]


# ---------------------------------------------------------------------------------------------
# Public function
# ---------------------------------------------------------------------------------------------


def resolve_dates(text: str, published: date | datetime | str | None = None) -> list[DateMatch]:
    """Every absolute and relative date expression in ``text``, in order, non-overlapping.

    ``published`` (an ISO string such as a record's ``published``, a date or a datetime)
    anchors the relative ones; without it they are returned with ``value=None``. Absolute
    matches win where the two overlap (``الجمعة 11 نوفمبر 2022`` is one absolute date, not a
    weekday and a date). Bad input gives ``[]``; this function never raises.
    """
    if not isinstance(text, str) or not text:
        return []
    anchor = anchor_date(published)
    folded = _fold(text)
    candidates = _scan(folded.text, 0, _yearless_hook(anchor))
    for m in _relative_matches(folded.text):
        resolved = _resolve_match(m, folded.text, anchor)
        if resolved is not None:
            candidates.append(_Found(m.start(), m.end(), resolved[0], resolved[1], True))
    # Where two readings overlap the longer one says more (``الحادي عشر من سبتمبر 2001`` over
    # ``سبتمبر 2001``, ``الجمعة 11 نوفمبر 2022`` over ``الجمعة``); absolute first on a tie.
    candidates.sort(key=lambda f: (f.start - f.end, f.relative, f.start))
    found: list[_Found] = []
    starts: list[int] = []  # the kept spans, disjoint, kept sorted by start
    ends: list[int] = []
    for f in candidates:
        i = bisect_left(starts, f.start)
        if (i < len(starts) and starts[i] < f.end) or (i > 0 and ends[i - 1] > f.start):
            continue
        starts.insert(i, f.start)
        ends.insert(i, f.end)
        found.append(f)
    found.sort(key=lambda f: f.start)
    out = []
    for f in found:
        start, end = folded.span(f.start, f.end)
        out.append(DateMatch(text[start:end], start, end, f.value, f.precision, f.relative))
    return out
