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
or a whole-unit step where a pair still fails is found (where MES is re-run, after the rounds whose
every pair passed there: ``proven_rounds``). A replay costs one price computation per round, compiled
(``mes_kernel.replay``), over the winner's cells (its supporters split by the earlier winners they
approve, who all hold the same: ``mes_kernel.sequence_cells``), pair checks reading budgets per class of
ballots approving the same projects of the sequence; the full check of every pair is done once per
interval, each pair skipped while a bound on its supporters' capped money proves it passes (a concave
bound from its last exact check, what they paid since, or the bounds the previous full check recorded
plus what budgets may have risen since).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from observatory.pb.model import ApprovalGroups, Election

MARGIN = 1e-9  # relative margin kept by every float comparison of a proof
MAX_CO = 2000  # projects up to which the co-approval matrix is kept (32 MB at most)
AFFINE_TOL = 1e-7  # a budget this close (relatively) to a price makes the capped set uncertain: no affine proof

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
    an interval, each with its supporters' budgets here (at the right end), per class of ``ChangeFinder._classes``."""

    rho: list[float] = field(default_factory=list)
    pristine: list[bool] = field(default_factory=list)
    paid: list[float] = field(default_factory=list)  # each winner's per-supporter payment
    failing: dict[Pair, np.ndarray] = field(default_factory=dict)
    snaps: dict[Pair, np.ndarray] = field(default_factory=dict)  # asked pairs' budgets here (``snap_all``)
    cfg: tuple | None = None  # per round, the winner's capped supporters (``mes_kernel.replay``)
    arrays: tuple | None = None  # rho, pristine, paid as the kernel returned them (no conversion back)

    def as_arrays(self) -> tuple:
        """rho, pristine and paid as arrays for the kernels (kept: an interval's end is passed many times)."""
        if self.arrays is None or len(self.arrays[0]) != len(self.rho):
            self.arrays = (np.asarray(self.rho, dtype=np.float64), np.asarray(self.pristine, dtype=np.bool_),
                           np.asarray(self.paid, dtype=np.float64))
        return self.arrays


