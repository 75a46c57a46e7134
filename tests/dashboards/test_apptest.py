"""Every page renders in both languages on several databases; key widgets drive what is shown."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.i18n import LANGS, catalogue, t
from dashboards.streamlit_app import APP_DIR, PAGES, available_pages

APP = str(APP_DIR / "streamlit_app.py")


def _app(monkeypatch: pytest.MonkeyPatch, db: Path, lang: str) -> AppTest:
    monkeypatch.setenv("OBSERVATORY_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    at.sidebar.selectbox(key="lang").select(lang).run()
    assert at.session_state.lang == lang
    return at


def _open(at: AppTest, file: str) -> AppTest:
    at.switch_page(file).run()
    assert not at.exception, (file, [e.message for e in at.exception])
    return at


def _check_all_pages(monkeypatch: pytest.MonkeyPatch, db: Path, lang: str) -> AppTest:
    at = _app(monkeypatch, db, lang)
    for page in available_pages():
        _open(at, page.file)
        title_key = f"{Path(page.file).stem}.title"
        if title_key in catalogue(lang):  # pages written by other helpers may title themselves differently
            assert at.title[0].value == t(title_key, lang), page.file
    return at


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_renders_on_sample_data(monkeypatch, sample_db, lang):
    _check_all_pages(monkeypatch, sample_db, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_renders_on_shipped_data(monkeypatch, shipped_db, lang):
    _check_all_pages(monkeypatch, shipped_db, lang)


# Pages of the registry that show no "run `observatory ...`" hint on an empty database, and why.
NO_EMPTY_STATE = {
    "app_pages/tool.py": "the page of one tool, reached from a tool's link (not in the navigation)",
    "app_pages/data.py": "lists the (empty) tables instead: checked below",
    "app_pages/about.py": "explains the project; reads no table",
}


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_shows_empty_states_on_an_empty_database(monkeypatch, tmp_db, lang):
    assert set(NO_EMPTY_STATE) <= {p.file for p in PAGES}   # no stale exemption
    at = _app(monkeypatch, tmp_db, lang)
    for page in [p.file for p in PAGES if p.file not in NO_EMPTY_STATE]:
        _open(at, page)
        assert any("observatory " in i.value for i in at.info), (page, [i.value for i in at.info])
    _open(at, "app_pages/data.py")
    assert at.dataframe, "the data page still lists the (empty) tables"


def test_missing_database_says_to_build_it(monkeypatch, tmp_path):
    at = _app(monkeypatch, tmp_path / "absent.duckdb", "en")
    for page in available_pages():
        _open(at, page.file)
    assert any(c.value == "observatory build" for c in at.code)
    assert not (tmp_path / "absent.duckdb").exists(), "the dashboard must never create the database"


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_choosing_two_tools_shows_both_licences(monkeypatch, sample_db):
    at = _open(_app(monkeypatch, sample_db, "en"), "app_pages/compare.py")
    at.multiselect(key="compare_tools").set_value(["decidim", "smallpb"]).run()
    text = _markdown(at)
    assert "`AGPL-3.0-or-later`" in text and "`MIT`" in text
    assert "Network copyleft" in text and "Permissive" in text
    at.multiselect(key="compare_tools").set_value(["consul", "closedpb"]).run()
    text = _markdown(at)
    assert "`AGPL-3.0-only`" in text and "`BUSL-1.1`" in text and "`MIT`" not in text


def test_compare_description_is_shown_as_text_not_html(monkeypatch, sample_db):
    at = _open(_app(monkeypatch, sample_db, "en"), "app_pages/compare.py")
    at.multiselect(key="compare_tools").set_value(["decidim", "consul"]).run()
    captions = [c.value for c in at.caption]
    assert any("\\<b\\>bold?\\</b\\>" in c for c in captions), captions


def test_choose_licence_constraint_excludes_network_copyleft(monkeypatch, sample_db):
    at = _open(_app(monkeypatch, sample_db, "en"), "app_pages/choose.py")
    labels = [e.label for e in at.expander]
    assert any(label.startswith("#1") for label in labels)
    at.checkbox(key="choose_network").uncheck().run()
    excluded = [label for label in at.expander if label.label.startswith("Excluded")]
    assert {e.label.split(" — ")[1].split(":")[0] for e in excluded} >= {"Decidim", "Consul Democracy"}


def test_choose_details_the_head_and_the_rest_on_demand(monkeypatch, shipped_db):
    at = _open(_app(monkeypatch, shipped_db, "en"), "app_pages/choose.py")
    n_tools = len(at.dataframe[0].value)  # the summary table lists every tool
    assert n_tools > 10 and len(at.expander) < n_tools
    at.toggle(key="choose_all_reasons").set_value(True).run()
    labels = [e.label for e in at.expander]
    assert sum(1 for label in labels if " — " in label) >= n_tools  # every tool's reasons, once asked


def test_choose_processes_change_the_explanations(monkeypatch, sample_db):
    at = _open(_app(monkeypatch, sample_db, "fr"), "app_pages/choose.py")
    at.multiselect(key="choose_processes").set_value(["petitions"]).run()
    reasons = "\n".join(r for f in at.dataframe if "reason" in f.value.columns for r in f.value["reason"])
    assert "Propose les 1 processus demandés (Pétitions)" in reasons  # consul claims petitions
    assert "Aucun des 1 processus demandés n'est recensé (Pétitions)" in reasons  # decidim does not


def test_data_page_filters_rows_with_the_typed_text(monkeypatch, sample_db):
    at = _open(_app(monkeypatch, sample_db, "en"), "app_pages/data.py")
    at.selectbox(key="data_table").select("tools").run()
    at.selectbox(key="data_column").select("name").run()
    at.text_input(key="data_contains").input("'; DROP TABLE tools; --").run()
    assert not at.exception
    shown = [d.value for d in at.dataframe if "tool_id" in d.value.columns and "homepage" in d.value.columns]
    assert shown and shown[-1].empty
    at.text_input(key="data_contains").input("consul").run()
    shown = [d.value for d in at.dataframe if "tool_id" in d.value.columns and "homepage" in d.value.columns]
    assert shown and list(shown[-1]["tool_id"]) == ["consul"]


def test_sql_console_runs_selects_and_refuses_writes(monkeypatch, sample_db):
    at = _open(_app(monkeypatch, sample_db, "en"), "app_pages/data.py")
    _submit(at, "SELECT count(*) AS n FROM tools")
    results = [d.value for d in at.dataframe if list(d.value.columns) == ["n"]]
    assert results and int(results[-1]["n"][0]) == 4
    _submit(at, "DROP TABLE tools")
    assert any(e.value.startswith("Refused") for e in at.error), [e.value for e in at.error]
    _submit(at, "SELECT * FROM read_csv('/etc/passwd')")
    assert any(e.value.startswith("Refused") for e in at.error)
    _submit(at, "SELECT count(*) AS n FROM tools")
    assert int([d.value for d in at.dataframe if list(d.value.columns) == ["n"]][-1]["n"][0]) == 4, "tools survived"


def _submit(at: AppTest, sql: str) -> None:
    """Type into the form's text area and press Run (form values are only sent with the submit click)."""
    at.text_area(key="data_sql").input(sql)
    buttons = [b for b in at.button if b.label == t("data.run", "en")]
    assert buttons, "the console has a Run button"
    buttons[-1].click().run()
    assert not at.exception, [e.message for e in at.exception]


