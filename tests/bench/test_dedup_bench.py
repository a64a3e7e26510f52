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
