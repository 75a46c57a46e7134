"""Fixtures shared by every test area: temporary databases and the optional shared research data."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory.config import load_settings
from observatory.store import connect_writer

SHARED_DATA = load_settings().shared_data_dir


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the user's real database or archive."""
    home = tmp_path_factory.mktemp("data_home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("OBSERVATORY_DB", raising=False)
    monkeypatch.delenv("OBSERVATORY_ARCHIVE", raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setenv("OBSERVATORY_LANG", "en")  # the CLI's words do not depend on the machine's locale
    monkeypatch.setattr("observatory.messages._chosen", None)  # nor on the --lang of an earlier test's command


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """Path of an empty database with every migration applied (closed, ready to reopen)."""
    path = tmp_path / "empty.duckdb"
    connect_writer(path).close()
    return path


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a database built from the shipped ``datasets/`` (session-wide; do not write to it)."""
    from observatory.datasets import build_database

    path = tmp_path_factory.mktemp("built") / "observatory.duckdb"
    build_database(path, load_settings().datasets_dir)
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` of the checkout; tests that need it skip with the reason when it is absent."""
    if not (SHARED_DATA / "pabulib").is_dir():
        pytest.skip(f"shared research data not found at {SHARED_DATA.name!r} beside the checkout "
                    "(set OBSERVATORY_SHARED_DATA); these tests read real Pabulib/Decidim/Consul files")
    return SHARED_DATA
