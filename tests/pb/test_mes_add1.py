"""``mes-add1`` skips whole runs of unit steps; these tests hold it to the unit-step definition.

The engine must return what MES re-run at every unit step returns (pabutools' loop, on our MES,
which ``test_oracle`` checks against pabutools), and every step it skips must really repeat the
outcome. Random instances are built to have many steps (large per-voter budgets) and exact ties
(projects with the same cost and supporters, equal approval counts). On the shared files, ``test_oracle``
compares ``mes-add1`` with pabutools' stored outcome, or with the unit-step definition's stored outcome
where pabutools did not finish.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from fractions import Fraction

import numpy as np
import pytest

from observatory.pb.model import ApprovalGroups, Election
from observatory.pb.pabulib import parse_string
from observatory.pb.rules import RULES
from observatory.pb.rules.mes_change import ChangeFinder, price, price_sorted
from tests.pb.add1_reference import add1_by_unit_steps

mes_module = importlib.import_module("observatory.pb.rules.mes")


def _random_election(seed: int) -> Election:
    rng = np.random.default_rng(seed)
    n_projects = int(rng.integers(6, 16))
    n_voters = int(rng.integers(20, 120))
    costs = rng.choice([500, 800, 1000, 1200, 2500, 4000], size=n_projects)
    popularity = rng.uniform(0.05, 0.6, size=n_projects)
    ballots = []
    for _ in range(n_voters):
        chosen = [p for p in range(n_projects) if rng.random() < popularity[p]]
        ballots.append(chosen or [int(rng.integers(n_projects))])
    # a twin: same cost and the same supporters as project 0 (an exact tie at every budget)
    twin = n_projects
    costs = np.append(costs, costs[0])
    ballots = [b + [twin] if 0 in b else b for b in ballots]
    budget = int(costs.sum() * rng.uniform(0.25, 0.6))
    lines = ["META", "key;value", f"num_projects;{twin + 1}", f"num_votes;{n_voters}", f"budget;{budget}",
             "vote_type;approval", "PROJECTS", "project_id;cost",
             *[f"{p + 1};{int(c)}" for p, c in enumerate(costs)], "VOTES", "voter_id;vote",
             *[f"v{i};{','.join(str(p + 1) for p in b)}" for i, b in enumerate(ballots)]]
    return parse_string("\n".join(lines) + "\n", f"random-{seed}.pb").election


def _finder(e: Election) -> tuple[ApprovalGroups, list[int], ChangeFinder, Fraction]:
    """Merged ballots, projects MES can buy, a change finder and the starting per-voter budget."""
    groups, eligible, _ = mes_module._setup(e)
    return groups, eligible, ChangeFinder(e, groups, eligible), e.budget / groups.n_ballots


def _searches(e: Election, groups: ApprovalGroups, eligible: list[int], finder: ChangeFinder, b: Fraction,
              count: int) -> Iterator[tuple[Fraction, list[int], int]]:
    """``count`` successive searches from ``b``: the budget, MES's sequence there and the steps to the next
    possible change (the next search starts there)."""
    for _ in range(count):
        seq = mes_module._run(e, groups, eligible, b)
        k = finder.first_change(seq, b)
        yield b, seq, k
        b += k


def _assert_skipped_steps_repeat(e: Election, groups: ApprovalGroups, eligible: list[int], b: Fraction,
                                 seq: list[int], k: int) -> None:
    """The claim behind a jump of ``k``: MES at ``b + j`` is the same sequence for every ``0 < j < k``."""
    for j in range(1, k):
        assert mes_module._run(e, groups, eligible, b + j) == seq, (b, j, k)


@pytest.mark.parametrize("seed", range(40))
def test_mes_add1_equals_unit_steps_on_random_elections(seed: int) -> None:
    e = _random_election(seed)
    expected, _ = add1_by_unit_steps(e)
    assert RULES["mes-add1"](e) == expected


@pytest.mark.parametrize("seed", range(8))
def test_every_skipped_step_repeats_the_outcome(seed: int) -> None:
    """The claim behind each jump: MES at ``b + j`` is the same sequence for every ``0 < j < k``."""
    e = _random_election(1000 + seed)
    groups, eligible, finder, b0 = _finder(e)
    jumps = 0
    for b, seq, k in _searches(e, groups, eligible, finder, b0, 6):
        _assert_skipped_steps_repeat(e, groups, eligible, b, seq, k)
        jumps += k > 1
    assert jumps > 0  # the instances are built so that some steps are skipped


@pytest.mark.parametrize("seed", range(200))
def test_newton_price_equals_the_sorted_formula(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    bud = rng.exponential(1.0, n) * rng.uniform(0.1, 10)
    bud[rng.random(n) < 0.3] = 0.0
    ws = rng.integers(1, 5, n).astype(np.float64)
    total = float(ws @ bud)
    if total == 0:
        return
    c = total * rng.uniform(0.01, 1.0)
    expected = price_sorted(bud, ws, c)
    assert price(bud, ws, c) == pytest.approx(expected, rel=1e-12)
    lower = expected * rng.uniform(0.0, 1.0)  # any lower bound is a valid start
    assert price(bud, ws, c, lower) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_prices_recorded_by_the_mes_run_match_a_replay(seed: int) -> None:
    """The MES run's trace stands in for a replay at ``b`` in every proof: it must say the same."""
    from observatory.pb.rules.mes_change import Replay

    e = _random_election(2000 + seed)
    groups, eligible, finder, b = _finder(e)
    for step in (0, 3, 17):
        trace = Replay()
        seq = mes_module._run(e, groups, eligible, b + step, trace)
        replay = finder.replay(seq, float(b + step))
        assert len(trace.rho) == len(seq)
        assert trace.pristine == replay.pristine
        assert trace.rho == pytest.approx(replay.rho, rel=1e-12)
        assert trace.paid == pytest.approx(replay.paid, rel=1e-12)


