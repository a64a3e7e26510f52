"""Gazetteers: names found in token streams whatever proclitics the first word carries."""

from __future__ import annotations

from rasid.annotate.ner import lexicon
from rasid.arabic.tokenize import tokenize


def matches(text: str) -> list[tuple[str, str, bool]]:
    tokens = tokenize(text)
    found = lexicon.gazetteer().match(tokens)
    return [
        (" ".join(t.text for t in tokens[m.first : m.last]), m.entry.id, m.strong) for m in found
    ]


def test_multiword_names_match_after_proclitics():
    found = matches("وصلت السفن إلى البحر الأسود والولايات المتحدة وبالكرملين")
    assert ("البحر الأسود", "loc:black-sea", True) in found
    assert ("والولايات المتحدة", "loc:country-us", True) in found
    assert ("وبالكرملين", "org:kremlin", True) in found


def test_countries_come_from_cldr_with_english_labels():
    found = matches("زار روسيا ثم أوكرانيا")
    assert [(text, key) for text, key, _ in found] == [
        ("روسيا", "loc:country-ru"),
        ("أوكرانيا", "loc:country-ua"),
    ]
    assert lexicon.gazetteer().entries["loc:country-ua"].en == "Ukraine"


def test_ambiguous_variants_are_weak():
    # كيف is Kyiv and "how": the lexicon marks it, the entity layer only uses it with the model.
    found = matches("كيف حالك")
    assert found and not found[0][2]


def test_weapon_entries_join_arabic_and_latin_spellings():
    arms = lexicon.weapons()
    for text in ("هيمارس", "HIMARS", "himars"):
        found = arms.match(tokenize(text))
        assert [m.entry.id for m in found] == ["weapon:himars"]


def test_nationality_forms_cover_gender_and_number():
    forms = lexicon.nationalities()
    assert forms["روسيه"] == forms["روسي"] == "RU"
    assert forms["اوكرانيين"] == "UA"
