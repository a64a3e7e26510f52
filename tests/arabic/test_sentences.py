"""Sentence spans on real Arabic news text, quotes and abbreviations included."""

from pathlib import Path

import pytest

from rasid.arabic.sentences import split_sentences

SEED = Path("/work/shared/seed/kherson.txt")


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def assert_well_formed(text: str) -> None:
    """Spans are ordered, trimmed, non-empty, and cover every non-space character."""
    spans = split_sentences(text)
    covered = [False] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        for i in range(start, end):
            covered[i] = True
        previous_end = end
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text))


def test_headline_with_double_period() -> None:
    text = "نكسة كبيرة للرئيس فلاديمير بوتين.. روسيا تنسحب من مدينة خيرسون، وسط تقدم القوات"
    assert sentences(text) == [
        "نكسة كبيرة للرئيس فلاديمير بوتين..",
        "روسيا تنسحب من مدينة خيرسون، وسط تقدم القوات",
    ]


def test_paragraph_of_two_sentences() -> None:
    text = (
        "حتى اليوم الجمعة ، لم تنسب أي من أوكرانيا أو روسيا الفضل في تدمير الجسر. وكانت قوات "
        "كييف قد أصابت الجسر في وقت سابق باستخدام صواريخ غربية دقيقة."
    )
    assert sentences(text) == [
        "حتى اليوم الجمعة ، لم تنسب أي من أوكرانيا أو روسيا الفضل في تدمير الجسر.",
        "وكانت قوات كييف قد أصابت الجسر في وقت سابق باستخدام صواريخ غربية دقيقة.",
    ]


def test_every_line_is_its_own_sentence() -> None:
    text = "خسائر كبيرة\n\nومع ذلك ، قال أوليكسي أريستوفيتش إن القوات فشلت\nإقرأ المزيد"
    assert sentences(text) == [
        "خسائر كبيرة",
        "ومع ذلك ، قال أوليكسي أريستوفيتش إن القوات فشلت",
        "إقرأ المزيد",
    ]


def test_short_embedded_quote_does_not_end_the_sentence() -> None:
    text = (
        "فقدان السيطرة على المدينة – حيث رفعت السلطات الروسية لوحات إعلانية تقول أن "
        "“روسيا هنا إلى الأبد!” – هي الأحدث في سلسلة إخفاقات للجيش الروسي."
    )
    assert sentences(text) == [text]


def test_quote_introduced_by_a_colon_keeps_its_closing_marks() -> None:
    text = (
        "وكتب: “ضباط الشرطة الذين انضموا للجيش الأوكراني يرفعون العلم الأوكراني فوق مبنى "
        "شرطة خيرسون”. وأظهرت لقطات فيديو أن الجسر غرق."
    )
    first, second = sentences(text)
    assert first.endswith("خيرسون”.")
    assert second == "وأظهرت لقطات فيديو أن الجسر غرق."


def test_long_quote_may_split_inside_and_closing_marks_stick() -> None:
    text = (
        "وقال ديمتري بيسكوف إن روسيا لن تتنازل عن مطالبها في خيرسون. وقال: “إنها منطقة "
        "تابعة للاتحاد الروسي. هذا الوضع يحدده القانون ويكرسه”."
    )
    assert sentences(text) == [
        "وقال ديمتري بيسكوف إن روسيا لن تتنازل عن مطالبها في خيرسون.",
        "وقال: “إنها منطقة تابعة للاتحاد الروسي.",
        "هذا الوضع يحدده القانون ويكرسه”.",
    ]


def test_short_quote_is_never_split_inside() -> None:
    text = "قال «سنعود قريباً. هذا وعد» ثم غادر المدينة."
    assert sentences(text) == [text]


def test_exclamation_in_quote_after_colon_ends_the_sentence() -> None:
    text = "قال الجندي: “لن نتراجع!” وأضاف أن القوات ستبقى في مواقعها."
    assert sentences(text) == [
        "قال الجندي: “لن نتراجع!”",
        "وأضاف أن القوات ستبقى في مواقعها.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "بلغت نسبة النمو 2.5 في المئة هذا العام.",
        "قال د. محمد العلي إن الوضع خطير.",
        "ولد عام 1950 م. في القاهرة.",
        "توفي سنة 1444 هـ. في مكة المكرمة.",
        "نقلت وكالة أ.ف.ب. الخبر عن مصادر عسكرية.",
        "The U.S. Army said Mr. Smith left on Monday.",
        "The book by J. K. Rowling was translated.",
        "زوروا الموقع www.example.com/news/2022.html للمزيد.",
        "راسلونا على info@example.org أو news@example.com.sa اليوم.",
        "He paused... then spoke.",
    ],
)
def test_no_split_inside(text: str) -> None:
    assert sentences(text) == [text]


def test_other_terminators() -> None:
    text = "هل انسحبت روسيا؟ نعم! انسحبت… والآن ماذا؟! لا أحد يعرف"
    assert sentences(text) == [
        "هل انسحبت روسيا؟",
        "نعم!",
        "انسحبت…",
        "والآن ماذا؟!",
        "لا أحد يعرف",
    ]


def test_period_glued_to_the_next_arabic_word() -> None:
    assert sentences("تابعة للاتحاد الروسي.هذا الوضع يحدده القانون") == [
        "تابعة للاتحاد الروسي.",
        "هذا الوضع يحدده القانون",
    ]


def test_list_numbers_and_leading_ellipsis() -> None:
    assert sentences("1. البند الأول\n2. البند الثاني") == ["1. البند الأول", "2. البند الثاني"]
    assert sentences("… وقال إنه سيعود لاحقاً.") == ["… وقال إنه سيعود لاحقاً."]


def test_english_quote_followed_by_a_capital() -> None:
    assert sentences('He said "Go home." Then he left.') == ['He said "Go home."', "Then he left."]


def test_the_whole_article() -> None:
    text = SEED.read_text("utf-8")
    assert_well_formed(text)
    found = sentences(text)
    assert "هذا الوضع يحدده القانون ويكرسه”." in found
    assert "Written by نور الدين" in found
    assert any("“روسيا هنا إلى الأبد!” – هي الأحدث" in s for s in found)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\r\n \t",
        "!!!! ... ؟؟",
        "“.",
        '«»“”""',
        "\x00\x01. \x02\x1b. \x7f",
        "\ud800. \udfff!",
        "ـ. ًٌ! \u200f?",
        "a. b. c. d." * 50,
        "“" * 100 + "." + "”" * 100,
        "قال: “" + "كلمة. " * 300,
    ],
)
def test_garbage_is_well_formed(text: str) -> None:
    assert_well_formed(text)


def test_large_input() -> None:
    paragraph = SEED.read_text("utf-8")
    text = "\n".join([paragraph] * (200_000 // len(paragraph.split()) + 1))
    spans = split_sentences(text)
    assert len(spans) > 5000
    one_long_line = " ".join(["قال: “نعم. لا!” وأضاف."] * 20_000)
    assert_well_formed(one_long_line)
