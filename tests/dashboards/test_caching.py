"""The dashboard's result caches answer for their whole key: other answers, another language or a new
database version give a new result, the same ones reuse the first (the speed work of issue 15)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import plotly.graph_objects
import plotly.io as pio
import plotly.tools
import pytest

from dashboards import charts, data
from observatory import chooser
from observatory.store import connect_writer

TOWN_HALL = chooser.Needs(processes=["participatory_budgeting", "proposals"], country="FR", population=30000,
                          hosting="hosted", data_location="eu", languages=["fr"])
REFUSING_AGPL = TOWN_HALL.replace(network_copyleft_ok=False)


@pytest.fixture
def db_copy(monkeypatch: pytest.MonkeyPatch, shipped_db: Path, tmp_path: Path) -> Path:
    """A private copy of the shipped database (this test replaces it with a new version)."""
    path = tmp_path / "observatory.duckdb"
    shutil.copy(shipped_db, path)
    monkeypatch.setenv("OBSERVATORY_DB", str(path))
    return path


@pytest.fixture
def rank_calls(monkeypatch: pytest.MonkeyPatch) -> list[chooser.Needs]:
    """Every ranking the chooser view computes itself (a cache hit computes none)."""
    calls: list[chooser.Needs] = []
    real = chooser.rank

    def counted(facts, needs, weights=None, verdicts=None):  # noqa: ANN001, ANN202
        calls.append(needs)
        return real(facts, needs, weights, verdicts)

    monkeypatch.setattr(chooser, "rank", counted)
    return calls


def _top(view: data.ChooserView, n: int = 3) -> list[str]:
    return list(view.ranking.loc[view.ranking["ranked"], "tool_id"].head(n))


def test_the_chooser_view_is_keyed_on_the_answers_weights_and_language(db_copy, rank_calls):
    weights = chooser.default_weights()
    first = data.chooser_view(TOWN_HALL, weights, "fr")
    computed = len(rank_calls)
    assert computed > 0
    again = data.chooser_view(TOWN_HALL.replace(), dict(weights), "fr")  # equal answers, new objects
    assert len(rank_calls) == computed  # served from the cache
    pd.testing.assert_frame_equal(again.ranking, first.ranking)
    # control: other answers through the same cached path give another ranking, computed afresh
    refusing = data.chooser_view(REFUSING_AGPL, weights, "fr")
    assert len(rank_calls) > computed and REFUSING_AGPL in rank_calls
    assert _top(refusing) != _top(first) and not {"decidim", "consul-democracy"} & set(_top(refusing))
    heavier = data.chooser_view(TOWN_HALL, {**weights, "licence": 5.0}, "fr")
    assert heavier.ranking["score"].tolist() != first.ranking["score"].tolist()
    english = data.chooser_view(TOWN_HALL, weights, "en")
    assert english.ranking["explanation"].tolist() != first.ranking["explanation"].tolist()
    assert first.reasons["decidim"]["weight"].str.endswith("%").all()  # worded for the page in its language


def test_a_new_database_version_invalidates_the_chooser_view(db_copy, rank_calls):
    weights = chooser.default_weights()
    before = data.chooser_view(TOWN_HALL, weights, "fr")
    leader = _top(before, 1)[0]
    old_key = data._db_key()
    # a writer publishes a new version by renaming a new file over the old one (observatory build does)
    new_version = db_copy.with_name("next.duckdb")
    shutil.copy(db_copy, new_version)
    con = connect_writer(new_version, migrate=False)
    con.execute("UPDATE tools SET name = 'Renamed leader' WHERE tool_id = ?", [leader])
    con.close()
    os.replace(new_version, db_copy)
    os.utime(db_copy, (old_key[1] + 10, old_key[1] + 10))
    computed = len(rank_calls)
    after = data.chooser_view(TOWN_HALL, weights, "fr")
    assert len(rank_calls) > computed
    assert after.ranking.set_index("tool_id").loc[leader, "name"] == "Renamed leader"
    # control: under the old version's key the cache still holds the old name, so the key is what protects
    stale = data._chooser_view(old_key, "fr", data._needs_key(TOWN_HALL), tuple(sorted(weights.items())))
    assert stale.ranking.set_index("tool_id").loc[leader, "name"] != "Renamed leader"


def _sent(figure: object) -> dict:
    """The spec st.plotly_chart sends to the browser for a Figure or a dict (parsed: key order aside)."""
    return json.loads(pio.to_json(plotly.tools.return_figure_from_figure_or_data(figure, validate_figure=True),
                                  validate=False))


def test_a_cached_figure_follows_its_data_and_language():
    frame = pd.DataFrame({"family": ["copyleft", "permissive"], "tools": [3, 5]})
    labels = {"family": "Family", "tools": "Tools"}
    built = charts.bar(frame, "family", "tools", "Title", labels, "fr")
    cached = data.figure(charts.bar, frame, "family", "tools", "Title", labels, "fr")
    assert _sent(cached) == _sent(built)  # what st.plotly_chart sends is unchanged
    assert _sent(data.figure(charts.bar, frame.copy(), "family", "tools", "Title", labels, "fr")) == _sent(built)
    other = frame.assign(tools=[4, 5])
    other_sent = _sent(data.figure(charts.bar, other, "family", "tools", "Title", labels, "fr"))
    assert other_sent == _sent(charts.bar(other, "family", "tools", "Title", labels, "fr")) != _sent(built)
    english = data.figure(charts.bar, frame, "family", "tools", "Title", labels, "en")
    assert english["layout"]["separators"] != cached["layout"]["separators"]


def test_a_cached_figure_is_drawn_without_a_second_validation_and_sends_the_same_spec(monkeypatch):
    from dashboards import geomap

    frame = pd.DataFrame({"family": ["copyleft", "permissive"], "tools": [3, 5]})
    counts = pd.DataFrame({"country": ["FR", "ES", "BR"], "deployments": [40, 7, 1]})
    built = [data.figure(charts.bar, frame, "family", "tools", "Title", {"family": "F", "tools": "T"}, "fr"),
             data.figure(geomap.country_map, counts, "deployments", "Map", {"title": "D", "none": "none"}, "%{customdata[1]}")]
    validations = []
    real = plotly.graph_objects.Figure.__init__
    monkeypatch.setattr(plotly.graph_objects.Figure, "__init__",
                        lambda self, *a, **k: (validations.append(1), real(self, *a, **k))[1])
    for spec in built:
        sent_fast = pio.to_json(plotly.tools.return_figure_from_figure_or_data(data.drawable(spec), True), validate=False)
        assert not validations  # control below: the plain dict is rebuilt into a Figure
        assert json.loads(sent_fast) == _sent(dict(spec))
        assert validations
        validations.clear()


def test_restyling_a_cached_figure_sends_what_plotly_s_own_updates_send():
    frame = pd.DataFrame({"rule": ["greedy", "mes"], "share": [0.42, 0.57]})
    labels = {"rule": "Rule", "share": "Share"}
    fig = plotly.graph_objects.Figure(charts.bar(frame, "rule", "share", "T", labels, "fr", pattern="rule"))
    fig.update_traces(texttemplate="%{y:.1%}")
    fig.update_yaxes(tickformat=".0%", dtick=None)
    fig.update_xaxes(tickformat=".0%")
    spec = data.figure(charts.bar, frame, "rule", "share", "T", labels, "fr", pattern="rule")
    restyled = data.restyled(spec, {"texttemplate": "%{y:.1%}"}, yaxis={"tickformat": ".0%", "dtick": None},
                             xaxis={"tickformat": ".0%"})
    assert _sent(dict(restyled)) == _sent(fig)
    assert _sent(dict(data.figure(charts.bar, frame, "rule", "share", "T", labels, "fr", pattern="rule"))) != _sent(fig)
