"""Tests for rasid.arabic.dates: absolute dates in Arabic news text, meta values and URLs."""

from __future__ import annotations

from itertools import pairwise

import pytest

from rasid.arabic.dates import (
    DateMatch,
    date_from_url,
    find_dates,
    parse_date,
    parse_published,
    resolve_dates,
)

# (expression as an Arabic news page writes it, expected ISO value, expected precision).
# Each one must parse as a whole with parse_date and be found, whole, by find_dates.
EXPRESSIONS: list[tuple[str, str, str]] = [
    # Egyptian/Gulf (MSA) month names
    ("الجمعة 11 نوفمبر 2022", "2022-11-11", "day"),
    ("11 نوفمبر 2022", "2022-11-11", "day"),
    ("1 يناير 2023", "2023-01-01", "day"),
    ("29 فبراير 2024", "2024-02-29", "day"),
    ("15 مارس 2011", "2011-03-15", "day"),
    ("6 أبريل 2020", "2020-04-06", "day"),
    ("6 ابريل 2020", "2020-04-06", "day"),
    ("25 مايو 2021", "2021-05-25", "day"),
    ("30 يونيو 2013", "2013-06-30", "day"),
    ("30 يونيه 2013", "2013-06-30", "day"),
    ("23 يوليه 1952", "1952-07-23", "day"),
    ("14 أغسطس 2013", "2013-08-14", "day"),
    ("11 سبتمبر 2001", "2001-09-11", "day"),
    ("6 اكتوبر 1973", "1973-10-06", "day"),
    ("31 ديسمبر 2022", "2022-12-31", "day"),
    # Levantine / Iraqi
    ("١١ تشرين الثاني ٢٠٢٢", "2022-11-11", "day"),
    ("2 كانون الثاني 2023", "2023-01-02", "day"),
    ("25 كانون الأول 2022", "2022-12-25", "day"),
    ("8 شباط 2023", "2023-02-08", "day"),
    ("15 آذار 2011", "2011-03-15", "day"),
    ("9 نيسان 2003", "2003-04-09", "day"),
    ("17 أيار 2019", "2019-05-17", "day"),
    ("5 حزيران 1967", "1967-06-05", "day"),
    ("14 تموز 1958", "1958-07-14", "day"),
    ("4 آب 2020", "2020-08-04", "day"),
    ("10 أيلول 2022", "2022-09-10", "day"),
    ("7 تشرين الأول 2023", "2023-10-07", "day"),
    # Moroccan, Mauritanian, Algerian/Tunisian
    ("11 نونبر 2022", "2022-11-11", "day"),
    ("3 دجنبر 2021", "2021-12-03", "day"),
    ("20 غشت 2019", "2019-08-20", "day"),
    ("9 شتنبر 2023", "2023-09-09", "day"),
    ("30 يوليوز 2022", "2022-07-30", "day"),
    ("1 ماي 2022", "2022-05-01", "day"),
    ("14 جانفي 2011", "2011-01-14", "day"),
    ("22 فيفري 2019", "2019-02-22", "day"),
    ("5 جويلية 1962", "1962-07-05", "day"),
    ("20 أوت 1955", "1955-08-20", "day"),
    ("12 جوان 2019", "2019-06-12", "day"),
    ("2 أفريل 2019", "2019-04-02", "day"),
    # combined and decorated forms
    ("28 آب/اغسطس 2013", "2013-08-28", "day"),
    ("28 آب (أغسطس) 2013", "2013-08-28", "day"),
    ("الجمعة، 11 نوفمبر/تشرين الثاني 2022", "2022-11-11", "day"),
    ("11 تشرين الثاني / نوفمبر 2022", "2022-11-11", "day"),
    ("في 11 نوفمبر من عام 2022", "2022-11-11", "day"),
    ("11 من نوفمبر 2022م", "2022-11-11", "day"),
    ("يوم الأحد 5 مارس 2023 ميلادية", "2023-03-05", "day"),
    ("الثلاثاء الموافق 8 نوفمبر 2022", "2022-11-08", "day"),
    ("الخميس ١٠ نوفمبر ٢٠٢٢", "2022-11-10", "day"),
    ("الاربعاء 9 تشرين الثاني 2022", "2022-11-09", "day"),
    ("11 نُوفَمْبَر 2022", "2022-11-11", "day"),
    ("11 نوفمبـــر 2022", "2022-11-11", "day"),
    # with a clock time
    ("11 نوفمبر 2022 - 14:05", "2022-11-11T14:05:00", "minute"),
    ("الجمعة 11 نوفمبر 2022 الساعة 10:30 صباحا", "2022-11-11T10:30:00", "minute"),
    ("الجمعة 11 نوفمبر 2022 الساعة 10:30 مساءً", "2022-11-11T22:30:00", "minute"),
    ("11/11/2022 02:05 م", "2022-11-11T14:05:00", "minute"),
    ("11/11/2022 12:15 ص", "2022-11-11T00:15:00", "minute"),
    ("10:30 ص، 11 نوفمبر 2022", "2022-11-11T10:30:00", "minute"),
    ("11 نوفمبر 2022 14:05 بتوقيت مكة المكرمة", "2022-11-11T14:05:00+03:00", "minute"),
    ("11 نوفمبر 2022 | 14:05:33 GMT", "2022-11-11T14:05:33+00:00", "second"),
    ("الساعة 9 مساء 11 نوفمبر 2022", "2022-11-11T21:00:00", "minute"),
    # month and year precision
    ("نوفمبر 2022", "2022-11", "month"),
    ("تشرين الثاني 2022", "2022-11", "month"),
    ("في شهر آب/أغسطس 2013", "2013-08", "month"),
    ("يوليوز 2021", "2021-07", "month"),
    ("في عام 2014", "2014", "year"),
    ("عام 2014", "2014", "year"),
    ("سنة 2014", "2014", "year"),
    ("العام 1948", "1948", "year"),
    # numeric, day first
    ("11/11/2022", "2022-11-11", "day"),
    ("11-11-2022", "2022-11-11", "day"),
    ("11.11.2022", "2022-11-11", "day"),
    ("3/1/2023", "2023-01-03", "day"),
    ("٣/١/٢٠٢٣", "2023-01-03", "day"),
    ("۱۱/۱۱/۲۰۲۲", "2022-11-11", "day"),
    ("2022/11/11", "2022-11-11", "day"),
    ("2022-11-11", "2022-11-11", "day"),
    ("السبت 2022/11/12", "2022-11-12", "day"),
    ("2022-11-11T14:05:00+03:00", "2022-11-11T14:05:00+03:00", "second"),
    # Hijri (Umm al-Qura)
    ("17 ربيع الآخر 1444 هـ", "2022-11-11", "day"),
    ("17 ربيع الثاني 1444هـ", "2022-11-11", "day"),
    ("١٧ ربيع الآخر ١٤٤٤ه", "2022-11-11", "day"),
    ("1 رمضان 1444 هـ", "2023-03-23", "day"),
    ("1 شوال 1444 للهجرة", "2023-04-21", "day"),
    ("10 ذو الحجة 1443 هـ", "2022-07-09", "day"),
    ("10 ذي الحجة 1443", "2022-07-09", "day"),
    ("1 محرم 1445 هـ", "2023-07-19", "day"),
    ("12 ربيع الأول 1445 هجرية", "2023-09-27", "day"),
    ("15 جمادى الأولى 1444 هـ", "2022-12-09", "day"),
    ("الجمعة 17 ربيع الآخر 1444 هـ", "2022-11-11", "day"),
    # a year with its era mark; a Hijri year is the span of Gregorian days it covers
    ("عام 1444 هـ", "2022-07-30/2023-07-18", "year"),
    ("سنة 1445 للهجرة", "2023-07-19/2024-07-06", "year"),
    ("في عام 1453 م", "1453", "year"),
    ("للعام 2024", "2024", "year"),
    # Persian solar (Solar Hijri) dates, as Iranian outlets print them
    ("۱۴۰۲/۰۷/۱۵", "2023-10-07", "day"),
    ("۱۵/۰۷/۱۴۰۲", "2023-10-07", "day"),
    ("۱۴۰۲/۰۷/۱۵ ه.ش", "2023-10-07", "day"),
    ("15 مهر 1402", "2023-10-07", "day"),
    ("۱۵ مهر ۱۴۰۲", "2023-10-07", "day"),
    ("في 12 آذر 1401", "2022-12-03", "day"),
    ("22 بهمن 1357", "1979-02-11", "day"),
    ("1 فروردین 1403", "2024-03-20", "day"),
    ("1 فروردين 1404", "2025-03-21", "day"),
    ("30 اسفند 1403", "2025-03-20", "day"),
    ("العام 1402 هجري شمسي", "2023-03-21/2024-03-19", "year"),
    ("عام ۱۴۰۲", "2023-03-21/2024-03-19", "year"),
    # English and French forms on Arabic sites
    ("November 11, 2022", "2022-11-11", "day"),
    ("Nov 11, 2022", "2022-11-11", "day"),
    ("11 Nov 2022", "2022-11-11", "day"),
    ("Friday, November 11, 2022", "2022-11-11", "day"),
    ("Fri, 13 Apr 2018 13:56:34 GMT", "2018-04-13T13:56:34+00:00", "second"),
    ("1er novembre 2022", "2022-11-01", "day"),
    ("11 novembre 2022 à 14h05", "2022-11-11T14:05:00", "minute"),
]