class ChangeFinder:
    """Finds, for a sequence that is the MES outcome at ``b``, the first whole-unit step after ``b`` at
    which the outcome is not proven to be the same sequence."""

    def __init__(self, election: Election, groups: ApprovalGroups, eligible: list[int]) -> None:
        self.sup = groups.project_supporters
        self.w = groups.weights.astype(np.float64)
        self.wsup = groups.supporter_weights
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
        # the same facts as flat arrays for the compiled kernels (imported here: numba loads in seconds)
        from observatory.pb.rules import mes_kernel

        self._k = mes_kernel
        lengths = np.zeros(self.n, dtype=np.int64)
        lengths[:len(self.sup)] = [len(s) for s in self.sup]
        self.p_ptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.p_ptr[1:])
        self.p_grp = np.concatenate(self.sup).astype(np.int64) if self.sup else np.zeros(0, dtype=np.int64)
        self.p_w = np.concatenate(self.wsup) if self.wsup else np.zeros(0)
        self.n_groups = len(self.w)
        self.g_ptr = np.asarray(groups.indptr, dtype=np.int64)
        self.g_idx = np.asarray(groups.indices, dtype=np.int64)
        self.proven_rounds = 0  # set by first_change
        # the budget of that replay, and the prices and pristine flags of those rounds it found
        self.proven_prices: tuple = (None, np.zeros(0), np.zeros(0, dtype=np.bool_))
        self.affine = True  # try the affine proof (``_affine``) before bisecting, and split where it guesses
        self.predicted: int | None = None  # set by ``_affine`` when it cannot prove: the interpolated change
        self._classes_of: tuple = (None, None, None)  # set of projects, its classes, last sequence asked
        self._cells_of: tuple = (None, None)  # last sequence replayed, its cells
        self._seq_of: tuple = (None, None)  # last sequence replayed, as an array
        # for the last sequence, which cell holds each class's budget before some round (``mes_kernel.replay``)
        self._nodes: tuple = (None, 0, np.zeros(0, dtype=np.int64))
        no_rows = np.zeros((0, self.n))
        # the last full check: its sequence, budget, payments and per-pair bounds (``mes_kernel.replay``)
        self._ref: tuple = (None, 0.0, np.zeros(0), no_rows, no_rows, no_rows, no_rows)
        self.approvers_f = self.approvers.astype(np.float64)
        self.by_rank = np.array(sorted(eligible, key=lambda p: self.rank[p]), dtype=np.int64)
        # weight of the ballots approving both of two projects (full checks' bounds); skipped when large
        self.co_approval = (mes_kernel.co_approval(self.g_ptr, self.g_idx, self.w, self.n) if self.n <= MAX_CO
                            else np.zeros((0, 0)))

    def _classes(self, seq: list[int]) -> tuple:
        """The groups classed by the projects of ``seq`` they support (``mes_kernel.group_classes``), as (number
        of classes, then each project's supporters as classes with their weights, ``q_ptr``, ``q_end``, ``q_cls``,
        ``q_w``, each built when first read, then what ``mes_kernel.class_list`` needs to build one); kept for
        the last set of projects: a search replays one sequence many times, and successive sequences often
        reorder one set."""
        if self._classes_of[2] is seq:
            return self._classes_of[1]
        key = tuple(sorted(set(seq)))
        if self._classes_of[0] != key:
            n_cls, g_cls = self._k.group_classes(np.asarray(key, dtype=np.int64), self.n_groups, self.p_ptr,
                                                self.p_grp)
            m = len(self.p_grp)
            lists = (n_cls, self.p_ptr, np.full(self.n, -1, dtype=np.int64), np.empty(m, dtype=np.int64),
                     np.empty(m), g_cls, self.p_grp, self.p_w, np.full(n_cls, -1, dtype=np.int64), np.zeros(n_cls))
            self._classes_of = (key, lists, seq)
        self._classes_of = (key, self._classes_of[1], seq)
        return self._classes_of[1]

    def _class_weights(self, seq: list[int], q: int) -> np.ndarray:
        """Project ``q``'s supporters' weight per class of ``seq`` (in the order of a replay's snapshots)."""
        lists = self._classes(seq)
        q_ptr, q_end, q_w = lists[1], lists[2], lists[4]
        if q_end[q] < 0:
            self._k.class_list(q, *lists[1:])
        return q_w[q_ptr[q]:q_end[q]]

    def _seq_array(self, seq: list[int]) -> np.ndarray:
        if self._seq_of[0] is not seq:
            self._seq_of = (seq, np.asarray(seq, dtype=np.int64))
        return self._seq_of[1]

    def _cells(self, seq: list[int]) -> tuple:
        """The cells of a replay of ``seq`` (``mes_kernel.sequence_cells``), kept for the last sequence asked:
        a search replays one sequence many times."""
        if self._cells_of[0] is not seq:
            lists = self._classes(seq)
            self._k.class_lists(self._seq_array(seq), *lists[1:])
            self._cells_of = (seq, self._k.sequence_cells(self._seq_array(seq), *lists[:5]))
        return self._cells_of[1]

    # ---- compiled MES run ---------------------------------------------------------------------
    def mes_run(self, b: float, trace: Replay | None = None, prefix: list[int] | None = None) -> list[int] | None:
        """The MES outcome at per-voter budget ``b`` from the compiled kernel, or None when a near-tie
        needs the Python run (``mes._run``, which settles it exactly). ``trace`` as in ``mes._mes_float``.

        ``prefix``: winners proven to be MES's first ones at ``b`` (``proven_rounds`` of a search); they are
        paid for without comparing candidates, at the prices the search's replay at ``b`` found
        (``proven_prices``). Anything else there gives a wrong outcome."""
        from observatory.pb.rules.base import NEAR_TIE

        status, sel, paid, pristine = self._k.mes_run(
            float(b), self.by_rank, self.p_ptr, self.p_grp, self.p_w, self.cost, self.approvers_f, self.rank,
            self.tie_class, self.n_groups, NEAR_TIE, np.asarray(prefix or [], dtype=np.int64),
            self.co_approval, *self._prefix_prices(float(b), prefix))
        if status != self._k.OK:
            return None
        if trace is not None:
            trace.paid.extend(paid.tolist())
            trace.pristine.extend(pristine.tolist())
            trace.rho.extend(np.where(pristine, 1.0 / self.approvers_f[sel],
                                      paid / self.cost[sel] * (1 + MARGIN)).tolist())
        return sel.tolist()

    def _prefix_prices(self, x: float, prefix: list[int] | None) -> tuple[np.ndarray, np.ndarray]:
        """The prices of ``prefix``'s rounds the last search found at budget ``x`` (none elsewhere)."""
        at, paid, pristine = self.proven_prices
        if not prefix or at != x:
            return np.zeros(0), np.zeros(0, dtype=np.bool_)
        return paid[:len(prefix)], pristine[:len(prefix)]

    # ---- pieces -------------------------------------------------------------------------------
    def _can_compete(self, t: int, seq: list[int], rho: float, pristine: bool, q: int) -> bool:
        """Whether project ``q`` may still beat round ``t``'s winner given its rho bound (exact rules: the
        compiled ``mes_kernel._can_compete`` that replays use)."""
        s = seq[t] if t < len(seq) else -1
        return self._k._can_compete(t, len(seq), s, q, float(rho), bool(pristine), self.tie_class, self.rank,
                                    self.approvers_f, MARGIN)

    def _fails(self, t: int, seq: list[int], q: int, bud: np.ndarray, rho: float) -> bool:
        """Whether ``q``'s supporters (budgets ``bud``, per class of ``seq``, as a replay records them) may pay
        its cost at ``rho`` (or at all, after the end)."""
        ws = self._class_weights(seq, q)
        c = float(self.cost[q])
        held = float(ws @ bud) if t == len(seq) else float(ws @ np.minimum(bud, rho * c))
        return held >= c * (1 - MARGIN) - self.slack

    # ---- replay ---------------------------------------------------------------------------------
    def replay(self, seq: list[int], x: float, left: Replay | None = None, pairs: list[Pair] | None = None,
               below: Replay | None = None, snap_all: bool = False) -> Replay:
        """Replay ``seq`` at per-voter budget ``x``.

        With ``left`` (the replay at the interval's left end), check ``pairs`` (all pairs when None)
        against it and keep those that fail, with their supporters' budgets here; with only some pairs,
        the replay stops after their last round. ``below``, a replay at a larger budget, gives each
        price a lower bound to start from. ``snap_all`` (with ``pairs``) keeps every asked pair's budgets
        in ``snaps``, for the affine proof of :meth:`_affine`.
        """
        full = left is not None and pairs is None
        if pairs:
            ordered = sorted(pairs)
            pair_t = np.array([t for t, _ in ordered], dtype=np.int64)
            pair_q = np.array([q for _, q in ordered], dtype=np.int64)
            last = int(pair_t[-1])
        else:
            pair_t = pair_q = np.zeros(0, dtype=np.int64)
            last = len(seq)
        no_f, no_b = np.zeros(0), np.zeros(0, dtype=np.bool_)
        ref_seq, ref_x, ref_paid, ref_f, ref_k, ref_wu, ref_m = self._ref
        ref_rows = 0
        if full and ref_seq is not None:  # rounds after winners both sequences share (and the one after them)
            shared = next((i for i, (a, c) in enumerate(zip(seq, ref_seq, strict=False)) if a != c), min(len(seq), len(ref_seq)))
            ref_rows = min(shared, len(ref_seq)) + 1
        node_seq, node_round, node = self._nodes
        if node_seq is not seq:
            node_round, node = 0, np.zeros(0, dtype=np.int64)
        lists = self._classes(seq)
        left_rho, left_pristine, _ = left.as_arrays() if left is not None else (no_f, no_b, None)
        (rho, pristine, paid, fail_t, fail_q, fail_ok, snap_ptr, snap, cfg_ptr, cfg_cls, cfg_amb,
         rec_f, rec_k, rec_wu, rec_m, new_round, new_node) = self._k.replay(
            float(x), self._seq_array(seq), last, full, left is not None,
            left_rho, left_pristine, pair_t, pair_q, below.as_arrays()[2] if below is not None else no_f,
            *lists[:5], *self._cells(seq), self.cost, self.approvers_f,
            self.weight_of, self.rank, self.tie_class, self.eligible, self.slack, MARGIN, bool(snap_all and pairs),
            AFFINE_TOL, ref_rows, ref_x, ref_paid, ref_f, ref_k, ref_wu, ref_m, self.co_approval, node, node_round,
            *lists[5:])
        if pairs and new_round > 0 and (node_seq is not seq or new_round < node_round or not len(node)):
            self._nodes = (seq, new_round, new_node)  # the earliest round partial replays asked for
        if full:
            self._ref = (list(seq), float(x), paid, rec_f, rec_k, rec_wu, rec_m)
        out = Replay(rho=rho.tolist(), pristine=pristine.tolist(), paid=paid.tolist(),
                     cfg=(cfg_ptr, cfg_cls, cfg_amb, pristine), arrays=(rho, pristine, paid))
        cut = snap_ptr.tolist()
        for i, (t, q, bad) in enumerate(zip(fail_t.tolist(), fail_q.tolist(), fail_ok.tolist(), strict=True)):
            bud = snap[cut[i]:cut[i + 1]]
            out.snaps[(t, q)] = bud
            if bad:
                out.failing[(t, q)] = bud
        return out

    def _recheck(self, seq: list[int], snapshots: dict[Pair, np.ndarray], left: Replay) -> dict[Pair, np.ndarray]:
        """The pairs of ``snapshots`` (budgets at an interval's right end) that fail against ``left``."""
        out: dict[Pair, np.ndarray] = {}
        for (t, q), bud in snapshots.items():
            rho = left.rho[t] if t < len(seq) else np.inf
            pristine = left.pristine[t] if t < len(seq) else False
            if self._can_compete(t, seq, rho, pristine, q) and self._fails(t, seq, q, bud, rho):
                out[(t, q)] = bud
        return out

    # ---- search ----------------------------------------------------------------------------------
    def first_change(self, seq: list[int], b: Fraction, guess: int = 1, at_b: Replay | None = None) -> int:
        """Smallest whole step ``k >= 1`` at which ``seq`` is not proven to stay the MES outcome.

        For every ``0 < j < k`` the outcome at ``b + j`` is ``seq`` (proven); at ``b + k`` MES must be
        re-run. Intervals gallop from ``guess`` (doubling), then failing pairs are bisected. ``at_b``,
        the prices recorded by the MES run at ``b``, saves a replay. Afterwards ``proven_rounds`` says how
        many first winners of ``seq`` are proven to be MES's first winners at ``b + k`` too (every pair of
        those rounds passed its check there), so that run can start after them.
        """
        self.proven_rounds = 0
        self.proven_prices = (None, np.zeros(0), np.zeros(0, dtype=np.bool_))
        b = Fraction(b)
        if self.eligible.sum() <= len(set(seq)):
            return 1  # everything is bought: no outcome can differ, and no proof would ever fail
        x0, left = 0, at_b if at_b is not None else self.replay(seq, _at(b, 0))
        step = max(1, guess)
        while True:
            x1 = x0 + step
            right = self.replay(seq, _at(b, x1), left)
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
            still = self._recheck(seq, failing, right)
            if not still:
                return None
            # every pair of an earlier round is proven at x1: MES there starts with these winners of seq,
            # at the prices this replay found
            self.proven_rounds = min(t for t, _ in still)
            _rho, pristine, paid = right.as_arrays()
            self.proven_prices = (_at(b, x1), paid[:self.proven_rounds], pristine[:self.proven_rounds])
            return x1
        mid = (x0 + x1) // 2
        if self.affine:
            found = self._affine(seq, x0, x1, left, right, failing)
            if found is not _UNPROVEN:
                return found
            if self.predicted is not None:  # not a proof: only where to split, just before the guessed change
                mid = min(max(self.predicted - 1, x0 + 1), x1 - 1)
        middle = self.replay(seq, _at(b, mid), left, list(failing), below=right, snap_all=self.affine)
        k = self._refine(seq, b, x0, mid, left, middle, middle.failing)
        if k is not None:
            return k
        return self._refine(seq, b, mid, x1, middle, right, self._recheck(seq, failing, middle))

    def _affine(self, seq: list[int], x0: int, x1: int, left: Replay, right: Replay,
                failing: dict[Pair, np.ndarray]) -> int | None | object:
        """The first step in ``(x0, x1]`` where a failing pair may reach its cost, found without bisecting
        when the replays at both ends price every round up to the pair's with the same capped set.

        Why this is exact: with the capped set of each round fixed, a replay is a linear system in ``x``
        (a capped supporter pays all, the others ``pi = (c - capped money) / uncapped weight``), so every
        budget and price is affine in ``x``; the conditions that define the capped sets are affine
        inequalities holding at both ends, hence all along ``[x0, x1]``, and a replay's solution is unique:
        between the ends every budget and price is the interpolation of its two values. A pair's
        supporters' money at the winner's price, ``sum w * min(budget, rho * cost)``, is then a sum of minima
        of affine functions of ``x``: concave, and known at every step without replaying
        (``mes_kernel.first_reach``). Returns None when every pair is proven on the whole interval, the
        first step where one may reach (``proven_rounds`` set as by a single-step check), or ``_UNPROVEN``
        when some pair's rounds differ in capped set (then bisection goes on, split at ``predicted``)."""
        self.predicted = None
        if left.cfg is None:
            return _UNPROVEN
        agree = self._k.config_agreement(*left.cfg[:3], np.asarray(left.cfg[3], dtype=np.bool_),
                                         *right.cfg[:3], np.asarray(right.cfg[3], dtype=np.bool_))
        n_seq = len(seq)
        n = x1 - x0
        first = {}
        exact = True
        for (t, q), bud_m in failing.items():
            if (t, q) not in left.snaps:
                return _UNPROVEN
            exact &= agree >= min(t + 1, n_seq)
            c = float(self.cost[q])
            capped = t < n_seq
            ca = left.rho[t] * c if capped else 0.0
            cm = right.rho[t] * c if capped else 0.0
            first[(t, q)] = self._k.first_reach(left.snaps[(t, q)], bud_m, self._class_weights(seq, q), ca, cm, capped,
                                                c * (1 - MARGIN) - self.slack, n)
        j = min(first.values())
        if not exact:
            self.predicted = x0 + j if j <= n else None
            return _UNPROVEN
        if j > n:
            return None
        self.proven_rounds = min(t for (t, _q), jq in first.items() if jq == j)
        return x0 + j


_UNPROVEN = object()  # ``_affine`` could not decide


def _at(b: Fraction, k: int) -> float:
    """``float(b + k)`` without building a Fraction (a search asks for thousands): an integer true division
    is correctly rounded, as ``Fraction.__float__`` is, so the float is the same."""
    return (b.numerator + k * b.denominator) / b.denominator
