"""Script share and language guesses for the texts Arabic news pages contain."""

from pathlib import Path

import pytest

from rasid.arabic.script import arabic_ratio, detect_lang

SEED = Path("/work/shared/seed/kherson.txt")


def test_arabic_ratio_of_a_real_article() -> None:
    assert arabic_ratio(SEED.read_text("utf-8")) > 0.95


@pytest.mark.parametrize(
    ("text", "ratio"),
    [
        ("طائرة زالا الانتحارية", 1.0),
        ("ZALA Buk-M1", 0.0),
        ("زالا ZALA", 0.5),  # 4 Arabic letters, 4 Latin ones
        ("بُوتِينُ", 1.0),  # harakat are not letters
        ("عام 2014 ، 607 6623", 1.0),  # digits and punctuation do not count
        ("ﻻ", 1.0),  # presentation forms are Arabic script
        ("", 0.0),
        ("123 !!! ،", 0.0),
    ],
)
def test_arabic_ratio(text: str, ratio: float) -> None:
    assert arabic_ratio(text) == pytest.approx(ratio)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("تقدمت القوات الأوكرانية إلى مدينة خيرسون اليوم الجمعة", "ar"),
        ("طائرة زالا ZALA الانتحارية بدون طيار", "ar"),
        ("Ukrainian forces entered the city of Kherson on Friday after Russia withdrew.", "en"),
        ("Written by the editors of the site", "en"),
        ("Les forces ukrainiennes sont entrées dans la ville de Kherson vendredi.", "fr"),
        ("L'armée russe a annoncé le retrait de ses troupes.", "fr"),
        ("Las fuerzas ucranianas entraron en la ciudad de Jersón el viernes.", "und"),
        ("Die ukrainischen Truppen sind in die Stadt Cherson eingerückt.", "und"),
        ("Украинские войска вошли в Херсон", "und"),
        ("Buk-M1", "und"),
        ("ZALA Lancet", "und"),
        ("", None),
        ("2014 - 607 !!! ، 🙂", None),
    ],
)
def test_detect_lang(text: str, lang: str | None) -> None:
    assert detect_lang(text) == lang


def test_detect_lang_on_the_whole_article() -> None:
    assert detect_lang(SEED.read_text("utf-8")) == "ar"


def test_garbage_never_raises() -> None:
    for text in ["\x00\x01", "\ud800", "ـــ", "ًٌٍ", "a" * 100_000]:
        arabic_ratio(text)
        detect_lang(text)