@pytest.mark.parametrize(("expression", "value", "precision"), EXPRESSIONS)
def test_parse_date_table(expression: str, value: str, precision: str) -> None:
    found = parse_date(expression)
    assert found is not None, expression
    assert (found.value, found.precision) == (value, precision)
    assert expression[found.start : found.end] == found.text


@pytest.mark.parametrize(("expression", "value", "precision"), EXPRESSIONS)
def test_find_dates_table_in_a_sentence(expression: str, value: str, precision: str) -> None:
    sentence = f"وقال المتحدث إن ذلك جرى {expression} وفق البيان."
    found = find_dates(sentence)
    assert [(m.value, m.precision) for m in found] == [(value, precision)]
    assert found[0].text.endswith(expression.split()[-1])
    assert sentence[found[0].start : found[0].end] == found[0].text


def test_table_is_large_enough() -> None:
    assert len(EXPRESSIONS) >= 50


# Things that are not absolute dates (or not valid ones); none may raise.
NOT_DATES = [
    "32/13/2022",
    "31/02/2023",
    "30 فبراير 2023",
    "31 نيسان 2022",
    "2014",
    "في 2014",
    "قتل 2014 شخصا",
    "منظومة Buk-M1",
    "صاروخ S-400",
    "10 أسلحة",
    "أطلق 40 صاروخا",
    "للاتصال: 0123-456-7890",
    "هاتف +20 2 2345 6789",
    "11/13/2022",
    "11/11/22",
    "رمضان 2023",
    "عام 1445",  # Hijri or Gregorian? find_dates has no publication date to tell
    "15 مهر",  # a Persian month name needs a year: مهر is also a dowry
    "دفع 15 مهر العروس",
    "10 مهر 2023",
    "30 اسفند 1402",  # 1402 is not a leap year: Esfand has 29 days
    "رمضان 1444",
    "5 رمضان 2023",
    "11 نوفمبر",
    "الجمعة",
    "نوفمبر",
    "القرار 2254",
    "مارس الضغط 10 سنوات",
    "أب 3 أطفال",
    "الإصدار 1.2.3",
    "",
    "   ",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []
    assert parse_date(text) is None


def test_find_dates_offsets_in_a_paragraph() -> None:
    text = (
        "أعلنت وزارة الدفاع، الجمعة 11 نوفمبر 2022، أن قواتها أسقطت 10 طائرات مسيرة. "
        "وكانت روسيا قد بدأت عمليتها في 24 فبراير/شباط 2022، بعد حشد بدأ في عام 2021. "
        "وقال المتحدث في بيان صدر بتاريخ ١٧ ربيع الآخر ١٤٤٤ هـ إن منظومة Buk-M1 "
        "دُمِّرت، فيما نشر موقع الوزارة تحديثًا في 12/11/2022 الساعة 10:30 صباحاً. "
        "ولم يعلق الجيش منذ تشرين الثاني 2022 على 2014 حادثة."
    )
    found = find_dates(text)
    assert [(m.value, m.precision) for m in found] == [
        ("2022-11-11", "day"),
        ("2022-02-24", "day"),
        ("2021", "year"),
        ("2022-11-11", "day"),
        ("2022-11-12T10:30:00", "minute"),
        ("2022-11", "month"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert [m.text for m in found] == [
        "الجمعة 11 نوفمبر 2022",
        "في 24 فبراير/شباط 2022",
        "في عام 2021",
        "١٧ ربيع الآخر ١٤٤٤ هـ",
        "في 12/11/2022 الساعة 10:30 صباحاً",
        "تشرين الثاني 2022",
    ]
    starts = [m.start for m in found]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in pairwise(found))


def test_offsets_survive_harakat_tatweel_and_bidi_marks() -> None:
    text = "جرى ذلك فِي ١١ نُوفَمْبَـــر ٢٠٢٢م، ثم في 11\u200f/11\u200f/2022 مرة أخرى."
    found = find_dates(text)
    assert [m.value for m in found] == ["2022-11-11", "2022-11-11"]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert found[0].text == "فِي ١١ نُوفَمْبَـــر ٢٠٢٢م"
    assert found[1].text == "في 11\u200f/11\u200f/2022"


def test_hijri_and_gregorian_of_the_same_day() -> None:
    text = "الجمعة 17 ربيع الآخر 1444 هـ الموافق 11 نوفمبر 2022 م"
    assert [m.value for m in find_dates(text)] == ["2022-11-11", "2022-11-11"]
    whole = parse_date(text)
    assert whole is not None
    assert (whole.value, whole.text) == ("2022-11-11", text)


def test_a_hijri_date_in_digits_is_converted() -> None:
    # Saudi outlets date items in digits, with or without هـ; a year of 1343-1500 can only be
    # a Hijri year in a news date
    text = "وفي يوم الأحد 10/9/1445هـ الموافق 20/3/2024م أعلنت الوزارة"
    assert [(m.text, m.value) for m in find_dates(text)] == [
        ("يوم الأحد 10/9/1445هـ", "2024-03-20"),
        ("20/3/2024م", "2024-03-20"),
    ]
    assert parse_published("1445/09/10") == "2024-03-20"
    assert parse_published("١٤٤٥/٠٩/١٠") == "2024-03-20"
    # an era mark that contradicts the year gives nothing
    assert parse_date("10/9/2024 هـ") is None
    assert parse_date("10/9/1445 م") is None


def test_a_count_after_a_date_is_not_a_time() -> None:
    found = find_dates("في 11 نوفمبر 2022 10 قتلى و 3 جرحى")
    assert [(m.text, m.value) for m in found] == [("في 11 نوفمبر 2022", "2022-11-11")]


def test_combined_month_names_must_agree() -> None:
    assert find_dates("28 آب/سبتمبر 2013") == []


def test_weekday_is_not_trusted_over_the_date() -> None:
    # The weekday is wrong (11 Nov 2022 was a Friday); the numbers win, as in most typos.
    found = parse_date("السبت 11 نوفمبر 2022")
    assert found is not None
    assert found.value == "2022-11-11"


@pytest.mark.parametrize(
    ("byline", "value"),
    [
        ("نشر في: الأربعاء، 09 تشرين الثاني 2022 - 10:30 ص", "2022-11-09T10:30:00"),
        ("آخر تحديث: 11 نوفمبر 2022", "2022-11-11"),
        ("تاريخ النشر: 2022/11/11", "2022-11-11"),
        ("بتاريخ 11-11-2022", "2022-11-11"),
        ("Published on November 11, 2022", "2022-11-11"),
        ("Published: 11/11/2022 14:05 PST", "2022-11-11T14:05:00"),
        ("  2022-11-11T14:05:00Z  ", "2022-11-11T14:05:00+00:00"),
        (
            "الأحد، 04 آب/اغسطس 2013، آخر تحديث 02:21 (GMT+0400)",
            "2013-08-04T02:21:00+04:00",
        ),
    ],
)
def test_parse_date_bylines(byline: str, value: str) -> None:
    found = parse_date(byline)
    assert found is not None
    assert found.value == value
    assert byline[found.start : found.end] == found.text


@pytest.mark.parametrize(
    "text",
    [
        "قال المتحدث إن الهجوم وقع في 11 نوفمبر 2022",
        "11 نوفمبر 2022 و12 نوفمبر 2022",
        "20180413",
        "1668124800",
        "مرحبا",
    ],
)
def test_parse_date_rejects_more_than_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_returns_datematch() -> None:
    found = parse_date("11 نوفمبر 2022")
    assert found == DateMatch("11 نوفمبر 2022", 0, 14, "2022-11-11", "day")
    with pytest.raises(AttributeError):
        found.value = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-11-11", "2022-11-11"),
        ("2022-11-11T14:05:00", "2022-11-11T14:05:00"),
        ("2022-11-11T14:05", "2022-11-11T14:05:00"),
        ("2022-11-11T14:05:00Z", "2022-11-11T14:05:00+00:00"),
        ("2022-11-11T14:05:00.123456+03:00", "2022-11-11T14:05:00+03:00"),
        ("2022-11-11T14:05:00+0300", "2022-11-11T14:05:00+03:00"),
        ("2022-11-11T14:05:00-05:00", "2022-11-11T14:05:00-05:00"),
        ("2015-07-21 10:00:00", "2015-07-21T10:00:00"),
        ("2022/11/11 10:00", "2022-11-11T10:00:00"),
        ("Fri, 13 Apr 2018 13:56:34 GMT", "2018-04-13T13:56:34+00:00"),
        ("Fri, 13 Apr 2018 13:56:34 +0300", "2018-04-13T13:56:34+03:00"),
        ("13 Apr 2018 13:56:34 -0000", "2018-04-13T13:56:34"),
        ("Fri, 13 Apr 2018 13:56:34 AST", "2018-04-13T13:56:34"),
        ("20180413", "2018-04-13"),
        ("20221111143000", "2022-11-11T14:30:00"),
        ("1523627794", "2018-04-13T13:56:34+00:00"),
        ("1523627794000", "2018-04-13T13:56:34+00:00"),
        ("1523627794.5", "2018-04-13T13:56:34+00:00"),
        ("2022-11", "2022-11"),
        ("2022", "2022"),
        ("٢٠٢٢-١١-١١", "2022-11-11"),
        ("الجمعة 11 نوفمبر 2022", "2022-11-11"),
        ("11/11/2022", "2022-11-11"),
        ("  2022-11-11  ", "2022-11-11"),
    ],
)
def test_parse_published(value: str, expected: str) -> None:
    assert parse_published(value) == expected


