"""Only the open tab and the open expanders are drawn (the default); a link's ``tab=`` reopens its tab.

Why it matters: closed content is still sent and mounted by the browser, and laying it out was most of a page
switch's time. The controls show that the eager drawing (``OBSERVATORY_DASHBOARD_LAZY=0``, what a plain
Streamlit page does) sends the hidden content, so the lazy checks below can fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.components import LAZY_ENV, OPEN_PREFIX
from dashboards.i18n import t
from dashboards.streamlit_app import APP_DIR

APP = str(APP_DIR / "streamlit_app.py")


def _page(monkeypatch: pytest.MonkeyPatch, db: Path, lazy: bool, **params: str) -> AppTest:
    monkeypatch.setenv("OBSERVATORY_DB", str(db))
    monkeypatch.setenv(LAZY_ENV, "1" if lazy else "0")
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in {"lang": "en", **params}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _chart_count(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def test_only_the_open_tab_is_drawn_and_eager_drawing_draws_all(monkeypatch, sample_db):
    lazy = _page(monkeypatch, sample_db, lazy=True, page="adoption")
    eager = _page(monkeypatch, sample_db, lazy=False, page="adoption")
    assert len(lazy.tabs) == len(eager.tabs) == 6
    assert 0 < _chart_count(lazy) < _chart_count(eager), "control: the eager page draws every tab's charts"
    assert lazy.query_params["tab"] == "live"


def test_a_tab_opened_by_the_user_is_drawn_and_written_to_the_link(monkeypatch, sample_db):
    at = _page(monkeypatch, sample_db, lazy=True, page="adoption")
    before = {e.label for e in at.subheader}
    at.session_state["tabs_adoption"] = t("adoption.tab_map", "en")  # what a click on the tab sets
    at.run()
    assert not at.exception
    assert t("adoption.where", "en") in {e.value for e in at.subheader}
    assert t("adoption.where", "en") not in {getattr(e, "value", "") for e in before}
    assert at.query_params["tab"] == "map"


def test_a_link_reopens_its_tab(monkeypatch, sample_db):
    at = _page(monkeypatch, sample_db, lazy=True, page="tool", id="decidim", tab="deployments")
    assert at.session_state["tabs_tool"] == t("tool.deployments", "en")
    assert t("tool.deployments", "en") in {e.value for e in at.subheader}
    stale = _page(monkeypatch, sample_db, lazy=True, page="tool", id="decidim", tab="no-such-tab")
    assert stale.session_state["tabs_tool"] == t("tool.tab_licence", "en"), "an unknown tab opens the first one"


def test_a_closed_expander_sends_nothing_until_opened(monkeypatch, sample_db):
    at = _page(monkeypatch, sample_db, lazy=True, page="adoption")
    assert len(at.expander) == 1 and not at.dataframe, "closed: no grid is sent"
    at.session_state[f"{OPEN_PREFIX}adoption_live_by"] = True  # what a click on the expander sets
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 1 and "deployments" in at.dataframe[0].value.columns, "opened: its grid is drawn"
    eager = _page(monkeypatch, sample_db, lazy=False, page="adoption")
    assert len(eager.get("download_button")) > len(at.get("download_button")) > 0
    assert len(eager.dataframe) > len(at.dataframe), "control: drawn eagerly, closed expanders' grids are sent"


def _summary(at: AppTest) -> list[str]:
    return list(next(f.value for f in at.dataframe if "coverage" in f.value.columns)["name"])


def test_weights_set_in_their_expander_hold_once_it_is_closed(monkeypatch, sample_db):
    """The weight sliders are drawn only while their expander is open; the ranking keeps the weights set there.
    Control: a slider's own value is lost when it is not drawn (Streamlit's rule), so keeping them apart is
    what holds them."""
    from dashboards.app_pages.choose import WEIGHTS_KEY
    from observatory import chooser

    at = _page(monkeypatch, sample_db, lazy=True, page="choose")
    before = _summary(at)
    at.session_state[f"{OPEN_PREFIX}choose_weights"] = True
    at.run()
    sliders = {s.key: s for s in at.slider}
    assert set(sliders) == {f"choose_w_{c}" for c in chooser.CRITERIA}, "open: every weight has its slider"
    for criterion in chooser.CRITERIA:  # one criterion alone decides the ranking
        sliders[f"choose_w_{criterion}"].set_value(1.0 if criterion == "licence" else 0.0)
    at.run()
    weighted = _summary(at)
    assert weighted != before, "control: these weights change the ranking of the sample"
    at.session_state[f"{OPEN_PREFIX}choose_weights"] = False
    at.run()
    assert not at.slider, "closed: no slider is drawn"
    assert _summary(at) == weighted, "the weights hold while their sliders are not drawn"
    assert at.session_state[WEIGHTS_KEY]["licence"] == 1.0
    assert "choose_w_licence" not in at.session_state, "control: the undrawn slider's own value is gone"


def test_the_grouping_follows_the_reader_from_one_tab_to_the_other(monkeypatch, sample_db):
    at = _page(monkeypatch, sample_db, lazy=True, page="adoption")
    at.radio(key="adoption_by_live").set_value("country").run()
    at.session_state["tabs_adoption"] = t("adoption.tab_time", "en")
    at.run()
    assert not at.exception
    assert [r.key for r in at.radio] == ["adoption_by_time"] and at.radio[0].value == "country"
    assert at.query_params["by"] == "country" and at.query_params["tab"] == "time"
    at.radio(key="adoption_by_time").set_value("organisation_type").run()
    at.session_state["tabs_adoption"] = t("adoption.tab_live", "en")
    at.run()
    assert at.radio(key="adoption_by_live").value == "organisation_type", "back on the first tab, the new choice"


def test_filters_of_a_closed_tab_come_back_when_it_reopens(monkeypatch, sample_db):
    """Streamlit forgets the value of a widget it does not draw (the control below); the page keeps the value
    each URL-bound widget had when last drawn and gives it back when its tab reopens."""
    at = _page(monkeypatch, sample_db, lazy=True, page="overview", tab="tools")
    facet = "overview_facet_licence_family"
    at.multiselect(key=facet).set_value(["network_copyleft"]).run()
    picked = at.multiselect(key=facet).value
    assert picked == ["network_copyleft"] and at.query_params["licence_family"] == "network_copyleft"
    at.session_state["tabs_overview"] = t("overview.tab_glance", "en")
    at.run()
    assert facet not in at.session_state, "control: the closed tab's filter is forgotten by Streamlit"
    assert "licence_family" not in at.query_params, "the link describes what is shown"
    at.session_state["tabs_overview"] = t("overview.tab_tools", "en")
    at.run()
    assert at.multiselect(key=facet).value == picked


def test_the_copy_link_box_is_drawn_when_opened(monkeypatch, sample_db):
    """Its copy button loads a large script, so it is drawn only once the reader opens it."""
    at = _page(monkeypatch, sample_db, lazy=True, page="compare")
    assert not [c for c in at.code if "page=compare" in str(c.value)], "closed: no link is drawn"
    at.session_state["copy_link"] = True
    at.run()
    assert [c for c in at.code if "page=compare" in str(c.value) and "lang=en" in str(c.value)]
    eager = _page(monkeypatch, sample_db, lazy=False, page="compare")
    assert [c for c in eager.code if "page=compare" in str(c.value)], "control: drawn eagerly, the link is sent"
