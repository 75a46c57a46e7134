"""The datasets we ship: valid, sourced, and as large as the project promises."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from observatory.config import load_settings
from observatory.datasets import validate_datasets
from observatory.tables import sourced_tables

DATASETS = load_settings().datasets_dir


def test_shipped_datasets_are_valid() -> None:
    issues = validate_datasets(DATASETS)
    assert issues == [], "\n".join(map(str, issues[:50]))


@pytest.fixture(scope="module")
def con(built_db: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(built_db), read_only=True)
    yield connection
    connection.close()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def test_promised_sizes(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, "SELECT count(*) FROM tools") >= 25
    assert _one(con, "SELECT count(*) FROM features") >= 25
    assert _one(con, "SELECT count(*) FROM deployments") >= 150
    assert _one(con, "SELECT count(DISTINCT tool_id) FROM deployments") >= 5
    assert _one(con, "SELECT count(DISTINCT country) FROM deployments") >= 20


# every curated table whose package makes a source field and checked_on required (read from the packages)
@pytest.mark.parametrize(("table", "url_col"), sorted(sourced_tables(DATASETS).items()))
def test_every_fact_row_is_sourced_and_dated(con: duckdb.DuckDBPyConnection, table: str, url_col: str) -> None:
    missing = _one(con, f'SELECT count(*) FROM "{table}" WHERE {url_col} IS NULL OR checked_on IS NULL')
    assert missing == 0


def _fact_tables(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Tables of the database's own catalogue that carry a source and a check date: ``{table: url column}``."""
    rows = con.execute("SELECT table_name, list(column_name) FROM information_schema.columns WHERE table_schema = "
                       "'main' AND column_name IN ('checked_on', 'source_url', 'url') GROUP BY 1").fetchall()
    return {t: "source_url" if "source_url" in cols else "url" for t, cols in rows
            if "checked_on" in cols and ({"source_url", "url"} & set(cols))}


def test_every_table_with_a_source_column_is_sourced_and_dated(con: duckdb.DuckDBPyConnection) -> None:
    tables = _fact_tables(con)
    assert {"tools", "licences", "tool_features", "deployments", "licence_events", "sources"} <= set(tables)
    missing = {t: n for t, col in sorted(tables.items())
               if (n := _one(con, f'SELECT count(*) FROM "{t}" WHERE "{col}" IS NULL OR checked_on IS NULL'))}
    assert missing == {}


def test_every_licence_family_is_known_and_tools_licences_are_described(con: duckdb.DuckDBPyConnection) -> None:
    families = {r[0] for r in con.execute("SELECT DISTINCT family FROM licences").fetchall()}
    assert families <= {"permissive", "weak_copyleft", "strong_copyleft", "network_copyleft", "source_available", "proprietary"}
    assert _one(con, "SELECT count(*) FROM licences WHERE family = 'network_copyleft' AND NOT network_clause") == 0


def test_datasets_readme_explains_each_package() -> None:
    readme = (DATASETS / "README.md").read_text(encoding="utf-8")
    for package in sorted(p.parent.name for p in DATASETS.glob("*/datapackage.json")):
        assert package in readme, f"datasets/README.md says nothing about {package}/"
