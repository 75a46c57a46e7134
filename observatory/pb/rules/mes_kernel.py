"""Compiled inner loops of ``mes-add1`` (numba): one MES run in float64, and one replay of a sequence.

Why: ``mes-add1`` on a file whose outcome changes at almost every unit step (France_Toulouse_2024: 669
of 671 steps) is hundreds of full MES runs, and on one with long stable stretches (Hungary_Budapest_2024)
thousands of replays for the proofs of ``mes_change``; in numpy every round pays tens of microseconds of
Python overhead, compiled a whole run takes well under a millisecond.

Exactness: the run kernel decides only where :func:`observatory.pb.rules.mes._mes_float` decides with a
clear margin (the same ``NEAR_TIE`` tests and the same exact tie rules); at any other near-tie it returns
``FALLBACK`` and the caller runs the Python code, which settles it or repeats the run in ``Fraction``
arithmetic. The replay kernel is ``ChangeFinder.replay`` statement for statement, with the same margins.
Compiled code is cached on disk (``cache=True``): the first call in a fresh checkout compiles.
"""

from __future__ import annotations

import numba as nb
import numpy as np

OK, FALLBACK = 0, 1
_CAPPED = 1e-12  # a supporter holding less than the price by this relative amount pays all (as in mes.py)


@nb.njit(cache=True)
def _price_sorted(lo: int, hi: int, p_grp: np.ndarray, p_w: np.ndarray, budget: np.ndarray, c: float) -> float:
    n = hi - lo
    bud = np.empty(n)
    ws = np.empty(n)
    for k in range(n):
        bud[k] = budget[p_grp[lo + k]]
        ws[k] = p_w[lo + k]
    order = np.argsort(bud, kind="mergesort")
    paid_before = 0.0
    w_rem = 0.0
    for k in range(n):
        w_rem += ws[k]
    pi = 0.0
    for k in range(n):
        j = order[k]
        pi = (c - paid_before) / w_rem
        if pi <= bud[j]:
            return pi
        paid_before += ws[j] * bud[j]
        w_rem -= ws[j]
    return pi


@nb.njit(cache=True)
def price(lo: int, hi: int, p_grp: np.ndarray, p_w: np.ndarray, budget: np.ndarray, c: float, total_w: float,
          start: float) -> float:
    """``mes_change.price`` on the supporters ``p_grp[lo:hi]``: Newton's method from the left of the root.

    Each pass also finds the smallest budget above ``pi``: up to it, what the supporters hold is linear in the
    price, so a step that stays below it lands on the root and needs no pass to confirm it."""
    pi = max(c / total_w, start)
    for _ in range(64):
        held = 0.0
        slope = 0.0
        brk = np.inf
        for e in range(lo, hi):
            v = budget[p_grp[e]]
            w = p_w[e]
            if v > pi:
                held += w * pi
                slope += w
                if v < brk:
                    brk = v
            else:
                held += w * v
        if held >= c:
            return pi
        if slope <= 0:
            break
        nxt = pi + (c - held) / slope
        if nxt <= pi:
            return pi
        if nxt <= brk:
            return nxt
        pi = nxt
    return _price_sorted(lo, hi, p_grp, p_w, budget, c)


@nb.njit(cache=True)
def _holdings(lo: int, hi: int, p_grp: np.ndarray, p_w: np.ndarray, budget: np.ndarray) -> tuple[float, float]:
    """What the supporters ``p_grp[lo:hi]`` hold together, and the smallest budget among them."""
    avail = 0.0
    mn = np.inf
    for e in range(lo, hi):
        v = budget[p_grp[e]]
        avail += p_w[e] * v
        if v < mn:
            mn = v
    return avail, mn


@nb.njit(cache=True)
def _payment(lo: int, hi: int, p_grp: np.ndarray, p_w: np.ndarray, budget: np.ndarray, c: float,
             n_approvers: float, mn: float, near_tie: float) -> tuple[float, bool]:
    """Each supporter's payment for cost ``c``, and whether nobody is capped (then it is the equal share
    ``c / n_approvers`` exactly, ``mn`` being the smallest budget among them)."""
    pi = c / n_approvers
    nobody_capped = mn >= pi * (1 + near_tie)
    if not nobody_capped:
        pi = price(lo, hi, p_grp, p_w, budget, c, n_approvers, 0.0)
    return pi, nobody_capped


@nb.njit(cache=True)
def _pay(lo: int, hi: int, p_grp: np.ndarray, budget: np.ndarray, pi: float, nobody_capped: bool,
         near_tie: float) -> bool:
    """Charge the supporters ``pi`` each (those holding less pay all they hold); False, with nothing
    charged, when a supporter holds within ``near_tie`` of ``pi``, so who is capped is uncertain."""
    for e in range(lo, hi):
        if abs(budget[p_grp[e]] - pi) <= pi * near_tie:
            return False
    for e in range(lo, hi):
        g = p_grp[e]
        v = budget[g]
        if nobody_capped:
            budget[g] = v - pi
        elif v * (1 + _CAPPED) < pi:
            budget[g] = 0.0
        else:
            budget[g] = v - pi
    return True


