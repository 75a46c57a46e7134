"""Repository health of the chosen tools from the latest collected snapshots (stars, contributors, commits)."""

from __future__ import annotations

from observatory import queries
from observatory.reports.context import ReportContext, records
from observatory.reports.document import BarChart, Link, Section, Table, all_sources
from observatory.reports.sections.base import ReportSection

# The columns that fit an A4 page; the full history is one `observatory export repo_snapshots` away.
HEALTH_COLUMNS: tuple[str, ...] = ("stars", "contributors", "commits_last_52w", "releases_last_year", "latest_release",
                                   "pushed_at", "archived", "licence_mismatch")


def build(ctx: ReportContext) -> Section:
    tr = ctx.tr
    sec = Section("health", tr("sec_health"))
    try:
        rows = records(ctx.con, "latest_snapshots", tool_ids=ctx.tools)
    except queries.MissingData:
        rows = []
    if not rows:
        sec.empty_note = tr("not_collected", command="observatory collect github gitlab")
        return sec
    ctx.use("repo_snapshots")
    present = [c for c in HEALTH_COLUMNS if c in rows[0]]
    table = Table("health", tr("sec_health"),
                  [tr("col_tool"), tr("col_repo")] + [tr(f"col_{c}") for c in present] + [tr("col_fetched_at")])
    per_tool: dict[str, float] = {}
    for r in rows:
        cites = ctx.cite(r.get("source_url"), checked_on=r.get("fetched_at"))
        repo = Link(r["repo"], r["source_url"]) if r.get("source_url") else r["repo"]
        table.add([r["tool"], repo, *[r.get(c) for c in present], r.get("fetched_at")], cites)
        per_tool[r["tool"]] = per_tool.get(r["tool"], 0.0) + float(r.get("commits_last_52w") or 0)
    sec.tables.append(table)
    if "commits_last_52w" in present:
        sec.charts.append(BarChart("commits", tr("chart_commits"), list(per_tool), list(per_tool.values()),
                                   tr("unit_commits"), all_sources(table)))
    return sec


SECTION = ReportSection("health", build)
