"""Report fixtures: a small database (see ``fixture_db``), built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports.fixture_db import build_fixture_db

FOUR_TOOLS = ["decidim", "consul-democracy", "loomio", "polis"]


@pytest.fixture(scope="session")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_db(tmp_path_factory.mktemp("reports") / "report.duckdb")


@pytest.fixture(scope="session")
def bare_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Curated data only: collected tables exist but are empty ("not collected yet")."""
    return build_fixture_db(tmp_path_factory.mktemp("reports_bare") / "bare.duckdb", with_collected=False)
