"""The Research page renders its three analyses (FR and EN) and an empty state naming the import command."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboards.components import LAZY_ENV
from observatory.participation.importer import import_path
from observatory.store import writer

PAGE = str(Path(__file__).resolve().parents[2] / "dashboards" / "app_pages" / "research.py")

CONSUL = '"id";"title";"description";"cached_votes_up";"created_at";"retired_at"\n' + "".join(
    f'"{i}";"Propuesta {i}";"<p>texto</p>";"{(i * 7) % 11}";"{1 + i // 4:02d}/01/2024";""\n' for i in range(1, 81))
PROJECTS = ("id;title/en;budget/id;budget_amount;confirmed_votes;scope/name/en;participatory_space/id;"
            "participatory_space/url;url\n" + "".join(
                f"{i};Project {i};1;{100 + 10 * i};{i * 3};North;5;https://demo.example.org/processes/x;"
                f"https://demo.example.org/processes/x/f/1/budgets/1/projects/{i}\n" for i in range(1, 9)))


@pytest.fixture(autouse=True)
def _clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def _run(db: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The page with its three analyses' tabs all drawn (``OBSERVATORY_DASHBOARD_LAZY=0``), to read them at once."""
    monkeypatch.setenv("OBSERVATORY_DB", str(db))
    monkeypatch.setenv(LAZY_ENV, "0")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["lang"] = lang
    return at.run()


def test_empty_database_names_the_import_command(tmp_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _run(tmp_db, "en", monkeypatch)
    assert not at.exception, [e.message for e in at.exception]
    assert any("observatory import consul-csv" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_three_analyses_render_on_small_imports(tmp_path: Path, tmp_db: Path, monkeypatch: pytest.MonkeyPatch,
                                                lang: str) -> None:
    (tmp_path / "proposals.csv").write_text(CONSUL, encoding="utf-8")
    (tmp_path / "demo.example.org-open-data-projects.csv").write_text(PROJECTS, encoding="utf-8")
    with writer(tmp_db) as con:
        assert import_path(con, tmp_path / "proposals.csv", platform="consul", instance_id="consul.example.org").ok
        assert import_path(con, tmp_path / "demo.example.org-open-data-projects.csv").ok
    at = _run(tmp_db, lang, monkeypatch)
    assert not at.exception, [e.message for e in at.exception]
    headers = [h.value for h in at.header]
    assert len(headers) == 3 and headers[0].startswith("1.") and headers[2].startswith("3.")
    metrics = {m.label for m in at.metric}
    assert ("Gini coefficient of supports" if lang == "en" else "Coefficient de Gini des soutiens") in metrics
    # no total for this budget: the page says how to get one instead of inventing it
    assert any("observatory collect decidim" in i.value for i in at.info)


@pytest.mark.shared
def test_page_on_the_real_samples(shared_data: Path, tmp_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with writer(tmp_db) as con:
        import_path(con, shared_data / "consul" / "samples" / "decide-madrid-live-subset-2025",
                    instance_id="decide.madrid.es")
        import_path(con, shared_data / "decidim" / "samples" / "decidim-barcelona")
    at = _run(tmp_db, "en", monkeypatch)
    assert not at.exception, [e.message for e in at.exception]
    assert any("28,413" in m.value for m in at.markdown)          # Madrid threshold line
    assert any("ballot" in w.value for w in at.warning)  # MES needs ballots, said on the page
