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
import math
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


def _same_tie_class(election: Election, sup: list[np.ndarray], near: list[tuple]) -> bool:
    """True when all near-tied candidates have equal cost and the same supporters: an exact tie."""
    p0 = near[0][2]
    return all(election.costs[e[2]] == election.costs[p0] and np.array_equal(sup[e[2]], sup[p0])
               for e in near[1:])


class _Tracker:
    """How far the per-voter budget may rise before the outcome of this run can change.

    Within a region where every poor/rich split is unchanged, each voter budget and each payment is
    linear in the per-voter budget ``b``; a competitor ``q`` loses to the winner ``s`` of a round while
    ``g_q = sum_i w_i min(budget_i, rho_s * cost_q) - cost_q < 0``, a concave function of ``b`` there,
    so its tangent bounds it from above. The smallest step at which any of these conditions could
    flip is a safe jump for the add1 loop (which then runs MES again at the boundary).
    """

    def __init__(self, election: Election, groups: ApprovalGroups, eligible: list[int]) -> None:
        sup = groups.project_supporters
        self.eligible = np.asarray(eligible, dtype=np.int64)
        self.ent_group = np.concatenate([sup[p] for p in eligible]) if eligible else np.zeros(0, np.int64)
        self.ent_proj = np.concatenate([np.full(len(sup[p]), p) for p in eligible]) if eligible else \
            np.zeros(0, np.int64)
        self.w_e = groups.weights[self.ent_group].astype(np.float64)
        self.cost = election.cost_array
        self.rank = election.lexico_rank
        self.n = election.n_projects
        self.delta = np.inf

    def limit(self, value: float) -> None:
        self.delta = min(self.delta, value)

    def structure(self, bud: np.ndarray, slope: np.ndarray, poor: np.ndarray, pi: float, dpi: float) -> None:
        gap = bud - pi  # < 0 for poor, >= 0 for rich; must keep its sign
        rate = slope - dpi
        bad_poor = poor & (rate > 0)
        bad_rich = ~poor & (rate < 0)
        if bad_poor.any():
            self.limit(float(np.min(-gap[bad_poor] / rate[bad_poor])))
        if bad_rich.any():
            self.limit(float(np.min(gap[bad_rich] / -rate[bad_rich])))

    def selection(self, budget: np.ndarray, slope: np.ndarray, s: int, rho: float, drho: float,
                  open_projects: np.ndarray, approvers: np.ndarray, s_all_rich: bool,
                  twins: list[int]) -> None:
        check = open_projects.copy()
        check[s] = False
        check[twins] = False  # same supporters and cost, later id: tied forever, always loses the tie
        # g_q <= cost_q * (rho_s * W_q - 1) at every b: far-off projects need no detailed check while
        # rho_s does not rise enough to reach them
        loose = approvers * rho < 1 - 1e-6
        if drho > 0 and (check & loose).any():
            lq = check & loose
            self.limit(float(np.min((1 - 1e-6 - approvers[lq] * rho) / (approvers[lq] * drho))))
        check &= ~loose
        if s_all_rich:
            # rho_s = 1/W_s exactly while s stays uncapped, and g_q <= cost_q * (W_q / W_s - 1)
            w_s = approvers[s]
            check &= ~((approvers < w_s) | ((approvers == w_s) & (self.rank > self.rank[s])))
        if not check.any():
            return
        sel = check[self.ent_proj]
        grp, proj, w_e = self.ent_group[sel], self.ent_proj[sel], self.w_e[sel]
        bud_e = budget[grp]
        cost_e = self.cost[proj]
        cap = rho * cost_e
        under = bud_e < cap
        val = np.where(under, bud_e, cap)
        slope_e = slope[grp]
        der = np.where(under, slope_e, drho * cost_e)
        near = np.abs(bud_e - cap) <= 1e-12 * np.maximum(cap, 1.0)
        der = np.where(near, np.maximum(slope_e, drho * cost_e), der)
        g = np.bincount(proj, w_e * val, minlength=self.n) - self.cost
        dg = np.bincount(proj, w_e * der, minlength=self.n)
        margin = -g - 1e-9 * self.cost
        if (check & (margin <= 0)).any():
            self.limit(0.0)
            return
        rising = check & (dg > 0)
        if rising.any():
            self.limit(float(np.min(margin[rising] / dg[rising])))

    def unaffordable(self, budget: np.ndarray, slope: np.ndarray, open_projects: np.ndarray) -> None:
        total = np.bincount(self.ent_proj, self.w_e * budget[self.ent_group], minlength=self.n)
        dtotal = np.bincount(self.ent_proj, self.w_e * slope[self.ent_group], minlength=self.n)
        margin = self.cost * (1 - 1e-9) - total
        if (open_projects & (margin <= 0)).any():
            self.limit(0.0)
            return
        rising = open_projects & (dtotal > 0)
        if rising.any():
            self.limit(float(np.min(margin[rising] / dtotal[rising])))


