"""Absolute dates in Arabic news: recognition in running text and parsing of metadata values.

Arabic news writes one day many ways — ``الجمعة 11 نوفمبر 2022``, ``11 تشرين الثاني/نوفمبر
2022``, ``11 نونبر 2022`` (Morocco), ``11 جانفي 2022`` (Tunisia/Algeria), ``١١/١١/٢٠٢٢``,
``17 ربيع الآخر 1444 هـ`` (Hijri) and ``November 11, 2022`` — and dateparser misses the regional
and Hijri forms, gets Arabic weekdays wrong and is far too slow to run per token. So this module
uses its own grammar: one precompiled regular expression built from the TSV lexicons in
``data/`` (months, Hijri and Persian months, era marks, weekdays, day periods, time zones), run
over a length-keeping folded copy of the text, with every candidate validated before it is
reported.

Public API
----------
``find_dates(text)``      every absolute date expression in running text, in order.
``resolve_dates(text, published)`` absolute and relative dates, resolved against publication.
``parse_date(text)``      one whole string (a byline fragment, a meta value) as one date.
``parse_published(value)`` machine values from meta tags, JSON-LD, feeds and corpora.
``date_from_url(url)``    the date a URL path carries (``/2022/11/11/``), never an article id.

Values are ISO 8601: ``2022-11-11`` (precision ``day``), ``2022-11`` (``month``), ``2022``
(``year``), ``2022-11-11T14:05:00`` or ``2022-11-11T14:05:00+03:00`` (``minute``/``second``).
A Hijri or Persian year is the interval of Gregorian days it covers, ``2023-07-19/2024-07-06``
(precision ``year``). Hijri dates are converted with hijridate (Umm al-Qura, years 1343-1500
AH); Persian solar dates (1200-1599 SH) with the jalaali arithmetic in :func:`_nowruz`.

Relative dates
--------------
Every candidate first becomes a :class:`_Parts` (calendar, year, month, day, weekday, clock
time, zone) and only then a value. :func:`find_dates` drops what needs an anchor — day-month
without a year (``11 نوفمبر``), Hijri day-month (``17 رمضان``) — and never sees relative words.
:func:`resolve_dates` (implemented in :mod:`rasid.arabic.relative_dates`) keeps them through a
hook in the scan and adds the relative grammar (``اليوم الجمعة``، ``أمس``، ``الأسبوع الماضي``،
``في سبتمبر``، ``قبل ثلاثة أيام``), all resolved against the publication date.

Choices
-------
* Surface text includes a leading ``في`` and weekday (``في عام 2014``, ``الجمعة 11 نوفمبر
  2022``) and a following or preceding clock time; the weekday is not checked against the
  date (bylines get it wrong more often than the numbers).
* Hijri month-year (``رمضان 1444 هـ``) gives nothing: a Hijri month straddles two Gregorian
  months, so a Gregorian ``YYYY-MM`` would claim more than the text says. A Hijri year with
  its mark (``عام 1444 هـ``) gives the span of days it covers.
* A Hijri month name with a Gregorian-looking year (``رمضان 2023``) is not Hijri; a year with
  the wrong era mark (``11 نوفمبر 1444 هـ``) is rejected; doubled month names must agree.
* A date in digits whose year is a Hijri year (1343-1500: ``10/9/1445``, ``1445/09/10``) is
  Hijri and converted; no news is dated in those Gregorian years. In Persian digits
  (U+06F0-06F9: ``۱۴۰۲/۰۷/۱۵``) it is a Persian solar date, as are a Persian month name with a
  year (``15 مهر 1402``) and a year marked ``هجري شمسي``/``ه.ش``; Arabic-Indic digits
  (``١٤٤٥/٠٩/١٠``) stay lunar. A Persian month name without a year is no date (``مهر`` is
  also a dowry).
* A bare year of the Hijri range with no era mark (``سنة 1445``) may be Hijri, Persian or a
  Gregorian year of history (``فتح القسطنطينية عام 1453``). The year beside it (``عام 1391
  الموافق 1971``, ``1435/1436هـ``), a calendar named next to it (``وفقا للتقويم الإيراني``),
  the years the document writes with a mark, and the publication date decide
  (:func:`_settle_year`); when none does, find_dates drops it and resolve_dates keeps it
  without a value. A year with an era mark is never reread.
* dateparser is not used: on the forms Arabic news uses it was slower (15-1600 ms a call), it
  missed regional and Hijri months, and it fills missing parts from today's date. What it
  added (``14h05``, ``Nov. 11, 2022 2:05 PM ET``) is now in the grammar; US zone names are
  dropped (the time stays naive) rather than guessed.

Not covered: bare 4-digit numbers (usually counts or model numbers), two-digit years
(``11/11/22`` is ambiguous), numeric month-year (``11/2022``), month/day/year numeric order
(Arabic news writes day/month/year; ``11/13/2022`` is rejected, not swapped), ordinal words
(``الحادي عشر من نوفمبر``: resolve_dates has them), date ranges (``10-12 نوفمبر``: only the
last day is found) and relative expressions (see resolve_dates).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import cache
from importlib.resources import files
from itertools import pairwise
from urllib.parse import unquote, urlsplit

from hijridate import Gregorian, Hijri

__all__ = [
    "DateMatch",
    "date_from_url",
    "find_dates",
    "parse_date",
    "parse_published",
    "resolve_dates",
]

Precision = str  # "day" | "month" | "year" | "minute" | "second"


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date found in a text.

    ``text == source[start:end]`` in the string that was searched (offsets are Python string
    indices, end-exclusive, like every offset in a rasid record).
    """

    text: str
    start: int
    end: int
    value: str | None
    precision: str
    # True when the value depends on the publication date (اليوم، أمس، في سبتمبر، 11 نوفمبر);
    # such a match has ``value is None`` when there was no date to resolve it against.
    relative: bool = False


# ---------------------------------------------------------------------------------------------
# Orthographic variants
#
# The scan does not translate the text: translating every character of an article cost more
# than the whole regex scan. Instead the lexicons are folded (below) and the regex accepts
# every spelling of a folded letter through a character class (``_ar``); ``\d`` already
# matches Eastern Arabic and Persian digits, and ``int()`` reads them. Only harakat, tatweel
# and invisible bidi marks are removed before matching, and only texts that contain them pay
# for the map back to original offsets.
# ---------------------------------------------------------------------------------------------

# Folding for lexicon keys and matched names: hamza/madda alef forms -> bare alef, alef
# maqsura and Persian yeh -> yeh, ta marbuta -> ha, Eastern Arabic and Persian digits -> ASCII
# digits, Arabic decimal/thousands separators -> "." and ",".
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ة": "ه",
        "ۀ": "ه",
        "ک": "ك",
        "٫": ".",
        "٬": ",",
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)

# What each folded letter stands for in the text.
_VARIANT_CLASS = {"ا": "[اأإآٱٲٳ]", "ي": "[يىیې]", "ه": "[هةۀ]", "ك": "[كک]"}


