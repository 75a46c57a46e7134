"""The chooser page opened from a shared link with a French town hall's answers (shipped data)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.dashboards.test_french_pages import APP, _english_only, _page_problems

TOWN_HALL = {"page": "choose", "lang": "fr", "processes": "participatory_budgeting,proposals", "country": "FR",
             "population": "30000", "hosting": "hosted", "data_location": "eu", "languages": "fr"}


def test_town_hall_link_restores_answers_and_speaks_french(monkeypatch, shipped_db):
    monkeypatch.setenv("OBSERVATORY_DB", str(shipped_db))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in TOWN_HALL.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    state = at.session_state
    assert state["choose_hosting"] == "hosted" and state["choose_location"] == "eu" and state["choose_country"] == "FR"
    assert state["choose_processes"] == ["participatory_budgeting", "proposals"] and state["choose_population"] == 30000
    assert not _page_problems(at, _english_only())
    headings = [e.label for e in at.expander if e.label.startswith("#")]
    assert headings[0].startswith("#1 — ") and "part connue" in headings[0]
    reasons = [f.value for f in at.dataframe if "reason" in f.value.columns]
    assert reasons and all(r["source_url"].notna().any() for r in reasons[:10])  # every shown tool cites sources
    unknown_rows = [r for r in reasons if (r["side"] == "Inconnu").any()]
    assert unknown_rows and all(r.loc[r["side"] == "Inconnu", "score"].isna().all() for r in unknown_rows)
    subheaders = [s.value for s in at.subheader]
    assert "Ce qui change quand une réponse change" in subheaders and "Des outils comme nous" in subheaders
    like_us = next(f.value for f in at.dataframe if "similarity" in f.value.columns)
    assert like_us["tool_id"].str.startswith("./tool?id=").all() and (like_us["country"] == "FR").all()
