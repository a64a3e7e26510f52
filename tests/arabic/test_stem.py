"""The light stemmer: the search key of a word, whatever its spelling and attachments."""

from __future__ import annotations

import pytest

from rasid.arabic.stem import light_stem, search_terms, stem_word


@pytest.mark.parametrize(
    ("variants", "why"),
    [
        (["الأوكرانية", "الاوكرانيه", "أوكرانية", "والأوكرانية"], "hamza, ta marbuta, article, و"),
        (["بوتين", "وبوتين", "بُوتِين", "بـوتين"], "conjunction, harakat, tatweel"),
        (["القوات", "قوات", "وقواتها", "للقوات"], "article, plural, pronoun"),
        (["المسؤولين", "المسؤولون", "مسؤولين"], "sound masculine plural cases"),
        (["أكدوا", "أكد"], "past-tense plural"),
        (["الروسي", "روسي", "الروسية"], "nisba"),
    ],
)
def test_spelling_variants_share_one_key(variants: list[str], why: str) -> None:
    keys = {stem_word(word) for word in variants}
    assert len(keys) == 1, (why, {w: stem_word(w) for w in variants})


def test_stems_keep_enough_of_the_word() -> None:
    # short words and words whose "suffix" is part of the stem stay whole
    assert stem_word("وزير") == "وزير"
    assert stem_word("قوات") == "قوات"  # ات would leave two letters
    assert stem_word("دول") == "دول"
    assert light_stem("") == ""


def test_other_scripts_and_numbers_pass_through() -> None:
    assert stem_word("F-16") == "f-16"
    assert stem_word("٢٠٢٢") == "2022"
    terms = search_terms("أطلقت HIMARS صواريخ عام ٢٠٢٢.")
    assert terms == ["اطلقت", "himars", "صواريخ", "عام", "2022"]


def test_search_terms_drop_punctuation_and_never_fail() -> None:
    assert search_terms("«قال» ، ؟ !") == ["قال"]
    assert search_terms("") == []
    assert search_terms("...!!!") == []
    assert search_terms("\x00\ud800 كلمة") == ["كلم"]
