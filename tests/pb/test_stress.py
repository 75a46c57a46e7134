"""Exactness on generated hard inputs: huge costs with cents (optima), zero-cost projects (conventions).

The optima are checked against brute force (every subset, exact ``Fraction`` sums), through each of the
exact methods; the zero-cost conventions against pabutools 1.2.3 in-process (the elections are tiny).
"""

from __future__ import annotations

import pytest

from observatory.pb.rules import RULES, optimal, run_rule
from tests.pb.oracle import SATISFACTION
from tests.pb.stress import (
    brute_force_optimum,
    large_cost_counts,
    objective,
    zero_cost_approval,
    zero_cost_text,
)

MAGNITUDES = (1e8, 1e9, 1e12)


@pytest.mark.parametrize("magnitude", MAGNITUDES)
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("method", ["auto", "branch-and-bound"])
def test_optima_are_exact_on_costs_with_cents(seed: int, magnitude: float, method: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    e = large_cost_counts(seed, 4 + seed, magnitude)
    _, budget = optimal._int_costs(e)
    assert e.n_projects * (budget + 1) > optimal.DP_MAX_CELLS_BUDGET  # the DP cannot take these
    if method == "branch-and-bound":
        monkeypatch.setattr(optimal, "MITM_MAX_ITEMS", 0)
    for rule, by_budget in (("max-supports", False), ("max-budget", True)):
        chosen = RULES[rule](e)
        assert objective(e, chosen, by_budget) == brute_force_optimum(e, by_budget), rule


@pytest.mark.parametrize("seed", range(3))
def test_meet_in_the_middle_and_branch_and_bound_agree_on_larger_elections(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    e = large_cost_counts(50 + seed, 26, 1e9)  # too many subsets for brute force (6.7e7)
    by_halves = objective(e, RULES["max-supports"](e), False)
    monkeypatch.setattr(optimal, "MITM_MAX_ITEMS", 0)
    assert objective(e, RULES["max-supports"](e), False) == by_halves


def _float_solver_max_supports(e) -> list[int]:
    """The former large-grid path: two HiGHS MILPs (most approvals, then most spend with the approvals
    fixed up to the solver's tolerance) on the scaled integer costs."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    costs, budget = optimal._int_costs(e)
    c = np.array(costs, dtype=np.float64)
    s = e.approval_counts.astype(np.float64)
    fits = [LinearConstraint(c.reshape(1, -1), -np.inf, float(budget))]
    opts = {"mip_rel_gap": 0.0, "time_limit": 10}
    x1 = np.round(milp(-s, integrality=np.ones(len(c)), bounds=Bounds(0, 1), constraints=fits, options=opts).x)
    top = float(s @ x1)
    res = milp(-c, integrality=np.ones(len(c)), bounds=Bounds(0, 1), options=opts,
               constraints=[*fits, LinearConstraint(s.reshape(1, -1), top * (1 - 1e-9) - 0.5, np.inf)])
    return [int(i) for i in np.flatnonzero(np.round(res.x))]


def test_the_float_solver_was_not_exact_on_such_costs() -> None:
    """Control: the former HiGHS path misses the optimum or overspends on some of these elections
    (costs of 1e12 with cents), which the exact methods above do not."""
    wrong = 0
    for seed in range(6):
        e = large_cost_counts(seed, 8, 1e12)
        got = objective(e, _float_solver_max_supports(e), False)
        wrong += got[1] > e.budget or got != brute_force_optimum(e, False)
        assert objective(e, RULES["max-supports"](e), False) == brute_force_optimum(e, False)
    assert wrong > 0


def _pabutools(tmp_path, seed: int, rules: list[str]) -> dict[str, list[str]]:
    from tests.pb.pabutools_outcomes import GROUPS, parse, run_group

    path = tmp_path / f"zero_cost_{seed}.pb"
    path.write_text(zero_cost_text(seed), encoding="utf-8")
    instance, profile = parse(path)
    rows = [row for g in GROUPS if set(g) & set(rules) for row in run_group(g, instance, profile)]
    return {row["rule"]: row["selected"] for row in rows if row["rule"] in rules}


ORACLE_RULES = ["greedy", "greedy-ratio", "mes", "mes-add1", "mes-add1-greedy", "phragmen"]


@pytest.mark.oracle
@pytest.mark.parametrize("seed", range(10))
def test_zero_cost_projects_follow_each_rules_satisfaction(seed: int, tmp_path) -> None:
    e = zero_cost_approval(seed)
    expected = _pabutools(tmp_path, seed, ORACLE_RULES)
    for rule in ORACLE_RULES:
        assert sorted(run_rule(rule, e)) == expected[rule], f"{rule}: {SATISFACTION[rule]}"
    free = {e.project_ids[p] for p in range(e.n_projects) if e.costs[p] == 0 and e.approval_counts[p] > 0}
    assert free and not free & set(run_rule("mes", e))            # cost satisfaction 0: never bought
    assert free <= set(run_rule("mes-add1-greedy", e))           # the greedy completion takes it
    assert free <= set(run_rule("greedy-ratio", e))              # cardinality: infinite density


def test_taking_free_projects_up_front_disagrees_with_pabutools(tmp_path) -> None:
    """Control: the former convention (MES buys supported free projects first) differs from pabutools."""
    e = zero_cost_approval(0)
    free = [p for p in range(e.n_projects) if e.costs[p] == 0 and e.approval_counts[p] > 0]
    former = sorted(e.project_ids[p] for p in free + RULES["mes"](e))
    assert former != _pabutools(tmp_path, 0, ["mes"])["mes"]


def test_greedy_noskip_reaches_a_free_project_only_before_the_first_misfit() -> None:
    from tests.pb.test_rules import approval

    # a (3 votes, 6), b (2 votes, 5), z (1 vote, free): greedy stops at b; z has density 0 (cost
    # satisfaction) so it comes after b and is not reached; greedy (skip) still takes it
    e = approval("10", [("a", "6"), ("b", "5"), ("z", "0")], ["a,b,z", "a,b", "a"])
    assert sorted(run_rule("greedy-noskip", e)) == ["a"]
    assert sorted(run_rule("greedy", e)) == ["a", "z"]
    assert sorted(run_rule("greedy-ratio", e)) == ["a", "z"]
