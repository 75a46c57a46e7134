"""Method of Equal Shares with cost utilities, its add1 completion and the greedy completion.

Semantics follow pabutools 1.2.3 ``method_of_equal_shares(sat_class=Cost_Sat)``: every ballot
(empty ones included) gets ``budget / n``; each round buys the affordable project with the smallest
price factor rho (ties: project id string); supporters pay ``min(budget, rho * cost)``; zero-cost
supported projects are taken up front. ``voter_budget_increment=1`` re-runs with one more unit per
voter until the outcome overspends (keep the previous one) or is exhaustive.

Speed: voters with identical ballots are merged; a round only evaluates projects whose stale
(lower-bound) rho can still win, each with one sort of its supporters' budgets. Exactness: the
float run flags any near-tie (relative gap below ``NEAR_TIE``) that it cannot settle exactly and
the whole run is then repeated in ``Fraction`` arithmetic. ``mes-add1`` skips the unit steps that
provably repeat the last outcome (``_Interval``) instead of re-running MES at each of them.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from fractions import Fraction

import numpy as np

from observatory.pb.model import ApprovalGroups, Election
from observatory.pb.rules.base import NEAR_TIE, total_cost
from observatory.pb.rules.greedy import greedy_fill

MAX_PAUSE = 8  # most unit steps run without a proof attempt after proofs kept failing


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


def _mes_float(election: Election, groups: ApprovalGroups, eligible: list[int], b_exact: Fraction) -> list[int]:
    """One MES run in float64; raises ``_Ambiguous`` when a near-tie needs exact settling."""
    sup = groups.project_supporters
    w = groups.weights.astype(np.float64)
    b = float(b_exact)
    budget = np.full(len(w), b)
    cost = election.cost_array
    rank = election.lexico_rank
    # heap of (stale rho, lexico rank, project)
    inv = (1.0 / election.approval_counts[eligible].astype(np.float64)).tolist()
    heap = list(zip(inv, rank[eligible].tolist(), eligible, strict=True))
    heapq.heapify(heap)
    selected: list[int] = []
    while heap:
        best = np.inf
        evaluated: list[tuple] = []  # rho, rank, p, pi, pristine, k, order, weight holding money
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
            # the capped supporters hold nothing and the others clearly more than pi: rho is exactly
            # 1 / (approvers holding money), an integer count
            pristine = (k == 0 or sb[k - 1] == 0.0) and sb[k] >= pi * (1 + NEAR_TIE)
            evaluated.append((rho, r, p, pi, pristine, k, order, float(sw[k:].sum())))
            popped.append((rho, r, p))
            best = min(best, rho)
        if not evaluated:
            break
        near = [e for e in evaluated if e[0] <= best * (1 + NEAR_TIE)]
        if len(near) > 1:
            if all(e[4] for e in near):
                # rho = 1 / (approvers holding money) exactly -> most of them, then id
                near.sort(key=lambda e: (-e[7], e[1]))
            elif _same_tie_class(election, sup, near):
                near.sort(key=lambda e: e[1])
            else:
                raise _Ambiguous
        _, _, p, pi, _, k, order, _ = near[0]
        for item in popped:
            if item[2] != p:
                heapq.heappush(heap, item)
        s = sup[p]
        bud = budget[s]
        if (np.abs(bud - pi) <= pi * NEAR_TIE).any():
            raise _Ambiguous  # who is capped is uncertain: exact zeros must stay exact
        poor = np.zeros(len(s), dtype=bool)
        poor[order[:k]] = True
        budget[s] = np.where(poor, 0.0, bud - pi)
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
    """Float run, or the exact one when the float run meets an unsettled near-tie."""
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


def _price(bud: np.ndarray, ws: np.ndarray, c: float) -> float:
    """Per-supporter payment ``pi`` with ``sum w * min(bud, pi) = c`` (supporters can afford ``c``)."""
    order = np.argsort(bud, kind="stable")
    sb, sw = bud[order], ws[order]
    paid_before = np.concatenate(([0.0], np.cumsum(sw * sb)[:-1]))
    w_rem = sw.sum() - np.concatenate(([0.0], np.cumsum(sw)[:-1]))
    pis = (c - paid_before) / w_rem
    return float(pis[int(np.argmax(pis <= sb))]) if (pis <= sb).any() else float(pis[-1])


class _Interval:
    """Proves that one MES outcome holds for every per-voter budget in ``[b, b + m]``.

    With the selection sequence fixed, every voter budget at every round is non-decreasing in ``b``
    (the winner's price can only fall when its supporters hold more), so every price factor rho is
    non-increasing. Hence the sequence found at ``b`` is also the outcome at each ``b' <= b + m`` when,
    at ``b + m`` and round by round, no other open project is affordable at the winner's rho *at b*
    (an upper bound of its rho at ``b'``), and no open project is affordable after the last round.
    Exact ties are settled by the same cases as the MES run: a pristine winner (rho = 1 / approvers)
    beats projects with fewer approvers or equal approvers and a later id, and a project with the same
    cost and supporters and a later id always loses. Every other check keeps a clear float margin, so
    a failed proof only costs speed (the caller then runs MES at ``b + 1``), never a selection.
    """

    MARGIN = 1e-9

    def __init__(self, election: Election, groups: ApprovalGroups, eligible: list[int]) -> None:
        sup = groups.project_supporters
        self.sup = sup
        self.w = groups.weights.astype(np.float64)
        self.cost = election.cost_array
        self.costs = election.costs
        self.rank = election.lexico_rank
        self.approvers = election.approval_counts
        self.n = election.n_projects
        self.eligible = np.zeros(self.n, dtype=bool)
        self.eligible[eligible] = True
        self.ent_group = np.concatenate([sup[p] for p in eligible]) if eligible else np.zeros(0, np.int64)
        self.ent_proj = (np.concatenate([np.full(len(sup[p]), p) for p in eligible]) if eligible
                         else np.zeros(0, np.int64))
        self.w_e = self.w[self.ent_group]
        self.slack = self.MARGIN * float(sum(self.costs))  # float error on sums of budgets
        classes: dict[tuple, int] = {}  # (cost, supporters) -> first project; unsupported ones never compete
        self.tie_class = np.array([classes.setdefault((self.costs[p], sup[p].tobytes()) if p < len(sup)
                                                      else (None, p), p) for p in range(self.n)], dtype=np.int64)

    def _rounds(self, seq: list[int], b: float) -> Iterator[tuple[int, np.ndarray]]:
        """Budgets before each round of ``seq`` at per-voter budget ``b`` (the array is updated in place)."""
        budget = np.full(len(self.w), b)
        for s in seq:
            yield s, budget
            g = self.sup[s]
            bud = budget[g]
            pi = _price(bud, self.w[g], self.cost[s])
            budget[g] = np.maximum(bud - pi, 0.0)
        yield -1, budget

    def thresholds(self, seq: list[int], b: float) -> Iterator[tuple[float, bool]]:
        """Per round, an upper bound of the winner's rho at ``b`` and whether it is pristine (1/approvers)."""
        for s, budget in self._rounds(seq, b):
            if s < 0:
                return
            g = self.sup[s]
            bud = budget[g]
            c = self.cost[s]
            share = c / float(self.w[g].sum())
            if float(bud.min()) >= share * (1 + self.MARGIN):
                yield 1.0 / float(self.approvers[s]), True
            else:
                yield _price(bud, self.w[g], c) / c * (1 + self.MARGIN), False


    def holds(self, seq: list[int], thresholds: _Lazy, b_high: float) -> bool:
        """True when ``seq`` is provably the MES outcome for every budget in ``[b, b_high]``."""
        open_ = self.eligible.copy()
        for t, (s, budget) in enumerate(self._rounds(seq, b_high)):
            if s < 0:
                total = np.bincount(self.ent_proj, self.w_e * budget[self.ent_group], minlength=self.n)
                return not (open_ & (total >= self.cost * (1 - self.MARGIN) - self.slack)).any()
            rho, pristine = thresholds[t]
            open_[s] = False
            check = open_.copy()
            # same cost and supporters, later id: tied with the winner forever, always loses the tie
            check &= ~((self.tie_class == self.tie_class[s]) & (self.rank > self.rank[s]))
            # rho_q >= 1 / approvers_q at any budget: projects with few approvers cannot win
            check &= self.approvers * rho >= 1 - self.MARGIN
            if pristine:
                a = self.approvers[s]
                check &= ~((self.approvers < a) | ((self.approvers == a) & (self.rank > self.rank[s])))
            if not check.any():
                continue
            sel = check[self.ent_proj]
            grp, proj = self.ent_group[sel], self.ent_proj[sel]
            cap = rho * self.cost[proj]
            held = np.bincount(proj, self.w_e[sel] * np.minimum(budget[grp], cap), minlength=self.n)
            if (check & (held >= self.cost * (1 - self.MARGIN) - self.slack)).any():
                return False
        return True


class _Lazy:
    """A generator's items computed on first use and kept (a failed proof rarely needs them all)."""

    def __init__(self, items: Iterator[tuple[float, bool]]) -> None:
        self.items = items
        self.done: list[tuple[float, bool]] = []

    def __getitem__(self, t: int) -> tuple[float, bool]:
        while len(self.done) <= t:
            self.done.append(next(self.items))
        return self.done[t]


def _exhaustive(election: Election, outcome: list[int], available: list[int]) -> bool:
    spent = total_cost(election, outcome)
    chosen = set(outcome)
    return not any(p not in chosen and spent + election.costs[p] <= election.budget for p in available)


def mes_add1(election: Election) -> list[int]:
    """MES whose per-voter budget rises by one currency unit until the outcome would overspend.

    ADD-OPT style: after each MES run, the largest whole number of extra units ``m`` for which the
    outcome provably stays the same is found by galloping (``_Interval.holds``); the budgets in between
    are skipped, since they would repeat this outcome and its overspend/exhaustive verdict.
    """
    election.require_ballots("mes-add1")
    if "mes-add1" not in election.rule_cache:
        election.rule_cache["mes-add1"] = _mes_add1(election)
    return list(election.rule_cache["mes-add1"])


def _mes_add1(election: Election) -> list[int]:
    groups, eligible, free = _setup(election)
    if groups.n_ballots == 0:
        return []
    interval = _Interval(election, groups, eligible)
    b = election.budget / groups.n_ballots
    previous = list(free)
    guess, wait, pause = 1, 0, 0
    while True:
        chosen = _run(election, groups, eligible, b)
        outcome = free + chosen
        if total_cost(election, outcome) > election.budget:
            return previous
        if _exhaustive(election, outcome, eligible):
            return outcome
        skip = 0
        if wait > 0:
            wait -= 1  # the outcome kept changing at every unit lately: proofs would fail, save them
        else:
            skip = _skippable(interval, chosen, float(b), guess)
            pause = 0 if skip else min(2 * pause or 1, MAX_PAUSE)
            wait = pause
        b += 1 + skip
        guess = max(1, skip)
        previous = outcome


def _skippable(interval: _Interval, chosen: list[int], b: float, guess: int) -> int:
    """Largest ``m`` found (galloping from ``guess``) such that the outcome is the same on ``[b, b + m]``."""
    thresholds = _Lazy(interval.thresholds(chosen, b))
    if not interval.holds(chosen, thresholds, b + guess):
        lo, hi = 0, guess
    else:
        lo, hi = guess, 0
        while True:
            step = lo * 2
            if step > 1 << 40:
                return lo
            if interval.holds(chosen, thresholds, b + step):
                lo = step
            else:
                hi = step
                break
    while hi - lo > max(1, lo // 4):  # bisect until close enough that another MES run costs less
        mid = (lo + hi) // 2
        if interval.holds(chosen, thresholds, b + mid):
            lo = mid
        else:
            hi = mid
    return lo


def mes_add1_greedy(election: Election) -> list[int]:
    """``mes-add1`` completed by greedy-by-approvals on the leftover budget."""
    return greedy_fill(election, election.approval_counts, initial=mes_add1(election))
