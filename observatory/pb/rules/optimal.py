"""Exact optima of the 0/1 knapsack: ``max-supports`` and ``max-budget``.

``max-supports``: most approvals funded within the budget, ties -> most budget used.
``max-budget``: most budget used, ties -> most approvals.
Costs are scaled to integers and divided by their common divisor; when the resulting budget grid is
small (it is for every real file seen) one dynamic programme over costs answers both exactly.
Otherwise two MILPs (first objective, then the second with the first fixed) go to HiGHS through
``scipy.optimize.milp``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from math import gcd, lcm
from typing import TYPE_CHECKING

import numpy as np

from observatory.pb.model import Election
from observatory.pb.rules.base import RuleNotApplicable, total_cost

if TYPE_CHECKING:
    from scipy.optimize import LinearConstraint

MILP_SECONDS = 10.0
DP_MAX_CELLS = 400_000_000  # projects x budget grid points (kept bit-packed for back-tracking: 50 MB)
# max-budget has no fast exact alternative (an equality knapsack defeats HiGHS): allow a bigger DP
DP_MAX_CELLS_BUDGET = 4_000_000_000  # 500 MB of back-tracking bits, seconds of numpy


def _int_costs(election: Election) -> tuple[list[int], int]:
    den = 1
    for c in [*election.costs, election.budget]:
        den = lcm(den, c.denominator)
    costs = [int(c * den) for c in election.costs]
    budget = int(election.budget * den)
    g = 0
    for c in costs:
        g = gcd(g, c)
    if g > 1:
        costs = [c // g for c in costs]
        budget //= g
    return costs, budget


def _dp(costs: list[int], support: np.ndarray, budget: int) -> tuple[np.ndarray, np.ndarray]:
    """best[s]: most approvals with total cost exactly s (-1: unreachable); keep[i, s] for back-tracking."""
    best = np.full(budget + 1, -1, dtype=np.int32)
    best[0] = 0
    keep = np.zeros((len(costs), (budget + 8) // 8), dtype=np.uint8)
    better = np.zeros(budget + 1, dtype=bool)
    for i, c in enumerate(costs):
        if c > budget:
            continue
        prev = best[: budget + 1 - c]
        cand = np.where(prev >= 0, prev + np.int32(support[i]), np.int32(-1))  # a copy: old values
        better[:c] = False
        np.greater(cand, best[c:], out=better[c:])
        keep[i] = np.packbits(better)
        np.copyto(best[c:], cand, where=better[c:])
    return best, keep


def _backtrack(costs: list[int], keep: np.ndarray, s: int) -> list[int]:
    chosen = []
    for i in range(len(costs) - 1, -1, -1):
        if (keep[i, s >> 3] >> (7 - (s & 7))) & 1:
            chosen.append(i)
            s -= costs[i]
    return sorted(chosen)


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """The bundled HiGHS prints debug lines on file descriptor 1; keep them out of command output."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def _milp(first: np.ndarray, second: np.ndarray, costs: np.ndarray, budget: float) -> list[int]:
    from scipy.optimize import Bounds, LinearConstraint, milp  # HiGHS; imported on use (slow to import)

    def solve(obj: np.ndarray, cons: list[LinearConstraint]) -> np.ndarray:
        with _quiet_stdout():
            res = milp(-obj, integrality=np.ones(len(obj)), bounds=Bounds(0, 1), constraints=cons,
                       options={"mip_rel_gap": 0.0, "disp": False, "time_limit": MILP_SECONDS})
        if res.status != 0 or res.x is None:
            raise RuleNotApplicable(f"exact optimum not proven within {MILP_SECONDS} s ({res.message})")
        return np.round(res.x).astype(bool)

    fits = [LinearConstraint(costs.reshape(1, -1), -np.inf, budget)]
    x1 = solve(first, fits)
    opt = float(first[x1].sum())
    # fix the first objective with a little slack for the solver's feasibility tolerance on large costs
    x2 = solve(second, [*fits, LinearConstraint(first.reshape(1, -1), opt * (1 - 1e-9) - 0.5, np.inf)])
    return [int(i) for i in np.flatnonzero(x2)]


def _largest_sum(costs: list[int], budget: int) -> int:
    """Largest subset sum within the budget: a bitset DP (bit s set = sum s reachable), exact."""
    reach, mask = 1, (1 << (budget + 1)) - 1
    for c in costs:
        if c <= budget:
            reach |= (reach << c) & mask
    return reach.bit_length() - 1


def _most_budget(costs: list[int], support: np.ndarray, budget: int) -> list[int]:
    """Most budget used (proven by the bitset DP), then most approvals among the selections spending
    exactly that (HiGHS on an equality knapsack, optimality proven with a zero gap)."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # HiGHS; imported on use (slow to import)

    best = _largest_sum(costs, budget)
    c = np.array(costs, dtype=np.float64)
    with _quiet_stdout():
        res = milp(-support.astype(np.float64), integrality=np.ones(len(costs)), bounds=Bounds(0, 1),
                   constraints=[LinearConstraint(c.reshape(1, -1), best, best)],
                   options={"mip_rel_gap": 0.0, "disp": False, "time_limit": MILP_SECONDS})
    if res.status != 0 or res.x is None:
        raise RuleNotApplicable(f"most approvals at the largest spend not proven within {MILP_SECONDS} s "
                                f"({res.message})")
    chosen = [int(i) for i in np.flatnonzero(np.round(res.x))]
    if sum(costs[i] for i in chosen) != best:
        raise RuleNotApplicable("the solver's selection does not spend the proven optimum exactly")
    return chosen


def _optimum(election: Election, by_budget: bool) -> list[int]:
    if election.n_projects == 0:
        return []
    support = election.approval_counts.astype(np.int64)
    costs, budget = _int_costs(election)
    cells = election.n_projects * (budget + 1)
    if cells <= DP_MAX_CELLS or (by_budget and cells <= DP_MAX_CELLS_BUDGET):
        best, keep = _dp(costs, support, budget)
        reachable = np.flatnonzero(best >= 0)
        if by_budget:
            s = int(reachable.max())
        else:
            top = best[reachable].max()
            s = int(reachable[best[reachable] == top].max())
        chosen = _backtrack(costs, keep, s)
    elif by_budget:
        chosen = _most_budget(costs, support, budget)
    else:
        c = np.array(costs, dtype=np.float64)
        chosen = _milp(support.astype(np.float64), c, c, float(budget))
    if total_cost(election, chosen) > election.budget:
        raise RuntimeError("optimal selection exceeds the budget (solver tolerance)")
    return chosen


def max_supports(election: Election) -> list[int]:
    return _optimum(election, by_budget=False)


def max_budget(election: Election) -> list[int]:
    return _optimum(election, by_budget=True)