def test_parse_published_accepts_numbers() -> None:
    assert parse_published(1523627794) == "2018-04-13T13:56:34+00:00"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "garbage",
        "0000-00-00 00:00:00",
        "0000-00-00",
        "2022-02-31",
        "2022-13-01",
        "2022-11-11T25:00:00",
        "2022-11-11T14:05:00+25:00",
        "12345678",
        "202211",
        "1" * 40,
        "Fri, 32 Apr 2018 13:56:34 GMT",
        None,
        True,
    ],
)
def test_parse_published_invalid(value: str) -> None:
    assert parse_published(value) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.aljazeera.net/news/2022/11/11/روسيا-أوكرانيا", "2022-11-11"),
        ("https://arabic.cnn.com/world/2013/08/28/syria-strike", "2013-08-28"),
        ("https://example.com/2022/1/5/slug", "2022-01-05"),
        ("https://example.com/news/2022-11-11-title.html", "2022-11-11"),
        ("https://example.com/news/article_2022_11_11.html", "2022-11-11"),
        ("https://example.com/a/20221111/b", "2022-11-11"),
        ("https://example.com/news/20221111-russia.html", "2022-11-11"),
        ("https://example.com/p/11-11-2022/x", "2022-11-11"),
        ("https://example.com/news/2022/11/1234567", "2022-11"),
        ("https://example.com/archive/2022/11/", "2022-11"),
        ("/2022/11/11/relative-path", "2022-11-11"),
        ("http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html", "2013-08-03"),
    ],
)
def test_date_from_url(url: str, expected: str) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/news/12345678",
        "https://example.com/news/1234567",
        "https://example.com/news/202211112",
        "https://example.com/news/20221111123",
        "https://example.com/2022/13/45/",
        "https://example.com/2022/02/30/slug",
        "https://example.com/article/1234567?date=2022-11-11",
        "https://example.com/story/1987/05/01/",
        "https://example.com/",
        "",
        "not a url at all",
        "http://[::1",
    ],
)
def test_date_from_url_rejects(url: str) -> None:
    assert date_from_url(url) is None