# ---- the compiled kernels (observatory/pb/rules/mes_kernel.py) ---------------------------------------------


def _small(costs: list[int], ballots: list[list[int]], budget: int) -> Election:
    lines = ["META", "key;value", f"num_projects;{len(costs)}", f"num_votes;{len(ballots)}", f"budget;{budget}",
             "vote_type;approval", "PROJECTS", "project_id;cost", *[f"{p + 1};{c}" for p, c in enumerate(costs)],
             "VOTES", "voter_id;vote", *[f"v{i};{','.join(str(p + 1) for p in b)}" for i, b in enumerate(ballots)]]
    return parse_string("\n".join(lines) + "\n", "small.pb").election


@pytest.mark.parametrize("seed", range(30))
def test_compiled_run_equals_the_python_run(seed: int) -> None:
    """Where the kernel decides, it returns the Python run's selection and the same trace."""
    from observatory.pb.rules.mes_change import Replay

    e = _random_election(3000 + seed)
    groups, eligible, finder, b = _finder(e)
    decided = 0
    for step in (0, 1, 5, 40, 300):
        ours, theirs = Replay(), Replay()
        chosen = finder.mes_run(b + step, ours)
        expected = mes_module._run(e, groups, eligible, b + step, theirs)
        if chosen is None:
            assert not ours.rho  # deferred to the Python run, nothing recorded
            continue
        decided += 1
        assert chosen == expected
        if len(theirs.rho) == len(expected):  # the Python float run (not the exact one) recorded its prices
            assert ours.pristine == theirs.pristine
            assert ours.paid == pytest.approx(theirs.paid, rel=1e-12)
            assert ours.rho == pytest.approx(theirs.rho, rel=1e-12)
    assert decided > 0


