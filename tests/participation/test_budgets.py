"""Budget comparison reuses the PB rules; a three-project case is checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from observatory.participation.analysis import budgets


def _projects(selected: list[bool | None]) -> pd.DataFrame:
    return pd.DataFrame({"project_id": ["a", "b", "c"], "budget_id": ["1"] * 3, "cost": [5.0, 4.0, 3.0],
                         "supports": [10, 6, 5], "selected": selected, "scope": [None] * 3})


def test_greedy_and_max_supports_against_greedy_when_selection_unknown() -> None:
    outcomes = {o.rule: o for o in budgets.run_rules(_projects([None, None, None]), 7.0, "1")}
    # greedy by votes takes a (5); b (4) and c (3) no longer fit in the remaining 2
    assert outcomes["greedy"].funded == ["a"] and outcomes["greedy"].moved_share == 0.0
    # b + c = 11 supports within 7 beats a alone (10)
    assert sorted(outcomes["max-supports"].funded) == ["b", "c"]
    assert outcomes["max-supports"].moved_share == pytest.approx(7 / 7)
    assert outcomes["max-supports"].reference == "greedy"
    assert "ballots" in (outcomes["mes"].unavailable or "")


def test_comparison_uses_the_actual_selection_when_known() -> None:
    outcomes = {o.rule: o for o in budgets.run_rules(_projects([False, True, True]), 7.0, "1")}
    assert outcomes["greedy"].reference == "selected"
    assert outcomes["greedy"].moved_share == pytest.approx(5 / 7)     # greedy funds a, the city funded b and c
    assert outcomes["max-supports"].moved_share == 0.0


def test_by_budget_summary_and_compare_rules_skip_budgets_without_total() -> None:
    df = pd.concat([_projects([None] * 3), _projects([None] * 3).assign(budget_id="2", project_id=["d", "e", "f"])])
    summary = budgets.by_budget(df, {"1": "North"})
    assert summary.set_index("budget_id").loc["1", "requested_cost"] == 12.0
    assert summary.set_index("budget_id").loc["1", "label"] == "North"
    table = budgets.compare_rules(df, {"1": 7.0}, rules=("greedy",))
    assert table["budget_id"].tolist() == ["1"] and table["funded_projects"].tolist() == [1]
