"""The quote benchmark's matching rule (bench/quotes.py): same speaker, half the words shared."""

from __future__ import annotations

import json

from tests.bench.test_scoring import _load

quotes_bench = _load("quotes")


def test_a_speaker_matches_by_the_words_of_its_name_or_role():
    same = quotes_bench.same_speaker
    assert same("سامر الخطيب", {"name": "سامر الخطيب", "role": "مدير المحطة"})
    assert same("الوزارة", {"name": "وزارة المياه في جمهورية نوران", "role": None})
    assert same(
        "المتحدث", {"name": "المتحدث باسم الدفاع المدني", "role": "المتحدث باسم الدفاع المدني"}
    )
    assert not same("سامر الخطيب", {"name": "ليلى حداد", "role": None})
    assert not same("سامر الخطيب", {"name": None, "role": None})


def test_texts_match_when_half_their_words_are_shared_both_ways():
    overlap = quotes_bench.overlap
    assert overlap("المحطة ستنتج عشرين ألف متر", "المحطة ستنتج عشرين ألف متر") == 1.0
    assert overlap("المحطة ستنتج عشرين ألف متر مكعب", "المحطة ستنتج عشرين") == 0.5
    assert overlap("المحطة جاهزة", "الطريق مغلق منذ أمس") == 0.0


def test_the_labelled_passages_have_enough_statements_in_every_form():
    rows = [json.loads(line) for line in quotes_bench.DATA.read_text("utf-8").splitlines()]
    statements = [q for row in rows for q in row["quotes"]]
    assert len(statements) >= 60
    assert any(q["direct"] for q in statements) and any(not q["direct"] for q in statements)
    for row in rows:
        for q in row["quotes"]:
            assert q["speaker"] and q["text"]
