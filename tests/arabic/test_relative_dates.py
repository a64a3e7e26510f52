"""Tests for rasid.arabic.relative_dates: date expressions resolved against the publication date."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from rasid.arabic.dates import DateMatch, find_dates, resolve_dates
from rasid.arabic.relative_dates import anchor_date

FRIDAY = "2022-11-11T15:42:18+00:00"  # a Friday: the day Ukrainian forces entered Kherson
THURSDAY_JAN = "2023-01-05"  # a Thursday early in the year: months and days cross years

# (expression, publication date, expected value, expected precision).
# Each must be found whole, and alone, in a news sentence.
TABLE: list[tuple[str, str, str, str]] = [
    # days named from the publication day
    ("اليوم الجمعة", FRIDAY, "2022-11-11", "day"),
    ("اليوم", FRIDAY, "2022-11-11", "day"),
    ("صباح اليوم", FRIDAY, "2022-11-11", "day"),
    ("مساء اليوم الجمعة", FRIDAY, "2022-11-11", "day"),
    ("الليلة", FRIDAY, "2022-11-11", "day"),
    ("أمس الخميس", FRIDAY, "2022-11-10", "day"),
    ("أمس", FRIDAY, "2022-11-10", "day"),
    ("يوم أمس", FRIDAY, "2022-11-10", "day"),
    ("مساء أمس", FRIDAY, "2022-11-10", "day"),
    ("فجر أمس", FRIDAY, "2022-11-10", "day"),
    ("البارحة", FRIDAY, "2022-11-10", "day"),
    ("أمس، الخميس", FRIDAY, "2022-11-10", "day"),
    ("أول أمس", FRIDAY, "2022-11-09", "day"),
    ("أول من أمس", FRIDAY, "2022-11-09", "day"),
    ("أول أمس الأربعاء", FRIDAY, "2022-11-09", "day"),
    ("أمس الأول", FRIDAY, "2022-11-09", "day"),
    ("غدا", FRIDAY, "2022-11-12", "day"),
    ("غدًا السبت", FRIDAY, "2022-11-12", "day"),
    ("يوم غد", FRIDAY, "2022-11-12", "day"),
    ("صباح الغد", FRIDAY, "2022-11-12", "day"),
    ("بعد غد", FRIDAY, "2022-11-13", "day"),
    ("بعد الغد", FRIDAY, "2022-11-13", "day"),
    ("اليوم الخميس", THURSDAY_JAN, "2023-01-05", "day"),
    ("أمس الأربعاء", THURSDAY_JAN, "2023-01-04", "day"),
    # weekdays: the most recent such day on or before publication
    ("يوم الجمعة", FRIDAY, "2022-11-11", "day"),
    ("الجمعة", FRIDAY, "2022-11-11", "day"),
    ("الخميس", FRIDAY, "2022-11-10", "day"),
    ("يوم الأربعاء", FRIDAY, "2022-11-09", "day"),
    ("الثلاثاء", FRIDAY, "2022-11-08", "day"),
    ("يوم الاثنين", FRIDAY, "2022-11-07", "day"),
    ("مساء الأحد", FRIDAY, "2022-11-06", "day"),
    ("السبت", FRIDAY, "2022-11-05", "day"),
    ("ليلة السبت", FRIDAY, "2022-11-05", "day"),
    ("فجر الثلاثاء", FRIDAY, "2022-11-08", "day"),
    ("صباح الإثنين", FRIDAY, "2022-11-07", "day"),
    ("الجمعة الماضي", FRIDAY, "2022-11-04", "day"),
    ("الجمعة الماضية", FRIDAY, "2022-11-04", "day"),
    ("الأحد الماضي", FRIDAY, "2022-11-06", "day"),
    ("الأحد المقبل", FRIDAY, "2022-11-13", "day"),
    ("الجمعة المقبل", FRIDAY, "2022-11-18", "day"),
    ("يوم الخميس القادم", FRIDAY, "2022-11-17", "day"),
    ("الأحد", THURSDAY_JAN, "2023-01-01", "day"),
    ("السبت الماضي", THURSDAY_JAN, "2022-12-31", "day"),
    # weeks, months and years named from publication
    ("الأسبوع الماضي", FRIDAY, "2022-W44", "week"),
    ("هذا الأسبوع", FRIDAY, "2022-W45", "week"),
    ("الأسبوع المقبل", FRIDAY, "2022-W46", "week"),
    ("الأسبوع الماضي", THURSDAY_JAN, "2022-W52", "week"),
    ("الشهر الماضي", FRIDAY, "2022-10", "month"),
    ("الشهر الجاري", FRIDAY, "2022-11", "month"),
    ("هذا الشهر", FRIDAY, "2022-11", "month"),
    ("الشهر المقبل", FRIDAY, "2022-12", "month"),
    ("الشهر الماضي", THURSDAY_JAN, "2022-12", "month"),
    ("مطلع الشهر الجاري", FRIDAY, "2022-11", "month"),
    ("منتصف الشهر الماضي", FRIDAY, "2022-10", "month"),
    ("أواخر الشهر المقبل", FRIDAY, "2022-12", "month"),
    ("العام الماضي", FRIDAY, "2021", "year"),
    ("السنة الماضية", FRIDAY, "2021", "year"),
    ("العام الجاري", FRIDAY, "2022", "year"),
    ("هذا العام", FRIDAY, "2022", "year"),
    ("هذه السنة", FRIDAY, "2022", "year"),
    ("العام المقبل", FRIDAY, "2023", "year"),
    ("نهاية العام الحالي", FRIDAY, "2022", "year"),
    ("خلال العام المنصرم", FRIDAY, "2021", "year"),
    # counted units
    ("قبل ثلاثة أيام", FRIDAY, "2022-11-08", "day"),
    ("قبل 3 أيام", FRIDAY, "2022-11-08", "day"),
    ("قبل يومين", FRIDAY, "2022-11-09", "day"),
    ("منذ يومين", FRIDAY, "2022-11-09", "day"),
    ("قبل يوم", FRIDAY, "2022-11-10", "day"),
    ("قبل عشرة أيام", FRIDAY, "2022-11-01", "day"),
    ("بعد ثلاثة أيام", FRIDAY, "2022-11-14", "day"),
    ("قبل أسبوع", FRIDAY, "2022-W44", "week"),
    ("قبل أسبوعين", FRIDAY, "2022-W43", "week"),
    ("قبل شهر", FRIDAY, "2022-10", "month"),
    ("منذ شهرين", FRIDAY, "2022-09", "month"),
    ("قبل ستة أشهر", FRIDAY, "2022-05", "month"),
    ("بعد شهرين", FRIDAY, "2023-01", "month"),
    ("قبل عامين", FRIDAY, "2020", "year"),
    ("منذ خمس سنوات", FRIDAY, "2017", "year"),
    ("قبل ٣ سنوات", FRIDAY, "2019", "year"),
    # months without a year: the most recent on or before publication
    ("في سبتمبر", FRIDAY, "2022-09", "month"),
    ("في أيلول", FRIDAY, "2022-09", "month"),
    ("في شتنبر", FRIDAY, "2022-09", "month"),
    ("في نوفمبر", FRIDAY, "2022-11", "month"),
    ("في ديسمبر", FRIDAY, "2021-12", "month"),
    ("شهر آب", FRIDAY, "2022-08", "month"),
    ("خلال أيلول/سبتمبر", FRIDAY, "2022-09", "month"),
    ("مطلع أكتوبر", FRIDAY, "2022-10", "month"),
    ("منتصف تموز", FRIDAY, "2022-07", "month"),
    ("أكتوبر الماضي", FRIDAY, "2022-10", "month"),
    ("نوفمبر الماضي", FRIDAY, "2021-11", "month"),
    ("ديسمبر المقبل", FRIDAY, "2022-12", "month"),
    ("مارس المقبل", FRIDAY, "2023-03", "month"),
    ("نوفمبر الجاري", FRIDAY, "2022-11", "month"),
    ("في ديسمبر", THURSDAY_JAN, "2022-12", "month"),
    ("في جانفي", THURSDAY_JAN, "2023-01", "month"),
    # a day and month without a year: the nearest such day
    ("11 نونبر", FRIDAY, "2022-11-11", "day"),
    ("في 9 نوفمبر", FRIDAY, "2022-11-09", "day"),
    ("20 نوفمبر", FRIDAY, "2022-11-20", "day"),
    ("24 فبراير", FRIDAY, "2022-02-24", "day"),
    ("10 يناير", FRIDAY, "2023-01-10", "day"),
    ("30 ديسمبر", THURSDAY_JAN, "2022-12-30", "day"),
    ("11 نوفمبر الماضي", FRIDAY, "2021-11-11", "day"),
    ("20 يناير المقبل", FRIDAY, "2023-01-20", "day"),
    ("١١ تشرين الثاني", FRIDAY, "2022-11-11", "day"),
    ("الحادي عشر من نوفمبر", FRIDAY, "2022-11-11", "day"),
    ("الأول من تشرين الثاني", FRIDAY, "2022-11-01", "day"),
    ("الرابع والعشرين من فبراير", FRIDAY, "2022-02-24", "day"),
    ("الحادي عشر من سبتمبر 2001", FRIDAY, "2001-09-11", "day"),
    ("في الخامس من الشهر الجاري", FRIDAY, "2022-11-05", "day"),
    ("في 5 من الشهر الجاري", FRIDAY, "2022-11-05", "day"),
    ("العشرين من الشهر الماضي", FRIDAY, "2022-10-20", "day"),
    ("17 ربيع الآخر", FRIDAY, "2022-11-11", "day"),
    ("1 شوال", FRIDAY, "2022-05-02", "day"),
    # absolute dates keep their value through resolve_dates
    ("في عام 2014", FRIDAY, "2014", "year"),
    ("11 نوفمبر 2022", FRIDAY, "2022-11-11", "day"),
    ("11/11/2022", FRIDAY, "2022-11-11", "day"),
    ("١١ تشرين الثاني ٢٠٢٢", FRIDAY, "2022-11-11", "day"),
    ("17 ربيع الآخر 1444 هـ", FRIDAY, "2022-11-11", "day"),
    ("الجمعة 11 نوفمبر 2022", FRIDAY, "2022-11-11", "day"),
]


@pytest.mark.parametrize(("expression", "published", "value", "precision"), TABLE)
def test_resolve_in_a_sentence(expression: str, published: str, value: str, precision: str) -> None:
    sentence = f"وقالت الوزارة إن القصف وقع {expression} في أطراف المدينة."
    found = resolve_dates(sentence, published)
    assert [(m.text, m.value, m.precision) for m in found] == [(expression, value, precision)]
    assert sentence[found[0].start : found[0].end] == expression


def test_table_is_large_enough() -> None:
    assert len(TABLE) >= 80


def test_relative_flag_separates_computed_from_written_values() -> None:
    found = resolve_dates("دخلت القوات المدينة اليوم الجمعة، بعد ضمها في سبتمبر 2022.", FRIDAY)
    assert [(m.text, m.relative) for m in found] == [
        ("اليوم الجمعة", True),
        ("في سبتمبر 2022", False),
    ]


def test_a_weekday_on_the_publication_day_is_that_day_not_a_week_back() -> None:
    # dateparser sends "الجمعة" read on a Friday to the Friday before.
    for published, expected in [("2022-11-11", "2022-11-11"), ("2022-11-12", "2022-11-11")]:
        (found,) = resolve_dates("وصلت القافلة يوم الجمعة", published)
        assert found.value == expected


def test_without_a_publication_date_relative_dates_stay_unresolved() -> None:
    text = (
        "أعلن الجيش أمس الخميس أنه سيطر على البلدة في سبتمبر، "
        "قبل ثلاثة أيام من الهدنة في 11 نوفمبر 2022."
    )
    found = resolve_dates(text, None)
    assert [(m.text, m.value) for m in found] == [
        ("أمس الخميس", None),
        ("في سبتمبر", None),
        ("في 11 نوفمبر 2022", "2022-11-11"),
    ]
    assert [m.relative for m in found] == [True, True, False]


def test_counts_from_another_event_are_not_resolved() -> None:
    assert resolve_dates("انسحبت القوات بعد يومين من الهجوم", FRIDAY) == []
    assert resolve_dates("وقعت الاشتباكات قبل أسبوع على الانتخابات", FRIDAY) == []
    assert resolve_dates("يعيش في المدينة منذ سنوات", FRIDAY) == []


@pytest.mark.parametrize(
    "text",
    [
        "أدى المصلون صلاة الجمعة في المسجد",
        "اتفق الاثنان على الهدنة بعد خطبة الجمعة",
        "مارس الضغط على الحكومة",
        "آب إلى بيته بعد الحرب",
        "سبتمبر",  # a bare month: no cue, no date
        "32/13/2022",
        "30 فبراير",
        "32 نوفمبر",
        "الحادي والأربعين من نوفمبر",
        "",
        "   ",
        "!!!؟؟؟...",
        "Kherson was retaken on Friday by Ukrainian forces.",
    ],
)
def test_not_dates(text: str) -> None:
    assert resolve_dates(text, FRIDAY) == []


def test_clitics_stay_outside_the_span() -> None:
    text = "قصفت المدفعية المدينة وأمس سقطت قذائف بالأمس أيضا"
    found = resolve_dates(text, FRIDAY)
    assert [(m.text, m.value) for m in found] == [("أمس", "2022-11-10"), ("الأمس", "2022-11-10")]


def test_offsets_survive_harakat() -> None:
    text = "وَصَلَ الوَفْدُ أَمْسِ الخَمِيسَ إِلَى المدينة"
    (found,) = resolve_dates(text, FRIDAY)
    assert found.value == "2022-11-10"
    assert text[found.start : found.end] == found.text == "أَمْسِ الخَمِيسَ"


def test_find_dates_alone_still_ignores_relative_expressions() -> None:
    text = "وقع الهجوم أمس الخميس وفي سبتمبر وفي 11 نوفمبر 2022"
    assert [m.value for m in find_dates(text)] == ["2022-11-11"]
    assert find_dates("11 نوفمبر") == []


def test_returns_datematch() -> None:
    assert resolve_dates("أمس", "2022-11-11") == [
        DateMatch("أمس", 0, 3, "2022-11-10", "day", relative=True)
    ]


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2022-11-11", date(2022, 11, 11)),
        ("2022-11-11T23:30:00+03:00", date(2022, 11, 11)),
        ("Fri, 11 Nov 2022 13:56:34 GMT", date(2022, 11, 11)),
        (date(2022, 11, 11), date(2022, 11, 11)),
        (datetime(2022, 11, 11, 8, 0), date(2022, 11, 11)),
        ("2022-11", None),  # a month is not a day to count from
        ("not a date", None),
        (None, None),
        (20221111, None),
    ],
)
def test_anchor_date(published: object, expected: date | None) -> None:
    assert anchor_date(published) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "junk",
    [
        "اليوم " * 20000,
        "في سبتمبر " * 5000,
        "".join(chr(c) for c in range(0x600, 0x700)) * 20,
        "قبل " * 10000 + "أيام",
        "11 نوفمبر" + " " * 50000,
        "اليوم" + " " * 50000 + "الجمعة",
        "الحادي عشر" + "، " * 20000,
    ],
)
def test_garbage_never_raises(junk: str) -> None:
    assert isinstance(resolve_dates(junk, FRIDAY), list)
    assert isinstance(resolve_dates(junk, None), list)


def test_not_a_string_never_raises() -> None:
    assert resolve_dates(None, FRIDAY) == []  # type: ignore[arg-type]
    assert resolve_dates(b"\xd8\xa3\xd9\x85\xd8\xb3", FRIDAY) == []  # type: ignore[arg-type]


def test_a_long_article() -> None:
    sentence = "وقال المسؤول إن 40 صاروخا أطلقت على المدينة خلال الأسبوع الماضي. "
    text = sentence * 2000
    found = resolve_dates(text, FRIDAY)
    assert len(found) == 2000
    assert {m.value for m in found} == {"2022-W44"}
