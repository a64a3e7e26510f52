"""The search form of text and queries, and snippets cut from the original text."""

from __future__ import annotations

from datetime import date, timedelta

from rasid.store.text import (
    day_range_tags,
    filter_tags,
    index_alternates,
    index_forms,
    index_text,
    parse_query,
    site_tag,
    snippet,
)
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


def test_a_date_range_is_a_few_terms_that_every_day_inside_has_and_no_day_outside() -> None:
    ranges = [
        ("2015-07-01", "2015-07-21"),
        ("2015-06-28", "2018-03-02"),
        ("2015-12-31", "2016-01-01"),
        ("2016-02-01", "2016-02-29"),
    ]
    for first, last in ranges:
        terms = set(day_range_tags(first, last))
        lo, hi = date.fromisoformat(first), date.fromisoformat(last)
        day = lo - timedelta(days=40)
        while day <= hi + timedelta(days=40):
            inside = bool(terms & set(filter_tags(None, day.isoformat()).split()))
            assert inside == (lo <= day <= hi), (first, last, day)
            day += timedelta(days=1)
    # whole years and months are one term each
    assert len(day_range_tags("2015-06-28", "2018-03-02")) == 3 + 6 + 2 + 2 + 2


def test_a_range_that_cannot_be_terms_is_left_to_the_caller() -> None:
    assert day_range_tags("2015-07-02", "2015-07-01") == []
    assert day_range_tags("2015-07", "2015-07-31") is None  # not a full date
    assert day_range_tags("1900-01-02", "2015-12-30", limit=50) is None


def test_filter_terms_are_never_query_words() -> None:
    tags = filter_tags("aawsat.com", "2015-07-04", ["ASSAULT"], ["per:putin"]).split()
    assert len(tags) == 6 and site_tag("aawsat.com") in tags
    # whatever a user types, its search keys never equal a filter term
    for text in [*tags, " ".join(tags), "d20150704 m201507 y2015"]:
        assert not set(parse_query(text).keys) & set(tags)


def test_a_match_anywhere_near_a_slice_end_still_gets_a_full_window_of_words() -> None:
    # snippets tokenize the text ~100 words at a time; a match at the end of one slice or at
    # the start of the next must not get a truncated passage
    for before in range(100, 140, 3):
        text = "كلمة " * before + "مهرجان " + "كلمة " * 300
        passage, spans = snippet(text, parse_query("مهرجان").keys)
        assert len(spans) == 1
        assert passage[spans[0][0] : spans[0][1]] == "مهرجان"
        assert len(passage.strip("… ").split()) == 28
