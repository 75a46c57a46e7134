"""Method of Equal Shares with cost utilities, its add1 completion and the greedy completion.

Semantics follow pabutools 1.2.3 ``method_of_equal_shares(sat_class=Cost_Sat)``: every ballot
(empty ones included) gets ``budget / n``; each round buys the affordable project with the smallest
price factor rho (ties: project id string); supporters pay ``min(budget, rho * cost)``; zero-cost
supported projects are taken up front. ``voter_budget_increment=1`` re-runs with one more unit per
voter until the outcome overspends (keep the previous one) or is exhaustive.

Speed: voters with identical ballots are merged; a round only evaluates projects whose stale
(lower-bound) rho can still win, each with one sort of its supporters' budgets. Exactness: the
float run flags any near-tie (relative gap below ``NEAR_TIE``) that it cannot settle exactly and
the whole run is then repeated in ``Fraction`` arithmetic.
"""

from __future__ import annotations

import heapq
from fractions import Fraction

import numpy as np

from observatory.pb.model import ApprovalGroups, Election
from observatory.pb.rules.base import NEAR_TIE, total_cost
from observatory.pb.rules.greedy import greedy_fill


class _Ambiguous(Exception):
    """The float run met a near-tie it cannot settle; the caller reruns exactly."""


def _setup(election: Election) -> tuple[ApprovalGroups, list[int], list[int]]:
    """Groups, projects MES can buy (supported, cost > 0) and zero-cost supported ones (taken first)."""
    groups = election.approval_groups
    counts = election.approval_counts
    eligible = [p for p in range(election.n_projects) if counts[p] > 0 and election.costs[p] > 0]
    free = [p for p in range(election.n_projects) if counts[p] > 0 and election.costs[p] == 0]
    return groups, eligible, free


def _mes_float(election: Election, groups: ApprovalGroups, eligible: list[int], b_exact: Fraction) -> list[int]:
    """One MES run in float64; raises ``_Ambiguous`` when a near-tie needs exact settling."""
    sup = groups.project_supporters
    w = groups.weights.astype(np.float64)
    wi = groups.weights
    b = float(b_exact)
    budget = np.full(len(w), b)
    touched = np.zeros(len(w), dtype=bool)
    cost = election.cost_array
    rank = election.lexico_rank
    # heap of (stale rho, lexico rank, project)
    heap = [(1.0 / float(wi[sup[p]].sum()), int(rank[p]), p) for p in eligible]
    heapq.heapify(heap)
    selected: list[int] = []
    while heap:
        best = np.inf
        evaluated: list[tuple[float, int, int, float, bool]] = []  # rho, rank, p, pi, pristine
        popped = []
        while heap and heap[0][0] <= best * (1 + NEAR_TIE):
            stale, r, p = heapq.heappop(heap)
            s = sup[p]
            bud = budget[s]
            ws = w[s]
            c = cost[p]
            avail = float(ws @ bud)
            if avail < c * (1 - NEAR_TIE):
                continue  # unaffordable now, and budgets only fall: drop for good
            if avail < c * (1 + NEAR_TIE):
                raise _Ambiguous
            order = np.argsort(bud, kind="stable")
            sb, sw = bud[order], ws[order]
            paid_before = np.concatenate(([0.0], np.cumsum(sw * sb)[:-1]))
            w_rem = sw.sum() - np.concatenate(([0.0], np.cumsum(sw)[:-1]))
            pis = (c - paid_before) / w_rem
            k = int(np.argmax(pis <= sb * (1 + 1e-12)))
            pi = float(pis[k])
            rho = pi / c
            pristine = k == 0 and not touched[s].any()
            evaluated.append((rho, r, p, pi, pristine))
            popped.append((rho, r, p))
            best = min(best, rho)
        if not evaluated:
            break
        near = [e for e in evaluated if e[0] <= best * (1 + NEAR_TIE)]
        if len(near) > 1:
            if not all(e[4] for e in near):
                raise _Ambiguous
            # all pristine and all rich: rho = 1 / (approvers) exactly -> most approvers, then id
            near.sort(key=lambda e: (-int(wi[sup[e[2]]].sum()), e[1]))
        rho, r, p, pi, _ = near[0]
        for item in popped:
            if item[2] != p:
                heapq.heappush(heap, item)
        s = sup[p]
        bud = budget[s]
        budget[s] = np.where(bud <= pi, 0.0, bud - pi)
        touched[s] = True
        selected.append(p)
    return selected


def _mes_exact(election: Election, groups: ApprovalGroups, eligible: list[int], b: Fraction) -> list[int]:
    """The same run in exact arithmetic (pabutools' inner loop over merged ballots)."""
    sup = groups.project_supporters
    wi = [int(x) for x in groups.weights]
    budget = [b] * len(wi)
    rank = election.lexico_rank
    remaining = set(eligible)
    selected: list[int] = []
    while remaining:
        best: Fraction | None = None
        best_p = -1
        for p in sorted(remaining, key=lambda q: rank[q]):
            c = election.costs[p]
            s = [int(g) for g in sup[p]]
            if sum(wi[g] * budget[g] for g in s) < c:
                remaining.discard(p)
                continue
            s.sort(key=lambda g: budget[g])
            paid, w_rem = Fraction(0), sum(wi[g] for g in s)
            for g in s:
                pi = (c - paid) / w_rem
                if pi <= budget[g]:
                    rho = pi / c
                    if best is None or rho < best:
                        best, best_p = rho, p
                    break
                paid += wi[g] * budget[g]
                w_rem -= wi[g]
        if best is None:
            break
        pi = best * election.costs[best_p]
        for g in sup[best_p]:
            budget[g] -= min(budget[g], pi)
        remaining.discard(best_p)
        selected.append(best_p)
    return selected


def _run(election: Election, groups: ApprovalGroups, eligible: list[int], b: Fraction) -> list[int]:
    try:
        return _mes_float(election, groups, eligible, b)
    except _Ambiguous:
        return _mes_exact(election, groups, eligible, b)


def mes(election: Election) -> list[int]:
    """MES with cost utilities, no completion."""
    election.require_ballots("mes")
    groups, eligible, free = _setup(election)
    if groups.n_ballots == 0:
        return []
    return free + _run(election, groups, eligible, election.budget / groups.n_ballots)


def _exhaustive(election: Election, outcome: list[int], available: list[int]) -> bool:
    spent = total_cost(election, outcome)
    chosen = set(outcome)
    return not any(p not in chosen and spent + election.costs[p] <= election.budget for p in available)


def mes_add1(election: Election) -> list[int]:
    """MES whose per-voter budget rises by one currency unit until the outcome would overspend."""
    election.require_ballots("mes-add1")
    groups, eligible, free = _setup(election)
    if groups.n_ballots == 0:
        return []
    b = election.budget / groups.n_ballots
    previous = list(free)
    while True:
        outcome = free + _run(election, groups, eligible, b)
        if total_cost(election, outcome) > election.budget:
            return previous
        if _exhaustive(election, outcome, eligible):
            return outcome
        b += 1
        previous = outcome


def mes_add1_greedy(election: Election) -> list[int]:
    """``mes-add1`` completed by greedy-by-approvals on the leftover budget."""
    return greedy_fill(election, election.approval_counts, initial=mes_add1(election))
