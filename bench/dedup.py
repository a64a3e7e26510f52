"""Near-duplicate pair decision: precision and recall on hand-labelled candidate pairs.

The candidate pairs in ``../shared/data/dedup/neardup_candidates`` were mined by machine (they
are candidates, not labels). ``bench/data/dedup_labels.tsv`` holds the project's own labels
for a stratified sample of them: pair id and ``same``/``different``, nothing of the articles.
Pair ids are ``snn:<n>`` / ``ant:<n>``, the n-th data row (1-based) of
``saudinewsnet_pairs.tsv`` / ``ant_multisource_pairs.tsv``.

    .venv/bin/python bench/dedup.py                 # precision/recall of rasid.dedup.same_story
    .venv/bin/python bench/dedup.py --sweep         # … and of other thresholds, side by side
    .venv/bin/python bench/dedup.py --speed 5       # … and fingerprint speed vs datasketch
    .venv/bin/python bench/dedup.py --speed 5 --compare-with OLD/dedup.py   # … decision speed
    .venv/bin/python bench/dedup.py --sample 40 --seed 7   # print unlabelled pairs to label
    .venv/bin/python bench/dedup.py --sample 1 --strata 'snn/cross/j<0.6=15' --exclude FILE
    .venv/bin/python bench/dedup.py --sets dev      # score the tuning set only
    .venv/bin/python bench/dedup.py --sets dev --cv 10   # cross-validated decisions on dev
    .venv/bin/python bench/dedup.py --migration 5000   # time re-fingerprinting an old base
    .venv/bin/python bench/dedup.py --corpus --compare-with OLD/dedup.py   # all SaudiNewsNet

Texts are read from ``../shared/data/corpora`` at run time (never copied); the script exits 0
with a note when the shared data is absent.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data"
LABELS = REPO / "bench" / "data" / "dedup_labels.tsv"
PAIRS = {
    "snn": ("saudinewsnet_pairs.tsv", "url_a", "url_b"),
    "ant": ("ant_multisource_pairs.tsv", "docno_a", "docno_b"),
}
CORPORA = {
    "snn": Path("corpora") / "saudinewsnet" / "dataset",
    "ant": Path("corpora") / "ant_multisource_v2.1",
}

try:
    import rasid  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(REPO / "src"))

import numpy as np  # noqa: E402

from rasid import dedup, ingest  # noqa: E402


def load_pairs(data: Path) -> dict[str, dict[str, str]]:
    pairs: dict[str, dict[str, str]] = {}
    for prefix, (name, _, _) in PAIRS.items():
        path = data / "dedup" / "neardup_candidates" / name
        with path.open(encoding="utf-8", newline="") as f:
            for n, row in enumerate(csv.DictReader(f, delimiter="\t"), start=1):
                pairs[f"{prefix}:{n}"] = row
    return pairs


def _key(prefix: str, pair: dict[str, str], side: str) -> str:
    return pair[PAIRS[prefix][1 if side == "a" else 2]]


def load_texts(data: Path, wanted: dict[str, set[str]]) -> dict[str, str]:
    """Body text of the wanted documents: SaudiNewsNet by URL, ANT by DOCNO."""
    texts: dict[str, str] = {}
    for prefix, keys in wanted.items():
        if not keys:
            continue
        for page in ingest.read([str(data / CORPORA[prefix])]):
            if prefix == "snn":
                key = page.source.url or page.given.get("url")
            else:
                key = str(page.given.get("id", "")).removeprefix("ant:")
            if key in keys:
                texts[f"{prefix}:{key}"] = page.body
    return texts


def decide(
    a: dedup.Fingerprint | None,
    b: dedup.Fingerprint | None,
    thresholds: dedup.Thresholds,
    titles: tuple[str, str] | None = None,
    apart: float | None = None,
) -> bool:
    if a is None or b is None:
        return False
    headlines = (dedup.headline(titles[0]), dedup.headline(titles[1])) if titles else None
    return dedup.same_story(a, b, thresholds, headlines, apart)


def published(prefix: str, pair: dict[str, str], side: str) -> str:
    """The publication date of one side of a candidate pair, as its corpus gives it."""
    return pair[f"date_{side}" if prefix == "snn" else f"time_{side}"]


def hours_apart(pair_id: str, pair: dict[str, str]) -> float | None:
    prefix = pair_id.split(":")[0]
    return dedup.hours_apart(published(prefix, pair, "a"), published(prefix, pair, "b"))


def stratum(pair_id: str, row: dict[str, str]) -> str:
    """The sampling stratum of a candidate pair: corpus, relation of the two outlets, and the
    miner's Jaccard band (``--sample`` draws from each)."""
    prefix = pair_id.split(":")[0]
    relation = row.get("relation") or ("cross" if row.get("cross_source") == "1" else "same")
    jac = float(row["jaccard_w5"])
    band = "j<0.6" if jac < 0.6 else "j<0.9" if jac < 0.9 else "j>=0.9"
    return f"{prefix}/{relation}/{band}"


