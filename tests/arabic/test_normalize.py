"""Examples of the matching form, and the offset map that leads back to the original text."""

from pathlib import Path

import pytest

from rasid.arabic.normalize import (
    normalize,
    normalize_with_offsets,
    original_span,
    strip_diacritics,
)

SEED = Path("/work/shared/seed/kherson.txt")

# A paragraph of the Kherson article (a real machine-translated Arabic news text).
PARAGRAPH = (
    "تقدمت القوات الأوكرانية إلى مدينة خيرسون اليوم الجمعة بعد أن قالت روسيا إن قواتها "
    "استكملت انسحابها من المدينة الجنوبية ، لتغلق واحدة من أكبر الانتكاسات لغزو الرئيس "
    "فلاديمير بوتين."
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # alef forms, alef maqsura, ta marbuta
        ("أوكرانيا إلى آسيا إسرائيل ٱلله", "اوكرانيا الي اسيا اسراييل الله"),
        ("على مستشفى القوة", "علي مستشفي القوه"),
        # hamza on a carrier becomes the carrier; a bare hamza stays
        ("مسؤول رئيس سماء", "مسوول رييس سماء"),
        # harakat, shadda, tanwin, superscript alef and tatweel disappear
        ("بُوتِينُ القُوّاتُ هٰذا شكراً بـوتيـــن", "بوتين القوات هذا شكرا بوتين"),
        # Eastern Arabic and Persian digits, Arabic separators
        ("١٠ أسلحة في ٢٠١٤ و۱۴۰۱", "10 اسلحه في 2014 و1401"),
        ("٢٫٥ و١٬٠٠٠ و٥٠٪", "2.5 و1,000 و50%"),
        # Arabic punctuation, and the machine-translated space before the comma
        ("نهر دنيبرو ، الذي", "نهر دنيبرو, الذي"),
        ("ماذا حدث ؟ لا أعرف؛ ربما", "ماذا حدث? لا اعرف; ربما"),
        # Latin case, typographic quotes and dashes
        ("Buk-M1 ZALA Straße", "buk-m1 zala strasse"),
        ("“روسيا هنا إلى الأبد!” – هي", '"روسيا هنا الي الابد!" - هي'),
        ("«إعادة الانتشار» ‘x’ — y", "\"اعاده الانتشار\" 'x' - y"),
        # whitespace of every kind collapses, ends are stripped
        ("  خسائر\u00a0\u00a0كبيرة \n\n\t اليوم  ", "خساير كبيره اليوم"),
        # presentation forms and ligatures (NFKC)
        ("ﻻ ﷲ ﺑﻮﺗﻴﻦ ﬁnal", "لا الله بوتين final"),
        # invisible format characters vanish, control characters separate
        ("بو\u200cتين\u200f \ufeffكييف", "بوتين كييف"),
        ("abc\x00def\x07", "abc def"),
        # Persian-keyboard letters meet their Arabic counterparts
        ("کییف یوم", "كييف يوم"),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_variant_spellings_of_one_sentence_meet() -> None:
    vocalized = "تَقَدَّمَتِ القُوّاتُ الأُوكْرانِيَّةُ إلى مَدينَةِ خيرسون اليَوْمَ الجُمُعَةَ"
    sloppy = "تقدمت القوات الاوكرانيه الى مدينـة خيرسون اليوم  الجمعه"
    assert normalize(vocalized) == normalize(sloppy)


def test_normalize_is_idempotent_on_real_text() -> None:
    text = SEED.read_text("utf-8")
    once = normalize(text)
    assert normalize(once) == once
    assert "\n" not in once and "  " not in once
    assert "،" not in once and "ة" not in once and "أ" not in once


def test_source_text_is_left_untouched() -> None:
    text = "قالت روسيا إن قواتها استكملت انسحابها"
    copy = str(text)
    normalize(text), normalize_with_offsets(text), strip_diacritics(text)
    assert text == copy


def test_strip_diacritics_removes_only_harakat_and_tatweel() -> None:
    assert strip_diacritics("مُسْؤُولٌ فِي الـقُوَّةِ ٢٠٢٢، أيضاً؟") == "مسؤول في القوة ٢٠٢٢، أيضا؟"
    assert strip_diacritics("") == ""


VARIED = [
    "",
    " ",
    "بُوتِينُ",
    "بـــوتين ، وكييف ؟",
    "٢٠٢٢/١١/١١ ۱۴۰۱",
    "ﻻ ﷲ ﷺ ﷽",
    "حرب 🇺🇦 مستمرة 👍🏽 ❤️",
    "\x00\x01\x1f\x7f\x9f",
    "\u200f\u200e\u202bخيرسون\u202c\ufeff",
    "   قال :  “ إنها ”  .  ",
    "A\u0301bc ÉCOLE ﬁ ß İ",
    "\ud800 lone surrogate",
    PARAGRAPH,
    "١٬٠٠٠ ٫٥ ٪ ؟؟ ،،",
]


@pytest.mark.parametrize("text", VARIED)
def test_offset_map_matches_normalize(text: str) -> None:
    result, offsets = normalize_with_offsets(text)
    assert result == normalize(text)
    assert len(offsets) == len(result)
    assert offsets == sorted(offsets)
    assert all(0 <= i < len(text) for i in offsets)
    for char, origin in zip(result, offsets, strict=True):
        # every output character comes from the original character it points at
        assert char == " " or char in normalize(text[origin])


def test_offsets_lead_back_to_the_original_surface_form() -> None:
    text = "ووصف الكرملينُ الانسحابَ بأنه «إعادةُ انتشار»، وقال بُوتِينُ إن…"
    result, offsets = normalize_with_offsets(text)
    for needle, surface in [
        ("بوتين", "بُوتِينُ"),
        ("الكرملين", "الكرملينُ"),
        ('"اعاده انتشار"', "«إعادةُ انتشار»"),
    ]:
        at = result.index(needle)
        start, end = original_span(text, offsets, at, at + len(needle))
        assert text[start:end] == surface


def test_expanded_characters_share_their_origin() -> None:
    text = "ﻻ"
    result, offsets = normalize_with_offsets(text)
    assert result == "لا"
    assert offsets == [0, 0]
    assert original_span(text, offsets, 0, 2) == (0, 1)


def test_garbage_never_raises() -> None:
    for text in ["", "!!!", "،،،؟؟", "\x00" * 50, "ـــــ", "ًٌٍَُِّْ", "\ufffd\ufffe"]:
        result, offsets = normalize_with_offsets(text)
        assert result == normalize(text)
        assert len(offsets) == len(result)


def test_large_input() -> None:
    text = "\n".join([PARAGRAPH] * 8000)  # about 200,000 words
    result, offsets = normalize_with_offsets(text)
    assert result == normalize(text)
    assert len(offsets) == len(result)