@nb.njit(cache=True)
def mes_run(b: float, eligible: np.ndarray, p_ptr: np.ndarray, p_grp: np.ndarray, p_w: np.ndarray,
            cost: np.ndarray, approvers: np.ndarray, rank: np.ndarray, tie_class: np.ndarray, n_groups: int,
            near_tie: float, prefix: np.ndarray, co: np.ndarray, prefix_paid: np.ndarray, prefix_pristine: np.ndarray):
    """One MES run at per-voter budget ``b``: (status, winners, their per-supporter payments, pristine flags).

    ``eligible`` must be sorted by lexico rank (the tie-break among equal rho bounds). ``prefix``: winners
    known to come first (proven by ``ChangeFinder``), paid for without comparing candidates; the first
    ``len(prefix_paid)`` of them at those prices (and pristine flags), which the replay at this budget
    that proved them computed, instead of pricing them again.

    ``status`` is ``FALLBACK`` when a near-tie needs the Python run (the other outputs are then empty).
    Candidates are evaluated in order of a lower bound on their rho (their rho when last evaluated:
    budgets only fall within a run) until the bound passes the best rho found, as the Python run does.

    ``co`` (the co-approval weights, or empty) bounds what each project's supporters still hold: a winner's
    supporters who do not approve ``q`` pay at most the price each, so those who do pay at least the cost
    less that. A project whose bound is clearly under its cost is closed without reading its supporters,
    where the exact check would close it too (the last round of a run reads every open project otherwise).
    """
    budget = np.full(n_groups, b)
    m = len(eligible)
    lb = np.empty(m)
    for i in range(m):
        lb[i] = 1.0 / approvers[eligible[i]]
    is_open = np.ones(m, dtype=np.bool_)
    sel = np.empty(m, dtype=np.int64)
    paid = np.empty(m)
    pristine = np.empty(m, dtype=np.bool_)
    ns = 0
    cand = np.empty(m, dtype=np.int64)
    keys = np.empty(m)
    ev_i = np.empty(m, dtype=np.int64)
    ev_rho = np.empty(m)
    ev_pi = np.empty(m)
    ev_nc = np.empty(m, dtype=np.bool_)
    empty_i = np.empty(0, dtype=np.int64)
    empty_f = np.empty(0)
    empty_b = np.empty(0, dtype=np.bool_)
    where = np.full(len(cost), -1, dtype=np.int64)
    for i in range(m):
        where[eligible[i]] = i
    has_co = co.shape[0] == len(cost)
    held_ub = np.empty(m)  # per candidate, an upper bound on its supporters' money (``co``)
    for i in range(m):
        held_ub[i] = b * approvers[eligible[i]]
    slack = 1e-12 * b * n_groups  # float error on those bounds
    for j in range(len(prefix)):  # proven winners: paid as the run would pay them, with the same near-tie checks
        p = prefix[j]
        lo = p_ptr[p]
        hi = p_ptr[p + 1]
        c = cost[p]
        if j < len(prefix_paid):
            pi = prefix_paid[j]
            nobody_capped = prefix_pristine[j]
        else:
            avail, mn = _holdings(lo, hi, p_grp, p_w, budget)
            if avail < c * (1 + near_tie):
                return FALLBACK, empty_i, empty_f, empty_b
            pi, nobody_capped = _payment(lo, hi, p_grp, p_w, budget, c, approvers[p], mn, near_tie)
        if not _pay(lo, hi, p_grp, budget, pi, nobody_capped, near_tie):
            return FALLBACK, empty_i, empty_f, empty_b
        is_open[where[p]] = False
        sel[ns] = p
        paid[ns] = pi
        pristine[ns] = nobody_capped
        ns += 1
        if has_co:
            _lower_held(held_ub, is_open, eligible, co, p, c, approvers[p], pi)
    while True:
        k = 0
        for i in range(m):  # eligible is in lexico-rank order, so a stable sort gives (bound, rank)
            if is_open[i]:
                cand[k] = i
                keys[k] = lb[i]
                k += 1
        if k == 0:
            break
        order = np.argsort(keys[:k], kind="mergesort")
        best = np.inf
        ne = 0
        for jj in range(k):
            i = cand[order[jj]]
            if lb[i] > best * (1 + near_tie):
                break
            p = eligible[i]
            c = cost[p]
            if held_ub[i] < c * (1 - near_tie) - slack:
                is_open[i] = False  # as below, proven by the bound
                continue
            lo = p_ptr[p]
            hi = p_ptr[p + 1]
            avail, mn = _holdings(lo, hi, p_grp, p_w, budget)
            if avail < c * (1 - near_tie):
                is_open[i] = False  # unaffordable now, and budgets only fall
                continue
            if avail < c * (1 + near_tie):
                return FALLBACK, empty_i, empty_f, empty_b
            pi, nobody_capped = _payment(lo, hi, p_grp, p_w, budget, c, approvers[p], mn, near_tie)
            rho = pi / c
            lb[i] = rho
            ev_i[ne] = i
            ev_rho[ne] = rho
            ev_pi[ne] = pi
            ev_nc[ne] = nobody_capped
            ne += 1
            if rho < best:
                best = rho
        if ne == 0:
            break
        win = -1
        n_near = 0
        for t in range(ne):
            if ev_rho[t] <= best * (1 + near_tie):
                n_near += 1
                win = t
        if n_near > 1:
            # every near-tied rho exactly 1 / (approvers holding money)? then most such approvers, then id
            all_exact = True
            best_w = -1.0
            best_r = 0
            win = -1
            for t in range(ne):
                if ev_rho[t] > best * (1 + near_tie):
                    continue
                p = eligible[ev_i[t]]
                lo = p_ptr[p]
                hi = p_ptr[p + 1]
                pi = ev_pi[t]
                weight = 0.0
                if ev_nc[t]:
                    for e in range(lo, hi):
                        weight += p_w[e]
                else:
                    mn_paying = np.inf
                    for e in range(lo, hi):
                        v = budget[p_grp[e]]
                        if v * (1 + _CAPPED) < pi:
                            if v != 0.0:
                                all_exact = False
                        else:
                            weight += p_w[e]
                            if v < mn_paying:
                                mn_paying = v
                    if not mn_paying >= pi * (1 + near_tie):
                        all_exact = False
                r = rank[p]
                if weight > best_w or (weight == best_w and r < best_r):
                    best_w = weight
                    best_r = r
                    win = t
            if not all_exact:
                # all near-tied with the same cost and supporters: an exact tie, settled by id
                cls = -1
                same = True
                best_r = 0
                win = -1
                for t in range(ne):
                    if ev_rho[t] > best * (1 + near_tie):
                        continue
                    p = eligible[ev_i[t]]
                    if cls < 0:
                        cls = tie_class[p]
                    elif tie_class[p] != cls:
                        same = False
                    if win < 0 or rank[p] < best_r:
                        best_r = rank[p]
                        win = t
                if not same:
                    return FALLBACK, empty_i, empty_f, empty_b
        i = ev_i[win]
        p = eligible[i]
        pi = ev_pi[win]
        nobody_capped = ev_nc[win]
        if not _pay(p_ptr[p], p_ptr[p + 1], p_grp, budget, pi, nobody_capped, near_tie):
            return FALLBACK, empty_i, empty_f, empty_b  # who is capped is uncertain
        is_open[i] = False
        sel[ns] = p
        paid[ns] = pi
        pristine[ns] = nobody_capped
        ns += 1
        if has_co:
            _lower_held(held_ub, is_open, eligible, co, p, cost[p], approvers[p], pi)
    return OK, sel[:ns].copy(), paid[:ns].copy(), pristine[:ns].copy()


