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
