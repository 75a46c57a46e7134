"""The compiled knapsack programme fills the very arrays the numpy programme it replaced filled, so
``max-budget`` and ``max-supports`` keep their selections (ties included) cell for cell."""

from __future__ import annotations

import numpy as np
import pytest

from observatory.pb.rules import optimal
from observatory.pb.rules.knapsack_kernel import fill


def _numpy_programme(costs: list[int], support: np.ndarray, budget: int) -> tuple[np.ndarray, np.ndarray]:
    """The programme as numpy ran it before (whole-array passes per project), kept as the reference."""
    best = np.full(budget + 1, -1, dtype=np.int64 if int(support.sum()) >= 2**31 else np.int32)
    best[0] = 0
    keep = np.zeros((len(costs), (budget + 8) // 8), dtype=np.uint8)
    better = np.zeros(budget + 1, dtype=bool)
    for i, c in enumerate(costs):
        if c > budget:
            continue
        prev = best[: budget + 1 - c]
        cand = np.where(prev >= 0, prev + best.dtype.type(support[i]), best.dtype.type(-1))
        better[:c] = False
        np.greater(cand, best[c:], out=better[c:])
        keep[i] = np.packbits(better)
        np.copyto(best[c:], cand, where=better[c:])
    return best, keep


@pytest.mark.parametrize("seed", range(30))
def test_compiled_programme_fills_the_arrays_numpy_filled(seed: int) -> None:
    """Random projects with equal costs, zero costs, costs over the budget and equal supports (ties)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 14))
    budget = int(rng.integers(0, 300))
    costs = [int(c) for c in rng.choice([0, 1, 7, 8, 9, 20, 33, 60, 120, 400], size=n)]
    support = rng.choice([0, 1, 2, 5, 5, 9], size=n).astype(np.int64)
    if seed % 5 == 0:
        support = support * 2**30  # approvals that need 64 bits
    expected = _numpy_programme(costs, support, budget)
    got = optimal._dp(costs, support, budget)
    assert np.array_equal(got[0], expected[0]) and got[0].dtype == expected[0].dtype
    assert np.array_equal(got[1], expected[1])


def test_only_strictly_better_cells_are_marked_so_ties_go_to_the_first_project() -> None:
    """Control: the bits are those of strictly better cells only; a programme that also marks equal ones
    would pick another of two equally good selections."""
    costs, support, budget = [5, 5], np.array([3, 3]), 5
    best = np.full(budget + 1, -1, dtype=np.int32)
    best[0] = 0
    keep = np.zeros((2, 1), dtype=np.uint8)
    fill(np.asarray(costs, dtype=np.int64), support.astype(np.int32), budget, best, keep)
    assert optimal._backtrack(costs, keep, 5) == [0]  # the tie goes to the first project, as before
    keep_ties = keep.copy()
    keep_ties[1, 0] |= 0x80 >> 5  # project 2 marked at s=5 although not better
    assert optimal._backtrack(costs, keep_ties, 5) == [1]