def weighted(
    labels: dict[str, bool], predicted: dict[str, bool], pairs: dict[str, dict[str, str]]
) -> tuple[float, float]:
    """Precision and recall over all the candidate pairs, estimated from a sample drawn by
    stratum: each stratum's counts weighted by its share of the candidates (the labelled sets
    over-represent the hard low-Jaccard strata, so their plain figures are a harder mix than
    the candidates are). Strata without a labelled pair count for nothing."""
    population: dict[str, int] = defaultdict(int)
    for pair_id, row in pairs.items():
        population[stratum(pair_id, row)] += 1
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # n, tp, predicted, gold
    for pair_id, gold in labels.items():
        c = counts[stratum(pair_id, pairs[pair_id])]
        c[0] += 1
        c[1] += gold and predicted[pair_id]
        c[2] += predicted[pair_id]
        c[3] += gold
    tp = sum(population[s] / n * t for s, (n, t, _, _) in counts.items())
    said = sum(population[s] / n * p for s, (n, _, p, _) in counts.items())
    same = sum(population[s] / n * g for s, (n, _, _, g) in counts.items())
    return tp / said if said else 1.0, tp / same if same else 1.0


def score(labels: dict[str, bool], predicted: dict[str, bool]) -> tuple[float, float, int, int]:
    tp = sum(1 for k, gold in labels.items() if gold and predicted[k])
    fp = sum(1 for k, gold in labels.items() if not gold and predicted[k])
    fn = sum(1 for k, gold in labels.items() if gold and not predicted[k])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, fp, fn


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--sample", type=int, default=0, help="print N pairs per stratum")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--strata", default="",
        help="with --sample: NAME=N,… draws N pairs from each named stratum (e.g."
        " snn/cross/j<0.6=15) instead of --sample from every one",
    )  # fmt: skip
    parser.add_argument(
        "--exclude", type=Path, action="append", default=[],
        help="with --sample: never draw a pair id found in this file (any whitespace-separated"
        " field that is a pair id), e.g. a draw another labeller holds blind",
    )  # fmt: skip
    parser.add_argument("--sweep", action="store_true", help="compare thresholds")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument(
        "--speed", type=int, default=0, metavar="ROUNDS",
        help="also time fingerprinting the labelled texts ROUNDS times: rasid.dedup in bulk,"
        " one text at a time, and datasketch's MinHash on the same shingles, side by side",
    )  # fmt: skip
    parser.add_argument(
        "--tune-set", default="dev",
        help="the labelled set the --sweep and --show-errors figures are computed on (the"
        " thresholds are chosen on dev; the held-out sets are only scored at the end)",
    )  # fmt: skip
    parser.add_argument(
        "--sets", default="",
        help="comma-separated labelled sets to score (default: all); while tuning, score dev"
        " only, so the held-out figures are looked at once, at the end",
    )  # fmt: skip
    parser.add_argument(
        "--migration", type=int, default=0, metavar="N",
        help="instead: time the re-fingerprinting migration on a scratch SQLite base of the"
        " first N SaudiNewsNet articles whose signatures are made to look old-format",
    )  # fmt: skip
    parser.add_argument(
        "--cv", type=int, default=0, metavar="FOLDS",
        help="also cross-validate on the tuning set, side by side: the rules with their"
        " thresholds chosen on the training folds (with and without the strong-opening route, by"
        " two criteria) and a logistic regression over the same signals; --repeats times,"
        " stratified",
    )  # fmt: skip
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument(
        "--compare-with", type=Path, metavar="DEDUP_PY",
        help="with --speed: also time the pair decision of this other rasid/dedup.py (e.g. the"
        " committed one, from `git show HEAD:src/rasid/dedup.py`) on the same pairs; with"
        " --corpus: also cluster with it, side by side",
    )  # fmt: skip
    parser.add_argument(
        "--corpus", action="store_true",
        help="instead: cluster all of SaudiNewsNet with and without the headlines, side by side",
    )  # fmt: skip
    args = parser.parse_args()
    if not (args.data / "dedup" / "neardup_candidates").exists():
        print(f"{args.data}/dedup is not present: shared data is only on dev/CI machines")
        return 0
    pairs = load_pairs(args.data)

    if args.sample:
        return print_sample(args, pairs)
    if args.migration:
        return time_migration(args.data, args.migration)
    if args.corpus:
        return cluster_corpus(args.data, args.compare_with)

    labels: dict[str, bool] = {}
    sets: dict[str, str] = {}
    with args.labels.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            pair_id, label, *rest = line.rstrip("\n").split("\t")
            if pair_id == "pair":
                continue
            label_set = rest[0] if rest else "dev"
            if args.sets and label_set not in args.sets.split(","):
                continue
            labels[pair_id] = label == "same"
            sets[pair_id] = label_set
    wanted: dict[str, set[str]] = defaultdict(set)
    for pair_id in labels:
        prefix = pair_id.split(":")[0]
        for side in "ab":
            wanted[prefix].add(_key(prefix, pairs[pair_id], side))
    started = time.monotonic()
    texts = load_texts(args.data, wanted)
    print(f"read {len(texts)} texts in {time.monotonic() - started:.1f} s")
    fps = {key: dedup.fingerprint(text) for key, text in texts.items()}
    if args.speed:
        speed(list(texts.values()), args.speed)

    def fp_of(pair_id: str, side: str) -> dedup.Fingerprint | None:
        prefix = pair_id.split(":")[0]
        return fps.get(f"{prefix}:{_key(prefix, pairs[pair_id], side)}")

    positives = sum(labels.values())
    print(f"labelled pairs: {len(labels)} ({positives} same story, "
          f"{len(labels) - positives} different)")  # fmt: skip
    tuning = {k: v for k, v in labels.items() if sets[k] == args.tune_set}
    print(f"sweep and errors on the {args.tune_set!r} set: {len(tuning)} pairs")

    def titles(pair_id: str) -> tuple[str, str]:
        return pairs[pair_id]["title_a"], pairs[pair_id]["title_b"]

    def apart(pair_id: str) -> float | None:
        return hours_apart(pair_id, pairs[pair_id])

    # (name, thresholds, without the headlines and dates?)
    settings = [
        ("rasid.dedup (shipped)", dedup.DECISION, False),
        ("shipped, text only (no headlines, no dates)", dedup.DECISION, True),
        ("shipped, without the dates", dedup.DECISION, None),
    ]
    if args.sweep:
        for jac, con, opening, long_jac, long_size, lede in itertools.product(
            (0.55, 0.6, 0.65), (0.75, 0.8, 0.9), (0.0, 0.6, 0.8), (0.4, 0.45, 0.5, 1.01),
            (100, 150), (0.0, 0.1, 0.2),
        ):  # fmt: skip
            name = f"J>={jac} C>={con} open>={opening} long J>={long_jac}@{long_size} lede>={lede}"
            changed = dataclasses.replace(
                dedup.DECISION, jaccard=jac, containment=con, opening=opening,
                long_jaccard=long_jac, long_shingles=long_size, lede=lede,
            )  # fmt: skip
            settings.append((name, changed, False))
        for hours in (24.0, 36.0, 72.0, 96.0, 168.0):
            name = f"shipped, lenient routes only up to {hours:.0f} h apart"
            settings.append((name, dataclasses.replace(dedup.DECISION, apart_hours=hours), False))
        for title_containment in (0.6, 0.7, 0.8, 1.01):
            name = f"shipped, same headline and sampled C>={title_containment} (any openings)"
            changed = dataclasses.replace(dedup.DECISION, title_containment=title_containment)
            settings.append((name, changed, False))
        for title, title_jaccard in itertools.product((0.7, 0.8, 0.9, 1.01), (0.3, 0.4, 0.45, 0.5)):
            name = f"shipped, headline J>={title} and text J>={title_jaccard}"
            changed = dataclasses.replace(dedup.DECISION, title=title, title_jaccard=title_jaccard)
            settings.append((name, changed, False))
    print(f"\n{'setting':66s} {'precision':>9s} {'recall':>7s} {'FP':>4s} {'FN':>4s}")
    for name, thresholds, blind in settings:
        predicted = {
            k: decide(
                fp_of(k, "a"), fp_of(k, "b"), thresholds, None if blind else titles(k),
                None if blind in (True, None) else apart(k),
            )
            for k in tuning
        }  # fmt: skip
        p, r, fp, fn = score(tuning, predicted)
        print(f"{name:66s} {p:9.3f} {r:7.3f} {fp:4d} {fn:4d}")
        if args.show_errors and name.startswith("rasid"):
            for k, gold in tuning.items():
                if gold != predicted[k]:
                    a, b = fp_of(k, "a"), fp_of(k, "b")
                    est = dedup.estimate(a, b) if a and b else None
                    print(f"   {'FN' if gold else 'FP'} {k} {est} "
                          f"{pairs[k]['title_a'][:60]} | {pairs[k]['title_b'][:60]}")  # fmt: skip
    if args.cv:
        cross_validate(
            [(fp_of(k, "a"), fp_of(k, "b"), titles(k), apart(k)) for k in tuning],
            np.array(list(tuning.values())), args.cv, args.repeats,
        )  # fmt: skip
    if args.speed:
        decision_speed(
            [(fp_of(k, "a"), fp_of(k, "b"), titles(k), apart(k)) for k in labels], args.speed,
            args.compare_with,
        )  # fmt: skip
    predicted = {
        k: decide(fp_of(k, "a"), fp_of(k, "b"), dedup.DECISION, titles(k), apart(k)) for k in labels
    }

    def candidates(pair_id: str) -> bool:
        a, b = fp_of(pair_id, "a"), fp_of(pair_id, "b")
        if not (a and b):
            return False
        title_a, title_b = (dedup.headline(t) for t in titles(pair_id))
        return bool(set(dedup.article_keys(a, title_a)) & set(dedup.article_keys(b, title_b)))

    # What clustering finds: a pair must also share an LSH key (a band of its signature or
    # its headline's key) to be looked at.
    clustered = {k: predicted[k] and candidates(k) for k in labels}
    print()
    # "held-out": every set but dev, pooled — the figure the target is judged on.
    groups = {name: {name} for name in sorted(set(sets.values()))}
    held_out = {name for name in groups if name.startswith("heldout")}
    if len(held_out) > 1:
        groups["held-out"] = held_out
    groups["all"] = set(sets.values())
    for name, members in groups.items():
        subset = {k: v for k, v in labels.items() if sets[k] in members}
        p, r, fp, fn = score(subset, predicted)
        target = "met" if p >= 0.95 and r >= 0.90 else "NOT met"
        print(f"shipped decision on {name:7s} ({len(subset):3d} pairs, "
              f"{sum(subset.values()):3d} same): precision {p:.3f}, recall {r:.3f}, "
              f"FP {fp}, FN {fn} (target ≥ 0.95 at ≥ 0.90: {target})")  # fmt: skip
        p, r, fp, fn = score(subset, clustered)
        print(f"  … and through LSH, as clustering sees them: precision {p:.3f}, "
              f"recall {r:.3f}")  # fmt: skip
        if name == "held-out":
            p, r = weighted(subset, predicted, pairs)
            print(f"  … each stratum weighted by its share of the {len(pairs)} candidate pairs: "
                  f"precision {p:.3f}, recall {r:.3f}")  # fmt: skip
    return 0


