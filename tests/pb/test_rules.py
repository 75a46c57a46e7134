"""Rule semantics on instances small enough to work out by hand (the reasoning is in the comments)."""

from __future__ import annotations

import pytest

from observatory.pb.model import Election, NeedsBallots
from observatory.pb.pabulib import parse_string
from observatory.pb.rules import COUNT_RULES, RULES, RuleNotApplicable, run_rule


def approval(budget: str, projects: list[tuple[str, str]], ballots: list[str], extra_meta: str = "") -> Election:
    lines = ["META", "key;value", f"num_projects;{len(projects)}", f"num_votes;{len(ballots)}",
             f"budget;{budget}", "vote_type;approval", *([extra_meta] if extra_meta else []),
             "PROJECTS", "project_id;cost", *[f"{p};{c}" for p, c in projects],
             "VOTES", "voter_id;vote", *[f"v{i};{b}" for i, b in enumerate(ballots)]]
    return parse_string("\n".join(lines) + "\n", "hand.pb").election


# Budget 4, one unit per voter. a (3) is approved by v0 v1 v2, b (1) by v3, c (1) by v0 v1.
FOUR = approval("4", [("a", "3"), ("b", "1"), ("c", "1")], ["a,c", "a,c", "a", "b"])


def sel(rule: str, e: Election) -> list[str]:
    return sorted(run_rule(rule, e))


def test_greedy_by_votes_skips_what_does_not_fit() -> None:
    # a (3 votes) leaves 1; c (2 votes) fits; b does not -> {a, c}
    assert sel("greedy", FOUR) == ["a", "c"]


def test_mes_buys_cheapest_per_unit_of_support_and_spends_voters_money() -> None:
    # rho(a) = 1/3 (each of 3 pays 1), rho(c) = 1/2, rho(b) = 1: buy a, v0..v2 are left with 0,
    # c becomes unaffordable, v3 buys b -> {a, b}; add1 stops at once (exhaustive)
    assert sel("mes", FOUR) == ["a", "b"]
    assert sel("mes-add1", FOUR) == ["a", "b"] and sel("mes-add1-greedy", FOUR) == ["a", "b"]


def test_phragmen_stops_at_the_first_project_that_does_not_fit() -> None:
    # loads: c 1/2, then b 1 (< a (0.5+0.5+0+3)/3 = 4/3), then a would overspend -> stop: {b, c}
    assert sel("phragmen", FOUR) == ["b", "c"]


def test_optima() -> None:
    # within 4: a+c gives 5 approvals and spends 4; a+b also spends 4 but has 4 approvals
    assert sel("max-supports", FOUR) == ["a", "c"]
    assert sel("max-budget", FOUR) == ["a", "c"]


def test_greedy_noskip_stops_where_greedy_skips() -> None:
    # budget 10: a (6, 3 votes), b (5, 2 votes), c (4, 1 vote)
    e = approval("10", [("a", "6"), ("b", "5"), ("c", "4")], ["a,b,c", "a,b", "a"])
    assert sel("greedy", e) == ["a", "c"]          # b does not fit, c does
    assert sel("greedy-noskip", e) == ["a"]        # stops at b
    # per unit of cost: a 3/6, b 2/5, c 1/4 -> a, (b no), c
    assert sel("greedy-ratio", e) == ["a", "c"]


def test_ties_go_to_the_smaller_id_as_a_string() -> None:
    e = approval("5", [("9", "5"), ("10", "5")], ["9,10", "10,9"])
    assert sel("greedy", e) == ["10"]              # "10" < "9" as strings
    assert sel("mes", e) == ["10"]
    assert sel("phragmen", e) == ["10"]


def test_declared_threshold_rule_excludes_projects_below_it() -> None:
    e = approval("10", [("a", "4"), ("b", "4")], ["a", "a", "a", "b"],
                 extra_meta="rule;greedy-threshold\nmin_project_score_threshold;2")
    assert sel("greedy", e) == ["a", "b"]
    assert sel("declared", e) == ["a"]             # b has 1 vote < 2


def test_actual_reads_selected_and_says_when_it_cannot() -> None:
    with pytest.raises(RuleNotApplicable):
        run_rule("actual", FOUR)


def test_counts_only_elections() -> None:
    e = Election.from_counts(["x", "y", "z"], [3, 4, 5], [10, 7, 1], budget=8)
    assert sel("greedy", e) == ["x", "y"]           # 3 + 4 fit, z (5) does not
    assert sel("greedy-noskip", e) == ["x", "y"]
    assert sel("max-supports", e) == ["x", "y"]
    for rule in COUNT_RULES:
        run_rule(rule, e)
    for rule in ("mes", "mes-add1", "phragmen"):
        with pytest.raises(NeedsBallots):
            run_rule(rule, e)


def test_every_rule_is_registered_with_a_callable() -> None:
    assert {"greedy", "greedy-noskip", "greedy-ratio", "mes", "mes-add1", "mes-add1-greedy", "phragmen",
            "max-supports", "max-budget", "actual", "declared"} <= set(RULES)
    with pytest.raises(KeyError):
        run_rule("no-such-rule", FOUR)


def _random_approval(seed: int, n_projects: int, n_voters: int, budget: int) -> Election:
    import random

    rnd = random.Random(seed)
    projects = [(str(i + 1), str(rnd.choice([40, 60, 75, 100, 120, 150, 200, 250, 300]))) for i in range(n_projects)]
    ballots = [",".join(str(p + 1) for p in sorted(rnd.sample(range(n_projects), rnd.randint(1, 4))))
               for _ in range(n_voters)]
    return approval(str(budget), projects, ballots)


@pytest.mark.parametrize("seed", range(12))
def test_mes_add1_skips_only_budgets_that_repeat_the_outcome(seed: int) -> None:
    """The proven jumps must return what pabutools' unit steps return (exact MES at every step)."""
    from tests.pb.add1_reference import add1_by_unit_steps

    e = _random_approval(seed, 9, 7, 1000)
    expected, _ = add1_by_unit_steps(e, exact=True)
    assert RULES["mes-add1"](e) == expected
    assert RULES["mes-add1"](e) == expected  # second call served from the election's cache


@pytest.mark.parametrize("seed", range(6))
def test_max_budget_large_grid_paths_agree_with_brute_force(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from itertools import combinations

    from observatory.pb.rules import optimal

    e = _random_approval(100 + seed, 9, 12, 700)
    counts = e.approval_counts
    best = max(((sum(e.costs[i] for i in c), int(sum(counts[i] for i in c))), sorted(c))
               for k in range(e.n_projects + 1) for c in combinations(range(e.n_projects), k)
               if sum(e.costs[i] for i in c) <= e.budget)
    want = best[0]

    def score(chosen: list[int]) -> tuple:
        return (sum(e.costs[i] for i in chosen), int(sum(counts[i] for i in chosen)))

    monkeypatch.setattr(optimal, "DP_MAX_CELLS", 0)  # the big-DP path
    assert score(RULES["max-budget"](e)) == want
    monkeypatch.setattr(optimal, "DP_MAX_CELLS_BUDGET", 0)  # bitset DP + HiGHS tie-break
    assert score(RULES["max-budget"](e)) == want
