"""The dedup benchmark's choice of a setting on a training fold (bench/dedup.py --cv)."""

from __future__ import annotations

import numpy as np

from tests.bench.test_scoring import _load

dedup_bench = _load("dedup")

# Six labelled pairs (the first four the same story) and four settings' decisions on them.
GOLD = np.array([True, True, True, True, False, False])
DECISIONS = np.array(
    [
        [True, True, True, True, True, True],  # everything joins: P 0.67
        [True, True, True, False, False, False],  # P 1.0, R 0.75
        [True, True, True, True, True, False],  # P 0.8, R 1.0
        [True, False, False, False, False, False],  # P 1.0, R 0.25
    ]
)


def test_the_most_recall_at_the_target_precision_wins() -> None:
    assert dedup_bench._best_recall(DECISIONS, GOLD) == (1, True)
    assert dedup_bench._best_recall(DECISIONS, GOLD, target=0.8) == (2, True)


def test_a_row_outside_the_allowed_ones_is_never_chosen() -> None:
    allowed = np.array([True, False, True, True])
    assert dedup_bench._best_recall(DECISIONS, GOLD, allowed) == (3, True)


def test_without_an_eligible_row_the_most_precise_allowed_one_is_chosen_and_said() -> None:
    # rows 0 and 2 only, neither reaching P 0.95: row 2 (P 0.8), not row 0 (the first)
    allowed = np.array([True, False, True, False])
    assert dedup_bench._best_recall(DECISIONS, GOLD, allowed) == (2, False)
    # nothing allowed at all but the last: still that row, never row 0
    assert dedup_bench._best_recall(DECISIONS, GOLD, np.array([False, False, False, True]),
                                    target=1.01) == (3, False)  # fmt: skip


def test_the_setting_with_the_most_room_on_both_targets_wins() -> None:
    everything = np.ones(4, dtype=bool)
    # row 1 (P 1.0, R 0.75) misses recall 0.90 by 0.15, row 2 (P 0.8, R 1.0) precision 0.95
    # by 0.15, row 0 (P 0.67) and row 3 (R 0.25) by more; none meets both targets
    assert dedup_bench._best_margin(DECISIONS, GOLD, everything)[1] is False
    assert dedup_bench._best_margin(DECISIONS[[0, 1, 3]], GOLD, everything[:3]) == (1, False)
    # the smaller shortfall wins, not the higher precision: P 5/6 at R 1 over P 1 at R 0.6
    tied = np.array([[True, True, True, False, False, False], [True, True, True, True, True, True]])
    gold = np.array([True, True, True, True, False, True])  # row 0: P 1, R 0.6; row 1: P 5/6, R 1
    assert dedup_bench._best_margin(tied, gold, np.ones(2, dtype=bool))[0] == 1
    # one that meets both targets beats every one that does not
    met = np.vstack([DECISIONS, [True, True, True, True, False, False]])
    assert dedup_bench._best_margin(met, GOLD, np.ones(5, dtype=bool)) == (4, True)
    # never a row outside the allowed ones, even when every allowed one is worse
    assert dedup_bench._best_margin(met, GOLD, np.array([True, False, False, True, False])) == (
        0,
        False,
    )


def test_a_stratified_sample_is_weighted_back_to_the_candidates() -> None:
    def row(relation: str, jaccard: float) -> dict[str, str]:
        return {"relation": relation, "jaccard_w5": str(jaccard)}

    # 90 easy candidates (copies) and 10 hard ones; the sample holds 2 of each
    pairs = {f"ant:{n}": row("same_url", 0.95) for n in range(90)}
    pairs |= {f"ant:{n}": row("cross_source", 0.5) for n in range(90, 100)}
    labels = {"ant:0": True, "ant:1": True, "ant:90": True, "ant:91": False}
    predicted = {"ant:0": True, "ant:1": True, "ant:90": True, "ant:91": True}

    # plainly P 0.75; weighted, the one false join stands for 5 of 100 candidates
    assert dedup_bench.score(labels, predicted)[0] == 0.75
    precision, recall = dedup_bench.weighted(labels, predicted, pairs)
    assert round(precision, 3) == round(95 / 100, 3) and recall == 1.0