def test_compiled_run_defers_an_exact_affordability_tie() -> None:
    """Two voters holding exactly the cost of their project: whether it is affordable is a float
    near-tie, so the kernel defers to the Python run (exact); one more unit of budget and it decides."""
    e = _small([100, 60], [[0, 1], [0]], 100)  # b = 50 per voter: project 1 costs exactly 2 x 50
    groups, eligible, finder, b = _finder(e)
    assert finder.mes_run(b) is None
    assert mes_module._run(e, groups, eligible, b) == [0]
    assert finder.mes_run(b + 1) == mes_module._run(e, groups, eligible, b + 1)
    expected, _ = add1_by_unit_steps(e, exact=True)
    assert RULES["mes-add1"](e) == expected


def test_compiled_run_settles_exact_ties_like_pabutools() -> None:
    """Equal rho = 1 / approvers with different supporters: most approvers holding money, then id;
    twins (same cost and supporters) priced with capped supporters: the smaller id first."""
    from observatory.pb.rules.mes_change import Replay

    # projects 1 and 2: 2 approvers each, disjoint, same cost -> pristine tie, id order
    e = _small([10, 10, 7], [[1], [1], [0], [0], [2]], 40)
    groups, eligible, finder, b = _finder(e)
    assert finder.mes_run(b) == mes_module._run(e, groups, eligible, b) == [0, 1, 2]
    # twins 1 and 2 (cost 30, same supporters); project 3 (rho 1/5) leaves voter 0 with 2 of 20, so the
    # first twin is bought at a capped price (rho 28/90), the second by the three others (10 each)
    ballots = [[0, 1, 2], [0, 1], [0, 1], [0, 1], [2], [2], [2], [2]]
    e = _small([30, 30, 90], ballots, 160)
    groups, eligible, finder, b = _finder(e)
    trace = Replay()
    assert finder.mes_run(b, trace) == mes_module._run(e, groups, eligible, b) == [2, 0, 1]
    assert trace.pristine == [True, False, False]  # voter 0 holds nothing for the second twin


@pytest.mark.parametrize("seed", range(12))
def test_run_after_a_proven_prefix_equals_the_cold_run(seed: int) -> None:
    """Where a search stops, MES is re-run after the winners the search proved; the outcome must be the
    cold run's (the control is the next test)."""
    e = _random_election(4000 + seed)
    groups, eligible, finder, b0 = _finder(e)
    warm_starts = 0
    for b, seq, k in _searches(e, groups, eligible, finder, b0, 8):
        cold = mes_module._run(e, groups, eligible, b + k)
        prefix = seq[:finder.proven_rounds]
        assert cold[:len(prefix)] == prefix
        warm = finder.mes_run(b + k, prefix=prefix)
        assert warm is None or warm == cold
        warm_starts += bool(prefix)
    assert warm_starts > 0


def test_an_unproven_prefix_gives_a_wrong_outcome() -> None:
    """The guard's control: the kernel trusts its prefix, so only proven rounds may be passed. Here the
    first winner changes between two budgets (project 2's supporters can pay it from b + 1 on, at a
    lower rho than project 1's), so the old first winner as a prefix gives another selection."""
    # b = 50: project 2 (cost 160, three voters) is unaffordable; at b = 60 it is affordable, rho 1/3 < 1/2
    e = _small([100, 160], [[0], [0], [1], [1], [1]], 250)
    groups, eligible, finder, b = _finder(e)
    seq = mes_module._run(e, groups, eligible, b)
    later = b + 10
    cold = mes_module._run(e, groups, eligible, later)
    assert seq == [0] and cold == [1, 0]
    assert finder.mes_run(later, prefix=seq[:1]) not in (None, cold)
    assert finder.mes_run(later, prefix=[]) == cold
    k = finder.first_change(seq, b)
    assert k <= 10 and finder.proven_rounds == 0  # the search proves nothing of round 0