@nb.njit(cache=True)
def _lower_held(held_ub: np.ndarray, is_open: np.ndarray, eligible: np.ndarray, co: np.ndarray, s: int, c: float,
                w_s: float, pi: float) -> None:
    """After ``s`` is bought at ``pi`` per supporter: each open project's supporters paid at least ``c`` less what
    ``s``'s other supporters can have paid (``pi`` each at most)."""
    for i in range(len(eligible)):
        if is_open[i]:
            least = c - (w_s - co[s, eligible[i]]) * pi
            if least > 0.0:
                held_ub[i] -= least


@nb.njit(cache=True, inline="always")  # called per pair in a replay's loop: a call costs more than it
def _can_compete(t: int, n_seq: int, s: int, q: int, rho: float, pristine: bool, tie_class: np.ndarray,
                 rank: np.ndarray, approvers: np.ndarray, margin: float) -> bool:
    if t == n_seq:
        return True
    if tie_class[q] == tie_class[s] and rank[q] > rank[s]:
        return False
    if not approvers[q] * rho >= 1 - margin:
        return False
    if pristine:
        a = approvers[s]
        if approvers[q] < a or (approvers[q] == a and rank[q] > rank[s]):
            return False
    return True


@nb.njit(cache=True)
def _advance(node: np.ndarray, upto: int, t: int, seq: np.ndarray, p_ptr: np.ndarray, p_end: np.ndarray,
             p_grp: np.ndarray, sup_ptr: np.ndarray, sup_cell: np.ndarray) -> int:
    """Bring ``node`` (per class, the cell holding its budget) from before round ``upto`` to before round ``t``."""
    for r in range(upto, t):
        s = seq[r]
        base = sup_ptr[r] - p_ptr[s]
        for e in range(p_ptr[s], p_end[s]):
            node[p_grp[e]] = sup_cell[base + e]
    return t


@nb.njit(cache=True)
def _classes_at(t: int, node: np.ndarray, upto: int, node_round: int, node0: np.ndarray, upto0: int, seq: np.ndarray,
                p_ptr: np.ndarray, p_end: np.ndarray, p_grp: np.ndarray, sup_ptr: np.ndarray,
                sup_cell: np.ndarray) -> tuple[int, int, bool]:
    """Bring ``node`` to before round ``t``; the first time (``node_round == -2``) from ``node0`` (before round
    ``upto0``) when it is not past ``t``. Returns ``upto``, ``node_round`` and whether this state is worth keeping
    (the first one reached by advancing, ``node_round`` then ``t``)."""
    keep = False
    if node_round == -2:
        node_round = -1
        if len(node0) > 0 and upto0 <= t:
            node[:] = node0
            upto = upto0
        keep = upto < t
    if upto < t:
        upto = _advance(node, upto, t, seq, p_ptr, p_end, p_grp, sup_ptr, sup_cell)
    if keep:
        node_round = t
    return upto, node_round, keep


