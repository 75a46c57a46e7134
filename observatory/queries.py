"""Named, parameterised read queries: the only SQL that dashboards and reports run.

Every query names the tables it reads, so a caller can tell "not collected yet" (a missing table,
:class:`MissingData`) apart from a bug. Values always travel as bound parameters (``$name``); the
only identifiers ever placed in SQL text come from the database catalogue, never from a user.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from observatory.store import user_tables

if TYPE_CHECKING:
    import pandas as pd  # DataFrames come from duckdb's .df(), which imports pandas when first called


@dataclass(frozen=True)
class Query:
    sql: str
    tables: tuple[str, ...]
    doc: str


class MissingData(LookupError):
    """A table the query needs does not exist (its migration or collector has not run yet)."""

    def __init__(self, query: str, tables: list[str]):
        self.query = query
        self.tables = tables
        super().__init__(f"query {query!r} needs missing table(s): {', '.join(tables)}")


# Families are joined on the first licence of an SPDX expression: for "AGPL-3.0-only OR LicenseRef-…" that is the
# open-source licence a city would use; observatory.analytics.licences explains whole expressions.
QUERIES: dict[str, Query] = {
    "tools": Query(
        """
        SELECT t.tool_id, t.name, t.licence_spdx, l.family AS licence_family, l.osi_approved, l.network_clause,
               t.status, t.first_release_year, t.origin_country, t.maintainer, t.programming_language,
               t.homepage, t.repo_url, t.description_en, t.description_fr, t.source_url, t.checked_on,
               t.licence_evidence_url, t.source_commit, t.open_source, t.status_evidence_url
        FROM tools t LEFT JOIN licences l ON l.spdx_id = split_part(t.licence_spdx, ' ', 1)
        ORDER BY lower(t.name)
        """,
        ("tools", "licences"),
        "Every catalogued tool with its licence family.",
    ),
    "licences": Query(
        "SELECT * FROM licences ORDER BY spdx_id",
        ("licences",),
        "Licence facts (family, OSI approval, network clause, curated obligations).",
    ),
    "tools_by_status": Query(
        "SELECT coalesce(status, 'unknown') AS status, count(*) AS tools FROM tools GROUP BY 1 ORDER BY tools DESC, status",
        ("tools",),
        "Number of tools per activity status.",
    ),
    "features": Query(
        "SELECT * FROM features ORDER BY category, feature_id",
        ("features",),
        "The controlled vocabulary of features.",
    ),
    "tool_features": Query(
        """
        SELECT tf.tool_id, t.name AS tool, tf.feature_id, f.category, f.label_en, f.label_fr,
               tf.evidence_level, tf.source_url, tf.source_commit, tf.note, tf.checked_on
        FROM tool_features tf JOIN tools t USING (tool_id) LEFT JOIN features f USING (feature_id)
        WHERE list_contains($tool_ids, tf.tool_id)
        ORDER BY f.category, tf.feature_id, t.name
        """,
        ("tool_features", "tools", "features"),
        "Feature claims of the chosen tools, each with its evidence level and source.",
    ),
    "all_tool_features": Query(
        "SELECT tool_id, feature_id, evidence_level, source_url FROM tool_features ORDER BY tool_id, feature_id",
        ("tool_features",),
        "Every feature claim (for the chooser).",
    ),
    "licence_events": Query(
        """
        SELECT e.tool_id, t.name AS tool, e.date, e.from_spdx, e.to_spdx, e.note, e.evidence_url, e.source_url,
               e.source, e.declaration_source
        FROM licence_events e JOIN tools t USING (tool_id)
        WHERE list_contains($tool_ids, e.tool_id) ORDER BY t.name, e.date, e.source
        """,
        ("licence_events", "tools"),
        "Licence history of the chosen tools (curated rows and rows read from git).",
    ),
    "licence_event_conflicts": Query(
        """
        SELECT c.tool_id, t.name AS tool, c.kind, c.date, c.declaration_source, c.from_spdx, c.to_spdx,
               c.evidence_url, c.curated_events
        FROM licence_event_conflicts c JOIN tools t USING (tool_id)
        WHERE list_contains($tool_ids, c.tool_id) ORDER BY t.name, c.date
        """,
        ("licence_event_conflicts", "tools"),
        "Licence events on which git and the curated list disagree (docs/health.md).",
    ),
    "deployments": Query(
        """
        SELECT d.deployment_id, d.tool_id, t.name AS tool, d.organisation, d.organisation_type, d.country, d.region,
               d.url, d.started_year, d.latitude, d.longitude, d.origin, d.first_seen, d.last_seen, d.removed_on,
               d.source_url, d.checked_on
        FROM deployments d JOIN tools t USING (tool_id)
        ORDER BY t.name, d.country, d.organisation
        """,
        ("deployments", "tools"),
        "Every known deployment (curated and collected).",
    ),
    "tool_deployments": Query(
        """
        SELECT d.deployment_id, d.tool_id, t.name AS tool, d.organisation, d.organisation_type, d.country, d.region,
               d.url, d.started_year, d.latitude, d.longitude, d.origin, d.first_seen, d.last_seen, d.removed_on,
               d.source_url, d.checked_on
        FROM deployments d JOIN tools t USING (tool_id)
        WHERE list_contains($tool_ids, d.tool_id)
        ORDER BY t.name, d.country, d.organisation
        """,
        ("deployments", "tools"),
        "Known deployments of the chosen tools.",
    ),
    "deployments_by_country": Query(
        """
        SELECT country, count(*) AS deployments, count(DISTINCT tool_id) AS tools,
               avg(latitude) AS latitude, avg(longitude) AS longitude
        FROM deployments WHERE removed_on IS NULL AND country IS NOT NULL
        GROUP BY country ORDER BY deployments DESC, country
        """,
        ("deployments",),
        "Live deployments per country (ISO 3166-1 alpha-2).",
    ),
    "deployments_by_tool": Query(
        """
        SELECT t.tool_id, t.name AS tool,
               count(d.deployment_id) FILTER (WHERE d.removed_on IS NULL) AS deployments,
               count(DISTINCT d.country) AS countries
        FROM tools t LEFT JOIN deployments d ON d.tool_id = t.tool_id
        GROUP BY t.tool_id, t.name ORDER BY deployments DESC, t.name
        """,
        ("deployments", "tools"),
        "Live deployments per tool.",
    ),
    "tool_profiles": Query(
        """
        SELECT p.*, t.name AS tool FROM tool_profiles p JOIN tools t USING (tool_id)
        WHERE list_contains($tool_ids, p.tool_id) ORDER BY t.name
        """,
        ("tool_profiles", "tools"),
        "Plain-language profile of the chosen tools (what it is for, who runs it, what it costs), FR and EN.",
    ),
    "tool_offers": Query(
        """
        SELECT o.*, t.name AS tool FROM offers o JOIN tools t USING (tool_id)
        WHERE list_contains($tool_ids, o.tool_id) ORDER BY t.name, o.kind, o.provider
        """,
        ("offers", "tools"),
        "Hosted offers, support contracts and training for the chosen tools: provider, hosting country, price.",
    ),
    "tool_accessibility": Query(
        """
        SELECT a.*, t.name AS tool FROM accessibility a JOIN tools t USING (tool_id)
        WHERE list_contains($tool_ids, a.tool_id) ORDER BY t.name, a.standard
        """,
        ("accessibility", "tools"),
        "Published accessibility statements (WCAG, RGAA, EN 301 549, BITV) of the chosen tools.",
    ),
    "tool_languages": Query(
        """
        SELECT l.*, t.name AS tool FROM tool_languages l JOIN tools t USING (tool_id)
        WHERE list_contains($tool_ids, l.tool_id) ORDER BY t.name, l.share_translated DESC, l.language_code
        """,
        ("tool_languages", "tools"),
        "Interface languages of the chosen tools with the share of the interface translated (from locale files).",
    ),
    "search_tools": Query(
        """
        SELECT tool_id, name, licence_spdx, status FROM tools
        WHERE name ILIKE '%' || $q || '%' OR tool_id ILIKE '%' || $q || '%' OR maintainer ILIKE '%' || $q || '%'
        ORDER BY lower(name) LIMIT $limit
        """,
        ("tools",),
        "Tools whose name, id or maintainer contains the text (the sidebar search).",
    ),
    "search_features": Query(
        """
        SELECT feature_id, label_en, label_fr FROM features
        WHERE label_en ILIKE '%' || $q || '%' OR label_fr ILIKE '%' || $q || '%' OR feature_id ILIKE '%' || $q || '%'
        ORDER BY feature_id LIMIT $limit
        """,
        ("features",),
        "Features whose label contains the text.",
    ),
    "search_deployments": Query(
        """
        SELECT d.tool_id, t.name AS tool, d.organisation, d.country, d.region FROM deployments d JOIN tools t USING (tool_id)
        WHERE d.organisation ILIKE '%' || $q || '%' OR d.region ILIKE '%' || $q || '%' OR d.country = upper($q)
        ORDER BY d.organisation LIMIT $limit
        """,
        ("deployments", "tools"),
        "Deployments whose organisation or place contains the text (or whose country code is the text).",
    ),
    "deployments_listed_vs_claimed": Query(
        """
        WITH listed AS (
            SELECT tool_id, count(*) AS listed,
                   count(*) FILTER (WHERE coalesce(source_status, '') <> 'past') AS listed_not_past,
                   count(DISTINCT country) AS listed_countries
            FROM deployments WHERE removed_on IS NULL GROUP BY tool_id)
        SELECT t.tool_id, t.name AS tool, coalesce(l.listed, 0) AS listed,
               coalesce(l.listed_not_past, 0) AS listed_not_past, coalesce(l.listed_countries, 0) AS listed_countries,
               c.claimed_count, c.claim_scope, c.claim_text, c.source_url AS claim_source_url, c.claimed_on
        FROM tools t LEFT JOIN listed l USING (tool_id) LEFT JOIN deployment_claims c USING (tool_id)
        WHERE l.tool_id IS NOT NULL OR c.tool_id IS NOT NULL
        ORDER BY listed DESC, tool, c.claim_scope
        """,
        ("deployments", "deployment_claims", "tools"),
        "Deployments we can trace per tool next to what the project claims (one row per claim): never market share.",
    ),
    "table_meta": Query(
        "SELECT * FROM table_meta ORDER BY table_name",
        ("table_meta",),
        "Licence, source and freshness of every user-facing table.",
    ),
    "sources": Query("SELECT * FROM sources ORDER BY source_id", ("sources",), "Bibliography of the catalogue."),
    "latest_snapshots": Query(
        """
        SELECT s.* EXCLUDE (commit_weeks), t.name AS tool
        FROM repo_snapshots s JOIN tools t USING (tool_id)
        WHERE list_contains($tool_ids, s.tool_id)
        QUALIFY row_number() OVER (PARTITION BY s.tool_id, s.repo ORDER BY s.fetched_at DESC) = 1
        ORDER BY t.name
        """,
        ("repo_snapshots", "tools"),
        "Latest repository snapshot of each chosen tool.",
    ),
    "snapshot_history": Query(
        """
        SELECT s.tool_id, t.name AS tool, s.fetched_at, s.stars, s.forks, s.open_issues, s.contributors,
               s.commits_last_52w, s.releases_last_year, s.source_url
        FROM repo_snapshots s JOIN tools t USING (tool_id)
        WHERE list_contains($tool_ids, s.tool_id) ORDER BY t.name, s.fetched_at
        """,
        ("repo_snapshots", "tools"),
        "Every snapshot of the chosen tools, for trends.",
    ),
    "all_snapshot_history": Query(
        """
        SELECT s.tool_id, t.name AS tool, s.fetched_at, s.stars, s.forks, s.open_issues, s.contributors,
               s.commits_last_52w, s.releases_last_year, s.archived, s.source_url
        FROM repo_snapshots s JOIN tools t USING (tool_id) ORDER BY t.name, s.fetched_at
        """,
        ("repo_snapshots", "tools"),
        "Every snapshot of every tool, for health trends.",
    ),
    "repo_health": Query(
        """
        SELECT t.name AS tool, h.* EXCLUDE (origin), h.origin
        FROM repo_health h JOIN tools t USING (tool_id)
        WHERE list_contains($tool_ids, h.tool_id)
        QUALIFY row_number() OVER (PARTITION BY h.tool_id ORDER BY h.origin = 'git' DESC, h.read_on DESC) = 1
        ORDER BY t.name
        """,
        ("repo_health", "tools"),
        "Software health of the chosen tools read from git (a collected row wins over the shipped one).",
    ),
    "repo_health_all": Query(
        """
        SELECT t.name AS tool, h.* EXCLUDE (origin), h.origin
        FROM repo_health h JOIN tools t USING (tool_id)
        QUALIFY row_number() OVER (PARTITION BY h.tool_id ORDER BY h.origin = 'git' DESC, h.read_on DESC) = 1
        ORDER BY t.name
        """,
        ("repo_health", "tools"),
        "Software health of every tool with a repository row.",
    ),
    "repo_health_monthly": Query(
        """
        SELECT m.tool_id, t.name AS tool, m.month, m.commits, m.active_authors, m.new_authors, m.stopped_authors,
               m.releases, m.commit_read, m.origin
        FROM repo_health_monthly m JOIN tools t USING (tool_id)
        WHERE $tool_ids IS NULL OR list_contains($tool_ids, m.tool_id)
        QUALIFY rank() OVER (PARTITION BY m.tool_id ORDER BY m.origin = 'git' DESC) = 1
        ORDER BY t.name, m.month
        """,
        ("repo_health_monthly", "tools"),
        "Monthly commits, authors and releases read from git (tool_ids NULL: every tool).",
    ),
    "platform_versions": Query(
        """
        WITH latest AS (
            SELECT * FROM deployment_probes
            QUALIFY row_number() OVER (PARTITION BY deployment_id ORDER BY probed_at DESC) = 1)
        SELECT d.tool_id, t.name AS tool, p.platform_version, count(*) AS instances
        FROM latest p JOIN deployments d USING (deployment_id) JOIN tools t ON t.tool_id = d.tool_id
        WHERE list_contains($tool_ids, d.tool_id)
        GROUP BY ALL ORDER BY t.name, instances DESC
        """,
        ("deployment_probes", "deployments", "tools"),
        "Platform versions seen in the latest probe of each deployment.",
    ),
    "latest_probes": Query(
        """
        WITH latest AS (
            SELECT * FROM deployment_probes
            QUALIFY row_number() OVER (PARTITION BY deployment_id ORDER BY probed_at DESC) = 1)
        SELECT d.tool_id, t.name AS tool, d.country, l.deployment_id, l.url, l.probed_at, l.reachable, l.status,
               l.platform, l.platform_version, l.response_ms
        FROM latest l JOIN deployments d USING (deployment_id) JOIN tools t ON t.tool_id = d.tool_id
        ORDER BY t.name, d.country
        """,
        ("deployment_probes", "deployments", "tools"),
        "Latest liveness probe of each deployment.",
    ),
    "pb_projects": Query(
        "SELECT * FROM pb_projects WHERE edition_id = $edition_id",
        ("pb_projects",),
        "Projects of one participatory-budgeting edition (names, costs, districts, categories).",
    ),
    "instances": Query(
        "SELECT * FROM instances ORDER BY platform, instance_id",
        ("instances",),
        "Collected Decidim/Consul instances.",
    ),
    "proposals_by_state": Query(
        """
        SELECT coalesce(state, 'unknown') AS state, count(*) AS proposals, sum(supports) AS supports,
               string_agg(DISTINCT platform_version, ', ') AS platform_versions
        FROM proposals WHERE instance_id = $instance_id AND quality_flag IS NULL GROUP BY 1 ORDER BY proposals DESC
        """,
        ("proposals",),
        "Proposals of one instance by normalised state (rows flagged as test/junk entries left out).",
    ),
    "proposals_by_month": Query(
        """
        SELECT date_trunc('month', published_at)::DATE AS month, count(*) AS proposals
        FROM proposals WHERE instance_id = $instance_id AND quality_flag IS NULL AND published_at IS NOT NULL
        GROUP BY 1 ORDER BY 1
        """,
        ("proposals",),
        "Proposals of one instance published per month.",
    ),
    "results_progress": Query(
        """
        SELECT coalesce(status, 'unknown') AS status, count(*) AS results, avg(progress) AS mean_progress,
               string_agg(DISTINCT platform_version, ', ') AS platform_versions
        FROM results WHERE instance_id = $instance_id GROUP BY 1 ORDER BY results DESC
        """,
        ("results",),
        "Results (accountability) of one instance by status, with mean progress.",
    ),
    "budget_projects_by_selection": Query(
        """
        SELECT CASE WHEN selected THEN 'selected' WHEN NOT selected THEN 'not_selected' ELSE 'unknown' END AS selection,
               count(*) AS projects, sum(cost) AS cost, sum(supports) AS supports,
               string_agg(DISTINCT platform_version, ', ') AS platform_versions
        FROM budget_projects WHERE instance_id = $instance_id GROUP BY 1 ORDER BY 1 DESC
        """,
        ("budget_projects",),
        "Budget projects of one instance: selected or not, with their total cost and supports.",
    ),
    "comments_by_month": Query(
        """
        SELECT date_trunc('month', created_at)::DATE AS month, count(*) AS comments
        FROM comments WHERE instance_id = $instance_id AND created_at IS NOT NULL GROUP BY 1 ORDER BY 1
        """,
        ("comments",),
        "Comments of one instance per month.",
    ),
    "meetings_by_month": Query(
        """
        SELECT date_trunc('month', start_time)::DATE AS month, count(*) AS meetings, sum(attendees_count) AS attendees
        FROM meetings WHERE instance_id = $instance_id AND start_time IS NOT NULL GROUP BY 1 ORDER BY 1
        """,
        ("meetings",),
        "Meetings of one instance per month.",
    ),
    "metric_definitions": Query(
        "SELECT * FROM metric_definitions ORDER BY metric_id",
        ("metric_definitions",),
        "What each instance figure means.",
    ),
}


def existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the user-facing tables and views (``store.user_tables``, as a set)."""
    return set(user_tables(con))