@pytest.mark.parametrize(
    "junk",
    [
        "\x00\x01\x02\ufffd" * 500,
        "11/" * 20000,
        "1" * 50000,
        " " * 50000 + "11 نوفمبر",
        "11 نوفمبر" + " " * 50000 + "2022",
        "عام " * 10000,
        "".join(chr(c) for c in range(0x600, 0x700)) * 20,
        "٢٠٢٢/" * 5000,
    ],
)
def test_garbage_never_raises(junk: str) -> None:
    assert isinstance(find_dates(junk), list)
    parse_date(junk)
    parse_published(junk)
    date_from_url(junk)


def test_not_a_string_never_raises() -> None:
    assert find_dates(None) == []  # type: ignore[arg-type]
    assert parse_date(b"2022-11-11") is None  # type: ignore[arg-type]
    assert date_from_url(None) is None  # type: ignore[arg-type]


def test_long_article() -> None:
    sentence = "وقال المسؤول إن 40 صاروخا أطلقت على المدينة خلال الأسبوع الماضي. "
    text = sentence * 500 + "الجمعة 11 نوفمبر 2022" + sentence * 500
    found = find_dates(text)
    assert [m.value for m in found] == ["2022-11-11"]
    assert text[found[0].start : found[0].end] == "الجمعة 11 نوفمبر 2022"


