"""Word-shingle precision / recall / F1, exactly as the ScrapingHub (Zyte)
article-extraction-benchmark scores an article body.

Source: ``evaluate.py`` of https://github.com/scrapinghub/article-extraction-benchmark
(checked at commits 11b407d, 7d95432 and 4a3bc97 — the scoring code is identical in all three):

* tokens: ``re.findall(r"\\w+", text or "")`` (Unicode ``\\w``; everything else is a separator);
* shingles: every run of 4 consecutive tokens, counted as a multiset; a text with 1–3 tokens has
  exactly one (shorter) shingle made of all its tokens; an empty text has none;
* per page: ``tp = Σ min(true, pred)``, ``fp = Σ max(0, pred − true)``,
  ``fn = Σ max(0, true − pred)`` over all shingles, then divided by ``tp + fp + fn`` (this does not
  change the page's precision or recall);
* per page precision ``tp / (tp + fp)`` and recall ``tp / (tp + fn)``, both 1.0 when
  ``fp == fn == 0``;
* corpus: precision is the mean over the pages whose prediction has shingles (``tp + fp > 0``, so
  an empty prediction is left out of precision), recall the mean over the pages whose ground truth
  has shingles (``tp + fn > 0``, so an empty prediction counts as recall 0 there), and
  **F1 is the harmonic mean of those two means** (not the mean of per-page F1).

Two guards the benchmark does not need (it would raise): when no page is eligible for a mean the
mean is 0.0 — or 1.0 for both when nothing was expected and nothing predicted — and F1 is 0.0
when precision + recall is 0.

``\\w`` is Unicode-aware but does not match combining marks, so vocalized Arabic (``تُستخدم``,
``شعرٍ``) falls apart at every haraka/shadda. :func:`tokenize_unicode` keeps combining marks (and
ZWJ/ZWNJ) inside the word and NFC-normalizes first; use it for Arabic pages (for every system
alike). The English ScrapingHub figures use :func:`tokenize_aeb` so they stay comparable with
the published ones.
"""

from __future__ import annotations

import re
import statistics
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

SHINGLE_SIZE = 4

TpFpFn = tuple[float, float, float]
Tokenizer = Callable[[str | None], list[str]]

# evaluate.py: re.compile(r'\w+', re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
_AEB_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def tokenize_aeb(text: str | None) -> list[str]:
    """The ScrapingHub benchmark's tokenizer, unchanged."""
    return _AEB_TOKEN_RE.findall(text or "")


def _ranges(codepoints: Iterable[int]) -> str:
    """A regex character-class body for the given (sorted) code points, as ranges."""
    parts: list[str] = []
    start = prev = -2
    for cp in codepoints:
        if cp != prev + 1:
            if start >= 0:
                parts.append(_range(start, prev))
            start = cp
        prev = cp
    if start >= 0:
        parts.append(_range(start, prev))
    return "".join(parts)


def _range(start: int, end: int) -> str:
    first = re.escape(chr(start))
    return first if start == end else f"{first}-{re.escape(chr(end))}"


@cache
def _unicode_token_re() -> re.Pattern[str]:
    # Word characters plus every combining mark (Mn, Mc, Me: harakat, shadda, sukun, dagger alif,
    # Quranic marks, Latin accents in NFD text…) plus ZWNJ/ZWJ, which join parts of one word.
    marks = (
        cp for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)).startswith("M")
    )
    return re.compile(rf"[\w{_ranges(marks)}\u200c\u200d]+")


def tokenize_unicode(text: str | None) -> list[str]:
    """Words for any script: NFC-normalized runs of word characters and combining marks."""
    if not text:
        return []
    return _unicode_token_re().findall(unicodedata.normalize("NFC", text))


def shingles(tokens: Sequence[str], n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of n-token shingles, as evaluate.py's ``_ngrams`` builds it: a text shorter
    than ``n`` tokens gives one shingle of all its tokens, an empty text none."""
    counts: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            counts[shingle] += 1
    return counts


def shingle_matching(
    true: str | None,
    pred: str | None,
    *,
    n: int = SHINGLE_SIZE,
    tokenize: Tokenizer = tokenize_aeb,
) -> TpFpFn:
    """evaluate.py's ``string_shingle_matching``: normalized (tp, fp, fn) for one page."""
    true_shingles = shingles(tokenize(true), n)
    pred_shingles = shingles(tokenize(pred), n)
    tp = fp = fn = 0.0
    for key in true_shingles.keys() | pred_shingles.keys():
        true_count = true_shingles.get(key, 0)
        pred_count = pred_shingles.get(key, 0)
        tp += min(true_count, pred_count)
        fp += max(0, pred_count - true_count)
        fn += max(0, true_count - pred_count)
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


@dataclass(frozen=True, slots=True)
class Scores:
    """Corpus (or single-page) precision, recall and F1 as the benchmark reports them."""

    precision: float
    recall: float
    f1: float
    pages: int
    precision_pages: int  # pages that entered the precision mean (prediction not empty)
    recall_pages: int  # pages that entered the recall mean (ground truth not empty)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "pages": self.pages,
            "precision_pages": self.precision_pages,
            "recall_pages": self.recall_pages,
        }


def aggregate(tp_fp_fns: Sequence[TpFpFn]) -> Scores:
    """evaluate.py's ``metrics_from_tp_fp_fns``: mean P, mean R, F1 of the two means."""
    precisions = [precision_score(tp, fp, fn) for tp, fp, fn in tp_fp_fns if tp + fp > 0]
    recalls = [recall_score(tp, fp, fn) for tp, fp, fn in tp_fp_fns if tp + fn > 0]
    if not precisions and not recalls:
        # Nothing expected anywhere and nothing predicted: perfect (the benchmark would raise).
        return Scores(1.0, 1.0, 1.0, len(tp_fp_fns), 0, 0)
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return Scores(precision, recall, f1, len(tp_fp_fns), len(precisions), len(recalls))


def score_pages(
    pairs: Iterable[tuple[str | None, str | None]],
    *,
    n: int = SHINGLE_SIZE,
    tokenize: Tokenizer = tokenize_aeb,
) -> Scores:
    """Score (true, pred) pairs the way the benchmark scores a system over its pages."""
    return aggregate([shingle_matching(t, p, n=n, tokenize=tokenize) for t, p in pairs])


def score_page(
    true: str | None,
    pred: str | None,
    *,
    n: int = SHINGLE_SIZE,
    tokenize: Tokenizer = tokenize_aeb,
) -> Scores:
    """One page's precision, recall and F1 (an empty prediction scores 0 / 0 / 0)."""
    return score_pages([(true, pred)], n=n, tokenize=tokenize)
