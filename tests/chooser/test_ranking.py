"""The ranking: weighted mean over known criteria with coverage, near-ties, answer sensitivity, YAML needs,
and the town-hall case on the database built from the shipped datasets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from observatory import chooser
from observatory.chooser.facts import Deployment, Offer
from observatory.store import connect_readonly
from tests.chooser.test_criteria import SRC, tool

TOWN_HALL = chooser.Needs(processes=["participatory_budgeting", "proposals"], country="FR", population=30000,
                          hosting="hosted", data_location="eu", languages=["fr"])


def _facts(*tools) -> chooser.Facts:  # noqa: ANN002
    return chooser.Facts({t.tool_id: t for t in tools}, {"en": {}, "fr": {}})


def test_an_unknown_is_left_out_of_the_mean_and_lowers_the_coverage():
    pb = {"participatory_budgeting": ("code", SRC)}
    known_offer = tool(tool_id="a", features=pb, status="active",
                       offers=[Offer("P", "saas", (), None, False, None, (), SRC)])
    no_offer = tool(tool_id="b", features=pb, status="active")
    needs = chooser.Needs(processes=["participatory_budgeting"], hosting="hosted")
    results = {r.tool.tool_id: r for r in chooser.rank(_facts(known_offer, no_offer), needs)}
    a, b = results["a"], results["b"]
    assert b.verdicts["hosting"].score is None and b.unknown() == ["hosting", "adoption"]
    assert b.score == pytest.approx(1.0)  # unknown hosting does not pull it to 0 ...
    assert b.coverage < a.coverage  # ... but it is said: less of the weight is known
    assert b.low < b.score <= b.high
    # control: scoring the unknown as 0 (what the old chooser did) would have given a lower total
    w = chooser.normalised(None)
    as_zero = sum(w[c] * (v.score or 0.0) for c, v in b.verdicts.items() if v.asked) / sum(
        w[c] for c, v in b.verdicts.items() if v.asked)
    assert as_zero < b.score


def test_a_tool_whose_processes_are_unknown_is_listed_but_not_ranked():
    pb = {"participatory_budgeting": ("code", SRC)}
    claimed = tool(tool_id="a", features=pb, status="maintained", open_source=True, repo_url=SRC)
    silent = tool(tool_id="b", status="active", open_source=True, repo_url=SRC,  # no feature claim at all
                  deployments=[Deployment("d", "b", "Town", "municipality", "FR", None, SRC)])
    needs = chooser.Needs(processes=["participatory_budgeting"], hosting="self_host")
    results = chooser.rank(_facts(claimed, silent), needs)
    by_id = {r.tool.tool_id: r for r in results}
    assert by_id["b"].score == 1.0 and by_id["b"].coverage >= chooser.MIN_COVERAGE  # perfect on what is known ...
    assert by_id["b"].rank is None and by_id["a"].rank == 1  # ... but what it is needed for is unknown
    text = "\n".join(chooser.explanation(by_id["b"], "en", _facts(silent)))
    assert "Not ranked: Processes is unknown" in text


def test_near_ties_and_exclusions():
    t1 = tool(tool_id="a", status="active")
    t2 = tool(tool_id="b", status="active")
    t3 = tool(tool_id="c", status="inactive")
    closed = tool(tool_id="z", licence_spdx="BUSL-1.1", open_source=False, status="active")
    results = chooser.rank(_facts(t1, t2, t3, closed), chooser.Needs())
    by_id = {r.tool.tool_id: r for r in results}
    assert by_id["a"].near_ties == ["b"] and "c" not in by_id["a"].near_ties
    assert by_id["z"].excluded and by_id["z"].rank is None and results[-1].tool.tool_id == "z"


def test_yaml_round_trip_and_legacy_fields(tmp_path: Path):
    path = tmp_path / "needs.yaml"
    path.write_text(chooser.needs_as_yaml(TOWN_HALL), encoding="utf-8")
    assert chooser.load_needs(path) == TOWN_HALL
    path.write_text("processes: [proposals]\nmust_be_osi: false\nbudget: 20000\n", encoding="utf-8")
    legacy = chooser.load_needs(path)
    assert legacy.open_source_required is False and legacy.budget_per_year == 20000
    path.write_text("data_location: country\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs the country"):
        chooser.load_needs(path)
    path.write_text("population: many\n", encoding="utf-8")
    with pytest.raises(ValueError, match="population"):
        chooser.load_needs(path)


@pytest.fixture(scope="module")
def shipped(built_db: Path):  # noqa: ANN201
    con = connect_readonly(built_db)
    try:
        yield chooser.load_facts(con)
    finally:
        con.close()


def test_town_hall_on_shipped_data(shipped):  # noqa: ANN001
    results = chooser.rank(shipped, TOWN_HALL)
    ranked = [r for r in results if r.rank is not None]
    assert len(ranked) >= 10
    unknown_somewhere = [r for r in ranked if r.unknown()]
    assert unknown_somewhere, "the shipped data leaves some facts unknown"
    for r in unknown_somewhere:  # an unknown never scores 0: it is left out and lowers the coverage
        assert all(r.verdicts[c].score is None for c in r.unknown()) and r.coverage < 1
    for r in ranked:
        assert r.sources and all(u.startswith("http") for u in r.sources)
        for c, v in r.verdicts.items():
            if v.known:
                assert v.sources, (r.tool.tool_id, c)  # every known verdict cites where its fact was read
    ids = [r.tool.tool_id for r in ranked[:10]]
    assert "decidim" in ids and "consul-democracy" in ids
    frame = chooser.frame(results, "fr", shipped)
    assert frame["explanation"].str.contains("inconnu").any()
    assert not frame["explanation"].str.contains(r"\{").any()


def test_answer_sensitivity_moves_the_top(shipped):  # noqa: ANN001
    table = chooser.answer_sensitivity(shipped, TOWN_HALL, None, "fr")
    assert {"Sans Budget participatif", "Hébergement : nous l'hébergeons nous-mêmes"} <= set(table["change"])
    refused = table[table["change"] == "Copyleft réseau accepté : non"].iloc[0]
    assert refused["top_changes"]  # refusing AGPL removes Decidim and Consul Democracy from the top
    before = chooser.top(chooser.rank(shipped, TOWN_HALL), 3)
    after = chooser.top(chooser.rank(shipped, TOWN_HALL.replace(network_copyleft_ok=False)), 3)
    assert before != after and not {"decidim", "consul-democracy"} & set(after)


def test_tools_like_us_prefers_french_municipalities(shipped):  # noqa: ANN001
    near = chooser.tools_like_us(shipped, TOWN_HALL)
    assert len(near) == 10 and (near["country"] == "FR").all()
    assert (near["organisation_type"] == "municipality").all()
    assert near["source_url"].notna().all()
    assert isinstance(near, pd.DataFrame)


def test_weight_sensitivity_reuses_verdicts_only_for_the_same_answers(shipped):  # noqa: ANN001
    """Verdicts scored once re-rank like a fresh scoring under other weights; verdicts of other answers do not."""
    verdicts = chooser.score_tools(shipped, TOWN_HALL)
    heavy_licence = {**chooser.default_weights(), "licence": 5.0}
    reused = [(r.tool.tool_id, r.score, r.rank) for r in chooser.rank(shipped, TOWN_HALL, heavy_licence, verdicts)]
    fresh = [(r.tool.tool_id, r.score, r.rank) for r in chooser.rank(shipped, TOWN_HALL, heavy_licence)]
    assert reused == fresh
    # control: verdicts scored for other answers give another ranking, so reuse is only safe for the same answers
    refusing_agpl = TOWN_HALL.replace(network_copyleft_ok=False)
    stale = chooser.top(chooser.rank(shipped, refusing_agpl, None, verdicts), 3)
    assert stale != chooser.top(chooser.rank(shipped, refusing_agpl), 3)
    table = chooser.weight_sensitivity(shipped, TOWN_HALL)
    assert len(table) == 3 * len(chooser.CRITERIA) and table["top_before"].nunique() == 1