# both fingerprints, both headlines, and the hours between their publications
Pair = tuple[dedup.Fingerprint | None, dedup.Fingerprint | None, tuple[str, str], float | None]


def _stratified_folds(gold: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """The fold of each pair: same-story and different-story pairs dealt out evenly."""
    fold = np.empty(len(gold), dtype=np.int64)
    for value in (False, True):
        members = np.flatnonzero(gold == value)
        rng.shuffle(members)
        fold[members] = np.arange(len(members)) % k
    return fold


def _pr(predicted: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    tp = int(np.count_nonzero(predicted & gold))
    return tp / max(1, int(np.count_nonzero(predicted))), tp / max(1, int(np.count_nonzero(gold)))


def _best_recall(
    decisions: np.ndarray,
    gold: np.ndarray,
    allowed: np.ndarray | None = None,
    target: float = 0.95,
) -> tuple[int, bool]:
    """The row of ``decisions`` (settings × pairs), among the ``allowed`` ones (all by
    default), with the highest recall at precision ≥ ``target`` on these pairs (then the
    higher precision; then the first), and True; or, when no allowed row reaches ``target``,
    the allowed row of the highest precision (then recall) and False. Never a row outside
    ``allowed``: an argmax over scores that are all equal would pick the first row, allowed or
    not."""
    if allowed is None:
        allowed = np.ones(len(decisions), dtype=bool)
    tp = np.count_nonzero(decisions & gold, axis=1)
    precision = tp / np.maximum(1, np.count_nonzero(decisions, axis=1))
    eligible = allowed & (precision >= target)
    if eligible.any():
        return int(np.argmax(np.where(eligible, tp * 2.0 + precision, -1.0))), True
    # precision first, recall to break its ties (tp ≤ len(gold), so / (len + 1) stays < 1)
    fallback = precision * (len(gold) + 1) + tp / (len(gold) + 1)
    return int(np.argmax(np.where(allowed, fallback, -1.0))), False


def _signals(a: dedup.Fingerprint, b: dedup.Fingerprint, titles: tuple[str, str]) -> list[float]:
    """What the fingerprints and headlines say about a pair, as the learned model reads it:
    the rules' signals and the interactions the rules use (the opening test gates the
    Jaccard; the same headline lowers the bar)."""
    jaccard, containment, lede = dedup.estimate(a, b)
    inside = dedup.sampled(a, b)
    opening = inside.opening if inside.opening_checked >= dedup.DECISION.checked else 0.0
    ha, hb = (dedup.headline(t) for t in titles)
    union = len(np.union1d(ha, hb))
    title = len(np.intersect1d(ha, hb)) / union if min(len(ha), len(hb)) >= 3 and union else 0.0
    small, large = sorted((a.size, b.size))
    gate = float(lede >= dedup.DECISION.lede)
    same = float(title >= dedup.DECISION.title)
    return [
        jaccard, containment, opening, float(np.log(lede + 0.02)), float(np.log(small)),
        float(np.log(large / small)), title, gate, gate * jaccard,
        gate * containment * opening, same * jaccard, same * containment,
    ]  # fmt: skip


def _fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 3.0) -> np.ndarray:
    """L2-regularized logistic regression by Newton's method, on standardized columns:
    returns (mean, scale, weights) stacked, for :func:`_logistic_score`."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.column_stack([np.ones(len(x)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = l2 * np.eye(z.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        step = np.linalg.solve(
            z.T @ (z * (p * (1 - p))[:, None]) + penalty, z.T @ (p - y) + penalty @ w
        )
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return np.vstack([np.r_[0.0, mean], np.r_[1.0, scale], w])


def _logistic_score(model: np.ndarray, x: np.ndarray) -> np.ndarray:
    mean, scale, w = model
    return np.column_stack([np.ones(len(x)), (x - mean[1:]) / scale[1:]]) @ w


def _logistic_threshold(x: np.ndarray, gold: np.ndarray, seed: int) -> float:
    """The score above which the training pairs' out-of-fold predictions (5 inner folds)
    have the highest recall at precision ≥ 0.95: chosen without the test fold."""
    fold = _stratified_folds(gold, 5, np.random.default_rng(seed))
    scores = np.empty(len(gold))
    for i in range(5):
        model = _fit_logistic(x[fold != i], gold[fold != i].astype(float))
        scores[fold == i] = _logistic_score(model, x[fold == i])
    candidates = np.unique(scores)
    decisions = scores[None, :] >= candidates[:, None]
    return float(candidates[_best_recall(decisions, gold)[0]])


def _best_margin(decisions: np.ndarray, gold: np.ndarray, allowed: np.ndarray) -> tuple[int, bool]:
    """The row of ``decisions``, among the ``allowed`` ones, with the most room on both targets
    (precision 0.95, recall 0.90): the largest of the smaller of its two margins, then the
    higher precision plus recall, then the first; and whether that row meets both. Highest
    recall at precision 0.95 (:func:`_best_recall`) leaves a training fold's precision just
    over 0.95, so that test folds fall under it about as often as not. Never a row outside
    ``allowed`` (at least one must be)."""
    tp = np.count_nonzero(decisions & gold, axis=1)
    precision = tp / np.maximum(1, np.count_nonzero(decisions, axis=1))
    recall = tp / max(1, int(np.count_nonzero(gold)))
    margin = np.minimum(precision - 0.95, recall - 0.90)
    order = np.lexsort((-np.arange(len(margin)), precision + recall, margin))
    best = int(next(i for i in order[::-1] if allowed[i]))
    return best, bool(margin[best] >= 0)


# an apart_hours that no two publication dates exceed: the lenient routes whatever the dates
_UNDATED = 1e9


def cross_validate(pairs: list[Pair], gold: np.ndarray, k: int, repeats: int) -> None:
    """Stratified ``k``-fold cross-validation on the tuning set, ``repeats`` times: each
    decision is chosen on the training folds and scored on the test fold, and the test
    predictions of a repeat are pooled. The rules: the thresholds of the grid below with the
    highest recall at precision ≥ 0.95 on the training folds. The logistic regression: fitted
    on the training folds, its threshold from their inner cross-validation. The shipped values
    were chosen on this set, so their line is a fit figure, not a cross-validated one."""
    usable = [i for i, (a, b, _, _) in enumerate(pairs) if a is not None and b is not None]
    grid = [
        dataclasses.replace(
            dedup.DECISION, jaccard=jac, long_jaccard=long_jac, containment=con,
            strong_lede=strong, strong_lede_jaccard=strong_jac, apart_hours=hours, told=told,
        )
        for jac, long_jac, con, strong, strong_jac, hours, told in itertools.product(
            (0.55, 0.6, 0.65), (0.4, 0.45, 0.5), (0.75, 0.8), (0.7, 0.75, 0.8, 0.85, 1.01),
            (0.35, 0.4, 0.45, 0.5), (24.0, 48.0, 96.0, _UNDATED), (0.0, 0.35, 0.45),
        )
    ]  # fmt: skip
    decisions = np.zeros((len(grid), len(pairs)), dtype=bool)
    for s, thresholds in enumerate(grid):
        decisions[s] = [decide(a, b, thresholds, titles, apart) for a, b, titles, apart in pairs]
    undated = np.array([t.apart_hours == _UNDATED for t in grid])
    untold = np.array([t.told == 0.0 for t in grid])
    without_route = np.array([t.strong_lede > 1.0 for t in grid]) & undated & untold
    signals = np.zeros((len(pairs), 12))
    for i in usable:
        a, b, titles, _ = pairs[i]
        assert a is not None and b is not None
        signals[i] = _signals(a, b, titles)
    shipped = np.array(
        [decide(a, b, dedup.DECISION, titles, apart) for a, b, titles, apart in pairs]
    )
    methods = {
        "rules, thresholds per fold, without the strong-opening route, dates, vocabulary": [],
        "rules, thresholds per fold, with the strong-opening route": [],
        "rules, thresholds per fold, with the route and dates": [],
        "rules, thresholds per fold, with the route, dates and vocabulary": [],
        "… the same, chosen for the most room on both targets (precision and recall)": [],
        "logistic regression over the signals (threshold by inner CV)": [],
    }
    chosen: dict[str, int] = defaultdict(int)
    # training folds on which no allowed setting reached P 0.95 (the most precise one is used)
    unreached: dict[str, int] = defaultdict(int)
    for repeat in range(repeats):
        fold = _stratified_folds(gold, k, np.random.default_rng(1000 + repeat))
        predicted = {name: np.zeros(len(gold), dtype=bool) for name in methods}
        for i in range(k):
            train, test = fold != i, fold == i
            names = iter(methods)
            for allowed in (
                without_route,
                undated & untold,
                untold,
                np.ones(len(grid), dtype=bool),
            ):
                name = next(names)
                best, eligible = _best_recall(decisions[:, train], gold[train], allowed)
                unreached[name] += not eligible
                predicted[name][test] = decisions[best, test]
                if allowed.all():
                    chosen[repr(grid[best])] += 1
            name = next(names)
            best, eligible = _best_margin(
                decisions[:, train], gold[train], np.ones(len(grid), bool)
            )
            unreached[name] += not eligible
            predicted[name][test] = decisions[best, test]
            model = _fit_logistic(signals[train], gold[train].astype(float))
            threshold = _logistic_threshold(signals[train], gold[train], repeat * 100 + i)
            predicted[next(names)][test] = _logistic_score(model, signals[test]) >= threshold
        for name in methods:
            methods[name].append(_pr(predicted[name], gold))
    print(f"\n{k}-fold cross-validation on the tuning set ({len(gold)} pairs, {repeats} repeats;"
          f" load average {os.getloadavg()[0]:.2f}):")  # fmt: skip
    p, r = _pr(shipped, gold)
    print(f"  {'shipped values (chosen on this set: a fit figure)':68s} P {p:.3f} R {r:.3f}")
    for name, scores in methods.items():
        p, r = np.mean(scores, axis=0)
        print(f"  {name:68s} P {p:.3f} R {r:.3f}")
        if unreached[name]:
            print(f"    (no setting met its target on {unreached[name]} of {k * repeats} training"
                  " folds: the nearest one was used there)")  # fmt: skip
    most = max(chosen, key=chosen.__getitem__)
    print(f"  most often chosen with the route ({chosen[most]} of {k * repeats} folds): {most}")


def _takes(function: Any, parameter: str) -> bool:
    """Whether ``function`` (of this or another version of rasid.dedup) has ``parameter``."""
    import inspect

    return parameter in inspect.signature(function).parameters


def _other_module(path: Path) -> Any:
    """Another version of rasid/dedup.py, loaded from ``path`` under its own name."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("rasid_dedup_other", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def decision_speed(pairs: list[Pair], rounds: int, other: Path | None) -> None:
    """CPU microseconds per pair decision (with headlines, as clustering decides), of this
    rasid.dedup and, side by side, of another version of the module on the same pairs."""
    usable = [(a, b, (dedup.headline(x), dedup.headline(y)), apart) for a, b, (x, y), apart
              in pairs if a is not None and b is not None]  # fmt: skip
    modules = {"this rasid.dedup": dedup}
    if other is not None:
        modules[f"{other}"] = _other_module(other)
    spent = {}
    for _ in range(2):  # interleaved, twice: load changes hit both alike
        for name, module in modules.items():
            started = time.process_time()
            dated = _takes(module.same_story, "apart")
            for _ in range(rounds):
                for a, b, heads, apart in usable:
                    if dated:
                        module.same_story(a, b, module.DECISION, heads, apart)
                    else:
                        module.same_story(a, b, module.DECISION, heads)
            spent[name] = spent.get(name, 0.0) + time.process_time() - started
    base = spent["this rasid.dedup"]
    print(f"pair decisions, {len(usable)} labelled pairs × {rounds} × 2 (load average "
          f"{os.getloadavg()[0]:.2f}), CPU µs per decision:")  # fmt: skip
    for name, seconds in spent.items():
        print(f"  {name:40s} {seconds / (2 * rounds * len(usable)) * 1e6:7.1f} µs   "
              f"{seconds / base:5.2f}× this one")  # fmt: skip


def speed(texts: list[str], rounds: int) -> None:
    """CPU milliseconds per text (CPU, not wall time: the machine is shared), side by side.
    The texts are fingerprinted once before timing, so every path starts with warm caches."""
    import zlib

    from datasketch import MinHash

    from rasid.arabic.tokenize import tokenize

    template = MinHash(num_perm=dedup.NUM_PERM, seed=1)

    def peer(text: str) -> MinHash:
        # the previous rasid fingerprint: tokenize, join 5-word shingles, crc32, datasketch
        bases = [t.base for t in tokenize(text) if t.is_word]
        grams = {" ".join(bases[i : i + 5]).encode() for i in range(len(bases) - 4)}
        m = MinHash(num_perm=dedup.NUM_PERM, hashfunc=zlib.crc32,
                    permutations=template.permutations, scheme=template.scheme)  # fmt: skip
        m.update_batch(grams)
        return m

    runs = {
        "rasid.dedup.fingerprint_table (bulk)": lambda: dedup.fingerprint_table(texts),
        "rasid.dedup.fingerprint (one text)": lambda: [dedup.fingerprint(t) for t in texts],
        "datasketch MinHash, tokenizer shingles": lambda: [peer(t) for t in texts],
    }
    for run in runs.values():
        run()
    spent = {}
    for name, run in runs.items():
        started = time.process_time()
        for _ in range(rounds):
            run()
        spent[name] = (time.process_time() - started) / (rounds * len(texts)) * 1000
    base = spent["datasketch MinHash, tokenizer shingles"]
    print(f"fingerprinting {len(texts)} texts × {rounds} (load average "
          f"{os.getloadavg()[0]:.2f}), CPU ms per text:")  # fmt: skip
    for name, ms in spent.items():
        print(f"  {name:40s} {ms:6.3f} ms   {base / ms:5.1f}× the datasketch path")


def cluster_corpus(data: Path, other: Path | None = None) -> int:
    """``rasid.dedup.cluster`` over every SaudiNewsNet article, text only and with the
    headlines and publication dates (as the stores decide): CPU, candidate pairs looked at,
    full decisions, joins, and what became of the daily weather bulletins (the agency's
    formula «الرئاسة العامة للأرصاد» in the opening), which are different stories every day.
    With ``other`` (another rasid/dedup.py), the same with its ``cluster`` on the same
    fingerprints, interleaved, and the ratios."""
    pages = list(ingest.read([str(data / CORPORA["snn"])]))
    texts = [page.body for page in pages]
    titles = [page.given.get("title") for page in pages]
    dates = [page.given.get("published") for page in pages]
    table = dedup.fingerprint_table(texts)
    bulletins = [i for i, text in enumerate(texts) if "الرئاسة العامة للأرصاد" in text[:300]]
    modules = {"this": dedup}
    if other is not None:
        modules["other"] = _other_module(other)
    rounds = 3 if other is not None else 1
    cpu: dict[tuple[str, str], float] = defaultdict(float)
    results = {}
    for _ in range(rounds):  # interleaved: load changes hit both alike
        for name, given, when in (("text only", None, None), ("with headlines", titles, dates)):
            for version, module in modules.items():
                dated = {"published": when} if _takes(module.cluster, "published") else {}
                started = time.process_time()
                results[version, name] = module.cluster(table, titles=given, **dated)
                cpu[version, name] += time.process_time() - started
    for (version, name), result in results.items():
        sizes = np.bincount(result.story)
        roots = {int(result.story[i]) for i in bulletins}
        seconds = cpu[version, name] / rounds
        print(f"{version:5s} {name:15s} {len(texts)} articles: {seconds:.2f} s CPU "
              f"({seconds / len(texts) * 1e6:.1f} µs an article), candidates {result.candidates},"
              f" decisions {result.decisions}, joins {result.joins}, stories of 2+ "
              f"{int(np.count_nonzero(sizes >= 2))}; {len(bulletins)} weather bulletins in "
              f"{len(roots)} stories, the largest of {max(sizes[r] for r in roots)}")  # fmt: skip
    if other is not None:
        for name in ("text only", "with headlines"):
            new, old = results["this", name], results["other", name]
            print(
                f"{name}: this / other — CPU {cpu['this', name] / cpu['other', name]:.3f}, "
                f"candidates {new.candidates / old.candidates:.3f}, decisions "
                f"{new.decisions / old.decisions:.3f}, joins {new.joins / old.joins:.3f}"
            )
            parted = sum(1 for i, root in enumerate(old.story.tolist())
                         if new.story[i] != new.story[root])  # fmt: skip
            print(f"  articles the other puts in a story this one does not: {parted}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


def time_migration(data: Path, n: int) -> int:
    """Store the first ``n`` SaudiNewsNet texts in a scratch SQLite base, turn it into what the
    previous release left (schema 7, the fingerprints tagged rfp4: the tag alone marks them
    stale; their band keys moved off the current ones, so that the recomputed keys are really
    written), and time the migration that recomputes them when the base is opened
    (``rasid.store.sqlite._vocabulary``, which re-fingerprints: ``_refingerprint``)."""
    import sqlite3
    import tempfile

    import rasid.store.sqlite as sqlite_store
    from rasid.model import Record
    from rasid.store import open_store

    pages = itertools.islice(ingest.read([str(data / CORPORA["snn"])]), n)
    records = [
        Record(id=f"snn-{i}", source=page.source, title=page.given.get("title"), lede=None,
               author=None, published=None, published_source=None, text=page.body, blocks=[],
               related=[], removed=[], lang="ar", errors=[])
        for i, page in enumerate(pages)
    ]  # fmt: skip
    counts = (
        "SELECT count(*), (SELECT count(*) FROM bands), (SELECT count(*) FROM stories)"
        " FROM signatures"
    )
    with tempfile.TemporaryDirectory(prefix="rasid-dedup-") as folder:
        path = str(Path(folder) / "base.db")
        with open_store(path) as store:
            for start in range(0, len(records), 500):
                store.put_batch(records[start : start + 500])
        conn = sqlite3.connect(path, isolation_level=None)
        before = conn.execute(counts).fetchone()
        conn.execute("UPDATE signatures SET sig = CAST('rfp4' AS BLOB) || substr(sig, 5)")
        conn.execute("UPDATE bands SET key = key + 1")
        version = sqlite_store._MIGRATIONS.index(sqlite_store._vocabulary)
        conn.execute(f"PRAGMA user_version={version}")
        conn.close()
        wall, cpu = time.monotonic(), time.process_time()
        with open_store(path):
            pass
        wall, cpu = time.monotonic() - wall, time.process_time() - cpu
        conn = sqlite3.connect(path)
        after = conn.execute(counts).fetchone()
        conn.close()
    print(f"{len(records)} articles; signatures, band keys, stories before {before}, after "
          f"{after}")  # fmt: skip
    print(f"re-fingerprinting migration: {wall:.1f} s wall, {cpu:.1f} s CPU, "
          f"{cpu / len(records) * 1000:.2f} ms CPU per article (load average "
          f"{os.getloadavg()[0]:.2f})")  # fmt: skip
    return 0


def print_sample(args: argparse.Namespace, pairs: dict[str, dict[str, str]]) -> int:
    """A stratified sample for labelling: by corpus/relation and by Jaccard band, of the pairs
    not labelled yet."""
    rng = random.Random(args.seed)
    with args.labels.open(encoding="utf-8") as f:
        labelled = {line.split("\t")[0] for line in f if not line.startswith("#")}
    for path in args.exclude:
        labelled |= {word for word in path.read_text(encoding="utf-8").split() if word in pairs}
    wanted_strata = dict(item.rsplit("=", 1) for item in args.strata.split(",") if item)
    strata: dict[str, list[str]] = defaultdict(list)
    for pair_id, row in pairs.items():
        if pair_id in labelled:
            continue
        strata[stratum(pair_id, row)].append(pair_id)
    chosen = []
    for name in sorted(strata):
        members = strata[name]
        n = int(wanted_strata.get(name, 0)) if wanted_strata else args.sample
        chosen += [(name, p) for p in rng.sample(members, min(n, len(members)))]
    wanted: dict[str, set[str]] = defaultdict(set)
    for _, pair_id in chosen:
        prefix = pair_id.split(":")[0]
        for side in "ab":
            wanted[prefix].add(_key(prefix, pairs[pair_id], side))
    texts = load_texts(args.data, wanted)
    for name, pair_id in chosen:
        prefix = pair_id.split(":")[0]
        row = pairs[pair_id]
        a = texts.get(f"{prefix}:{_key(prefix, row, 'a')}", "")
        b = texts.get(f"{prefix}:{_key(prefix, row, 'b')}", "")
        wa, wb = set(a.split()), set(b.split())
        print(f"=== {pair_id} [{name}] J={row['jaccard_w5']} C={row['containment_w5']}")
        print(f"A: {row['title_a']}\nB: {row['title_b']}")
        print(f"A only: {' '.join(sorted(wa - wb))[:400]}")
        print(f"B only: {' '.join(sorted(wb - wa))[:400]}")
        print(f"A: {a[:300]!r}\nB: {b[:300]!r}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