@nb.njit(cache=True)
def replay(x: float, seq: np.ndarray, last: int, full: bool, has_left: bool, left_rho: np.ndarray,
           left_pristine: np.ndarray, pair_t: np.ndarray, pair_q: np.ndarray, below_paid: np.ndarray,
           n_cls: int, p_ptr: np.ndarray, p_end: np.ndarray, p_grp: np.ndarray, p_w: np.ndarray, cell_ptr: np.ndarray,
           cell_parent: np.ndarray, cell_w: np.ndarray, sup_ptr: np.ndarray, sup_cell: np.ndarray, cost: np.ndarray,
           approvers: np.ndarray,
           weight_of: np.ndarray, rank: np.ndarray, tie_class: np.ndarray, eligible: np.ndarray, slack: float, margin: float,
           snap_all: bool, amb_tol: float, ref_rows: int, ref_x: float, ref_paid: np.ndarray, ref_f: np.ndarray,
           ref_k: np.ndarray, ref_wu: np.ndarray, ref_m: np.ndarray, co: np.ndarray, node0: np.ndarray, upto0: int,
           g_cls: np.ndarray, g_grp: np.ndarray, g_w: np.ndarray, mark: np.ndarray, acc_w: np.ndarray):
    """``ChangeFinder.replay`` compiled: rho, pristine, paid per round and the failing pairs with their
    supporters' budgets (flat, cut by ``snap_ptr``). ``pair_t`` is sorted.

    Budgets are kept per cell of ``sequence_cells`` (a round's winner's supporters with the same earlier
    winners: one budget each); ``p_ptr``, ``p_end``, ``p_grp``, ``p_w`` give each project's supporters as classes
    (``class_list``, built here for a project the first time its supporters are read: ``g_cls``, ``g_grp``,
    ``g_w``, ``mark``, ``acc_w``) for the pair checks, each class's budget read from the cell holding it (``node``,
    brought up to date only when a round's pairs need it, from ``node0``, its state before round ``upto0``,
    when given), and the snapshots are per class. Returned with the rest: the state of ``node`` before the
    first round whose pairs needed it (``node_round``, -1 when it was not brought up from ``node0``), for the
    next replays of the sequence, which mostly check pairs of the same rounds.

    ``snap_all`` (with ``pairs``): every asked pair is snapshotted, ``fail_ok`` saying which failed (with no
    ``left``, none is checked). Also returned, per round, the winner's capped supporters (classes whose
    budget is below the price, ``cfg_ptr``/``cfg_cls``) and whether that set is uncertain (``cfg_amb``: a
    budget within ``amb_tol`` of the price, or nobody left uncapped): the configuration that makes every
    budget and price affine in ``x`` (``ChangeFinder._affine``); the capped supporters are cells.

    A full check also returns, per round and project, an upper bound on the project's supporters' money
    (``rec_f``, ``rec_k``, ``rec_wu``: at most ``f + max(0, cap - k) * wu`` at cap ``cap``; ``rec_m``: uncapped),
    and takes the bounds a full check of another replay recorded (``ref_*``, at per-voter budget ``ref_x``,
    valid for its first ``ref_rows`` rounds: the rounds after winners both sequences share). They hold here
    once every budget's possible rise ``d`` is added: nothing when ``x <= ref_x`` (budgets grow with ``x``),
    else ``x - ref_x`` plus each earlier round's fall in price (a supporter's payment ``min(budget, price)``
    rises by at most its budget's rise, falls by at most the price's fall), counted for a project's supporters
    as ``x - ref_x`` times their weight plus each fall times the weight of those who also approve that round's
    winner (``co``, the co-approval weights; empty: all of them). In the capped bound only those the
    reference counted under its cap can add their rise (the others count at most the cap already), and each
    adds at most ``x - ref_x`` plus every fall. Most pairs are then proven far from their cost without
    looking at their supporters.

    Why cells: round ``t``'s winner has thousands of classes of supporters but at most ``2 ** t`` distinct
    budgets among them (one per subset of earlier winners they support); pricing and paying per cell makes
    a replay's rounds several times cheaper (Hungary_Budapest_2024: ~18,000 cells against ~75,000 classes
    over its 30 rounds)."""
    n_seq = len(seq)
    n = len(cost)
    budget = np.empty(len(cell_parent))  # per cell, its supporters' budget after paying; cell 0: nobody paid yet
    budget[0] = x
    node = np.zeros(n_cls, dtype=np.int64)  # per class, the cell holding its budget before round ``upto``
    upto = 0
    node_round = -2  # not needed yet
    node_keep = np.zeros(0, dtype=np.int64)
    is_open = eligible.copy()
    f_at = np.zeros(n)  # per project, its supporters' money capped at k_at, as last computed (0 at cap 0)
    k_at = np.zeros(n)
    wu_at = weight_of.copy()  # the weight of those holding more than the cap (the slope there)
    m_at = weight_of * x  # their money, uncapped, as last computed
    n_rec = last + 1 if full else 0
    rec_f = np.empty((n_rec, n))
    rec_k = np.empty((n_rec, n))
    rec_wu = np.empty((n_rec, n))
    rec_m = np.empty((n_rec, n))
    rising = x > ref_x and ref_rows > 0
    # per project, how much more its supporters may hold together here than in the reference
    rise = weight_of * (x - ref_x) if rising else np.zeros(n)
    each_rise = x - ref_x if rising else 0.0  # the most one supporter's budget may have risen (``fall``s added)
    has_co = co.shape[0] == n
    rho_out = np.empty(last + 1)
    prist_out = np.empty(last + 1, dtype=np.bool_)
    paid_out = np.empty(last + 1)
    n_out = 0
    cap_f = 16
    fail_t = np.empty(cap_f, dtype=np.int64)
    fail_q = np.empty(cap_f, dtype=np.int64)
    fail_ok = np.empty(cap_f, dtype=np.bool_)
    tot = 0
    for r in range(min(last + 1, n_seq)):
        tot += cell_ptr[r + 1] - cell_ptr[r]
    cfg_ptr = np.zeros(last + 2, dtype=np.int64)
    cfg_cls = np.empty(tot, dtype=np.int64)
    cfg_amb = np.zeros(last + 1, dtype=np.bool_)
    n_cfg = 0
    snap_ptr = np.zeros(cap_f + 1, dtype=np.int64)
    cap_d = 1024
    snap = np.empty(cap_d)
    nf = 0
    ip = 0
    cand = np.empty(n, dtype=np.int64)
    for t in range(last + 1):
        s = seq[t] if t < n_seq else -1
        if s >= 0:
            is_open[s] = False
        if has_left or snap_all:
            nc = 0
            if full:
                for q in range(n):
                    if is_open[q]:
                        cand[nc] = q
                        nc += 1
                if t < n_seq:
                    nc = _screen(cand, nc, t, n_seq, s, left_rho[t], left_pristine[t], ref_rows, cost, margin, slack,
                                 f_at, k_at, wu_at, m_at, ref_f, ref_k, ref_wu, ref_m, rise, each_rise, weight_of,
                                 tie_class, rank, approvers)
                else:
                    nc = _screen(cand, nc, t, n_seq, s, np.inf, False, ref_rows, cost, margin, slack,
                                 f_at, k_at, wu_at, m_at, ref_f, ref_k, ref_wu, ref_m, rise, each_rise, weight_of,
                                 tie_class, rank, approvers)
            else:
                while ip < len(pair_t) and pair_t[ip] < t:
                    ip += 1
                while ip < len(pair_t) and pair_t[ip] == t:
                    cand[nc] = pair_q[ip]
                    nc += 1
                    ip += 1
            rho_l = np.inf
            pri_l = False
            if nc > 0 and t < n_seq and has_left:
                rho_l = left_rho[t]
                pri_l = left_pristine[t]
            for k in range(nc):
                q = cand[k]
                # a full check's candidates were screened: they compete and no bound proves them
                compete = full or (has_left and _can_compete(t, n_seq, s, q, rho_l, pri_l, tie_class, rank, approvers,
                                                             margin))
                if not compete and not snap_all:
                    continue
                c = cost[q]
                need = c * (1 - margin) - slack
                cap = rho_l * c
                failed = False
                skip = not compete
                if not skip or snap_all:  # the supporters as classes are read: listed the first time
                    class_list(q, p_ptr, p_end, p_grp, p_w, g_cls, g_grp, g_w, mark, acc_w)
                    lo = p_ptr[q]
                    hi = p_end[q]
                if not skip:
                    if upto < t or node_round == -2:
                        upto, node_round, keep = _classes_at(t, node, upto, node_round, node0, upto0, seq, p_ptr, p_end,
                                                             p_grp, sup_ptr, sup_cell)
                        if keep:
                            node_keep = node.copy()
                    held, slope, money = _class_money(lo, hi, p_grp, p_w, node, budget, cap)
                    if t < n_seq:
                        f_at[q] = held
                        k_at[q] = cap
                        wu_at[q] = slope
                    else:
                        held = money
                    m_at[q] = money
                    failed = held >= need
                if failed or snap_all:
                    if nf == cap_f:
                        cap_f *= 2
                        fail_t = np.concatenate((fail_t, np.empty(cap_f - nf, dtype=np.int64)))
                        fail_q = np.concatenate((fail_q, np.empty(cap_f - nf, dtype=np.int64)))
                        fail_ok = np.concatenate((fail_ok, np.empty(cap_f - nf, dtype=np.bool_)))
                        snap_ptr = np.concatenate((snap_ptr, np.zeros(cap_f - nf, dtype=np.int64)))
                    start = snap_ptr[nf]
                    while start + (hi - lo) > cap_d:
                        cap_d *= 2
                        snap = np.concatenate((snap, np.empty(cap_d - len(snap))))
                    if upto < t or node_round == -2:
                        upto, node_round, keep = _classes_at(t, node, upto, node_round, node0, upto0, seq, p_ptr, p_end,
                                                             p_grp, sup_ptr, sup_cell)
                        if keep:
                            node_keep = node.copy()
                    _snap_classes(lo, hi, p_grp, node, budget, snap, start)
                    fail_t[nf] = t
                    fail_q[nf] = q
                    fail_ok[nf] = failed
                    snap_ptr[nf + 1] = start + hi - lo
                    nf += 1
        if full:
            for q in range(n):
                if t < n_seq:
                    rec_f[t, q] = f_at[q]
                    rec_k[t, q] = k_at[q]
                    rec_wu[t, q] = wu_at[q]
                else:  # after the last round, only the money is recorded: a bound at any cap
                    rec_f[t, q] = m_at[q]
                    rec_k[t, q] = 0.0
                    rec_wu[t, q] = 0.0
                rec_m[t, q] = m_at[q]
        if s < 0:
            break
        lo = cell_ptr[t]
        hi = cell_ptr[t + 1]
        c = cost[s]
        pi = c / weight_of[s]
        mn = _least_budget(lo, hi, cell_parent, budget)
        if mn >= pi * (1 + margin):
            rho_out[n_out] = 1.0 / approvers[s]
            prist_out[n_out] = True
        else:
            start_pi = below_paid[t] if t < len(below_paid) else 0.0
            pi = price(lo, hi, cell_parent, cell_w, budget, c, weight_of[s], start_pi)
            rho_out[n_out] = pi / c * (1 + margin)
            prist_out[n_out] = False
        paid_out[n_out] = pi
        if full and has_co:
            # the supporters of ``q`` who also approve ``s`` pay at least what the others cannot (``pi`` each at most)
            for q in range(n):
                least = c - (weight_of[s] - co[q, s]) * pi
                if least > 0.0:
                    m_at[q] -= least
        if rising and t < len(ref_paid) and ref_paid[t] > pi:
            fall = ref_paid[t] - pi
            for q in range(n):
                rise[q] += (co[q, s] if has_co else weight_of[q]) * fall
            each_rise += fall
        # pay, and record the capped set of this round (the affine piece of the replay in x) and whether it
        # is certain; the last round asked is only priced
        n_cfg, amb, w_free = _pay_cells(lo, hi, cell_parent, cell_w, budget, pi, amb_tol, t != last, cfg_cls, n_cfg)
        cfg_amb[n_out] = amb or w_free <= 0.0
        cfg_ptr[n_out + 1] = n_cfg
        n_out += 1
        if t == last:
            break
    return (rho_out[:n_out].copy(), prist_out[:n_out].copy(), paid_out[:n_out].copy(), fail_t[:nf].copy(),
            fail_q[:nf].copy(), fail_ok[:nf].copy(), snap_ptr[:nf + 1].copy(), snap[:snap_ptr[nf]].copy(),
            cfg_ptr[:n_out + 1].copy(), cfg_cls[:n_cfg].copy(), cfg_amb[:n_out].copy(), rec_f, rec_k, rec_wu, rec_m,
            max(node_round, -1), node_keep)


