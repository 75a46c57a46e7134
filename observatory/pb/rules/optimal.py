"""Exact optima (0/1 knapsacks solved with HiGHS through ``scipy.optimize.milp``).

``max-supports``: most approvals funded within the budget, ties -> most budget used.
``max-budget``: most budget used, ties -> most approvals. Each is two MILPs: the first objective,
then the second with the first fixed. Costs are scaled to integers so the fixing is exact.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from observatory.pb.model import Election
from observatory.pb.rules.base import total_cost


def _int_costs(election: Election) -> tuple[np.ndarray, int]:
    den = 1
    for c in [*election.costs, election.budget]:
        den = lcm(den, c.denominator)
    costs = np.array([float(c * den) for c in election.costs])
    return costs, int(election.budget * den)


def _solve(objective: np.ndarray, rows: list[tuple[np.ndarray, float, float]]) -> np.ndarray:
    n = len(objective)
    cons = [LinearConstraint(a.reshape(1, -1), lo, hi) for a, lo, hi in rows]
    res = milp(-objective, integrality=np.ones(n), bounds=Bounds(0, 1), constraints=cons,
               options={"mip_rel_gap": 0.0, "presolve": True})
    if res.x is None:
        raise RuntimeError(f"knapsack solver failed: {res.message}")
    return np.round(res.x).astype(bool)


def _lexicographic(election: Election, first: np.ndarray, second: np.ndarray) -> list[int]:
    if election.n_projects == 0:
        return []
    costs, budget = _int_costs(election)
    fits = [(costs, -np.inf, float(budget))]
    x1 = _solve(first, fits)
    opt = float(first[x1].sum())
    x2 = _solve(second, [*fits, (first, opt - 0.5, np.inf)])
    chosen = [int(i) for i in np.flatnonzero(x2)]
    if total_cost(election, chosen) > election.budget:  # never expected; guard against tolerance slips
        raise RuntimeError("knapsack solution exceeds the budget")
    return chosen


def max_supports(election: Election) -> list[int]:
    support = election.approval_counts.astype(np.float64)
    costs, _ = _int_costs(election)
    return _lexicographic(election, support, costs)


def max_budget(election: Election) -> list[int]:
    support = election.approval_counts.astype(np.float64)
    costs, _ = _int_costs(election)
    return _lexicographic(election, costs, support)
