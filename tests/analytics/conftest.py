"""Analytics tests reuse the dashboards' hand-written sample database (one definition of the fixture rows)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb
import pytest

from observatory.store import connect_readonly

_SPEC = importlib.util.spec_from_file_location(
    "dashboards_sample_db", Path(__file__).resolve().parent.parent / "dashboards" / "sample_db.py")
assert _SPEC and _SPEC.loader
sample_db_module = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(sample_db_module)


@pytest.fixture(scope="session")
def analytics_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_db_module.build_sample_db(tmp_path_factory.mktemp("analytics") / "sample.duckdb")


@pytest.fixture
def con(analytics_db: Path) -> duckdb.DuckDBPyConnection:
    connection = connect_readonly(analytics_db)
    yield connection
    connection.close()