# Bare years of the Hijri range (سنة 1445): Hijri, Persian solar or Gregorian


def values(text: str, published: str | None) -> list[tuple[str, str | None, bool]]:
    return [(m.text, m.value, m.relative) for m in resolve_dates(text, published)]


def test_a_bare_year_near_the_publications_hijri_year_is_hijri() -> None:
    text = "وأعلنت وزارة الحج خطة موسم العام 1446 بعد نجاح موسم حج عام 1445."
    assert values(text, "2024-06-20") == [
        ("العام 1446", "2024-07-07/2025-06-25", True),
        ("عام 1445", "2023-07-19/2024-07-06", True),
    ]


def test_a_bare_year_far_from_it_stays_gregorian() -> None:
    text = "تحل ذكرى فتح القسطنطينية عام 1453، بعد أن سقطت غرناطة سنة 1492 بأربعة عقود."
    assert values(text, "2024-05-29") == [("عام 1453", "1453", True), ("سنة 1492", "1492", True)]


def test_the_last_decades_are_hijri_in_a_page_of_their_time() -> None:
    # Saudi pages date the recent past by its Hijri year, with no mark
    text = "يذكر أن المتحدث الذي ولد بالرياض عام 1396 التحق بالوزارة في العام 1428."
    assert [m.value for m in resolve_dates(text, "2015-07-21")] == [
        "1976-01-02/1976-12-21",
        "2007-01-20/2008-01-09",
    ]


