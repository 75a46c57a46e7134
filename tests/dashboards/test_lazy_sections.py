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
    assert len(lazy.tabs) == len(eager.tabs) == 5
    assert 0 < _chart_count(lazy) < _chart_count(eager), "control: the eager page draws every tab's charts"
    assert lazy.query_params["tab"] == "time"


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
    at = _page(monkeypatch, sample_db, lazy=True, page="overview")
    assert len(at.expander) == 2 and not at.dataframe, "closed: no grid is sent"
    at.session_state[f"{OPEN_PREFIX}overview_families"] = True  # what a click on the expander sets
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 1 and "licence_family" in at.dataframe[0].value.columns, "opened: its grid is drawn"
    eager = _page(monkeypatch, sample_db, lazy=False, page="overview")
    assert len(eager.get("download_button")) > len(at.get("download_button")) > 0
    assert len(eager.dataframe) > len(at.dataframe), "control: drawn eagerly, closed expanders' grids are sent"
