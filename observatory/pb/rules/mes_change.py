"""Where the MES outcome can next change as the per-voter budget grows (the engine of ``mes-add1``).

``mes-add1`` needs the MES outcome at every whole-unit budget ``b, b + 1, b + 2, ...`` until it
overspends; most steps repeat the previous outcome. :class:`ChangeFinder` proves that a selection
sequence stays the MES outcome over runs of steps, so MES is only re-run where it may change.

Why a proof over an interval works. With the sequence fixed, every voter's budget before every round
is non-decreasing in the per-voter budget ``x`` (a supporter pays ``min(budget, price)`` and the price
only falls when supporters hold more), so every winner's price factor rho is non-increasing. On
``[x0, x1]`` a project ``q`` therefore cannot beat round ``t``'s winner when, with the budgets *at x1*
(the largest) and the winner's rho *at x0* (the largest), ``q``'s supporters cannot pay its cost at
that rho; after the last round, no open project may be affordable with the budgets at ``x1``. Exact
ties are settled as in the MES run (a project with the winner's cost and supporters and a later id
always loses; a winner whose supporters all pay the equal share has rho = 1 / approvers exactly, which
beats projects with fewer approvers, or as many and a later id). Every other comparison keeps a
float margin, so a failed proof only costs a re-run of MES, never a wrong selection.

Why it is fast. The bound is loose on long intervals (rho at ``x0`` against budgets at ``x1``), but
only for the few (round, project) pairs that come close: those are re-checked on halves of the
interval, each half needing one replay of the sequence at its midpoint, until every pair is proven
or a whole-unit step where a pair still fails is found (where MES is re-run). A replay costs one
price computation per round; the full check of every pair is done once per interval, pruned by the
running total of each project's supporters' budgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from observatory.pb.model import ApprovalGroups, Election

MARGIN = 1e-9  # relative margin kept by every float comparison of a proof

Pair = tuple[int, int]  # (round, project); round == len(sequence) means "after the last round"


def price(bud: np.ndarray, ws: np.ndarray, c: float, start: float = 0.0) -> float:
    """Per-supporter payment ``pi`` with ``sum w * min(bud, pi) = c`` (supporters can afford ``c``).

    Newton's method on ``g(pi) = sum w * min(bud, pi)``, concave and piecewise linear: started left of
    the root (at the equal share, or at ``start`` when it is known to be a lower bound, such as the same
    price at a larger budget), every step stays left of it and the capped set is right after a few
    steps. About three times faster than sorting the budgets, which remains the fallback.
    """
    pi = max(c / float(ws.sum()), start)
    for _ in range(64):
        held = float(ws @ np.minimum(bud, pi))
        if held >= c:
            return pi
        slope = float(ws @ (bud > pi))
        if slope <= 0:
            break
        nxt = pi + (c - held) / slope
        if nxt <= pi:
            return pi
        pi = nxt
    return price_sorted(bud, ws, c)


def price_sorted(bud: np.ndarray, ws: np.ndarray, c: float) -> float:
    """The same payment from the budgets sorted ascending and prefix sums."""
    order = np.argsort(bud, kind="stable")
    sb, sw = bud[order], ws[order]
    paid_before = np.concatenate(([0.0], np.cumsum(sw * sb)[:-1]))
    w_rem = sw.sum() - np.concatenate(([0.0], np.cumsum(sw)[:-1]))
    pis = (c - paid_before) / w_rem
    fits = pis <= sb
    return float(pis[int(np.argmax(fits))]) if fits.any() else float(pis[-1])


@dataclass
class Replay:
    """A sequence replayed at one per-voter budget: each winner's rho (an upper bound) and whether it is
    pristine (rho = 1 / approvers exactly), plus the pairs that failed the check against the left end of
    an interval, each with its supporters' budgets here (at the right end)."""

    rho: list[float] = field(default_factory=list)
    pristine: list[bool] = field(default_factory=list)
    paid: list[float] = field(default_factory=list)  # each winner's per-supporter payment
    failing: dict[Pair, np.ndarray] = field(default_factory=dict)


