"""The search form of text and queries, and snippets cut from the original text."""

from __future__ import annotations

from rasid.store.text import index_alternates, index_forms, index_text, parse_query, snippet
from tests.store import records as r


def test_query_and_text_meet_in_one_form() -> None:
    assert set(parse_query("الاوكرانيه").keys) <= set(index_text("الحكومة الأوكرانية").split())
    assert parse_query("وبوتين").keys == parse_query("بُوتين").keys


def test_queries_keep_phrases_together() -> None:
    parsed = parse_query('«مياه البحر» الزهراء "حفل الافتتاح"')

    assert len(parsed.groups) == 3
    assert parsed.groups[0] == index_text("مياه البحر").split()
    assert parsed.fts5().count(" AND ") == 2


def test_queries_without_words_are_empty_and_fts_syntax_is_neutralised() -> None:
    assert not parse_query("")
    assert not parse_query("؟!،")
    expression = parse_query('NEAR( "بوتين" OR *').fts5()
    assert expression.startswith('"near"')
    assert '""' not in expression


def test_alternates_give_the_reading_without_a_kept_proclitic() -> None:
    # «لتحلية» stays whole in the body (a lone ل is not split), its alternate finds «تحلية»
    assert "لتحل" in index_text("لتحلية").split()
    assert parse_query("تحلية").groups[0][0] in index_alternates("لتحلية").split()


def test_index_forms_share_one_tokenization() -> None:
    forms = index_forms("عنوان الخبر", r.WIRE)
    assert forms.title == index_text("عنوان الخبر")
    assert forms.body == index_text(r.WIRE)
    assert len(forms.bases) == len(forms.body.split())


def test_snippet_highlights_original_words() -> None:
    keys = parse_query("الاوكرانيه بوتين").keys

    passage, spans = snippet(r.ANNEXATION, keys)

    marked = [passage[a:b] for a, b in spans]
    assert "بوتين" in marked
    assert "الأوكرانية" in marked
    assert all(word in r.ANNEXATION for word in marked)


def test_snippet_of_a_long_text_is_a_window_with_ellipses() -> None:
    text = " ".join([r.HARVEST] * 5) + " وفي الختام أعلن الاتحاد موعد مهرجان القمح السنوي."
    passage, spans = snippet(text, parse_query("مهرجان").keys)
    assert passage.startswith("… ")
    assert [passage[a:b] for a, b in spans] == ["مهرجان"]
    assert len(passage) < 400


def test_snippet_without_matches_or_words() -> None:
    assert snippet(r.HARVEST, set())[1] == []
    assert snippet(r.HARVEST, set())[0].startswith("قالت ليلى")
    assert snippet("", {"x"}) == ("", [])
    assert snippet("!!!", {"x"}) == ("!!!", [])