def _checked(con: duckdb.DuckDBPyConnection, name: str, known_tables: Collection[str] | None = None) -> Query:
    query = QUERIES[name]
    known = existing_tables(con) if known_tables is None else known_tables
    missing = [t for t in query.tables if t not in known]
    if missing:
        raise MissingData(name, missing)
    return query


def run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """Run the named query on its own cursor with bound parameters; MissingData if a table is absent."""
    query = _checked(con, name)
    cur = con.cursor()
    try:
        return cur.execute(query.sql, params or None).df()
    finally:
        cur.close()


def run_rows(con: duckdb.DuckDBPyConnection, name: str, known_tables: Collection[str] | None = None,
             **params: object) -> tuple[list[str], list[tuple]]:
    """:func:`run` as column names and Python rows (a DATE stays a date), for the API and MCP server.

    ``known_tables`` (the catalogue, when the caller has it cached for this file) saves a catalogue query.
    """
    query = _checked(con, name, known_tables)
    cur = con.cursor()
    try:
        result = cur.execute(query.sql, params or None)
        return [d[0] for d in result.description or []], result.fetchall()
    finally:
        cur.close()


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Column names of one catalogued table, in order (empty if the table does not exist)."""
    cur = con.cursor()
    try:
        rows = cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? "
            "ORDER BY ordinal_position",
            [table],
        ).fetchall()
    finally:
        cur.close()
    return [r[0] for r in rows]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def table_row_counts(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, int]:
    """Exact row count of each table; names are checked against the catalogue before use."""
    known = existing_tables(con)
    counts: dict[str, int] = {}
    cur = con.cursor()
    try:
        for table in tables:
            if table not in known:
                raise MissingData("table_row_counts", [table])
            counts[table] = cur.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0]  # noqa: S608
    finally:
        cur.close()
    return counts


def table_rows(
    con: duckdb.DuckDBPyConnection, table: str, column: str | None = None, contains: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Rows of a catalogued table, optionally those whose ``column`` contains ``contains`` (case-insensitive).

    The table and column must exist in the catalogue (they are quoted identifiers); the search text is a
    bound parameter. ``limit=None`` returns every matching row, which is what downloads use.
    """
    if table not in existing_tables(con):
        raise MissingData("table_rows", [table])
    columns = table_columns(con, table)
    sql = f"SELECT * FROM {_quote(table)}"  # noqa: S608 - identifier from the catalogue
    params: list[object] = []
    if column and contains:
        if column not in columns:
            raise ValueError(f"unknown column {column!r} in table {table!r}")
        sql += f" WHERE contains(lower(CAST({_quote(column)} AS VARCHAR)), lower(?))"
        params.append(contains)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    cur = con.cursor()
    try:
        return cur.execute(sql, params).df()
    finally:
        cur.close()