def test_without_a_publication_date_the_document_decides_or_nothing_does() -> None:
    hijri = "صدر القرار في 10 رمضان 1445 هـ، بعد دراسة بدأت عام 1444."
    assert values(hijri, None)[1] == ("عام 1444", "2022-07-30/2023-07-18", False)
    assert [m.text for m in find_dates(hijri)] == ["في 10 رمضان 1445 هـ", "عام 1444"]
    gregorian = "سقطت القسطنطينية في 29 مايو 1453، وأصبحت عاصمة العثمانيين سنة 1454."
    assert values(gregorian, None)[1] == ("سنة 1454", "1454", False)
    # nothing tells: kept as a date expression without a value, never guessed
    unknown = "وشهدت المدينة حريقا كبيرا عام 1445 أتى على أسواقها."
    assert values(unknown, None) == [("عام 1445", None, True)]
    assert find_dates(unknown) == []


def test_a_pages_hijri_dates_speak_only_for_the_years_near_them() -> None:
    # a Saudi page dated in Hijri still tells Gregorian history; without a publication date
    # a year far from its Hijri dates is left undecided
    text = "الرياض 5 شوال 1445هـ - تحل ذكرى عام 1415 حين احتل البرتغاليون سبتة."
    assert values(text, None)[1:] == [("عام 1415", None, True)]
    text = "الرياض 5 شوال 1445هـ - وتستعد الوزارة لموسم حج العام 1446."
    assert values(text, None)[1:] == [("العام 1446", "2024-07-07/2025-06-25", False)]


