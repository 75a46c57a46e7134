"""Fixtures for dashboard tests: databases to open, and Streamlit caches cleared between tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from sample_db import build_sample_db  # noqa: E402


@pytest.fixture(autouse=True)
def _every_section_drawn(monkeypatch: pytest.MonkeyPatch):
    """Pages draw every tab and expander in one run, so a test reads a whole page at once (the default, lazy
    drawing is tested by test_lazy_sections.py and by the browser tests, whose server runs the default)."""
    from dashboards.components import LAZY_ENV

    monkeypatch.setenv(LAZY_ENV, "0")


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """st caches are process-global: without this a cached connection or result leaks into the next test."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hand-written database with curated and collected rows (see sample_db.py); read-only use."""
    return build_sample_db(tmp_path_factory.mktemp("sample") / "sample.duckdb")


@pytest.fixture
def shipped_db(request: pytest.FixtureRequest) -> Path:
    """The database built from the shipped datasets/ (`built_db` of tests/conftest.py)."""
    return request.getfixturevalue("built_db")


APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "streamlit_app.py")


def render_every_page(db: Path, lang: str = "fr") -> dict[str, object]:
    """Each registered page rendered once by AppTest on ``db`` in ``lang``: {url_path: AppTest}."""
    import os

    from streamlit.testing.v1 import AppTest

    from dashboards.components import LAZY_ENV
    from dashboards.streamlit_app import available_pages

    before = os.environ.get("OBSERVATORY_DB")
    lazy_before = os.environ.get(LAZY_ENV)
    os.environ["OBSERVATORY_DB"] = str(db)
    os.environ[LAZY_ENV] = "0"  # every section of a page in one render (a session fixture has no monkeypatch)
    rendered: dict[str, object] = {}
    try:
        for spec in available_pages():
            st.cache_data.clear()
            st.cache_resource.clear()
            at = AppTest.from_file(APP, default_timeout=120)
            at.query_params["page"] = spec.url_path
            at.query_params["lang"] = lang
            rendered[spec.url_path] = at.run()
    finally:
        for name, value in (("OBSERVATORY_DB", before), (LAZY_ENV, lazy_before)):
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        st.cache_data.clear()
        st.cache_resource.clear()
    return rendered


@pytest.fixture(scope="session")
def french_pages(request: pytest.FixtureRequest):
    """Every page in French on the sample and on the shipped database, rendered once for the whole session
    (the French-text test and the chart-honesty test read the same renders): ``french_pages("sample_db")``."""
    cache: dict[str, dict[str, object]] = {}

    def get(db_fixture: str) -> dict[str, object]:
        if db_fixture not in cache:
            name = {"shipped_db": "built_db"}.get(db_fixture, db_fixture)
            cache[db_fixture] = render_every_page(request.getfixturevalue(name))
        return cache[db_fixture]

    return get
