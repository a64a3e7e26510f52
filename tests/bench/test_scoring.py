"""The extraction benchmark's scorer (bench/scoring.py) on hand-made pages.

The scorer must stay exactly the ScrapingHub article-extraction-benchmark's (evaluate.py), or the
published figures it is compared with stop meaning anything; these cases pin it down.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str) -> ModuleType:
    # bench/ is a folder of scripts, not a package; load the module from its file (its name must
    # be in sys.modules before exec for the dataclasses in it).
    spec = importlib.util.spec_from_file_location(f"rasid_bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


scoring = _load("scoring")

TEXT = "The quick brown fox jumps over the lazy dog near the river bank"  # 13 tokens, 10 shingles
ARABIC = "أكدت جهات سورية معارضة أن فصائل مسلحة تمكنت من السيطرة على مستودعات للأسلحة بريف دمشق"


def test_aeb_tokenizer_is_word_runs() -> None:
    assert scoring.tokenize_aeb("Hello, world! It's 2019-02-08.") == [
        "Hello",
        "world",
        "It",
        "s",
        "2019",
        "02",
        "08",
    ]
    assert scoring.tokenize_aeb(None) == []
    assert scoring.tokenize_aeb("") == []


def test_shingles_are_four_token_multisets() -> None:
    counts = scoring.shingles(["a", "b", "c", "d", "a", "b", "c", "d"])
    assert counts[("a", "b", "c", "d")] == 2
    assert sum(counts.values()) == 5  # 8 tokens -> 5 shingles
    # fewer than 4 tokens: one shingle of all of them; none for no tokens
    assert scoring.shingles(["a", "b"]) == {("a", "b"): 1}
    assert scoring.shingles([]) == {}


def test_identical_texts_score_one() -> None:
    s = scoring.score_page(TEXT, TEXT)
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    # whitespace, punctuation and line breaks are separators only
    s = scoring.score_page(
        TEXT, "The quick brown fox —\n\njumps over the lazy dog, near the river bank!"
    )
    assert s.f1 == 1.0


def test_disjoint_texts_score_zero() -> None:
    s = scoring.score_page(TEXT, "Completely different words that share nothing at all here")
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)


def test_partial_overlap_counts_shingles() -> None:
    # prediction = first 8 tokens of TEXT (5 shingles, all true); truth has 10 shingles
    pred = "The quick brown fox jumps over the lazy"
    tp, fp, fn = scoring.shingle_matching(TEXT, pred)
    assert (tp, fp, fn) == pytest.approx((5 / 10, 0.0, 5 / 10))  # normalized by tp + fp + fn
    s = scoring.score_page(TEXT, pred)
    assert s.precision == 1.0
    assert s.recall == pytest.approx(0.5)
    assert s.f1 == pytest.approx(2 / 3)


def test_extra_boilerplate_lowers_precision_only() -> None:
    s = scoring.score_page(TEXT, TEXT + " Share this article on Facebook and Twitter")
    assert s.recall == 1.0
    assert s.precision == pytest.approx(10 / 17)  # 10 true of 17 predicted shingles


def test_repeated_text_is_counted_as_a_multiset() -> None:
    s = scoring.score_page(TEXT, TEXT + " " + TEXT)
    assert s.recall == 1.0
    assert s.precision < 0.55  # the second copy is not free


def test_empty_prediction() -> None:
    tp_fp_fn = scoring.shingle_matching(TEXT, "")
    assert tp_fp_fn == (0.0, 0.0, 1.0)
    s = scoring.score_page(TEXT, None)
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)
    assert (s.precision_pages, s.recall_pages) == (0, 1)


def test_empty_prediction_is_left_out_of_mean_precision() -> None:
    # evaluate.py: precision is averaged over pages with a non-empty prediction only,
    # recall over pages with a non-empty truth; F1 is the harmonic mean of the two means.
    pairs = [(TEXT, TEXT), (TEXT, ""), (TEXT, "The quick brown fox jumps over the lazy")]
    s = scoring.score_pages(pairs)
    assert s.precision_pages == 2
    assert s.recall_pages == 3
    assert s.precision == pytest.approx(1.0)
    assert s.recall == pytest.approx((1.0 + 0.0 + 0.5) / 3)
    assert s.f1 == pytest.approx(2 * s.precision * s.recall / (s.precision + s.recall))
    mean_of_page_f1 = (1.0 + 0.0 + 2 / 3) / 3
    assert s.f1 != pytest.approx(mean_of_page_f1)


def test_nothing_expected_nothing_predicted() -> None:
    assert scoring.shingle_matching("", "") == (0.0, 0.0, 0.0)
    s = scoring.score_page("", "")
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    # such a page enters neither mean
    s = scoring.score_pages([("", ""), (TEXT, TEXT)])
    assert (s.precision_pages, s.recall_pages) == (1, 1)


def test_prediction_where_nothing_was_expected() -> None:
    s = scoring.score_page("", TEXT)
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)
    assert (s.precision_pages, s.recall_pages) == (1, 0)


@pytest.mark.parametrize(
    ("true", "pred", "f1"),
    [
        ("Breaking news", "Breaking news", 1.0),  # 2 tokens: one shingle of both
        ("Breaking news", "Breaking news today", 0.0),  # a different single shingle
        ("one", "one", 1.0),
        ("one two three", "one two three four five", 0.0),
        ("one two three four", "one two three", 0.0),
    ],
)
def test_texts_shorter_than_a_shingle(true: str, pred: str, f1: float) -> None:
    assert scoring.score_page(true, pred).f1 == f1


def test_arabic_text() -> None:
    for tokenize in (scoring.tokenize_aeb, scoring.tokenize_unicode):
        assert len(tokenize(ARABIC)) == 15
        s = scoring.score_page(ARABIC, ARABIC, tokenize=tokenize)
        assert s.f1 == 1.0
        s = scoring.score_page(ARABIC, ARABIC + " إضافة تعليق جديد", tokenize=tokenize)
        assert s.recall == 1.0
        assert s.precision == pytest.approx(12 / 15)


def test_unicode_tokenizer_keeps_harakat_inside_words() -> None:
    vocalized = "قد يكون ناتجًا عن عملية تُستخدم عادةً بشعرٍ مائل"
    # \w does not match combining marks, so the benchmark's tokenizer splits vocalized words
    assert "ستخدم" in scoring.tokenize_aeb(vocalized)
    words = scoring.tokenize_unicode(vocalized)
    assert words == ["قد", "يكون", "ناتجًا", "عن", "عملية", "تُستخدم", "عادةً", "بشعرٍ", "مائل"]
    # tatweel, Arabic-Indic digits, Latin accents (NFC) and ZWNJ stay in their words
    assert scoring.tokenize_unicode('بـ"الجيش الحر" ١٢٣ été e\u0301te\u0301 می\u200cخواهم') == [
        "بـ",
        "الجيش",
        "الحر",
        "١٢٣",
        "été",
        "été",
        "می\u200cخواهم",
    ]
    assert scoring.tokenize_unicode(None) == []


def test_unicode_tokenizer_scores_arabic_like_the_benchmark_on_plain_text() -> None:
    pred = ARABIC + " وقال المرصد السوري"
    plain = scoring.score_page(ARABIC, pred)
    unicode = scoring.score_page(ARABIC, pred, tokenize=scoring.tokenize_unicode)
    assert (plain.precision, plain.recall) == (unicode.precision, unicode.recall)


def test_reproduces_published_trafilatura_figures() -> None:
    """On the real benchmark data (when present), the scorer gives the README's figures for the
    trafilatura 2.0.0 predictions shipped in output/trafilatura.json: P 0.938, R 0.978, F1 0.958."""
    import json

    root = BENCH.parent.parent / "shared" / "data" / "html" / "scrapinghub-aeb"
    if not (root / "output" / "trafilatura.json").is_file():
        pytest.skip(f"{root} is not present: shared data is only on dev/CI machines")
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    output = json.loads((root / "output" / "trafilatura.json").read_text("utf-8"))["output"]
    s = scoring.score_pages([(truth[k]["articleBody"], output[k]["articleBody"]) for k in truth])
    assert (round(s.precision, 3), round(s.recall, 3), round(s.f1, 3)) == (0.938, 0.978, 0.958)
    assert s.pages == 181