def _mes_float(election: Election, groups: ApprovalGroups, eligible: list[int], b_exact: Fraction,
               track: bool = False) -> tuple[list[int], float]:
    """One MES run in float64; raises ``_Ambiguous`` when a near-tie needs exact settling.

    With ``track``, also returns how far ``b`` may safely rise with the same outcome (else 0).
    """
    sup = groups.project_supporters
    w = groups.weights.astype(np.float64)
    wi = groups.weights
    b = float(b_exact)
    budget = np.full(len(w), b)
    slope = np.ones(len(w))
    cost = election.cost_array
    rank = election.lexico_rank
    tracker = _Tracker(election, groups, eligible) if track else None
    open_projects = np.zeros(election.n_projects, dtype=bool)
    open_projects[eligible] = True
    # heap of (stale rho, lexico rank, project)
    heap = [(1.0 / float(wi[sup[p]].sum()), int(rank[p]), p) for p in eligible]
    heapq.heapify(heap)
    selected: list[int] = []
    while heap:
        best = np.inf
        evaluated: list[tuple] = []  # rho, rank, p, pi, pristine, k, order
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
            # nobody capped (with a clear margin): rho is exactly 1 / approvers
            pristine = k == 0 and sb[0] >= pi * (1 + NEAR_TIE)
            evaluated.append((rho, r, p, pi, pristine, k, order))
            popped.append((rho, r, p))
            best = min(best, rho)
        if not evaluated:
            break
        near = [e for e in evaluated if e[0] <= best * (1 + NEAR_TIE)]
        if len(near) > 1:
            if all(e[4] for e in near):
                # nobody capped in any: rho = 1 / (approvers) exactly -> most approvers, then id
                near.sort(key=lambda e: (-int(wi[sup[e[2]]].sum()), e[1]))
            elif _same_tie_class(election, sup, near):
                near.sort(key=lambda e: e[1])
            else:
                raise _Ambiguous
        rho, r, p, pi, all_rich, k, order = near[0]
        for item in popped:
            if item[2] != p:
                heapq.heappush(heap, item)
        s = sup[p]
        bud = budget[s]
        poor = np.zeros(len(s), dtype=bool)
        poor[order[:k]] = True
        if tracker is not None:
            d = slope[s]
            w_rich = float(w[s][~poor].sum())
            dpi = -float(w[s][poor] @ d[poor]) / w_rich
            tracker.structure(bud, d, poor, pi, dpi)
            twins = [q for q in np.flatnonzero(open_projects) if q != p and rank[q] > rank[p]
                     and election.costs[q] == election.costs[p] and len(sup[q]) == len(s)
                     and np.array_equal(sup[q], s)]
            tracker.selection(budget, slope, p, rho, dpi / cost[p], open_projects,
                              election.approval_counts, all_rich, twins)
            slope[s] = np.where(poor, 0.0, d - dpi)
        budget[s] = np.where(poor, 0.0, bud - pi)
        open_projects[p] = False
        selected.append(p)
    if tracker is not None:
        tracker.unaffordable(budget, slope, open_projects)
        return selected, tracker.delta
    return selected, 0.0


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


def _run(election: Election, groups: ApprovalGroups, eligible: list[int], b: Fraction,
         track: bool = False) -> tuple[list[int], float]:
    """Float run, or the exact one when the float run meets an unsettled near-tie (then no jump)."""
    try:
        return _mes_float(election, groups, eligible, b, track)
    except _Ambiguous:
        return _mes_exact(election, groups, eligible, b), 0.0


def mes(election: Election) -> list[int]:
    """MES with cost utilities, no completion."""
    election.require_ballots("mes")
    groups, eligible, free = _setup(election)
    if groups.n_ballots == 0:
        return []
    return free + _run(election, groups, eligible, election.budget / groups.n_ballots)[0]


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
        chosen, safe = _run(election, groups, eligible, b, track=True)
        outcome = free + chosen
        if total_cost(election, outcome) > election.budget:
            return previous
        if _exhaustive(election, outcome, eligible):
            return outcome
        # every budget b + j with j < safe gives this same outcome: jump to the first one that may not
        safe *= 1 - 1e-7
        b += max(1, math.ceil(safe)) if math.isfinite(safe) else 1
        previous = outcome


def mes_add1_greedy(election: Election) -> list[int]:
    """``mes-add1`` completed by greedy-by-approvals on the leftover budget."""
    return greedy_fill(election, election.approval_counts, initial=mes_add1(election))