@pytest.mark.parametrize("seed", range(6))
def test_sequence_classes_group_ballots_by_the_selected_projects_they_approve(seed: int) -> None:
    """Replays keep one budget per class; a class must hold exactly the groups approving the same projects
    of the sequence (open addressing probes past other rows, which compares rows word by word), and each
    project's weight per class must add up to its supporters' weight. Sequences over 64 projects use
    several words per row."""
    from observatory.pb.rules import mes_kernel

    rng = np.random.default_rng(seed)
    n_projects = 150
    rows = [sorted(set(rng.choice(n_projects, size=int(rng.integers(1, 12)), replace=False).tolist()))
            for _ in range(3000)]
    indptr = np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)
    indices = np.concatenate([np.array(r, dtype=np.int64) for r in rows])
    weights = rng.integers(1, 4, len(rows)).astype(np.int64)
    groups = ApprovalGroups(weights=weights, indptr=indptr, indices=indices, n_ballots=int(weights.sum()))
    sup, wsup = groups.project_supporters, groups.supporter_weights
    p_ptr = np.cumsum([0] + [len(sup[p]) for p in range(n_projects)]).astype(np.int64)
    p_grp = np.concatenate(sup).astype(np.int64)
    p_w = np.concatenate(wsup)
    members = np.sort(rng.choice(n_projects, size=(20, 70, 130)[seed % 3], replace=False)).astype(np.int64)
    n_cls, cls = mes_kernel.group_classes(members, len(rows), p_ptr, p_grp)
    chosen = set(members.tolist())
    expected_classes = {frozenset(p for p in r if p in chosen) for r in rows}
    assert n_cls == len(expected_classes)
    key_of = [frozenset(p for p in r if p in chosen) for r in rows]
    class_key = {int(k): key_of[g] for g, k in enumerate(cls.tolist())}
    assert all(class_key[int(k)] == key_of[g] for g, k in enumerate(cls.tolist()))  # one key per class
    # class lists are built on demand, each in its supporters' slot: build some, in a scattered order
    q_ptr, q_end = p_ptr, np.full(n_projects, -1, dtype=np.int64)
    q_cls, q_w = np.full(len(p_grp), -7, dtype=np.int64), np.full(len(p_grp), np.nan)
    lazy = (q_ptr, q_end, q_cls, q_w, cls, p_grp, p_w, np.full(n_cls, -1, dtype=np.int64), np.zeros(n_cls))
    asked = rng.choice(n_projects, size=15, replace=False)
    mes_kernel.class_lists(asked.astype(np.int64), *lazy)
    mes_kernel.class_list(int(asked[0]), *lazy)  # a second build leaves it as it is
    assert (q_end >= 0).sum() == 15
    for q in asked.tolist():
        classes = q_cls[q_ptr[q]:q_end[q]]
        assert {key_of[g] for g in sup[q].tolist()} == {class_key[k] for k in classes.tolist()}
        assert len(set(classes.tolist())) == len(classes)  # one entry per class
        assert q_w[q_ptr[q]:q_end[q]].sum() == pytest.approx(float(wsup[q].sum()))
        # the weight per class, from the definition: groups of q keyed by their projection
        by_key: dict[frozenset, float] = {}
        for g, w in zip(sup[q].tolist(), wsup[q].tolist(), strict=True):
            key = frozenset(p for p in rows[g] if p in chosen)
            by_key[key] = by_key.get(key, 0.0) + w
        assert sorted(q_w[q_ptr[q]:q_end[q]].tolist()) == sorted(by_key.values())


def _search_with_affine_spy(e: Election, searches: int) -> tuple[list[tuple], int]:
    """Runs ``searches`` successive ``first_change`` searches on ``e`` and checks every skipped step by MES.

    Returns, for every interval the affine proof could not decide although both ends had the pair
    budgets, ``(b, x0, interpolated first change, sequence)``: what a jump by interpolation alone would
    have claimed; and how many intervals the affine proof decided."""
    from observatory.pb.rules import mes_change

    groups, eligible, finder, b0 = _finder(e)
    undecided: list[tuple] = []
    decided = 0
    real = finder._affine

    def spy(seq, x0, x1, left, right, failing):  # noqa: ANN001, ANN202
        nonlocal decided
        out = real(seq, x0, x1, left, right, failing)
        if out is not mes_change._UNPROVEN:
            decided += 1
        elif left.cfg is not None and all(pair in left.snaps for pair in failing):
            guess = finder.predicted if finder.predicted is not None else x1 + 1
            undecided.append((b, x0, guess, list(seq)))
        return out

    finder._affine = spy
    for b, seq, k in _searches(e, groups, eligible, finder, b0, searches):
        _assert_skipped_steps_repeat(e, groups, eligible, b, seq, k)
    return undecided, decided