# The loops over cells and classes are small functions of their own: inlined in ``replay``, which holds
# much state, each of their iterations cost several times more.
@nb.njit(cache=True)
def _least_budget(lo: int, hi: int, cell_parent: np.ndarray, budget: np.ndarray) -> float:
    """The smallest budget the cells ``lo:hi`` start the round with (their parents' budgets)."""
    mn = np.inf
    for e in range(lo, hi):
        v = budget[cell_parent[e]]
        if v < mn:
            mn = v
    return mn


@nb.njit(cache=True)
def _pay_cells(lo: int, hi: int, cell_parent: np.ndarray, cell_w: np.ndarray, budget: np.ndarray, pi: float,
               amb_tol: float, pay: bool, cfg_cls: np.ndarray, n_cfg: int) -> tuple[int, bool, float]:
    """Charge the cells ``lo:hi`` ``pi`` each (those holding less pay all: budget 0) when ``pay``, and record the
    capped ones in ``cfg_cls`` from ``n_cfg``: returns the new count, whether some budget is within ``amb_tol``
    of the price (the capped set is uncertain) and the weight of those not capped."""
    amb = False
    w_free = 0.0
    for e in range(lo, hi):
        v = budget[cell_parent[e]]
        if abs(v - pi) <= pi * amb_tol:
            amb = True
        if v < pi:
            cfg_cls[n_cfg] = e
            n_cfg += 1
        else:
            w_free += cell_w[e]
        if pay:
            after = v - pi
            if after < 0.0:
                after = 0.0
            budget[e] = after
    return n_cfg, amb, w_free


