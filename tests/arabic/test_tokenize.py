"""Tokens with exact offsets, and precision-first proclitic splitting on real words."""

import dataclasses
import pickle
from pathlib import Path

import pytest

from rasid.arabic.normalize import normalize
from rasid.arabic.tokenize import Token, clitic_candidates, split_clitics, tokenize, words

SEED = Path("/work/shared/seed/kherson.txt")


def test_offsets_on_the_whole_article() -> None:
    text = SEED.read_text("utf-8")
    tokens = tokenize(text)
    assert len(tokens) > 600
    previous_end = 0
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert token.norm == normalize(token.text)
        assert token.prefix + token.base == token.norm
        assert token.start >= previous_end
        previous_end = token.end
    # everything that is not whitespace ends up in some token
    covered = sum(t.end - t.start for t in tokens)
    assert covered == len("".join(text.split()))


def test_a_sentence_with_a_quote() -> None:
    text = "وكتب: “ضباط الشرطة الذين انضموا للجيش الأوكراني يرفعون العلم”."
    assert [t.text for t in tokenize(text)] == [
        "وكتب",
        ":",
        "“",
        "ضباط",
        "الشرطة",
        "الذين",
        "انضموا",
        "للجيش",
        "الأوكراني",
        "يرفعون",
        "العلم",
        "”",
        ".",
    ]
    first = tokenize(text)[0]
    assert first == Token("وكتب", 0, 4, "وكتب", "و", "كتب")


def test_proclitics_on_tokens() -> None:
    tokens = tokenize("وبوتين والجيش بالكرملين للصحفيين الحرب")
    assert [(t.prefix, t.base) for t in tokens] == [
        ("و", "بوتين"),
        ("وال", "جيش"),
        ("بال", "كرملين"),
        ("لل", "صحفيين"),
        ("ال", "حرب"),
    ]


def test_harakat_and_tatweel_stay_inside_the_word() -> None:
    text = "قالَ بُوتِينُ بـوتيـن"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["قالَ", "بُوتِينُ", "بـوتيـن"]
    assert [t.norm for t in tokens] == ["قال", "بوتين", "بوتين"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("من طراز Buk-M1 وF-16", ["من", "طراز", "Buk-M1", "و", "F-16"]),
        ("نسبة 2.5 من 1,000 جندي", ["نسبة", "2.5", "من", "1,000", "جندي"]),
        ("عام ٢٠١٤ و١٬٥٠٠", ["عام", "٢٠١٤", "و", "١٬٥٠٠"]),
        ("في 12/11/2022م", ["في", "12", "/", "11", "/", "2022", "م"]),
        ("بوتين.. روسيا", ["بوتين", ".", ".", "روسيا"]),
        ("Putin's al-Qaeda 5G", ["Putin's", "al-Qaeda", "5G"]),
        ("هل؟! نعم،لا", ["هل", "؟", "!", "نعم", "،", "لا"]),
    ],
)
def test_token_boundaries(text: str, expected: list[str]) -> None:
    assert [t.text for t in tokenize(text)] == expected


def test_norms_of_numbers_and_latin_words() -> None:
    assert [t.norm for t in tokenize("عام ٢٠١٤ و١٬٥٠٠ Buk-M1 ؟")] == [
        "عام",
        "2014",
        "و",
        "1,500",
        "buk-m1",
        "?",
    ]


def test_token_flags() -> None:
    word, number, latin, punct = tokenize("بوتين ٢٫٥ ZALA ،")
    assert word.is_word and word.is_arabic and not word.is_number
    assert number.is_word and number.is_number and not number.is_arabic
    assert latin.is_word and not latin.is_arabic
    assert not punct.is_word and punct.norm == ","


def test_tokens_are_frozen() -> None:
    token = tokenize("خيرسون")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        token.start = 3  # type: ignore[misc]
    assert hash(token) == hash(Token("خيرسون", 0, 6, "خيرسون", "", "خيرسون"))
    # tokens travel between worker processes
    assert pickle.loads(pickle.dumps(token)) == token