class _FakePbApi:
    """Stands in for ``observatory.pb.api`` (same functions, fewer columns) to drive the page's filters."""

    EDITIONS = pd.DataFrame({"edition_id": ["pl_warszawa_2026", "fr_paris_2024"], "country": ["Poland", "France"],
                             "city": ["Warszawa", "Paris"], "year": [2026, 2024], "vote_type": ["approval", "approval"],
                             "budget": [1000.0, 2000.0], "currency": ["PLN", "EUR"], "n_voters": [61668, 1000]})

    @staticmethod
    def list_editions(con):
        return _FakePbApi.EDITIONS

    @staticmethod
    def outcomes(con, edition_id):
        return pd.DataFrame({"edition_id": [edition_id] * 3, "rule": ["actual", "greedy", "mes-add1-greedy"],
                             "selected": [["p1", "p2"], ["p1", "p3"], ["p2", "p3"]], "cost": [900, 950, 1000],
                             "budget_share": [0.9, 0.95, 1.0], "voters_with_funded_share": [0.6, 0.64, 0.7]})

    @staticmethod
    def outcome_groups(con, edition_id):
        return pd.DataFrame(columns=["edition_id", "rule", "group_kind", "group_value", "funded_share"])

    @staticmethod
    def cross_edition_summary(con):
        return pd.DataFrame({"edition_id": ["pl_warszawa_2026", "fr_paris_2024"], "greedy_share": [0.9, 0.8],
                             "optimal_share": [0.95, 0.85]})


def test_pb_page_compares_rules_from_precomputed_outcomes(monkeypatch, sample_db):
    monkeypatch.setitem(sys.modules, "observatory.pb.api", _FakePbApi)
    at = _open(_app(monkeypatch, sample_db, "en"), "app_pages/pb.py")
    assert at.selectbox(key="pb_edition").value == "pl_warszawa_2026"
    assert {m.label: m.value for m in at.metric} == {"Voters": "61,668", "Budget": "1,000 PLN"}
    assert at.selectbox(key="pb_metric").options[0] == "Share of the budget used"
    at.multiselect(key="pb_filter_country").set_value(["France"]).run()
    assert at.selectbox(key="pb_edition").value == "fr_paris_2024"
    mes_add1_greedy = t("pb.rule_name.mes-add1-greedy", "en")  # rules are named in words, not codes
    matrix = next(d.value for d in at.dataframe if mes_add1_greedy in d.value.columns)
    assert matrix.set_index("project_id").loc["p3"].tolist() == ["", "✓", "✓", 2]
    assert not at.exception


def test_pb_page_reads_the_precomputed_outcomes_through_the_pb_api(monkeypatch, sample_db):
    at = _open(_app(monkeypatch, sample_db, "en"), "app_pages/pb.py")
    assert at.selectbox(key="pb_edition").value == "Testland_Town_2026"
    greedy, mes = t("pb.rule_name.greedy", "en"), t("pb.rule_name.mes", "en")
    matrix = next(d.value for d in at.dataframe if {greedy, mes} <= set(d.value.columns))
    row = matrix.set_index("project_id").loc["p3"]
    assert (row[greedy], row[mes]) == ("", "✓")
    max_budget = t("pb.rule_name.max-budget", "en")
    assert max_budget not in matrix.columns, "a rule without outcome has no column"
    assert any(c.value.startswith(f"{max_budget}:") for c in at.caption), [c.value for c in at.caption]
    assert not any("Error" in c.value or "Timeout" in c.value for c in at.caption), "no raw error is shown"
    groups = next(d.value for d in at.dataframe if "South" in list(d.value.index))
    assert groups.loc["South", "mes"] == "100%"