def test_affine_proof_skips_bisection_and_every_skipped_step_repeats() -> None:
    """Where both ends of an interval price every round with the same capped sets, the change is found by
    interpolation (``ChangeFinder._affine``); every step it skips must repeat the outcome."""
    decided = sum(_search_with_affine_spy(_random_election(seed), 6)[1] for seed in (1000, 1001, 1002, 1003, 20))
    assert decided > 0  # the affine proof is exercised, not only bisection


def test_interpolating_without_equal_capped_sets_would_skip_a_change() -> None:
    """Control: the affine proof requires the same capped set in every round at both ends. On this election
    an interval's ends differ in capped set, interpolation alone puts the first change later than it is, and
    MES changes outcome at a step it would have skipped; the finder (which bisects there) does not skip it."""
    e = _random_election(20)
    undecided, _ = _search_with_affine_spy(e, 6)  # asserts the finder skipped no change
    groups, eligible, _f, _b = _finder(e)
    wrong = [(b, x0, guess, j) for b, x0, guess, seq in undecided for j in range(x0 + 1, guess)
             if mes_module._run(e, groups, eligible, b + j) != seq]
    assert wrong, "interpolation alone was right on every undecided interval: the control shows nothing"


@pytest.mark.parametrize("seed", range(30))
def test_first_reach_equals_evaluating_every_step(seed: int) -> None:
    """``first_reach`` (ternary search on a concave sum, then bisection) against evaluating every step."""
    from observatory.pb.rules import mes_kernel

    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 40))
    n = int(rng.integers(1, 300))
    ba = rng.uniform(0, 100, m)
    bm = ba + rng.uniform(0, 60, m)
    ws = rng.integers(1, 5, m).astype(np.float64)
    ca = rng.uniform(10, 80)
    cm = ca - rng.uniform(0, 10)
    capped = bool(seed % 5)
    u = np.arange(n + 1) / n
    held = ((np.minimum(ba[None, :] + np.outer(u, bm - ba), (ca + (cm - ca) * u)[:, None]) if capped
             else ba[None, :] + np.outer(u, bm - ba)) * ws).sum(axis=1)
    tau = float(rng.uniform(held.min(), held.max() * 1.05))
    reach = np.nonzero(held[1:] >= tau)[0]
    expected = int(reach[0]) + 1 if len(reach) else n + 1
    assert mes_kernel.first_reach(ba, bm, ws, ca, cm, capped, tau, n) == expected


