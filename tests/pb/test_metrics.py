"""Outcome metrics on tiny elections whose values are worked out by hand in the comments."""

from __future__ import annotations

import itertools

import pytest

from observatory.pb.metrics import changes, outcome_metrics, weighted_gini
from observatory.pb.model import Election
from observatory.pb.pabulib import parse_string

# Budget 10. Projects a (6), b (4), c (5). Ballots: v1 {a,b}, v2 {a}, v3 {c}, v4 {b,c}, v5 empty.
TINY = """META
key;value
description;tiny
country;Testland
unit;Testville
instance;2024
num_projects;3
num_votes;5
budget;10
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes;name;category;district;selected
a;6;2;Park;parks,roads;N;1
b;4;2;Bench;parks;S;1
c;5;2;Road;roads;N;0
VOTES
voter_id;vote
v1;a,b
v2;a
v3;c
v4;b,c
v5;
"""


@pytest.fixture
def tiny() -> Election:
    return parse_string(TINY, "tiny.pb", strict=False).election


def _positions(election: Election, ids: str) -> list[int]:
    return [election.index_of[p] for p in ids]


def test_budget_and_supports(tiny: Election) -> None:
    m = outcome_metrics(tiny, _positions(tiny, "ab"))
    assert (m.n_selected, m.cost, m.budget_share) == (2, 10.0, 1.0)
    assert m.supports == 4          # a and b are each on two ballots


def test_voter_metrics_count_only_non_empty_ballots(tiny: Election) -> None:
    m = outcome_metrics(tiny, _positions(tiny, "ab"))
    # cost satisfaction: v1 10/10, v2 6/6, v3 0/5, v4 4/9 (v5 listed nothing and is left out)
    assert m.mean_satisfaction_cost == pytest.approx((1 + 1 + 0 + 4 / 9) / 4)
    # count satisfaction: v1 2/2, v2 1/1, v3 0/1, v4 1/2
    assert m.mean_satisfaction_count == pytest.approx(2.5 / 4)
    assert m.voters_with_funded_share == pytest.approx(3 / 4)


def test_gini_matches_the_mean_absolute_difference_definition(tiny: Election) -> None:
    m = outcome_metrics(tiny, _positions(tiny, "ab"))
    values = [1.0, 1.0, 0.0, 4 / 9]
    mean = sum(values) / len(values)
    expected = sum(abs(x - y) for x, y in itertools.product(values, values)) / (2 * len(values) ** 2 * mean)
    assert m.gini_satisfaction == pytest.approx(expected)


def test_weighted_gini_edge_cases() -> None:
    import numpy as np

    assert weighted_gini(np.array([0.0, 1.0]), np.array([1, 1])) == pytest.approx(0.5)
    assert weighted_gini(np.array([0.3, 0.3, 0.3]), np.array([1, 5, 2])) == pytest.approx(0.0)
    assert weighted_gini(np.array([0.0, 0.0]), np.array([1, 1])) is None
    # a weight of 2 is the same as the value written twice
    assert weighted_gini(np.array([0.0, 1.0]), np.array([2, 1])) == pytest.approx(
        weighted_gini(np.array([0.0, 0.0, 1.0]), np.array([1, 1, 1])))


def test_group_shares_split_comma_categories(tiny: Election) -> None:
    m = outcome_metrics(tiny, _positions(tiny, "ab"))
    shares = {(g.kind, g.value): (g.funded_cost, g.total_cost) for g in m.groups}
    assert shares == {("category", "parks"): (10.0, 10.0), ("category", "roads"): (6.0, 11.0),
                      ("district", "N"): (6.0, 11.0), ("district", "S"): (4.0, 4.0)}


def test_empty_selection(tiny: Election) -> None:
    m = outcome_metrics(tiny, [])
    assert (m.cost, m.supports, m.voters_with_funded_share, m.mean_satisfaction_cost) == (0.0, 0, 0.0, 0.0)
    assert m.gini_satisfaction is None


def test_count_only_elections_have_no_voter_metrics() -> None:
    e = Election.from_counts(["x", "y", "z"], [3, 4, 5], [10, 7, 1], budget=8)
    m = outcome_metrics(e, [0, 1])
    assert (m.cost, m.budget_share, m.supports) == (7.0, 7 / 8, 17)
    assert m.voters_with_funded_share is None and m.mean_satisfaction_cost is None and m.gini_satisfaction is None


def test_changes_between_selections() -> None:
    assert changes(["a", "b", "c"], ["c", "d"]) == {"added": ["d"], "removed": ["a", "b"]}
