"""The former ``observatory.analytics.chooser`` entry points on the hand-written sample database."""

from __future__ import annotations

import pandas as pd
import pytest

from observatory.analytics import chooser


def test_ranking_has_one_row_per_tool_with_explanations_and_sources(con):
    ranking = chooser.rank_tools(con, chooser.Needs(processes=["participatory_budgeting"]), lang="en")
    assert set(ranking["tool_id"]) == {"decidim", "consul", "smallpb", "closedpb"}
    ranked = ranking[ranking["ranked"]]
    assert list(ranked["rank"]) == list(range(1, len(ranked) + 1))
    assert ranked["score"].is_monotonic_decreasing
    assert all("Processes: Offers all 1 processes" in e for e in ranked["explanation"])
    assert all(s.startswith("https://") for s in ranking["sources"])


def test_open_source_constraint_excludes_source_available_tools(con):
    ranking = chooser.rank_tools(con, chooser.Needs(open_source_required=True), lang="en")
    closed = ranking.set_index("tool_id").loc["closedpb"]
    assert closed["excluded"] and pd.isna(closed["rank"])
    allowed = chooser.rank_tools(con, chooser.Needs(open_source_required=False), lang="en")
    assert not allowed.set_index("tool_id").loc["closedpb", "excluded"]


def test_refusing_network_copyleft_excludes_agpl_tools(con):
    ranking = chooser.rank_tools(con, chooser.Needs(network_copyleft_ok=False), lang="fr").set_index("tool_id")
    assert ranking.loc["decidim", "excluded"] and ranking.loc["consul", "excluded"]
    assert "copyleft réseau" in ranking.loc["decidim", "explanation"]
    assert not ranking.loc["smallpb", "excluded"]


def test_feature_coverage_weighs_evidence(con):
    needs = chooser.Needs(processes=["participatory_budgeting", "petitions"])
    scores = chooser.rank_tools(con, needs).set_index("tool_id")["score_processes"]
    # consul: code (1.0) + self-declared petitions (0.7) over 2; decidim: only PB by code
    assert scores["consul"] == pytest.approx((1.0 + 0.7) / 2)
    assert scores["decidim"] == pytest.approx(0.5)


def test_weights_change_the_order(con):
    needs = chooser.Needs(processes=["participatory_budgeting", "petitions"])
    only_processes = {c: 0.0 for c in chooser.CRITERIA} | {"processes": 1.0}
    only_adoption = {c: 0.0 for c in chooser.CRITERIA} | {"adoption": 1.0}
    assert chooser.rank_tools(con, needs, only_processes).iloc[0]["tool_id"] == "consul"
    assert chooser.rank_tools(con, needs, only_adoption).iloc[0]["tool_id"] == "decidim"  # 3 live deployments


def test_a_tool_without_live_deployment_is_unknown_on_adoption_not_zero(con):
    ranking = chooser.rank_tools(con, chooser.Needs()).set_index("tool_id")
    assert pd.isna(ranking.loc["smallpb", "score_adoption"])  # its only deployment was removed
    assert "Comparable deployments" in ranking.loc["smallpb", "unknown_criteria"]


def test_sensitivity_reports_what_moves_the_leader(con):
    needs = chooser.Needs(processes=["participatory_budgeting", "petitions"])
    table = chooser.sensitivity(con, needs)
    assert set(table["criterion"]) == set(chooser.CRITERIA)
    zero = table[(table["criterion"] == "processes") & (table["factor"] == 0.0)].iloc[0]
    assert zero["top_before"].startswith("consul")
    assert zero["leader_changes"] and zero["top_after"].startswith("decidim")


def test_self_hosting_needs_open_code_in_a_public_repository(con):
    ranking = chooser.rank_tools(con, chooser.Needs(hosting="self_host", open_source_required=False)).set_index("tool_id")
    assert ranking.loc["decidim", "score_hosting"] == 1.0
    assert ranking.loc["closedpb", "score_hosting"] == 0.0  # not open source