@pytest.mark.parametrize(
    ("word", "prefix", "base"),
    [
        # the article, alone and after proclitics: always split, base keeps no ال
        ("الجيش", "ال", "جيش"),
        ("والجيش", "وال", "جيش"),
        ("بالكرملين", "بال", "كرملين"),
        ("فالحرب", "فال", "حرب"),
        ("كالعادة", "كال", "عاده"),
        ("وبالتالي", "وبال", "تالي"),
        ("للصحفيين", "لل", "صحفيين"),
        ("وللجيش", "ولل", "جيش"),
        ("والتهديد", "وال", "تهديد"),
        # the conjunction و before a word of 3+ letters
        ("وبوتين", "و", "بوتين"),
        ("وكتب", "و", "كتب"),  # "and he wrote" (or "and books": the base is كتب either way)
        ("وأضاف", "و", "اضاف"),
        ("وتراجع", "و", "تراجع"),
        # و / ف before closed-class words
        ("وفي", "و", "في"),
        ("ومن", "و", "من"),
        ("فإن", "ف", "ان"),
        # words whose first letters only look like proclitics stay whole
        ("وزير", "", "وزير"),
        ("وزارة", "", "وزاره"),
        ("وكالة", "", "وكاله"),
        ("ولادة", "", "ولاده"),
        ("والد", "", "والد"),
        ("واشنطن", "", "واشنطن"),
        ("وسط", "", "وسط"),
        ("بوتين", "", "بوتين"),
        ("فرنسا", "", "فرنسا"),
        ("كييف", "", "كييف"),
        ("لبنان", "", "لبنان"),
        ("سيارة", "", "سياره"),
        ("بالغة", "", "بالغه"),  # ب + ال + غة would leave too little
        ("وكالات", "", "وكالات"),
        # ال that is not the article
        ("الذي", "", "الذي"),
        ("التي", "", "التي"),
        ("الله", "", "الله"),
        ("لله", "", "لله"),
        ("إلى", "", "الي"),
        ("إليه", "", "اليه"),
        ("ألمانيا", "", "المانيا"),
        ("والمانيا", "و", "المانيا"),
        ("آلاف", "", "الاف"),
        ("التزام", "", "التزام"),
        # ambiguous: "so he has" vs "he lost" — left whole
        ("فقد", "", "فقد"),
    ],
)
def test_split_clitics_on_real_words(word: str, prefix: str, base: str) -> None:
    assert split_clitics(normalize(word)) == (prefix, base)


def test_split_clitics_with_a_lexicon() -> None:
    known = {"فرنسا", "بوتين", "كرملين", "ولاده"}
    assert split_clitics("بفرنسا", known) == ("ب", "فرنسا")
    assert split_clitics("لبوتين", known) == ("ل", "بوتين")
    assert split_clitics("فبوتين", known) == ("ف", "بوتين")
    assert split_clitics("وبالكرملين", known) == ("وبال", "كرملين")
    assert split_clitics("ولاده", known) == ("", "ولاده")
    # unknown words fall back to the rules
    assert split_clitics("والجيش", known) == ("وال", "جيش")
    assert split_clitics("بريطانيا", known) == ("", "بريطانيا")


def test_clitic_candidates_lists_every_reading() -> None:
    assert clitic_candidates("وبالكرملين") == [
        ("", "وبالكرملين"),
        ("و", "بالكرملين"),
        ("وب", "الكرملين"),
        ("وبال", "كرملين"),
    ]
    assert clitic_candidates("في") == [("", "في")]
    assert clitic_candidates("Buk-M1") == [("", "Buk-M1")]


def test_split_clitics_leaves_non_arabic_and_short_words() -> None:
    assert split_clitics("") == ("", "")
    assert split_clitics("وب") == ("", "وب")
    assert split_clitics("zala") == ("", "zala")
    assert split_clitics("و2014") == ("", "و2014")


def test_words_drops_punctuation() -> None:
    text = "نكسة كبيرة للرئيس فلاديمير بوتين.. روسيا تنسحب من مدينة خيرسون، وسط تقدم"
    assert words(text) == [
        "نكسه",
        "كبيره",
        "للرييس",
        "فلاديمير",
        "بوتين",
        "روسيا",
        "تنسحب",
        "من",
        "مدينه",
        "خيرسون",
        "وسط",
        "تقدم",
    ]
    assert words("في عام 2014 ،") == ["في", "عام", "2014"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "!!! ... ؟؟ ،،، «» “”",
        "\x00\x01\x02\x1b[31m\x7f\x9f",
        "ـــ ًٌٍ \u200c\u200f\ufeff",
        "\ud800\udfff",
        "🇺🇦👍🏽❤️ ﷽ ﷺ",
    ],
)
def test_garbage_never_raises(text: str) -> None:
    tokens = tokenize(text)
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert token.norm
    assert words(text) == [t.norm for t in tokens if t.is_word]


def test_large_input() -> None:
    paragraph = SEED.read_text("utf-8")
    text = "\n".join([paragraph] * (200_000 // len(paragraph.split()) + 1))
    tokens = tokenize(text)
    assert len(tokens) > 200_000
    last = tokens[-1]
    assert text[last.start : last.end] == last.text
    assert len(words(text)) > 190_000
