"""Exact optima of the 0/1 knapsack: ``max-supports`` and ``max-budget``.

``max-supports``: most approvals funded within the budget, ties -> most budget used.
``max-budget``: most budget used, ties -> most approvals.
Costs and budget are scaled to integers (common denominator, then divided by their gcd), so every
comparison below is exact integer arithmetic; no floating-point solver tolerance can let a selection
overspend or miss the optimum (costs up to 1e12 with cents are 1e14 on the integer grid).

Three exact methods, the first that applies:

1. a dynamic programme over the budget grid when it is small (every real Pabulib file but a few), compiled
   (``knapsack_kernel.py``);
2. meet in the middle when at most ``MITM_MAX_ITEMS`` projects fit: every subset of each half, the
   halves joined by a sorted sweep (lexicographic objectives are translation invariant, so the best
   partner of a subset is the best subset of the other half that fits);
3. depth-first branch and bound on the combined integer objective ``first * M + second`` with the
   fractional-knapsack (Dantzig) bound, and for ``max-supports`` the proven largest number of approvals
   (a dynamic programme over approvals, which are small integers) as a global bound.

Only method 3 can give up (after ``BNB_MAX_NODES`` search nodes, ~10-20 s; a count, so the outcome never
depends on the machine's load): the rule then reports the optimum as not proven.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm

import numpy as np

from observatory.pb.model import Election
from observatory.pb.rules.base import RuleNotApplicable, total_cost

DP_MAX_CELLS = 400_000_000  # projects x budget grid points (kept bit-packed for back-tracking: 50 MB)
# max-budget: a bigger DP is still seconds of numpy (Łódź 2023, Warszawa 2026)
DP_MAX_CELLS_BUDGET = 4_000_000_000  # 500 MB of back-tracking bits
MITM_MAX_ITEMS = 40  # 2 x 2^20 subsets at most
SUPPORT_DP_MAX = 50_000_000  # approvals grid for the max-supports bound
BNB_MAX_NODES = 3_000_000  # a node count, not a clock: the same input always gives the same answer
INT64_SAFE = 2**62


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
    from observatory.pb.rules.knapsack_kernel import fill

    dtype = np.int64 if int(support.sum()) >= 2**31 else np.int32
    best = np.full(budget + 1, -1, dtype=dtype)
    best[0] = 0
    keep = np.zeros((len(costs), (budget + 8) // 8), dtype=np.uint8)
    fill(np.asarray(costs, dtype=np.int64), support.astype(dtype), budget, best, keep)
    return best, keep


def _backtrack(costs: list[int], keep: np.ndarray, s: int) -> list[int]:
    chosen = []
    for i in range(len(costs) - 1, -1, -1):
        if (keep[i, s >> 3] >> (7 - (s & 7))) & 1:
            chosen.append(i)
            s -= costs[i]
    return sorted(chosen)


def _grid_optimum(costs: list[int], support: np.ndarray, budget: int, by_budget: bool) -> list[int]:
    best, keep = _dp(costs, support, budget)
    reachable = np.flatnonzero(best >= 0)
    if by_budget:
        s = int(reachable.max())
    else:
        top = best[reachable].max()
        s = int(reachable[best[reachable] == top].max())
    return _backtrack(costs, keep, s)


# ---- meet in the middle ------------------------------------------------------------------------------

def _subsets(costs: list[int], first: list[int], second: list[int], budget: int) -> tuple[np.ndarray, ...]:
    """Every subset within the budget: total cost, first and second objective, membership bit mask."""
    c = np.zeros(1, dtype=np.int64)
    v1 = np.zeros(1, dtype=np.int64)
    v2 = np.zeros(1, dtype=np.int64)
    mask = np.zeros(1, dtype=np.int64)
    for k, (ci, f, s) in enumerate(zip(costs, first, second, strict=True)):
        fits = c <= budget - ci
        c = np.concatenate((c, c[fits] + ci))
        v1 = np.concatenate((v1, v1[fits] + f))
        v2 = np.concatenate((v2, v2[fits] + s))
        mask = np.concatenate((mask, mask[fits] | np.int64(1 << k)))
    return c, v1, v2, mask


def _meet_in_middle(costs: list[int], first: list[int], second: list[int], budget: int) -> list[int]:
    """Lexicographic (first, second) optimum within the budget, exactly, by two half enumerations."""
    half = len(costs) // 2
    ca, a1, a2, ma = _subsets(costs[:half], first[:half], second[:half], budget)
    cb, b1, b2, mb = _subsets(costs[half:], first[half:], second[half:], budget)
    by_cost = np.argsort(cb, kind="stable")
    cb, b1, b2, mb = cb[by_cost], b1[by_cost], b2[by_cost], mb[by_cost]
    lex = np.lexsort((b2, b1))  # ascending (first, second)
    rank = np.empty(len(lex), dtype=np.int64)
    rank[lex] = np.arange(len(lex))
    best_rank = np.maximum.accumulate(rank)  # best subset of B among those costing at most cb[j]
    j = np.searchsorted(cb, budget - ca, side="right") - 1  # >= 0: the empty subset costs 0
    partner = lex[best_rank[j]]
    t1, t2 = a1 + b1[partner], a2 + b2[partner]
    win = int(np.lexsort((t2, t1))[-1])
    bits_a, bits_b = int(ma[win]), int(mb[partner[win]])
    return [k for k in range(half) if bits_a >> k & 1] + [half + k for k in range(len(costs) - half)
                                                          if bits_b >> k & 1]


# ---- branch and bound --------------------------------------------------------------------------------

def _max_approvals(costs: list[int], support: list[int], budget: int) -> int | None:
    """Most approvals any selection within the budget can fund (min cost per approvals total), exact."""
    total = sum(support)
    if total > SUPPORT_DP_MAX or sum(costs) >= INT64_SAFE:
        return None
    inf = np.int64(INT64_SAFE)
    cheapest = np.full(total + 1, inf, dtype=np.int64)
    cheapest[0] = 0
    for c, s in zip(costs, support, strict=True):
        if s > 0:
            cheapest[s:] = np.minimum(cheapest[s:], np.minimum(cheapest[:-s] + np.int64(c), inf))
    return int(np.flatnonzero(cheapest <= budget).max())


def _branch_and_bound(costs: list[int], value: list[int], budget: int, ceiling: int | None) -> list[int]:
    """Most total ``value`` within the budget (all costs > 0, all fit alone), proven by exhaustive search
    pruned by the Dantzig bound; ``ceiling`` (a proven upper bound) stops the search once reached."""
    n = len(costs)
    order = sorted(range(n), key=lambda i: (-Fraction(value[i], costs[i]), -value[i]))
    w = [costs[i] for i in order]
    v = [value[i] for i in order]

    def bound(k: int, room: int, acc: int) -> int:
        while k < n and w[k] <= room:
            room -= w[k]
            acc += v[k]
            k += 1
        if k < n and room > 0:
            acc += room * v[k] // w[k]
        return acc

    best_value, best_set = -1, []
    # iterative DFS: (depth, room, acc) with explicit take/skip choices
    stack: list[tuple[int, int, int, bool]] = [(0, budget, 0, True), (0, budget, 0, False)]
    path: list[int] = []
    nodes = 0
    while stack:
        k, room, acc, take = stack.pop()
        while path and path[-1] >= k:
            path.pop()
        if take:
            if w[k] > room:
                continue
            room -= w[k]
            acc += v[k]
            path.append(k)
        k += 1
        if acc > best_value:
            best_value, best_set = acc, list(path)
            if ceiling is not None and best_value >= ceiling:
                break
        if k == n or bound(k, room, acc) <= best_value:
            continue
        nodes += 1
        if nodes > BNB_MAX_NODES:
            raise RuleNotApplicable(f"exact optimum not proven within {BNB_MAX_NODES:,} search nodes")
        stack.append((k, room, acc, False))
        stack.append((k, room, acc, True))
    return sorted(order[i] for i in best_set)


def _optimum(election: Election, by_budget: bool) -> list[int]:
    if election.n_projects == 0:
        return []
    support = election.approval_counts.astype(np.int64)
    costs, budget = _int_costs(election)
    cells = election.n_projects * (budget + 1)
    if cells <= DP_MAX_CELLS or (by_budget and cells <= DP_MAX_CELLS_BUDGET):
        chosen = _grid_optimum(costs, support, budget, by_budget)
    else:
        chosen = _large_grid_optimum(costs, [int(s) for s in support], budget, by_budget)
    if total_cost(election, chosen) > election.budget:  # integer arithmetic: cannot happen
        raise AssertionError("optimal selection exceeds the budget")
    return chosen


def _large_grid_optimum(costs: list[int], support: list[int], budget: int, by_budget: bool) -> list[int]:
    """The optimum when the budget grid is too fine for the DP (e.g. costs of 1e9 with cents)."""
    # zero-cost projects: taken when they add approvals (they never change the spend)
    free = [i for i, c in enumerate(costs) if c == 0 and support[i] > 0]
    items = [i for i, c in enumerate(costs) if 0 < c <= budget]
    c = [costs[i] for i in items]
    s = [support[i] for i in items]
    first, second = (c, s) if by_budget else (s, c)
    if len(items) <= MITM_MAX_ITEMS and sum(c) < INT64_SAFE and sum(s) < INT64_SAFE:
        picked = _meet_in_middle(c, first, second, budget)
    else:
        scale = (sum(s) + 1) if by_budget else (budget + 1)  # second objective < scale: lexicographic
        value = [f * scale + g for f, g in zip(first, second, strict=True)]
        ceiling = None
        if not by_budget:
            top = _max_approvals(c, s, budget)
            ceiling = None if top is None else top * scale + budget
        else:
            ceiling = budget * scale + sum(s)
        picked = _branch_and_bound(c, value, budget, ceiling)
    return sorted(free + [items[k] for k in picked])


def max_supports(election: Election) -> list[int]:
    return _optimum(election, by_budget=False)


def max_budget(election: Election) -> list[int]:
    return _optimum(election, by_budget=True)
