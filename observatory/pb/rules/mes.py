"""Method of Equal Shares with cost utilities, its add1 completion and the greedy completion.

Semantics follow pabutools 1.2.3 ``method_of_equal_shares(sat_class=Cost_Sat)``: every ballot
(empty ones included) gets ``budget / n``; each round buys the affordable project with the smallest
price factor rho (ties: project id string); supporters pay ``min(budget, rho * cost)``. A zero-cost
project brings cost satisfaction 0 to everyone, so under ``Cost_Sat`` it has no supporters and MES
never buys it (pabutools the same); ``mes-add1-greedy``'s greedy completion takes it (it always fits).
``voter_budget_increment=1`` re-runs with one more unit per voter until the outcome overspends (keep the
previous one) or is exhaustive.

Speed: voters with identical ballots are merged; a round only evaluates projects whose stale
(lower-bound) rho can still win, each priced by Newton's method on its supporters' budgets
(``mes_change.price``). Exactness: the
float run flags any near-tie (relative gap below ``NEAR_TIE``) that it cannot settle exactly and
the whole run is then repeated in ``Fraction`` arithmetic. ``mes-add1`` skips the unit steps that
provably repeat the last outcome (``mes_change.ChangeFinder``) instead of re-running MES at each of them.
"""

from __future__ import annotations

import heapq
import math
from fractions import Fraction

import numpy as np

from observatory.pb.model import ApprovalGroups, Election
from observatory.pb.rules.base import NEAR_TIE, total_cost
from observatory.pb.rules.greedy import greedy_fill
from observatory.pb.rules.mes_change import MARGIN, ChangeFinder, Replay, price

MAX_PAUSE = 16  # most steps run without a proof attempt after proofs kept finding no step to skip


class _Ambiguous(Exception):
    """The float run met a near-tie it cannot settle; the caller reruns exactly."""


def _setup(election: Election) -> tuple[ApprovalGroups, list[int], list[int]]:
    """Groups, projects MES can buy (supported, cost > 0) and zero-cost supported ones.

    The zero-cost ones are returned for callers that report them; MES itself does not buy them: their
    cost satisfaction is 0 (docs/pb.md, "Zero-cost projects")."""
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


def _mes_float(election: Election, groups: ApprovalGroups, eligible: list[int], b_exact: Fraction,
               trace: Replay | None = None) -> list[int]:
    """One MES run in float64; raises ``_Ambiguous`` when a near-tie needs exact settling.

    ``trace`` receives each winner's price as :meth:`ChangeFinder.replay` would record it, so the
    search for the next change does not have to replay this run.
    """
    sup = groups.project_supporters
    wsup = groups.supporter_weights
    b = float(b_exact)
    budget = np.full(len(groups.weights), b)
    cost = election.cost_array
    rank = election.lexico_rank
    approvers = election.approval_counts
    # heap of (stale rho, lexico rank, project)
    inv = (1.0 / approvers[eligible].astype(np.float64)).tolist()
    heap = list(zip(inv, rank[eligible].tolist(), eligible, strict=True))
    heapq.heapify(heap)
    selected: list[int] = []
    while heap:
        best = np.inf
        evaluated: list[tuple] = []  # rho, rank, p, pi, nobody capped
        popped = []
        while heap and heap[0][0] <= best * (1 + NEAR_TIE):
            stale, r, p = heapq.heappop(heap)
            bud = budget[sup[p]]
            ws = wsup[p]
            c = cost[p]
            avail = float(ws @ bud)
            if avail < c * (1 - NEAR_TIE):
                continue  # unaffordable now, and budgets only fall: drop for good
            if avail < c * (1 + NEAR_TIE):
                raise _Ambiguous
            pi = c / float(approvers[p])
            nobody_capped = float(bud.min()) >= pi * (1 + NEAR_TIE)  # then everyone pays the equal share
            if not nobody_capped:
                pi = price(bud, ws, c)
            rho = pi / c
            evaluated.append((rho, r, p, pi, nobody_capped))
            popped.append((rho, r, p))
            best = min(best, rho)
        if not evaluated:
            break
        near = [e for e in evaluated if e[0] <= best * (1 + NEAR_TIE)]
        if len(near) > 1:
            ties = {e[2]: _tie_facts(budget[sup[e[2]]], wsup[e[2]], e[3], e[4]) for e in near}
            if all(ties[e[2]][0] for e in near):
                # rho = 1 / (approvers holding money) exactly -> most of them, then id
                near.sort(key=lambda e: (-ties[e[2]][1], e[1]))
            elif _same_tie_class(election, sup, near):
                near.sort(key=lambda e: e[1])
            else:
                raise _Ambiguous
        _, _, p, pi, nobody_capped = near[0]
        for item in popped:
            if item[2] != p:
                heapq.heappush(heap, item)
        s = sup[p]
        bud = budget[s]
        if (np.abs(bud - pi) <= pi * NEAR_TIE).any():
            raise _Ambiguous  # who is capped is uncertain: exact zeros must stay exact
        budget[s] = bud - pi if nobody_capped else np.where(bud * (1 + 1e-12) < pi, 0.0, bud - pi)
        selected.append(p)
        if trace is not None:
            trace.paid.append(pi)
            trace.pristine.append(nobody_capped)
            trace.rho.append(1.0 / float(approvers[p]) if nobody_capped else pi / float(cost[p]) * (1 + MARGIN))
    return selected