@nb.njit(cache=True)
def _class_money(lo: int, hi: int, p_grp: np.ndarray, p_w: np.ndarray, node: np.ndarray, budget: np.ndarray,
                 cap: float) -> tuple[float, float, float]:
    """What the classes ``p_grp[lo:hi]`` (budget read from the cell holding each) hold capped at ``cap``, the weight
    of those above it, and what they hold."""
    held = 0.0
    slope = 0.0
    money = 0.0
    for e in range(lo, hi):
        v = budget[node[p_grp[e]]]
        money += p_w[e] * v
        if v > cap:
            held += p_w[e] * cap
            slope += p_w[e]
        else:
            held += p_w[e] * v
    return held, slope, money


@nb.njit(cache=True)
def _snap_classes(lo: int, hi: int, p_grp: np.ndarray, node: np.ndarray, budget: np.ndarray, snap: np.ndarray,
                  start: int) -> None:
    """The budgets of the classes ``p_grp[lo:hi]`` into ``snap`` from ``start``."""
    for e in range(lo, hi):
        snap[start + e - lo] = budget[node[p_grp[e]]]


@nb.njit(cache=True)
def _screen(cand: np.ndarray, nc: int, t: int, n_seq: int, s: int, rho_l: float, pri_l: bool, ref_rows: int,
            cost: np.ndarray, margin: float, slack: float, f_at: np.ndarray, k_at: np.ndarray, wu_at: np.ndarray,
            m_at: np.ndarray, ref_f: np.ndarray, ref_k: np.ndarray, ref_wu: np.ndarray, ref_m: np.ndarray,
            rise: np.ndarray, each_rise: float, weight_of: np.ndarray, tie_class: np.ndarray, rank: np.ndarray,
            approvers: np.ndarray) -> int:
    """A full check's candidates of round ``t`` that compete with its winner and that no bound proves unable
    to pay at the winner's rho (``replay``); compacted at the front of ``cand``, their number returned.

    Its own function: inside the replay's loop, which holds much state, each of the thousands of candidates of a
    full check cost ~40 ns more even when skipped at once.

    The supporters' money at cap ``cap`` is concave in the cap and budgets only fall: bounded by its value at
    the cap of the last exact check plus the slope there times the rise, and by their money then; or by the
    reference's bounds plus what budgets may have risen, which are kept as this replay's when tighter (so the
    next full check inherits them)."""
    kept = 0
    for k in range(nc):
        q = cand[k]
        if not _can_compete(t, n_seq, s, q, rho_l, pri_l, tie_class, rank, approvers, margin):
            continue
        c = cost[q]
        cap = rho_l * c
        if t < ref_rows:
            m_at[q] = min(m_at[q], ref_m[t, q] + rise[q])
            if t < n_seq:
                # those over the reference's cap count at ``cap`` whatever they gained: only the others' rise
                f_ref = ref_f[t, q] + min(rise[q], (weight_of[q] - ref_wu[t, q]) * each_rise)
                if f_ref + max(0.0, cap - ref_k[t, q]) * ref_wu[t, q] < f_at[q] + max(0.0, cap - k_at[q]) * wu_at[q]:
                    f_at[q] = f_ref
                    k_at[q] = ref_k[t, q]
                    wu_at[q] = ref_wu[t, q]
        if t < n_seq:
            bound = min(f_at[q] + max(0.0, cap - k_at[q]) * wu_at[q], m_at[q])
        else:
            bound = m_at[q]
        if bound * (1 + 1e-10) < c * (1 - margin) - slack:
            continue
        cand[kept] = q
        kept += 1
    return kept


