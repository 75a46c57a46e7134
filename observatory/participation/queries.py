"""Named read queries for the research analyses; bound parameters only, any (read-only) connection."""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd  # DataFrames come from duckdb's .df(), which imports pandas when first called

PROPOSAL_COLUMNS = ("instance_id, proposal_id, component_id, platform, platform_version, state, supports, comments_count, "
                    "published_at, quality_flag, scope, source_url, checked_on")


def proposal_datasets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per (instance, source) holding proposals: the units an analysis runs on."""
    return con.execute(
        "SELECT instance_id, platform, source_url, count(*) AS proposals, count(quality_flag) AS flagged, "
        "min(published_at) AS first_published, max(published_at) AS last_published, max(checked_on) AS checked_on "
        "FROM proposals GROUP BY ALL ORDER BY instance_id, source_url"
    ).df()


def proposals(con: duckdb.DuckDBPyConnection, instance_id: str, source_url: str | None = None) -> pd.DataFrame:
    return con.execute(
        f"SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE instance_id = ? AND (? IS NULL OR source_url = ?) "  # noqa: S608
        "ORDER BY published_at, proposal_id",
        [instance_id, source_url, source_url],
    ).df()


def budget_instances(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("SELECT DISTINCT instance_id FROM budget_projects ORDER BY 1").fetchall()]


def budget_projects(con: duckdb.DuckDBPyConnection, instance_id: str) -> pd.DataFrame:
    return con.execute(
        "SELECT p.instance_id, p.project_id, p.budget_id, p.title, p.cost, p.supports, p.selected, p.scope, "
        "p.category, b.total_budget, b.title AS budget_title, p.source_url "
        "FROM budget_projects p LEFT JOIN budgets b ON b.instance_id = p.instance_id AND b.budget_id = p.budget_id "
        "WHERE p.instance_id = ? ORDER BY try_cast(p.budget_id AS INTEGER), try_cast(p.project_id AS INTEGER)",
        [instance_id],
    ).df()
