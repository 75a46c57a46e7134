"""Method of Equal Shares with points as utilities, for cumulative and scoring ballots.

Semantics of pabutools 1.2.3 ``method_of_equal_shares(sat_class=Additive_Cardinal_Sat)``: a voter's
utility for a project is the points they gave it; every ballot (empty ones too) holds ``budget / n``; a
project's price factor rho is the smallest with ``sum_i min(budget_i, rho * points_i) = cost``; each round
buys the affordable project with the smallest rho (ties: project id as a string) and its supporters pay
``min(budget_i, rho * points_i)``. Zero-cost projects with points are taken up front (their satisfaction is
positive). Computed exactly (``Fraction``) on merged identical ballots: cumulative files are small next to
approval ones, and exactness needs no tie analysis.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from observatory.pb.model import Election
from observatory.pb.rules.base import RuleNotApplicable

POINT_TYPES = ("cumulative", "scoring")


def _groups(election: Election) -> tuple[list[int], dict[int, list[tuple[int, Fraction]]], int]:
    """Weights of identical ballots and, per project, its (group, points > 0) supporters."""
    b = election.require_ballots("mes-points")
    if election.vote_type not in POINT_TYPES or b.points is None:
        raise RuleNotApplicable(f"mes-points needs cumulative or scoring ballots, not {election.vote_type}")
    counts: dict[tuple, int] = defaultdict(int)
    for v in range(b.n_voters):
        lo, hi = int(b.indptr[v]), int(b.indptr[v + 1])
        pts: dict[int, Fraction] = defaultdict(Fraction)
        for k in range(lo, hi):
            pts[int(b.indices[k])] += Fraction(str(b.points[k]))
        key = tuple(sorted((p, u) for p, u in pts.items() if u > 0))
        if key:
            counts[key] += 1
    weights: list[int] = []
    supporters: dict[int, list[tuple[int, Fraction]]] = defaultdict(list)
    for g, (key, w) in enumerate(counts.items()):
        weights.append(w)
        for p, u in key:
            supporters[p].append((g, u))
    return weights, supporters, b.n_voters


def mes_points(election: Election) -> list[int]:
    weights, supporters, n = _groups(election)
    if n == 0:
        return []
    rank = election.lexico_rank
    free = sorted((p for p in supporters if election.costs[p] == 0), key=lambda p: rank[p])
    remaining = sorted((p for p in supporters if election.costs[p] > 0), key=lambda p: rank[p])
    budget = [election.budget / n] * len(weights)
    selected = list(free)
    while remaining:
        best: Fraction | None = None
        best_p = -1
        for p in list(remaining):
            cost = election.costs[p]
            sup = supporters[p]
            if sum(weights[g] * budget[g] for g, _ in sup) < cost:
                remaining.remove(p)  # budgets only fall: unaffordable for good
                continue
            rho = _price_factor(sup, weights, budget, cost)
            if best is None or rho < best:
                best, best_p = rho, p
        if best is None:
            break
        for g, u in supporters[best_p]:
            budget[g] -= min(budget[g], best * u)
        remaining.remove(best_p)
        selected.append(best_p)
    return selected


def _price_factor(sup: list[tuple[int, Fraction]], weights: list[int], budget: list[Fraction],
                  cost: Fraction) -> Fraction:
    """Smallest rho with sum_g w_g min(budget_g, rho u_g) = cost: the poorest per point pay all they have."""
    order = sorted(sup, key=lambda gu: budget[gu[0]] / gu[1])
    paid = Fraction(0)
    denom = sum((weights[g] * u for g, u in order), Fraction(0))
    for g, u in order:
        rho = (cost - paid) / denom
        if rho * u <= budget[g]:
            return rho
        paid += weights[g] * budget[g]
        denom -= weights[g] * u
    raise AssertionError("affordable project without a price factor")