class ChangeFinder:
    """Finds, for a sequence that is the MES outcome at ``b``, the first whole-unit step after ``b`` at
    which the outcome is not proven to be the same sequence."""

    def __init__(self, election: Election, groups: ApprovalGroups, eligible: list[int]) -> None:
        self.sup = groups.project_supporters
        self.w = groups.weights.astype(np.float64)
        self.wsup = groups.supporter_weights
        self.g_indptr = groups.indptr
        self.g_indices = groups.indices
        self.cost = election.cost_array
        self.rank = election.lexico_rank
        self.approvers = election.approval_counts
        self.n = election.n_projects
        self.eligible = np.zeros(self.n, dtype=bool)
        self.eligible[eligible] = True
        self.weight_of = np.bincount(groups.indices, weights=np.repeat(self.w, np.diff(groups.indptr)),
                                     minlength=self.n)
        self.slack = MARGIN * float(sum(election.costs))  # float error on sums of budgets
        classes: dict[tuple, int] = {}  # (cost, supporters) -> first project with them
        self.tie_class = np.array([classes.setdefault((election.costs[p], self.sup[p].tobytes())
                                                      if p < len(self.sup) else (None, p), p)
                                   for p in range(self.n)], dtype=np.int64)
        self._entries: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # winner -> its groups' ballot entries

    # ---- pieces -------------------------------------------------------------------------------
    def _can_compete(self, t: int, seq: list[int], rho: float, pristine: bool, q: np.ndarray) -> np.ndarray:
        """Which projects ``q`` may still beat round ``t``'s winner given its rho bound (exact rules)."""
        if t == len(seq):
            return np.ones(len(q), dtype=bool)
        s = seq[t]
        ok = ~((self.tie_class[q] == self.tie_class[s]) & (self.rank[q] > self.rank[s]))
        ok &= self.approvers[q] * rho >= 1 - MARGIN  # rho_q >= 1 / approvers_q at any budget
        if pristine:
            a = self.approvers[s]
            ok &= ~((self.approvers[q] < a) | ((self.approvers[q] == a) & (self.rank[q] > self.rank[s])))
        return ok

    def _fails(self, t: int, seq: list[int], q: int, bud: np.ndarray, rho: float) -> bool:
        """Whether ``q``'s supporters (budgets ``bud``) may pay its cost at ``rho`` (or at all, after the end)."""
        ws = self.wsup[q]
        c = float(self.cost[q])
        held = float(ws @ bud) if t == len(seq) else float(ws @ np.minimum(bud, rho * c))
        return held >= c * (1 - MARGIN) - self.slack

    def _moved(self, s: int, paid: np.ndarray) -> np.ndarray:
        """Per project, the budget its supporters lost when the supporters of ``s`` paid ``paid``."""
        if s not in self._entries:
            groups = self.sup[s]
            starts, ends = self.g_indptr[groups], self.g_indptr[groups + 1]
            lens = ends - starts
            pos = np.arange(int(lens.sum())) + np.repeat(starts - (np.cumsum(lens) - lens), lens)
            self._entries[s] = (self.g_indices[pos], lens)
        projects, lens = self._entries[s]
        return np.bincount(projects, weights=np.repeat(self.wsup[s] * paid, lens), minlength=self.n)

    # ---- replay ---------------------------------------------------------------------------------
    def replay(self, seq: list[int], x: float, left: Replay | None = None, pairs: list[Pair] | None = None,
               below: Replay | None = None) -> Replay:
        """Replay ``seq`` at per-voter budget ``x``.

        With ``left`` (the replay at the interval's left end), check ``pairs`` (all pairs when None)
        against it and keep those that fail, with their supporters' budgets here; with only some pairs,
        the replay stops after their last round. ``below``, a replay at a larger budget, gives each
        price a lower bound to start from.
        """
        out = Replay()
        budget = np.full(len(self.w), x)
        open_ = self.eligible.copy()
        full = left is not None and pairs is None
        by_round: dict[int, list[int]] = {}
        for t, q in pairs or []:
            by_round.setdefault(t, []).append(q)
        last = len(seq) if pairs is None else max(by_round)
        held_all = x * self.weight_of if full else None  # supporters' total budget per project
        for t in range(last + 1):
            s = seq[t] if t < len(seq) else -1
            if s >= 0:
                open_[s] = False
            if left is not None:
                if full:
                    cand = np.flatnonzero(open_ & (held_all >= self.cost * (1 - MARGIN) - 2 * self.slack))
                else:
                    cand = np.asarray(by_round.get(t, []), dtype=np.int64)
                if len(cand):
                    rho_l = left.rho[t] if t < len(seq) else np.inf
                    cand = cand[self._can_compete(t, seq, rho_l, left.pristine[t] if t < len(seq) else False, cand)]
                for q in cand.tolist():
                    bud = budget[self.sup[q]]
                    if self._fails(t, seq, q, bud, rho_l):
                        out.failing[(t, q)] = bud.copy()
            if s < 0:
                break
            g = self.sup[s]
            bud = budget[g]
            c = float(self.cost[s])
            pi = c / float(self.weight_of[s])
            if float(bud.min()) >= pi * (1 + MARGIN):
                out.rho.append(1.0 / float(self.approvers[s]))
                out.pristine.append(True)
            else:
                start = below.paid[t] if below is not None and t < len(below.paid) else 0.0
                pi = price(bud, self.wsup[s], c, start)
                out.rho.append(pi / c * (1 + MARGIN))
                out.pristine.append(False)
            out.paid.append(pi)
            if t == last:
                break
            after = np.maximum(bud - pi, 0.0)
            budget[g] = after
            if full:
                held_all -= self._moved(s, bud - after)
        return out

    def _recheck(self, seq: list[int], snapshots: dict[Pair, np.ndarray], left: Replay) -> dict[Pair, np.ndarray]:
        """The pairs of ``snapshots`` (budgets at an interval's right end) that fail against ``left``."""
        out: dict[Pair, np.ndarray] = {}
        for (t, q), bud in snapshots.items():
            rho = left.rho[t] if t < len(seq) else np.inf
            pristine = left.pristine[t] if t < len(seq) else False
            if self._can_compete(t, seq, rho, pristine, np.array([q]))[0] and self._fails(t, seq, q, bud, rho):
                out[(t, q)] = bud
        return out

    # ---- search ----------------------------------------------------------------------------------
    def first_change(self, seq: list[int], b: Fraction, guess: int = 1, at_b: Replay | None = None) -> int:
        """Smallest whole step ``k >= 1`` at which ``seq`` is not proven to stay the MES outcome.

        For every ``0 < j < k`` the outcome at ``b + j`` is ``seq`` (proven); at ``b + k`` MES must be
        re-run. Intervals gallop from ``guess`` (doubling), then failing pairs are bisected. ``at_b``,
        the prices recorded by the MES run at ``b``, saves a replay.
        """
        if self.eligible.sum() <= len(set(seq)):
            return 1  # everything is bought: no outcome can differ, and no proof would ever fail
        x0, left = 0, at_b if at_b is not None else self.replay(seq, float(b))
        step = max(1, guess)
        while True:
            x1 = x0 + step
            right = self.replay(seq, float(b + x1), left)
            k = self._refine(seq, b, x0, x1, left, right, right.failing)
            if k is not None:
                return k
            x0, left = x1, right
            step *= 2

    def _refine(self, seq: list[int], b: Fraction, x0: int, x1: int, left: Replay, right: Replay,
                failing: dict[Pair, np.ndarray]) -> int | None:
        """First step in ``(x0, x1]`` where a failing pair cannot be proven, or None when all are."""
        if not failing:
            return None
        if x1 - x0 == 1:  # a single step: check it against its own rho
            return x1 if self._recheck(seq, failing, right) else None
        mid = (x0 + x1) // 2
        middle = self.replay(seq, float(b + mid), left, list(failing), below=right)
        k = self._refine(seq, b, x0, mid, left, middle, middle.failing)
        if k is not None:
            return k
        return self._refine(seq, b, mid, x1, middle, right, self._recheck(seq, failing, middle))