def _tie_facts(bud: np.ndarray, ws: np.ndarray, pi: float, nobody_capped: bool) -> tuple[bool, float]:
    """Whether a near-tied candidate's rho is exactly 1 / (approvers holding money), and their weight.

    True when the capped supporters hold nothing and the others clearly more than ``pi``; computed only
    for candidates in a near-tie, since most rounds have none.
    """
    if nobody_capped:
        return True, float(ws.sum())
    capped = bud * (1 + 1e-12) < pi
    paying = ~capped
    return (not bud[capped].any() and float(bud[paying].min()) >= pi * (1 + NEAR_TIE)), float(ws[paying].sum())


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
         trace: Replay | None = None) -> list[int]:
    """Float run, or the exact one when the float run meets an unsettled near-tie (``trace`` then
    stays empty)."""
    try:
        return _mes_float(election, groups, eligible, b, trace)
    except _Ambiguous:
        if trace is not None:
            trace.rho.clear()
            trace.pristine.clear()
            trace.paid.clear()
        return _mes_exact(election, groups, eligible, b)


def mes(election: Election) -> list[int]:
    """MES with cost utilities, no completion."""
    election.require_ballots("mes")
    groups, eligible, _free = _setup(election)
    if groups.n_ballots == 0:
        return []
    return _run(election, groups, eligible, election.budget / groups.n_ballots)


def _exhaustive(election: Election, outcome: list[int], available: list[int]) -> bool:
    spent = total_cost(election, outcome)
    chosen = set(outcome)
    return not any(p not in chosen and spent + election.costs[p] <= election.budget for p in available)


class _Verdicts:
    """Whether an outcome overspends or is exhaustive, in integers (costs and budget times their common
    denominator): the verdicts of ``total_cost`` and ``_exhaustive`` in ``Fraction``, at a fraction of
    the cost when they are asked at every one of hundreds of steps."""

    def __init__(self, election: Election, available: list[int]) -> None:
        den = math.lcm(election.budget.denominator, *(c.denominator for c in election.costs))
        self.cost = [int(c * den) for c in election.costs]
        self.budget = int(election.budget * den)
        self.available = available

    def spent(self, outcome: list[int]) -> int:
        return sum(self.cost[p] for p in outcome)

    def exhaustive(self, outcome: list[int]) -> bool:
        room = self.budget - self.spent(outcome)
        chosen = set(outcome)
        return not any(p not in chosen and self.cost[p] <= room for p in self.available)


def mes_add1(election: Election) -> list[int]:
    """MES whose per-voter budget rises by one currency unit until the outcome would overspend.

    After each MES run, :class:`ChangeFinder` proves over how many whole steps the outcome stays the
    same; those steps are skipped, since they would repeat this outcome and its overspend/exhaustive
    verdict (in the spirit of ADD-OPT, Kraiczy, Robinson and Elkind, arXiv 2502.11797).
    """
    election.require_ballots("mes-add1")
    if "mes-add1" not in election.rule_cache:
        election.rule_cache["mes-add1"] = _mes_add1(election)
    return list(election.rule_cache["mes-add1"])


def _mes_add1(election: Election) -> list[int]:
    groups, eligible, _free = _setup(election)
    if groups.n_ballots == 0:
        return []
    finder = ChangeFinder(election, groups, eligible)
    verdicts = _Verdicts(election, eligible)
    b = election.budget / groups.n_ballots
    previous: list[int] = []
    trace = Replay()
    chosen = _run_compiled(finder, election, groups, eligible, b, trace)
    step, pause, backoff = 1, 0, 0
    while True:
        outcome = chosen
        if verdicts.spent(outcome) > verdicts.budget:
            return previous
        if verdicts.exhaustive(outcome):
            return outcome
        previous = outcome
        proven = 0  # first winners of this sequence proven to be MES's first winners at the next b
        if pause:
            # the outcome changed at every step lately: proofs would fail, MES at the next step is cheaper
            pause, step = pause - 1, 1
        else:
            # the outcome at b + 1 ... b + step - 1 is provably this one, with the same verdicts
            step = finder.first_change(chosen, b, step, trace if len(trace.rho) == len(chosen) else None)
            proven = finder.proven_rounds
            backoff = 0 if step > 1 else min(2 * backoff or 1, MAX_PAUSE)
            pause = backoff
        b += step
        trace = Replay()
        chosen = _run_compiled(finder, election, groups, eligible, b, trace, chosen[:proven])


def _run_compiled(finder: ChangeFinder, election: Election, groups: ApprovalGroups, eligible: list[int], b: Fraction,
                  trace: Replay, prefix: list[int] | None = None) -> list[int]:
    """The compiled MES run (after the proven ``prefix``), or the Python one (float, then exact) when the
    kernel meets a near-tie."""
    chosen = finder.mes_run(b, trace, prefix)
    if chosen is None:
        trace.rho.clear()
        trace.pristine.clear()
        trace.paid.clear()
        return _run(election, groups, eligible, b, trace)
    return chosen


def mes_add1_greedy(election: Election) -> list[int]:
    """``mes-add1`` completed by greedy-by-approvals on the leftover budget."""
    return greedy_fill(election, election.approval_counts, initial=mes_add1(election))
