from __future__ import annotations

import pandas as pd
import pytest

from observatory.analytics import chooser


def test_ranking_has_one_row_per_tool_with_explanations_and_sources(con):
    ranking = chooser.rank_tools(con, chooser.Needs(processes=["participatory_budgeting"]), lang="en")
    assert set(ranking["tool_id"]) == {"decidim", "consul", "smallpb", "closedpb"}
    eligible = ranking[~ranking["excluded"]]
    assert list(eligible["rank"]) == list(range(1, len(eligible) + 1))
    assert eligible["score"].is_monotonic_decreasing
    assert all("Processes: Covers 1 of 1" in e for e in eligible["explanation"])
    assert all(s.startswith("https://") for s in ranking["sources"])


def test_osi_constraint_excludes_source_available_tools(con):
    ranking = chooser.rank_tools(con, chooser.Needs(must_be_osi=True), lang="en")
    closed = ranking.set_index("tool_id").loc["closedpb"]
    assert closed["excluded"] and pd.isna(closed["rank"])
    allowed = chooser.rank_tools(con, chooser.Needs(must_be_osi=False), lang="en")
    assert not allowed.set_index("tool_id").loc["closedpb", "excluded"]


def test_refusing_network_copyleft_excludes_agpl_tools(con):
    ranking = chooser.rank_tools(con, chooser.Needs(network_copyleft_ok=False), lang="fr").set_index("tool_id")
    assert ranking.loc["decidim", "excluded"] and ranking.loc["consul", "excluded"]
    assert "copyleft réseau" in ranking.loc["decidim", "explanation"]
    assert not ranking.loc["smallpb", "excluded"]


def test_feature_coverage_weighs_evidence(con):
    needs = chooser.Needs(processes=["participatory_budgeting", "petitions"])
    scores = chooser.rank_tools(con, needs).set_index("tool_id")["score_features"]
    # consul: code (1.0) + self-declared petitions (0.7) over 2; decidim: only PB by code
    assert scores["consul"] == pytest.approx((1.0 + 0.7) / 2)
    assert scores["decidim"] == pytest.approx(0.5)


def test_weights_change_the_order(con):
    needs = chooser.Needs(processes=["surveys"])
    only_features = {c: 0.0 for c in chooser.CRITERIA} | {"features": 1.0}
    only_adoption = {c: 0.0 for c in chooser.CRITERIA} | {"adoption": 1.0}
    by_features = chooser.rank_tools(con, needs, only_features)
    by_adoption = chooser.rank_tools(con, needs, only_adoption)
    assert by_features.iloc[0]["tool_id"] == "decidim"  # surveys by code, closedpb is excluded (not OSI)
    assert by_adoption.iloc[0]["tool_id"] == "decidim"  # 3 live deployments
    assert by_adoption.set_index("tool_id").loc["smallpb", "score_adoption"] == 0.0  # its only deployment was removed


def test_sensitivity_reports_what_moves_the_leader(con):
    needs = chooser.Needs(processes=["participatory_budgeting", "petitions"])
    table = chooser.sensitivity(con, needs)
    assert set(table["criterion"]) == set(chooser.CRITERIA)
    assert table.loc[table["factor"] == 1.0].empty
    zero_features = table[(table["criterion"] == "features") & (table["factor"] == 0.0)].iloc[0]
    assert zero_features["top_before"].startswith("consul")
    # without the feature criterion, decidim's larger adoption puts it first
    assert zero_features["leader_changes"] and zero_features["top_after"].startswith("decidim")


def test_load_needs_reads_yaml_and_names_bad_fields(tmp_path):
    good = tmp_path / "needs.yaml"
    good.write_text("processes: [proposals]\nhosting: self_host\nlanguages: [fr, en]\nbudget: 20000\n", "utf-8")
    needs = chooser.load_needs(good)
    assert needs.processes == ["proposals"] and needs.hosting == "self_host" and needs.budget == 20000
    bad = tmp_path / "bad.yaml"
    bad.write_text("processes: proposals\n", "utf-8")
    with pytest.raises(ValueError, match=r"bad.yaml: field 'processes' must be a list"):
        chooser.load_needs(bad)
    bad.write_text("hosting: cloud\n", "utf-8")
    with pytest.raises(ValueError, match=r"bad.yaml: hosting: 'cloud' is not one of"):
        chooser.load_needs(bad)
    bad.write_text("colour: blue\n", "utf-8")
    with pytest.raises(ValueError, match="unknown field"):
        chooser.load_needs(bad)


def test_self_hosting_needs_a_public_repository(con):
    ranking = chooser.rank_tools(con, chooser.Needs(hosting="self_host", must_be_osi=False)).set_index("tool_id")
    assert ranking.loc["decidim", "score_hosting"] == 1.0
    assert ranking.loc["closedpb", "score_hosting"] == 0.0  # no repository in the fixture