@nb.njit(cache=True)
def group_classes(members: np.ndarray, n_groups: int, p_ptr: np.ndarray, p_grp: np.ndarray):
    """Groups classed by the projects of ``members`` they support: replaying a sequence of those projects,
    the groups of a class always hold the same. Returns the number of classes and each group's class
    (each project's supporters as classes: ``class_list``, built when first read).

    Classes are exact: an open-addressing table keyed by a hash of each group's bit row, rows compared
    word by word on every hit, so a hash collision only costs a longer probe. The rows are set from the
    members' supporters (``p_ptr``, ``p_grp``): a few projects' supporters, not every ballot's approvals.
    """
    m = len(members)
    words = max(1, (m + 63) // 64)
    n_g = n_groups
    keys = np.zeros((n_g, words), dtype=np.uint64)
    for k in range(m):
        p = members[k]
        bit = np.uint64(1) << np.uint64(k & 63)
        for e in range(p_ptr[p], p_ptr[p + 1]):
            keys[p_grp[e], k >> 6] |= bit
    size = 1
    while size < 2 * n_g + 2:
        size *= 2
    mask = np.uint64(size - 1)
    table = np.full(size, -1, dtype=np.int64)  # class id
    cls = np.empty(n_g, dtype=np.int64)
    rep = np.empty(n_g, dtype=np.int64)
    n_cls = 0
    for g in range(n_g):
        acc = np.uint64(1469598103934665603)
        for w in range(words):
            acc = (acc ^ keys[g, w]) * np.uint64(1099511628211)
            acc ^= acc >> np.uint64(29)
        slot = acc & mask
        while True:
            c = table[slot]
            if c < 0:
                table[slot] = n_cls
                rep[n_cls] = g
                cls[g] = n_cls
                n_cls += 1
                break
            same = True
            for w in range(words):
                if keys[g, w] != keys[rep[c], w]:
                    same = False
                    break
            if same:
                cls[g] = c
                break
            slot = (slot + np.uint64(1)) & mask
    return n_cls, cls


@nb.njit(cache=True)
def class_list(q: int, q_ptr: np.ndarray, q_end: np.ndarray, q_cls: np.ndarray, q_w: np.ndarray, cls: np.ndarray,
               p_grp: np.ndarray, p_w: np.ndarray, mark: np.ndarray, acc_w: np.ndarray) -> None:
    """Project ``q``'s supporters as classes of ``group_classes`` (``cls``) with the weight of its supporters in
    each, written to ``q_cls[q_ptr[q]:q_end[q]]`` and ``q_w`` (``q_ptr`` is the supporters' ``p_ptr``: a project
    has at most as many classes as supporting groups) unless already there (``q_end[q] >= 0``). Built on
    demand: a full check reads few projects' supporters (the others are proven by bounds), and rebuilding
    every project's list at each change of the selected set cost ~3 ms on Hungary_Budapest_2024.
    ``mark`` (per class, -1 at first) and ``acc_w`` are scratch arrays kept with the classes."""
    if q_end[q] >= 0:
        return
    start = q_ptr[q]
    out = start
    for e in range(q_ptr[q], q_ptr[q + 1]):
        c = cls[p_grp[e]]
        if mark[c] != q:
            mark[c] = q
            acc_w[c] = 0.0
            q_cls[out] = c
            out += 1
        acc_w[c] += p_w[e]
    for k in range(start, out):
        q_w[k] = acc_w[q_cls[k]]
    q_end[q] = out


@nb.njit(cache=True)
def class_lists(projects: np.ndarray, q_ptr: np.ndarray, q_end: np.ndarray, q_cls: np.ndarray, q_w: np.ndarray,
                cls: np.ndarray, p_grp: np.ndarray, p_w: np.ndarray, mark: np.ndarray, acc_w: np.ndarray) -> None:
    """``class_list`` for each of ``projects``."""
    for q in projects:
        class_list(q, q_ptr, q_end, q_cls, q_w, cls, p_grp, p_w, mark, acc_w)


@nb.njit(cache=True)
def sequence_cells(seq: np.ndarray, n_cls: int, q_ptr: np.ndarray, q_end: np.ndarray, q_cls: np.ndarray,
                   q_w: np.ndarray):
    """The cells of a replay of ``seq`` over the classes of ``group_classes`` (every winner's ``class_list``
    built): round ``t``'s cells are its
    winner's supporters split by the earlier winners they support (all hold the same budget then). Returns
    per round the range of its cells (``cell_ptr``), each cell's parent (the cell that held its supporters'
    budget before the round; cell 0 is nobody paid yet) and weight, and per round, the cell of each of the
    winner's supporters' classes (``sup_cell[sup_ptr[t]:sup_ptr[t + 1]]``, in the order of ``q_cls``)."""
    n_seq = len(seq)
    tot = 1
    sup_ptr = np.zeros(n_seq + 1, dtype=np.int64)
    for r in range(n_seq):
        tot += q_end[seq[r]] - q_ptr[seq[r]]
        sup_ptr[r + 1] = tot - 1
    node = np.zeros(n_cls, dtype=np.int64)
    sup_cell = np.empty(tot - 1, dtype=np.int64)
    cell_ptr = np.zeros(n_seq + 1, dtype=np.int64)
    parent = np.empty(tot, dtype=np.int64)
    weight = np.empty(tot)
    stamp = np.full(tot, -1, dtype=np.int64)  # per cell: the round in which it was last split
    child = np.empty(tot, dtype=np.int64)  # per cell: its child in that round (the supporters of that winner)
    parent[0] = -1
    weight[0] = 0.0
    nc = 1
    for r in range(n_seq):
        cell_ptr[r] = nc
        s = seq[r]
        for e in range(q_ptr[s], q_end[s]):
            k = q_cls[e]
            nd = node[k]
            if stamp[nd] != r:
                stamp[nd] = r
                child[nd] = nc
                parent[nc] = nd
                weight[nc] = 0.0
                nc += 1
            cell = child[nd]
            weight[cell] += q_w[e]
            node[k] = cell
            sup_cell[sup_ptr[r] + e - q_ptr[s]] = cell
    cell_ptr[n_seq] = nc
    return cell_ptr, parent[:nc].copy(), weight[:nc].copy(), sup_ptr, sup_cell


@nb.njit(cache=True)
def co_approval(g_ptr: np.ndarray, g_idx: np.ndarray, w: np.ndarray, n_projects: int) -> np.ndarray:
    """``co[p, q]``: the weight of the groups approving both ``p`` and ``q``."""
    co = np.zeros((n_projects, n_projects))
    for g in range(len(g_ptr) - 1):
        for a in range(g_ptr[g], g_ptr[g + 1]):
            p = g_idx[a]
            for b in range(g_ptr[g], g_ptr[g + 1]):
                co[p, g_idx[b]] += w[g]
    return co


@nb.njit(cache=True)
def config_agreement(pa: np.ndarray, ca: np.ndarray, aa: np.ndarray, qa: np.ndarray, pb: np.ndarray, cb: np.ndarray,
                     ab: np.ndarray, qb: np.ndarray) -> int:
    """How many first rounds two replays of one sequence price with the same certain capped sets (and the
    same pristine flags ``qa``/``qb``): over those rounds every budget and price is one affine function of ``x``
    between the two budgets."""
    n = min(len(aa), len(ab))
    for r in range(n):
        if aa[r] or ab[r] or qa[r] != qb[r]:
            return r
        la = pa[r + 1] - pa[r]
        if la != pb[r + 1] - pb[r]:
            return r
        for k in range(la):
            if ca[pa[r] + k] != cb[pb[r] + k]:
                return r
    return n


@nb.njit(cache=True)
def _held_at(j: int, n: int, ba: np.ndarray, bm: np.ndarray, ws: np.ndarray, ca: float, cm: float, capped: bool) -> float:
    u = j / n
    cap = ca + (cm - ca) * u
    held = 0.0
    for i in range(len(ws)):
        v = ba[i] + (bm[i] - ba[i]) * u
        if capped and v > cap:
            v = cap
        held += ws[i] * v
    return held


@nb.njit(cache=True)
def first_reach(ba: np.ndarray, bm: np.ndarray, ws: np.ndarray, ca: float, cm: float, capped: bool, tau: float,
                n: int) -> int:
    """Smallest ``j`` in ``1..n`` where ``sum ws * min(B(j), C(j)) >= tau``, with ``B`` and ``C`` affine from
    ``ba``, ``ca`` (``j = 0``) to ``bm``, ``cm`` (``j = n``); ``n + 1`` when none. The sum is concave in ``j``
    (a sum of minima of affine functions), so its maximum is found by ternary search and the first ``j``
    reaching ``tau`` by bisection left of it (where it is non-decreasing)."""
    lo = 0
    hi = n
    while hi - lo > 2:
        m1 = lo + (hi - lo) // 3
        m2 = hi - (hi - lo) // 3
        if _held_at(m1, n, ba, bm, ws, ca, cm, capped) < _held_at(m2, n, ba, bm, ws, ca, cm, capped):
            lo = m1 + 1
        else:
            hi = m2 - 1 if m2 - 1 >= m1 else m1
    top = lo
    best = _held_at(lo, n, ba, bm, ws, ca, cm, capped)
    for j in range(lo + 1, hi + 1):
        v = _held_at(j, n, ba, bm, ws, ca, cm, capped)
        if v > best:
            best = v
            top = j
    if top == 0:
        return 1 if n >= 1 and _held_at(1, n, ba, bm, ws, ca, cm, capped) >= tau else n + 1
    if best < tau:
        return n + 1
    a = 1
    b = top
    while a < b:  # non-decreasing on [0, top]: the first j in [1, top] reaching tau
        mid = (a + b) // 2
        if _held_at(mid, n, ba, bm, ws, ca, cm, capped) >= tau:
            b = mid
        else:
            a = mid + 1
    return a