@pytest.mark.parametrize("seed", range(6))
def test_sequence_cells_split_each_winner_s_supporters_by_the_earlier_winners_they_approve(seed: int) -> None:
    """A replay prices round ``t`` per cell; a cell must hold exactly the winner's supporters (as classes)
    that approve the same earlier winners, weigh what they weigh, and take its budget from the cell of the
    latest earlier round they paid in (0: none)."""
    from observatory.pb.rules import mes_kernel

    e = _random_election(6000 + seed)
    groups, eligible, finder, b = _finder(e)
    seq = mes_module._run(e, groups, eligible, b * 3)
    lists = finder._classes(seq)
    seq_array = np.asarray(seq, dtype=np.int64)
    mes_kernel.class_lists(seq_array, *lists[1:])
    n_cls, q_ptr, q_end, q_cls, q_w = lists[:5]
    cell_ptr, parent, weight, sup_ptr, sup_cell = mes_kernel.sequence_cells(seq_array, n_cls, q_ptr, q_end, q_cls, q_w)
    approves = [set(q_cls[q_ptr[s]:q_end[s]].tolist()) for s in seq]  # per round, its winner's classes
    assert len(cell_ptr) == len(seq) + 1 and cell_ptr[0] == 1 and cell_ptr[-1] == len(parent)
    holder = {}  # per class, the cell holding its budget so far
    for t, s in enumerate(seq):
        classes = q_cls[q_ptr[s]:q_end[s]].tolist()
        cells = sup_cell[sup_ptr[t]:sup_ptr[t + 1]].tolist()
        assert all(cell_ptr[t] <= c < cell_ptr[t + 1] for c in cells)
        history = {k: frozenset(r for r in range(t) if k in approves[r]) for k in classes}
        for c in set(cells):
            members = [k for k, ck in zip(classes, cells, strict=True) if ck == c]
            assert len({history[k] for k in members}) == 1  # one history per cell
            assert {holder.get(k, 0) for k in members} == {parent[c]}
            weights = {k: w for k, w in zip(classes, q_w[q_ptr[s]:q_end[s]].tolist(), strict=True)}
            assert weight[c] == pytest.approx(sum(weights[k] for k in members))
        assert len(set(cells)) == len({history[k] for k in classes})  # and one cell per history
        holder.update(zip(classes, cells, strict=True))


def _full_check(finder: ChangeFinder, seq: list[int], x: float, left_x: float) -> dict:
    left = finder.replay(seq, left_x)
    return finder.replay(seq, x, left).failing


@pytest.mark.parametrize("seed", range(12))
def test_full_checks_seeded_by_an_earlier_one_fail_the_same_pairs(seed: int) -> None:
    """A full check skips pairs whose bound, from the previous full check (another sequence or budget),
    proves they pass; the pairs it finds failing, and their budgets, must be those of a check from scratch."""
    e = _random_election(7000 + seed)
    groups, eligible, finder, b = _finder(e)
    rng = np.random.default_rng(seed)
    for _ in range(6):
        x_ref, x0 = (float(b * f) for f in rng.uniform(1.0, 4.0, size=2))
        x1 = x0 + float(rng.choice([1, 7, 60, 400]))
        ref_seq = mes_module._run(e, groups, eligible, Fraction(x_ref))
        seq = mes_module._run(e, groups, eligible, Fraction(x0))
        _full_check(finder, ref_seq, x_ref + float(rng.choice([1, 50])), x_ref)  # becomes the reference
        seeded = _full_check(finder, seq, x1, x0)
        fresh = _full_check(ChangeFinder(e, groups, eligible), seq, x1, x0)
        assert seeded.keys() == fresh.keys()
        assert all(np.array_equal(seeded[p], fresh[p]) for p in fresh)


def test_a_reference_taken_for_a_larger_budget_than_its_own_skips_failing_pairs() -> None:
    """Control for the test above: the reference's bounds hold at another budget only with the rise of
    budgets since its own added; a reference claiming a larger budget than it had (no rise added) proves
    pairs that fail."""
    missed = 0
    for seed in range(12):
        e = _random_election(7000 + seed)
        groups, eligible, finder, b = _finder(e)
        x0 = float(b * 2)
        seq = mes_module._run(e, groups, eligible, Fraction(x0))
        for jump in (60, 400, 2000):
            _full_check(finder, seq, x0 + 1, x0)
            ref = finder._ref
            finder._ref = (ref[0], x0 + jump + 1, *ref[2:])  # the lie: as if taken at the right end
            seeded = _full_check(finder, seq, x0 + jump, x0)
            fresh = _full_check(ChangeFinder(e, groups, eligible), seq, x0 + jump, x0)
            missed += len(fresh.keys() - seeded.keys())
            assert seeded.keys() <= fresh.keys()
    assert missed > 0