def _ar(pattern: str) -> str:
    """Let the folded Arabic letters of a regex source match all their spellings.

    Applied to whole pattern sources, which therefore must not contain these letters inside
    a character class of their own.
    """
    return "".join(_VARIANT_CLASS.get(ch, ch) for ch in pattern)


# Characters that carry no matching information and are dropped before matching:
# tatweel, harakat/tanwin/shadda, superscript alef, soft hyphen and the invisible bidi and
# zero-width marks that CMSs put inside dates (``11\u200f/11\u200f/2022``).
_MARKS = "\u0640\u064b-\u065f\u0670"
_INVISIBLE = "\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_DELETABLE_RE = re.compile(f"[{_MARKS}{_INVISIBLE}]+")
_MARK_RE = re.compile(f"[{_MARKS}]")


@dataclass(slots=True)
class _Folded:
    """The text as matched (harakat and invisible marks removed) and the map back.

    The map is built only when a span is asked for: most articles have tanwin somewhere but
    few dates, so paying for it up front would cost more than the scan.
    """

    text: str
    original: str
    _run_starts: list[int] | None = None  # matched-text index where each removed run was
    _removed_before: list[int] | None = None  # removed characters up to and including run i

    def _to_original(self, index: int) -> int:
        if self._run_starts is None:
            self._run_starts, self._removed_before = [], []
            removed = 0
            for run in _DELETABLE_RE.finditer(self.original):
                self._run_starts.append(run.start() - removed)
                removed += run.end() - run.start()
                self._removed_before.append(removed)
        assert self._removed_before is not None
        runs = bisect_right(self._run_starts, index)
        return index + (self._removed_before[runs - 1] if runs else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` for a matched span; trailing harakat stay with their word."""
        if self.text is self.original:
            return start, end
        o_start = self._to_original(start)
        o_end = self._to_original(end - 1) + 1
        text = self.original
        while o_end < len(text) and _MARK_RE.match(text, o_end):
            o_end += 1
        return o_start, o_end


def _fold(text: str) -> _Folded:
    """Drop harakat/tatweel/bidi marks for matching (a no-op for texts without them)."""
    stripped = _DELETABLE_RE.sub("", text)
    return _Folded(text if stripped == text else stripped, text)


def _key(name: str) -> str:
    """Lookup key of a lexicon entry or a matched name: folded, single-spaced, casefolded."""
    return " ".join(_DELETABLE_RE.sub("", name.translate(_FOLD)).split()).casefold()


# ---------------------------------------------------------------------------------------------
# Lexicons (data/*.tsv)
# ---------------------------------------------------------------------------------------------


def _read_tsv(name: str) -> list[list[str]]:
    """Rows of a data TSV without comments, blank lines or its header row."""
    raw = files("rasid.arabic").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    rows = [
        [cell.strip() for cell in line.split("\t")]
        for line in raw.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return rows[1:]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    gregorian: dict[str, int]  # folded month name -> month number (all languages)
    latin: dict[str, int]  # the English/French subset, for "November 11, 2022"
    hijri: dict[str, int]
    solar: dict[str, int]  # Persian solar (Solar Hijri) months
    eras: dict[str, str]  # folded era mark -> gregorian | hijri | solar
    cues: dict[str, str]  # folded phrase naming a calendar (وفقا للتقويم الإيراني) -> calendar
    weekdays: dict[str, int]  # ISO weekday, 1 = Monday
    periods: dict[str, str]  # am | pm | noon | night
    zones: dict[str, int]  # UTC offset in minutes
    bare_zones: dict[str, int]  # the subset that may follow a time without "بتوقيت" (GMT)


def _offset_minutes(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    hours, _, minutes = text.lstrip("+-").partition(":")
    return sign * (int(hours) * 60 + int(minutes or 0))


@cache
def _lexicon() -> _Lexicon:
    """Load every lexicon once; the regexes below are built from it at import time."""
    gregorian: dict[str, int] = {}
    latin: dict[str, int] = {}
    for month, name, variety in _read_tsv("months.tsv"):
        gregorian[_key(name)] = int(month)
        if variety in {"en", "fr"}:
            latin[_key(name)] = int(month)
    hijri = {_key(name): int(month) for month, name in _read_tsv("hijri_months.tsv")}
    solar = {_key(name): int(month) for month, name in _read_tsv("solar_months.tsv")}
    eras = {_key(mark): calendar for mark, calendar in _read_tsv("eras.tsv")}
    cues: dict[str, str] = {}
    for phrase, calendar in _read_tsv("calendar_cues.tsv"):
        key = _key(phrase)
        cues[key] = calendar
        if key.startswith("ال"):  # after a preposition: بالتقويم، للتقويم (ل + التقويم)
            cues["ب" + key] = cues["ل" + key[1:]] = calendar
    weekdays = {_key(name): int(day) for day, name in _read_tsv("weekdays.tsv")}
    periods = {_key(word): period for word, period in _read_tsv("day_periods.tsv")}
    zones: dict[str, int] = {}
    bare_zones: dict[str, int] = {}
    for name, offset, bare in _read_tsv("timezones.tsv"):
        zones[_key(name)] = _offset_minutes(offset)
        if bare == "yes":
            bare_zones[_key(name)] = _offset_minutes(offset)
    return _Lexicon(
        gregorian, latin, hijri, solar, eras, cues, weekdays, periods, zones, bare_zones
    )


def _alternation(names: dict[str, int] | dict[str, str]) -> str:
    """Regex for any of the folded names, built as a trie.

    A flat ``a|b|c`` of a hundred month names is tried branch by branch at every word start,
    which made the scan several times slower; the trie checks one character per step. Greedy
    optional tails (``ماي(?:و)?``) prefer the longest name, so ``ماي`` never wins over ``مايو``.
    A space inside a name matches any run of whitespace.
    """
    trie: dict[str, dict] = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [
            (r"\s+" if ch == " " else re.escape(ch)) + build(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + build(trie) + ")"


# ---------------------------------------------------------------------------------------------
# The grammar
# ---------------------------------------------------------------------------------------------

_LEX = _lexicon()
_GREG = _alternation(_LEX.gregorian)
_LATIN = _alternation(_LEX.latin)
_HIJRI = _alternation(_LEX.hijri)
_SOLAR = _alternation(_LEX.solar)
_WEEKDAY = _alternation(_LEX.weekdays)
_PERIOD = _alternation(_LEX.periods)
_ZONE = _alternation(_LEX.zones)
_BARE_ZONE = _alternation(_LEX.bare_zones)

# A word ends here (Arabic letters are \w, so this also stops "ماي" inside "مايو").
_END = r"(?!\w)"
# What may stand between a month and its year: a comma or dash, "من", "عام/سنة/العام/لعام".
_YEAR_SEP = r"\s*(?:[,،\-/.]\s*)?(?:من\s+)?(?:(?:ال|لل|ل)?(?:عام|سنه)\s*)?"
# Era after a year: م/ميلادي (Gregorian), هـ/هجري/للهجرة (Hijri; tatweel is folded away),
# هجري شمسي/ه.ش (Persian solar); data/eras.tsv.
_ERA = r"(?:\s*(?P<{name}>" + _alternation(_LEX.eras) + ")" + _END + ")?"


def _greg_month(tag: str) -> str:
    """A Gregorian month, optionally doubled (``آب/أغسطس``, ``آب (أغسطس)``, ``نوفمبر - آب``)."""
    return (
        rf"(?P<{tag}1>{_GREG}){_END}\.?"
        rf"(?:\s*[/\-–|]\s*(?P<{tag}2>{_GREG}){_END}\.?"
        rf"|\s*\(\s*(?P<{tag}3>{_GREG})\s*\))?"
    )


# The alternatives, tried in this order at each position (Python's regex takes the first
# alternative that matches, not the longest, so the richer forms come first).
_DATE_ALTERNATIVES = [
    # 11 نوفمبر 2022 / 11 من تشرين الثاني/نوفمبر عام 2022م / 17 ربيع الآخر 1444 هـ
    rf"(?<![\w.,:/])(?P<d>\d{{1,2}})(?:st|nd|rd|th|er)?\s*(?:[-/.]\s*|من\s+|of\s+)?"
    rf"(?:{_greg_month('m')}|(?P<hm>{_HIJRI}){_END}|(?P<sm>{_SOLAR}){_END})"
    rf"(?:{_YEAR_SEP}(?P<y>\d{{4}})(?!\d){_ERA.format(name='era')})?",
    # November 11, 2022 / Nov. 11th 2022
    rf"(?<!\w)(?P<em>{_LATIN}){_END}\.?\s*(?P<ed>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?"
    rf"(?:\s*(?:,\s*)?(?P<ey>\d{{4}})(?!\d))?",
    # 11/11/2022, 11-11-2022, 11.11.2022 (day first, as Arabic news writes them)
    r"(?<![\w.,:/\-+])(?P<nd>\d{1,2})(?P<ns>[/.\-])(?P<nm>\d{1,2})(?P=ns)(?P<ny>\d{4})"
    r"(?!\d|[.,/\-:]\d)" + _ERA.format(name="era4"),
    # 2022/11/11, 2022-11-11 (ISO order)
    r"(?<![\w.,:/\-+])(?P<iy>\d{4})(?P<isep>[/.\-])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})"
    r"(?!\d|[.,/\-:]\d)" + _ERA.format(name="era5"),
    # نوفمبر 2022 / تشرين الثاني من عام 2022 / (Hijri month-year: recognised, dropped)
    rf"(?<!\w)(?:شهر\s+)?(?:{_greg_month('mm')}|(?P<hm2>{_HIJRI}){_END})"
    rf"{_YEAR_SEP}(?P<my>\d{{4}})(?!\d){_ERA.format(name='era2')}",
    # عام 2014 / سنة 2014 / العام 2014 / للعام 2014 (never a bare number)
    rf"(?<!\w)(?:ال|لل|ل)?(?:عام|سنه)\s*(?P<yy>\d{{4}})(?!\d){_ERA.format(name='era3')}",
]
_DATE_RE = re.compile(_ar("|".join(_DATE_ALTERNATIVES)), re.IGNORECASE)

# What may precede a date and belongs to it: "في", "يوم الجمعة،", "الجمعة الموافق", "Fri,".
_PREFIX_RE = re.compile(
    _ar(
        rf"(?<!\w)(?:(?:في\s+)?(?:يوم\s+)?(?P<wd>{_WEEKDAY}){_END}\.?\s*(?:[,،\-–]\s*)?"
        rf"(?:الموافق\s+)?(?:في\s+)?|في\s+)$"
    ),
    re.IGNORECASE,
)

# A time zone after a clock time: "GMT", "(GMT+3)", "بتوقيت مكة المكرمة", "+03:00", "Z".
_ZONE_BODY = rf"(?:ب?توقيت\s+{_ZONE}|{_BARE_ZONE}){_END}(?:\s*[+-]\s*\d{{1,2}}(?::?\d{{2}})?)?"
_TZ = rf"(?P<tz>\(\s*{_ZONE_BODY}\s*\)|{_ZONE_BODY}|[+-]\d{{2}}:?\d{{2}}(?!\d)|Z{_END})"
_TZ_PARTS_RE = re.compile(
    rf"(?:ب?توقيت\s+)?(?P<name>{_ZONE})?\s*(?P<offset>[+-]\s*\d{{1,2}}(?::?\d{{2}})?)?\s*\)?$",
    re.IGNORECASE,
)
_CLOCK = (
    r"(?P<h>\d{1,2})(?:[:h](?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?(?![\d:])"
    rf"(?:\s*(?P<ap>{_PERIOD}){_END})?(?:\s*{_TZ})?"
)
# A time after a day: "- 14:05", "الساعة 10:30 صباحا", "T14:05:00Z", "| 02:05 م GMT", and
# CNN Arabic's "الأحد، 04 آب/اغسطس 2013، آخر تحديث 02:21 (GMT+0400)".
_TIME_AFTER_RE = re.compile(
    _ar(
        r"(?:T|\s*(?:[-–—|,،@/]\s*)?(?:(?:اخر\s+)?تحديث\s*:?\s*)?"
        rf"(?P<cue>(?:في\s+)?الساعه\s*|at\s+|à\s+)?){_CLOCK}"
    ),
    re.IGNORECASE,
)
# A time before a day: "10:30 ص، 11 نوفمبر 2022", "14:05 - 11/11/2022".
_TIME_BEFORE_RE = re.compile(
    _ar(rf"(?<![\d:])(?P<cue>الساعه\s*)?{_CLOCK}\s*(?:[-–—|,،@]\s*)?$"), re.IGNORECASE
)


# ---------------------------------------------------------------------------------------------
# From a match to a value
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Parts:
    """What a date expression says, before it becomes a value.

    Kept separate from the value so that relative resolution can fill what is missing (a
    year, a day from a weekday) from an anchor date instead of dropping the match.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    # "gregorian", "hijri" (lunar, Umm al-Qura), "solar" (Persian, Solar Hijri), or
    # "undecided": a bare year of the Hijri range with no era mark (سنة 1445), which the
    # rest of the document and the publication date settle (see _settle_year)
    calendar: str = "gregorian"
    weekday: int | None = None  # ISO weekday named in the prefix; not checked (typos abound)
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    tz_minutes: int | None = None

    def resolve(self) -> tuple[str, Precision] | None:
        """ISO value and precision, or None when the parts are incomplete or invalid."""
        if self.year is None or self.calendar == "undecided":
            return None  # needs an anchor date or the rest of the document
        if self.calendar != "gregorian":
            if self.month is None:
                return _year_span(self.year, self.calendar)
            if self.day is None:
                # A Hijri or Persian month straddles two Gregorian months, so a month
                # precision would claim more than the text says.
                return None
            converted = _to_gregorian(self.calendar, self.year, self.month, self.day)
            if converted is None:
                return None
            day = converted
        else:
            if not 1000 <= self.year <= 2199:
                return None
            if self.month is None:
                return f"{self.year:04d}", "year"
            if not 1 <= self.month <= 12:
                return None
            if self.day is None:
                return f"{self.year:04d}-{self.month:02d}", "month"
            try:
                day = date(self.year, self.month, self.day)
            except ValueError:
                return None
        if self.hour is None or self.minute is None:
            return day.isoformat(), "day"
        tz = timezone(timedelta(minutes=self.tz_minutes)) if self.tz_minutes is not None else None
        moment = datetime(
            day.year, day.month, day.day, self.hour, self.minute, self.second or 0, tzinfo=tz
        )
        return moment.isoformat(timespec="seconds"), (
            "second" if self.second is not None else "minute"
        )


# ---------------------------------------------------------------------------------------------
# Calendars
# ---------------------------------------------------------------------------------------------

# Years of the Umm al-Qura calendar (hijridate's range). A date written in digits with such a
# year is Hijri (Saudi outlets write «10/9/1445» with or without هـ): no news is dated in
# Gregorian 1343-1500. A bare year in this range (سنة 1445) is settled by _settle_year.
_HIJRI_YEARS = range(1343, 1501)
# Persian solar years read from Persian month names, Persian digits or a solar era mark.
_SOLAR_YEARS = range(1200, 1600)

# Borkowski's table of the years where the 33-year pattern of Persian leap years shifts
# (as in the jalaali calendar libraries): with it the arithmetic below gives the astronomical
# Nowruz of the Iranian calendar for these years.
_SOLAR_BREAKS = (-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192)


def _nowruz(year: int) -> date:
    """1 Farvardin of a Persian solar year (in _SOLAR_YEARS) as a Gregorian date."""
    leap_solar, previous, jump = -14, _SOLAR_BREAKS[0], 0
    for brk in _SOLAR_BREAKS[1:]:
        if year < brk:
            break
        jump = brk - previous
        leap_solar += jump // 33 * 8 + jump % 33 // 4
        previous = brk
    n = year - previous
    leap_solar += n // 33 * 8 + (n % 33 + 3) // 4
    if jump % 33 == 4 and jump - n == 4:
        leap_solar += 1
    gregorian_year = year + 621
    leap_gregorian = gregorian_year // 4 - (gregorian_year // 100 + 1) * 3 // 4 - 150
    return date(gregorian_year, 3, 20 + leap_solar - leap_gregorian)


def _to_gregorian(calendar: str, year: int, month: int, day: int) -> date | None:
    """The Gregorian day of a Hijri or Persian solar date; None when it does not exist."""
    if calendar == "hijri":
        try:
            converted = Hijri(year, month, day).to_gregorian()
        except (ValueError, OverflowError):
            return None
        return date(converted.year, converted.month, converted.day)
    if year not in _SOLAR_YEARS or not 1 <= month <= 12 or day < 1:
        return None
    start = _nowruz(year)
    # Farvardin-Shahrivar have 31 days, Mehr-Bahman 30, Esfand 29 (30 in a leap year).
    length = 31 if month <= 6 else 30 if month <= 11 else (_nowruz(year + 1) - start).days - 336
    if day > length:
        return None
    return start + timedelta(days=(month - 1) * 31 - max(0, month - 7) + day - 1)


def _year_span(year: int, calendar: str) -> tuple[str, Precision] | None:
    """A Hijri or Persian year as the Gregorian days it covers: ``2023-07-19/2024-07-06``.

    A year of these calendars straddles two Gregorian years, so a Gregorian year would
    claim more (or other) than the text says; an ISO 8601 interval says exactly that span.
    """
    if calendar == "hijri":
        first = _to_gregorian("hijri", year, 1, 1)
        last_month = _to_gregorian("hijri", year, 12, 1)
        if first is None or last_month is None:
            return None
        last = last_month + timedelta(days=Hijri(year, 12, 1).month_length() - 1)
    else:
        if year not in _SOLAR_YEARS:
            return None
        first, last = _nowruz(year), _nowruz(year + 1) - timedelta(days=1)
    return f"{first.isoformat()}/{last.isoformat()}", "year"


def _era_calendar(era: str | None) -> str | None:
    """The calendar an era mark names (data/eras.tsv); None without a mark."""
    return None if era is None else _LEX.eras.get(_key(era))


def _era_fits(era: str | None, calendar: str) -> bool:
    return era is None or _era_calendar(era) == calendar


def _month_of(m: re.Match[str], tag: str) -> int | None:
    """The month of a (possibly doubled) Gregorian month group; None if the two disagree."""
    first = _LEX.gregorian[_key(m.group(f"{tag}1"))]
    second = m.group(f"{tag}2") or m.group(f"{tag}3")
    if second is not None and _LEX.gregorian[_key(second)] != first:
        return None
    return first


def _hijri_year_plausible(year: int, era: str | None) -> bool:
    """A Hijri month name with a year: trust it with هـ, or when the year is a Hijri year.

    ``رمضان 2023`` is the Ramadan of Gregorian 2023, not Hijri year 2023.
    """
    return era is not None or 1300 <= year <= 1599


# Persian digits (U+06F0-06F9) are what Persian text writes; Arabic pages write Arabic-Indic
# digits (U+0660-0669), ٤٥٦ where Persian has ۴۵۶, for Hijri dates as for any other.
_PERSIAN_DIGIT_RE = re.compile("[\u06f0-\u06f9]")


def _persian(digits: str) -> bool:
    return _PERSIAN_DIGIT_RE.search(digits) is not None


def _parts_from(m: re.Match[str]) -> _Parts | None:
    """Read the named groups of one ``_DATE_RE`` match into parts (None if inconsistent)."""
    g = m.group
    if g("d") is not None:
        day, year = int(g("d")), (int(g("y")) if g("y") else None)
        if g("hm") is not None:
            if year is not None and not (
                _hijri_year_plausible(year, g("era")) and _era_fits(g("era"), "hijri")
            ):
                return None
            return _Parts(year, _LEX.hijri[_key(g("hm"))], day, "hijri")
        if g("sm") is not None:
            # Only with a year of the calendar: «مهر»، «دي»، «تير» are ordinary words too.
            if year not in _SOLAR_YEARS or not _era_fits(g("era"), "solar"):
                return None
            return _Parts(year, _LEX.solar[_key(g("sm"))], day, "solar")
        month = _month_of(m, "m")
        if month is None or not _era_fits(g("era"), "gregorian"):
            return None
        return _Parts(year, month, day)
    if g("em") is not None:
        year = int(g("ey")) if g("ey") else None
        return _Parts(year, _LEX.latin[_key(g("em"))], int(g("ed")))
    if g("nd") is not None:
        return _numeric(g("ny"), int(g("nm")), int(g("nd")), g("era4"))
    if g("iy") is not None:
        return _numeric(g("iy"), int(g("im")), int(g("id")), g("era5"))
    if g("my") is not None:
        year = int(g("my"))
        if g("hm2") is not None:
            if not (_hijri_year_plausible(year, g("era2")) and _era_fits(g("era2"), "hijri")):
                return None
            return _Parts(year, _LEX.hijri[_key(g("hm2"))], None, "hijri")
        month = _month_of(m, "mm")
        if month is None or not _era_fits(g("era2"), "gregorian"):
            return None
        return _Parts(year, month)
    if g("yy") is not None:
        return _Parts(int(g("yy")), calendar=_year_calendar(g("yy"), g("era3")))
    return None  # pragma: no cover - every alternative sets one of the groups above


def _year_calendar(digits: str, era: str | None) -> str:
    """The calendar of a year written alone (عام 2014، سنة 1445 هـ، عام ۱۴۰۲)."""
    calendar = _era_calendar(era)
    if calendar is not None:
        return calendar
    year = int(digits)
    if _persian(digits) and year in _SOLAR_YEARS:
        return "solar"
    return "undecided" if year in _HIJRI_YEARS else "gregorian"


def _numeric(digits: str, month: int, day: int, era: str | None) -> _Parts | None:
    """A date written in digits: Hijri or Persian when its era mark says so or its year
    can only be a year of that calendar; None when the mark contradicts the year
    (``10/9/2024 هـ``, ``10/9/1445 م``).

    A year in Persian digits is a Persian solar year (``۱۴۰۲/۰۷/۱۵``): Iranian outlets
    write their dates so, and the lunar Hijri year is ~40 higher.
    """
    year = int(digits)
    calendar = _era_calendar(era)
    if calendar is None:
        if _persian(digits) and year in _SOLAR_YEARS:
            calendar = "solar"
        else:
            calendar = "hijri" if year in _HIJRI_YEARS else "gregorian"
    else:
        in_range = year in (_SOLAR_YEARS if calendar == "solar" else _HIJRI_YEARS)
        if in_range == (calendar == "gregorian"):
            return None
    return _Parts(year, month, day, calendar)


def _clock_into(m: re.Match[str], parts: _Parts) -> bool:
    """Copy a validated clock time (and zone) from a time match into ``parts``."""
    hour, minute = int(m.group("h")), m.group("mi")
    if minute is None and not m.group("cue"):
        return False  # a bare number after a date is a count, not an hour
    minute_i = int(minute) if minute is not None else 0
    second = int(m.group("s")) if m.group("s") is not None else None
    period = _LEX.periods.get(_key(m.group("ap"))) if m.group("ap") else None
    if period is not None:
        if (period in {"pm", "noon"} and 13 <= hour <= 23) or (period == "am" and hour == 0):
            pass  # "14:05 مساء", "00:30 ص": already a 24-hour clock
        elif not 1 <= hour <= 12:
            return False
        elif period == "am":
            hour %= 12
        elif period == "pm":
            hour = hour % 12 + 12
        elif period == "noon":
            hour = hour if hour >= 11 else hour + 12
        else:  # night: 10 ليلا is 22:00, 2 ليلا is 02:00, 12 ليلا is midnight
            hour = hour + 12 if 6 <= hour <= 11 else hour % 12
    if hour > 23 or minute_i > 59 or (second is not None and second > 59):
        return False
    tz_minutes = None
    if m.group("tz"):
        tz_minutes = _zone_minutes(m.group("tz"))
        if tz_minutes is None:
            return False
    parts.hour, parts.minute, parts.second, parts.tz_minutes = hour, minute_i, second, tz_minutes
    return True


def _zone_minutes(text: str) -> int | None:
    """UTC offset of a zone expression; None when it is out of range."""
    text = _key(text).lstrip("(").strip()
    if text == "z":
        return 0
    m = _TZ_PARTS_RE.search(text)
    if m is None:  # pragma: no cover - _TZ only matches what _TZ_PARTS_RE can read
        return None
    total = _LEX.zones.get(_key(m.group("name")), 0) if m.group("name") else 0
    if m.group("offset"):
        offset = m.group("offset").replace(" ", "")
        if ":" not in offset and len(offset) == 5:  # +0300
            offset = f"{offset[:3]}:{offset[3:]}"
        total += _offset_minutes(offset)
    return total if -14 * 60 <= total <= 14 * 60 else None


@dataclass(slots=True)
class _Found:
    start: int  # folded-text offsets
    end: int
    value: str | None
    precision: Precision
    relative: bool = False
    undecided_year: int | None = None  # a bare year of the Hijri range, not yet settled


# Called by _scan for a date without a year (``11 نوفمبر``, ``17 رمضان``) with the parts and
# the match's folded span; returns the resolved match or None to drop it (see relative_dates).
YearlessHook = Callable[[str, "_Parts", int, int], "_Found | None"]


# Every date has a digit, and the regex engine's cost is per position tried, so the scan only
# runs around digit runs: from _LOOK_BEFORE characters before one (room for "في شهر تشرين
# الثاني من عام ") to _LOOK_AFTER after it (room for a month name or an era), widened to the
# next whitespace so that no match is cut inside a word.
# (An explicit class: about 2.5 times faster than \d, which checks Unicode categories.)
_DIGITS_RE = re.compile("[0-9\u0660-\u0669\u06f0-\u06f9]+")
_SPACE_RE = re.compile(r"\s")
_LOOK_BEFORE = 64
_LOOK_AFTER = 48


def _windows(text: str, begin: int) -> list[tuple[int, int]]:
    """Disjoint ``(start, end)`` ranges of ``text`` that may hold a date."""
    windows: list[tuple[int, int]] = []
    for run in _DIGITS_RE.finditer(text, begin):
        start = max(begin, run.start() - _LOOK_BEFORE)
        if windows and start <= windows[-1][1]:
            if run.end() <= windows[-1][1] - _LOOK_AFTER:
                continue  # this run is well inside the previous window
            start = windows.pop()[0]
        space = _SPACE_RE.search(text, min(run.end() + _LOOK_AFTER, len(text)))
        windows.append((start, space.start() if space else len(text)))
    return windows


def _candidates(text: str, begin: int) -> Iterator[re.Match[str]]:
    for start, end in _windows(text, begin):
        yield from _DATE_RE.finditer(text, start, end)


def _scan(folded: str, begin: int = 0, yearless: YearlessHook | None = None) -> list[_Found]:
    """Every valid date in the folded text, in order, non-overlapping.

    Dates without a year are dropped unless a ``yearless`` hook resolves them. A bare year of
    the Hijri range (``سنة 1445``) is settled from the document's other dates; when they do
    not settle it, it is dropped — or, with a hook (the path of :func:`resolve_dates`), kept
    with ``value=None`` for the publication date to settle.
    """
    found, written = _scan_with_evidence(folded, begin, yearless)
    if not any(f.undecided_year for f in found):
        return found
    kept = []
    for f in found:
        if f.undecided_year is not None:
            settled = _settle_year(f.undecided_year, written, None)
            if settled is not None:
                f.value, f.relative = settled
                f.undecided_year = None
            elif yearless is None:
                continue
        kept.append(f)
    return kept


# Within this many years of a year the same document writes with its calendar, or of the
# publication's Hijri year, a bare year of the Hijri range is read in that calendar.
_NEAR_YEARS = 2
# And this many years before the publication's Hijri year. In Saudi news a bare year of the
# last decades is Hijri (تأسست البلدية عام 1404، ولد بالرياض عام 1396: of the 92 bare years
# that "two years either side" left Gregorian in SaudiNewsNet, 88 are Hijri), while the
# Gregorian years of this range that news names lie far from the publication's Hijri year
# (1347 in Calais, 1453, 1492, 1500). docs/dates-places.md has the figures.
_PAST_YEARS = 50


def _settle_year(
    year: int, written: dict[str, set[int]], anchor: date | None
) -> tuple[str, bool] | None:
    """The value of a bare year of the Hijri range (``عام 1445``) and whether the publication
    date decided it; None when nothing does.

    1. Within two years of a year the document writes with an unmistakable calendar (``1445
       هـ``, ``10 رمضان 1445``, ``10/9/1445``, ``29 مايو 1453``, ``۱۵ مهر ۱۴۰۲``): that calendar.
    2. With the publication date: Hijri from fifty years before its Hijri year to two years
       after it (``تأسست البلدية عام 1404`` in 2015, ``موسم حج العام 1446`` in 2024); Hijri
       also for any earlier year when the document writes Hijri dates (Saudi pages date
       their history so); otherwise Gregorian (``فتح القسطنطينية عام 1453``).
    3. Without one: undecided, since a guess either way is as likely wrong as right. A page
       dated in Hijri still writes Gregorian history (``5 شوال 1445هـ … احتل البرتغاليون
       سبتة عام 1415``), so its Hijri dates speak only for the years near them (rule 1).
    """
    distances = {
        calendar: min(abs(year - y) for y in years) for calendar, years in written.items() if years
    }
    near = {c: d for c, d in distances.items() if d <= _NEAR_YEARS}
    if near:
        best = min(near.values())
        calendars = [c for c, d in near.items() if d == best]
        if len(calendars) == 1:
            return _year_value(year, calendars[0]), False
    hijri_written = written.get("hijri")
    present = _hijri_year_of(anchor) if anchor is not None else None
    if present is not None:
        hijri = present - _PAST_YEARS <= year <= present + _NEAR_YEARS or (
            bool(hijri_written) and year < present
        )
        return _year_value(year, "hijri" if hijri else "gregorian"), True
    return None


# What may follow a year and say its calendar: the next year with an era (سنة 1394/ 1395هـ،
# لعام 1428 - 1429هـ), or the Gregorian year beside it (عام 1391 الموافق 1971، عام 1400
# (1980)، عام 1382-1962، عام 1385 1964).
_PAIR_RE = re.compile(
    _ar(
        r"\s*(?:[/\-–]\s*|\(\s*|الموافق\s+(?:ل\s*)?|)(?:(?:ال|ل)?(?:عام|سنه)\s*)?"
        r"(?P<y2>\d{4})(?!\d)\s*\)?" + _ERA.format(name="era")
    ),
    re.IGNORECASE,
)


def _pair_calendar(year: int | None, pair: re.Match[str] | None) -> str:
    """The calendar the year after a bare Hijri-range year gives it ("undecided" if none)."""
    if year is None or pair is None:
        return "undecided"
    other, era = int(pair.group("y2")), _era_calendar(pair.group("era"))
    if era is not None and abs(other - year) <= 1:
        return era  # one span of two years, one era mark for both
    span = _year_span(year, "hijri")
    if span is not None and other >= 1900:
        first, last = int(span[0][:4]), int(span[0][11:15])
        if first - 1 <= other <= last + 1:  # «عام 1385 1964»: writers round the span
            return "hijri"
    return "undecided"


_CUE_RE = re.compile(_ar(rf"(?<!\w){_alternation(_LEX.cues)}(?!\w)"), re.IGNORECASE)
# How far from a bare year a calendar's name may stand and still speak of it.
_CUE_REACH = 40


# An era mark standing alone between a cue and a year: the cue speaks of that other date.
_ERA_WORD_RE = re.compile(_ar(rf"(?<!\w){_alternation(_LEX.eras)}{_END}"), re.IGNORECASE)


def _cue_calendar(folded: str, start: int, end: int) -> str:
    """The calendar named next to a bare year (وفقا للتقويم الإيراني); "undecided" if none.

    A cue speaks of the nearest number: one with another number or era mark between it and
    the year («عام 1453، أي عام 857 بالتقويم الهجري»), or with another number nearer on its
    other side («عام 1440 وفقا للتقويم الميلادي، أي عام 1363»), is not the year's.
    """
    digits = _DIGITS_RE.search(folded, start, end)
    first, last = digits.span() if digits is not None else (start, end)
    best: tuple[int, str] | None = None
    for cue in _CUE_RE.finditer(folded, max(0, start - _CUE_REACH), end + _CUE_REACH):
        if cue.end() <= start:
            between, reach = (cue.end(), start), first - cue.end()
            beyond = (max(0, cue.start() - reach), cue.start())
        else:
            between, reach = (end, cue.start()), cue.start() - last
            beyond = (cue.end(), cue.end() + reach)
        if (
            _DIGITS_RE.search(folded, *between)
            or _ERA_WORD_RE.search(folded, *between)
            or _DIGITS_RE.search(folded, *beyond)
        ):
            continue
        distance = between[1] - between[0]
        if best is None or distance < best[0]:
            best = (distance, _LEX.cues[_key(cue.group())])
    return best[1] if best is not None else "undecided"


def _year_value(year: int, calendar: str) -> str:
    if calendar == "gregorian":
        return f"{year:04d}"
    span = _year_span(year, calendar)
    assert span is not None  # the callers' years are in the Hijri range
    return span[0]


def _hijri_year_of(day: date) -> int | None:
    try:
        return Gregorian(day.year, day.month, day.day).to_hijri().year
    except (ValueError, OverflowError):
        return None  # outside the Umm al-Qura tables (1937-2077)


def _scan_with_evidence(
    folded: str, begin: int, yearless: YearlessHook | None
) -> tuple[list[_Found], dict[str, set[int]]]:
    """The scan, and the years written with their calendar beyond doubt, by calendar."""
    written: dict[str, set[int]] = {"gregorian": set(), "hijri": set(), "solar": set()}
    found: list[_Found] = []
    last_end = begin
    for m in _candidates(folded, begin):
        start, end = m.span()
        if start < last_end:
            continue  # swallowed by the previous match's time
        parts = _parts_from(m)
        if parts is None:
            continue
        if parts.year is not None and parts.calendar in written:
            written[parts.calendar].add(parts.year)
        window_start = max(last_end, start - 40)
        prefix = _PREFIX_RE.search(folded, window_start, start)
        if prefix is not None:
            start = prefix.start()
            if prefix.group("wd"):
                parts.weekday = _LEX.weekdays[_key(prefix.group("wd"))]
        if parts.day is not None:
            after = _TIME_AFTER_RE.match(folded, end)
            if after is not None and _clock_into(after, parts):
                end = after.end()
            else:
                before = _TIME_BEFORE_RE.search(folded, max(last_end, start - 40), start)
                if before is not None and _clock_into(before, parts):
                    start = before.start()
        if parts.year is None and yearless is not None:
            hooked = yearless(folded, parts, start, end)
            if hooked is None:
                continue
            found.append(hooked)
            last_end = hooked.end
            continue
        if parts.calendar == "undecided":
            parts.calendar = _pair_calendar(parts.year, _PAIR_RE.match(folded, end))
            if parts.calendar == "undecided":
                parts.calendar = _cue_calendar(folded, start, end)
            if parts.year is not None and parts.calendar in written:
                written[parts.calendar].add(parts.year)
        if parts.calendar == "undecided":
            found.append(_Found(start, end, None, "year", True, parts.year))
            last_end = end
            continue
        resolved = parts.resolve()
        if resolved is None:
            continue
        found.append(_Found(start, end, *resolved))
        last_end = end
    return found, written


# ---------------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------------


def find_dates(text: str) -> list[DateMatch]:
    """Every absolute date expression in running text, in order and non-overlapping.

    Offsets index the original ``text`` (matching runs on a folded copy). Bad input — not a
    string, empty, binary junk — gives ``[]``; this function never raises.
    """
    if not isinstance(text, str) or not text:
        return []
    folded = _fold(text)
    out = []
    for f in _scan(folded.text):
        start, end = folded.span(f.start, f.end)
        out.append(DateMatch(text[start:end], start, end, f.value, f.precision))
    return out


def resolve_dates(text: str, published: date | datetime | str | None = None) -> list[DateMatch]:
    """Every date expression in ``text``, absolute and relative, resolved against ``published``.

    Adds to :func:`find_dates` what needs the publication date: ``اليوم الجمعة``, ``أمس``,
    ``أول أمس``, ``مساء الأحد``, ``الأسبوع الماضي``, ``قبل ثلاثة أيام``, ``في سبتمبر``,
    ``11 نونبر``, ``17 رمضان``, ``مطلع الشهر الجاري``. Relative matches carry
    ``relative=True``; without a publication date their value is None (never guessed from
    today). See :mod:`rasid.arabic.relative_dates` for the rules.

    A bare year of the Hijri range (``سنة 1445``) is settled by the publication date when the
    rest of the document does not settle it (see ``_settle_year``): its value then depends on
    the publication date, so it is ``relative``, and None without one.
    """
    from rasid.arabic.relative_dates import anchor_date
    from rasid.arabic.relative_dates import resolve_dates as _resolve

    found = _resolve(text, published)
    undecided = [i for i, m in enumerate(found) if _undecided_year(m) is not None]
    if not undecided:
        return found
    anchor = anchor_date(published)
    if anchor is None:
        return found
    _, written = _scan_with_evidence(_fold(text).text, 0, None)
    for i in undecided:
        m = found[i]
        year = _undecided_year(m)
        assert year is not None
        settled = _settle_year(year, written, anchor)
        if settled is not None:
            found[i] = DateMatch(m.text, m.start, m.end, settled[0], m.precision, settled[1])
    return found


def _undecided_year(m: DateMatch) -> int | None:
    """The year of a bare Hijri-range year the scan left for the publication date to settle."""
    if m.value is not None or m.precision != "year":
        return None
    runs = _DIGITS_RE.findall(m.text)
    if len(runs) != 1 or len(runs[0]) != 4:
        return None  # relative years (العام المقبل) have no digits
    year = int(runs[0])
    return year if year in _HIJRI_YEARS else None


# Labels in front of a byline date: "نشر في:", "آخر تحديث:", "Published on".
_LABEL_RE = re.compile(
    _ar(
        r"\s*(?:(?:تاريخ\s+(?:النشر|التحديث)|(?:تم\s+)?النشر|نشر(?:ت)?|اخر\s+تحديث|تحديث|محدث"
        r"|التاريخ|بتاريخ|published|updated|posted|last\s+updated|last\s+modified|date)"
        r"(?:\s+(?:في|بتاريخ|on|at))?\s*(?:[:：\-–]\s*)?)?"
    ),
    re.IGNORECASE,
)
# After a byline date: punctuation, and perhaps a zone abbreviation we do not map (ET, PST —
# US zones have daylight saving and "AST" is ambiguous); the clock time then stays naive.
_TRAILER_RE = re.compile(r"[\s.,،|\-–—:)]*(?:\(?[A-Z]{2,4}\)?[\s.]*)?")
# Between the Hijri and the Gregorian form of one day: "... 1444 هـ الموافق 11 نوفمبر 2022".
_SAME_DAY_GAP_RE = re.compile(_ar(r"[\s,،|\-–—/()]*(?:الموافق\s+ل|الموافق|=)?[\s,،|\-–—/()]*"))


def _one_date(folded: str, begin: int, found: list[_Found]) -> bool:
    """Whether the matches cover the string as one date (written once, or Hijri + Gregorian)."""
    if folded[begin : found[0].start].strip() or not _TRAILER_RE.fullmatch(folded, found[-1].end):
        return False
    if len(found) == 1:
        return True
    if len({f.value[:10] for f in found}) != 1 or any(f.precision != "day" for f in found[:-1]):
        return False
    return all(_SAME_DAY_GAP_RE.fullmatch(folded, a.end, b.start) for a, b in pairwise(found))


_MAX_FIELD = 300


def parse_date(text: str) -> DateMatch | None:
    """The whole string as one date: a byline fragment or a human-readable meta value.

    A leading label (``نشر في:``، ``آخر تحديث:``، ``Published:``) and trailing punctuation are
    allowed; anything else around the date means the string is not a date and gives None.
    Machine forms (ISO 8601, RFC 822) are accepted too; bare digit strings (epoch seconds,
    ``20180413``) are not, because in a byline they are ids — use :func:`parse_published`.
    Offsets index the given ``text``.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_FIELD:
        return None
    folded = _fold(text)
    label = _LABEL_RE.match(folded.text)
    begin = label.end() if label else 0
    found = _scan(folded.text, begin)
    if found and _one_date(folded.text, begin, found):
        best = max(found, key=lambda f: len(f.value))  # the one with a clock time, if any
        start, end = folded.span(found[0].start, found[-1].end)
        return DateMatch(text[start:end], start, end, best.value, best.precision)
    stripped = text.strip()
    if stripped.isdigit():
        return None
    machine = _parse_machine(stripped)
    if machine is None:
        return None
    start = text.index(stripped)
    return DateMatch(stripped, start, start + len(stripped), *machine)


_ISO_RE = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/]?)(?P<mo>\d{2})(?:(?P=sep)(?P<d>\d{2})"
    r"(?:(?:\s*T\s*|\s+)(?P<h>\d{1,2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?)?",
    re.IGNORECASE,
)
_RFC822_RE = re.compile(
    r"(?:[A-Za-z]{3,9},?\s*)?\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s*[A-Za-z]{1,5}|\s*[+-]\d{4})?"
)


def _iso_moment(moment: datetime, seconds_given: bool = True) -> tuple[str, Precision] | None:
    if not 1900 <= moment.year <= 2100:
        return None
    return moment.isoformat(timespec="seconds"), "second" if seconds_given else "minute"


def _parse_machine(value: str) -> tuple[str, Precision] | None:
    """ISO 8601 (any common variant) and RFC 822 dates; None for anything else."""
    m = _ISO_RE.fullmatch(value)
    if m is not None:
        year, month = int(m.group("y")), int(m.group("mo"))
        if not m.group("sep") and m.group("d") is None:
            return None  # "202211" is a number, not a month
        if m.group("d") is None:
            if 1900 <= year <= 2100 and 1 <= month <= 12:
                return f"{year:04d}-{month:02d}", "month"
            return None
        try:
            day = date(year, month, int(m.group("d")))
        except ValueError:
            return None
        if m.group("h") is None:
            return (day.isoformat(), "day") if 1900 <= year <= 2100 else None
        tz = None
        if m.group("tz"):
            tz_text = m.group("tz").upper()
            if tz_text in {"Z", "UTC", "GMT"}:
                offset = 0
            elif ":" in tz_text or len(tz_text) == 3:  # +03:00, +03
                offset = _offset_minutes(tz_text)
            else:  # +0300
                offset = _offset_minutes(f"{tz_text[:3]}:{tz_text[3:]}")
            if abs(offset) > 14 * 60:
                return None
            tz = timezone(timedelta(minutes=offset))
        try:
            moment = datetime(
                year,
                month,
                day.day,
                int(m.group("h")),
                int(m.group("mi")),
                int(m.group("s") or 0),
                tzinfo=tz,
            )
        except ValueError:
            return None
        return _iso_moment(moment, m.group("s") is not None)
    if _RFC822_RE.fullmatch(value):
        if re.search(r"\bAST$", value, re.IGNORECASE):
            value = value[:-3] + "-0000"  # Arabia or Atlantic? Keep the clock, drop the zone.
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        return _iso_moment(moment, value.count(":") >= 2)
    return None


def _parse_digits(value: str) -> str | None:
    """All-digit machine values: YYYY, YYYYMMDD, YYYYMMDDHHMM[SS], epoch seconds or millis."""
    n = len(value)
    try:
        if n == 4:
            return value if 1900 <= int(value) <= 2100 else None
        if n == 8:
            day = datetime.strptime(value, "%Y%m%d")
            return day.date().isoformat() if 1900 <= day.year <= 2100 else None
        if n in (12, 14) and value[:2] in {"19", "20"}:
            moment = datetime.strptime(value, "%Y%m%d%H%M%S" if n == 14 else "%Y%m%d%H%M")
            return moment.isoformat(timespec="seconds")
        if n in (9, 10, 13):
            seconds = int(value) / (1000 if n == 13 else 1)
            return datetime.fromtimestamp(seconds, tz=UTC).isoformat(timespec="seconds")
    except (ValueError, OverflowError, OSError):
        return None
    return None


def parse_published(value: str) -> str | None:
    """Normalize a machine date value (meta tag, JSON-LD, feed, corpus field) to ISO 8601.

    Accepts ISO 8601 with or without time and zone, ``2015-07-21 10:00:00``, RFC 822
    (``Fri, 13 Apr 2018 13:56:34 GMT``), ``20180413``, ``YYYYMMDDHHMMSS``, epoch seconds or
    milliseconds (read as UTC), and — because Arabic sites put them in meta tags too — human
    dates such as ``الجمعة 11 نوفمبر 2022``. The time is kept when the value has one; zones
    become ``+HH:MM``; fractions of a second are dropped. Invalid values (``0000-00-00``, a
    31 February) give None, never an exception.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        value = str(int(value))
    if not isinstance(value, str):
        return None
    stripped = value.strip().translate(_FOLD)
    if not stripped or len(stripped) > _MAX_FIELD:
        return None
    if stripped.isdigit():
        return _parse_digits(stripped)
    if re.fullmatch(r"\d{9,10}\.\d+|\d{13}\.\d+", stripped):
        return _parse_digits(stripped.split(".")[0])
    machine = _parse_machine(stripped)
    if machine is not None:
        return machine[0]
    found = parse_date(value)
    if found is None or found.value is None or "/" in found.value:
        return None  # a Hijri year's span (عام 1445 هـ) is no publication date
    return found.value


# URL date patterns, most specific first. Years before 1990 are not news-URL dates.
_YEAR = r"(?P<y>199\d|20\d\d|2100)"
_URL_DAY_PATTERNS = (
    re.compile(rf"/{_YEAR}/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})(?!\d)"),  # /2022/11/11/
    re.compile(rf"(?<![\d])({_YEAR})(?P<sep>[-_.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})(?!\d)"),
    re.compile(rf"(?<![\d])(?P<d>\d{{1,2}})(?P<sep>[-_])(?P<m>\d{{1,2}})(?P=sep){_YEAR}(?!\d)"),
    # /20221111/ — exactly eight digits between non-digits; longer digit runs are ids.
    re.compile(rf"(?<![\d]){_YEAR}(?P<m>\d{{2}})(?P<d>\d{{2}})(?![\d])"),
    # /2013/middle_east/8/3/ (CNN Arabic): year, one section word, month, day.
    re.compile(rf"/{_YEAR}/[A-Za-z_\-]+/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})/"),
)
# /2022/11/ as two whole path segments: the month of an archive-style URL — but not when a
# day-like segment follows, since /2022/02/30/ is a broken date, not a month.
_URL_MONTH_PATTERN = re.compile(rf"/{_YEAR}/(?P<m>\d{{1,2}})(?:/(?!\d{{1,2}}(?:\D|$))|$)")


def date_from_url(url: str) -> str | None:
    """The publication date a URL path carries, as ``YYYY-MM-DD`` or ``YYYY-MM``.

    Only the path is read (query strings carry cache-busters and timestamps), patterns are
    tried most specific first, and a candidate must be a valid calendar date. Numeric article
    ids never qualify: a digit run longer than eight is an id, and an eight-digit run must be
    a valid date from 1990 on.
    """
    if not isinstance(url, str) or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    path = unquote(parts.path if (parts.scheme or parts.netloc) else url.split("?")[0])
    path = path.split("#")[0]
    for pattern in _URL_DAY_PATTERNS:
        for m in pattern.finditer(path):
            try:
                return date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
            except ValueError:
                continue
    for m in _URL_MONTH_PATTERN.finditer(path):
        month = int(m.group("m"))
        if 1 <= month <= 12:
            return f"{int(m.group('y')):04d}-{month:02d}"
    return None