def test_the_year_beside_it_tells_its_calendar() -> None:
    text = (
        "بدأ الصندوق نشاطه اعتبارا من عام 1391 الموافق 1971، وأقر ميزانية العام 1435/1436هـ، "
        "وكان مركز البحوث قد تأسس عام 1400 (1980)."
    )
    assert [m.value for m in find_dates(text)] == [
        "1971-02-26/1972-02-15",
        "2013-11-04/2014-10-24",
        "1979-11-20/1980-11-08",
    ]


def test_a_calendar_named_beside_the_year() -> None:
    text = "وقال محققون إن الرجل اعتقل في عام 1385، وفقا للتقويم الإيراني."
    assert values(text, "2018-07-12") == [("في عام 1385", "2006-03-21/2007-03-20", False)]
    text = "وبدأت السنة الهجرية الجديدة لعام 1440 في ظاهرة نادرة."
    assert values(text, "2018-09-11") == [("لعام 1440", "2018-09-11/2019-08-30", False)]


def test_a_calendar_named_beside_another_number_is_not_the_years() -> None:
    # the cue names the calendar of the number next to it, not of the year beyond that; the
    # year is then settled as any bare year is (the publication date, or nothing)
    text = "فتح العثمانيون القسطنطينية عام 1453، أي عام 857 بالتقويم الهجري."
    assert values(text, "2024-06-20") == [("عام 1453", "1453", True)]
    assert values(text, None) == [("عام 1453", None, True)]
    text = "سقطت غرناطة سنة 1492، الموافق 897 حسب التقويم الهجري."
    assert values(text, "2024-06-20") == [("سنة 1492", "1492", True)]
    text = "بدأت السنة الهجرية الجديدة 1446 هـ، وفي عام 1453 فتح محمد الفاتح القسطنطينية."
    assert values(text, "2024-06-20") == [("عام 1453", "1453", True)]
    assert values(text, None) == [("عام 1453", None, True)]
    text = "ولد عام 1440 وفقا للتقويم الميلادي، أي عام 1363 وفقا للتقويم الإيراني."
    assert [m.value for m in find_dates(text)] == ["1440", "1984-03-21/1985-03-20"]


def test_an_era_mark_is_never_overruled() -> None:
    text = "معركة فارنا عام 1444 م، وتوسعة الحرم عام 1453 هـ."
    assert values(text, "2024-03-20") == [
        ("عام 1444 م", "1444", False),
        ("عام 1453 هـ", "2031-04-23/2032-04-10", False),
    ]


def test_persian_digits_are_solar_and_arabic_indic_digits_lunar() -> None:
    # ۱۴۰۲ (U+06F0-06F9) is how Persian writes the solar year; Arabic pages write Hijri
    # dates in Arabic-Indic digits (U+0660-0669), whose ٤٥٦ are other characters than ۴۵۶
    text = "طهران ۱۴۰۲/۰۷/۱۵ (إرنا) - وفي الرياض صدر البيان بتاريخ ١٤٤٥/٠٩/١٠ هـ."
    found = find_dates(text)
    assert [(m.text, m.value) for m in found] == [
        ("۱۴۰۲/۰۷/۱۵", "2023-10-07"),
        ("١٤٤٥/٠٩/١٠ هـ", "2024-03-20"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.text
    # a lunar mark keeps a Persian-digit Hijri date lunar
    assert [m.value for m in find_dates("صدر في ۱۴۴۵/۰۹/۱۰ ه.ق")] == ["2024-03-20"]


def test_persian_month_names_need_a_year() -> None:
    assert resolve_dates("وقع الحادث يوم 15 مهر الماضي", "2023-10-20") == []
    text = "وأعلنت طهران، الأحد ۱۵ مهر ۱۴۰۲، إطلاق القمر الصناعي."
    assert [(m.text, m.value) for m in resolve_dates(text, "2023-10-08")] == [
        ("الأحد ۱۵ مهر ۱۴۰۲", "2023-10-07")
    ]


def test_a_years_span_is_no_publication_date() -> None:
    assert parse_published("عام 1445 هـ") is None
    assert parse_published("۱۴۰۲/۰۷/۱۵") == "2023-10-07"
