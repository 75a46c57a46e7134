"""One row per chosen tool: licence, family, status, origin, maintainer and deployments, with a description."""

from __future__ import annotations

from observatory.reports.context import ReportContext, records
from observatory.reports.document import BarChart, Fact, Link, Section, Table
from observatory.reports.sections.base import ReportSection
from observatory.reports.sections.licences import tool_families

_KNOWN_STATUSES = {"active", "maintained", "maintenance", "inactive", "archived", "historical"}


def build(ctx: ReportContext) -> Section:
    tr = ctx.tr
    families = tool_families(ctx)
    deploy_counts = {r["tool_id"]: int(r["deployments"] or 0)
                     for r in ctx.selected(records(ctx.con, "deployments_by_tool"))}
    sec = Section("summary", tr("sec_summary"))
    table = Table("summary", tr("sec_summary"), [
        tr("col_tool"), tr("col_licence"), tr("col_family"), tr("col_status"), tr("col_first_release"),
        tr("col_origin"), tr("col_language"), tr("col_maintainer"), tr("col_deployments")])
    dep_src = ctx.registry.cite_table("deployments")
    ctx.use("deployments")
    for row in ctx.tool_rows:
        cites = ctx.cite(row["source_url"], checked_on=row["checked_on"])
        if dep_src:
            cites.append(dep_src)
        name = Link(row["name"], row["homepage"]) if row.get("homepage") else row["name"]
        status = row.get("status") or ""
        if status in _KNOWN_STATUSES:
            status = tr(f"status_{status}")
        table.add([name, row["licence_spdx"], families.get(row["tool_id"], ""), status,
                   row.get("first_release_year"), row.get("origin_country") or "", row.get("programming_language") or "",
                   row.get("maintainer") or "", deploy_counts.get(row["tool_id"], 0)], cites)
        desc = ctx.pick(row.get("description_en"), row.get("description_fr"))
        if desc:
            sec.facts.append(Fact(f"{row['name']} — {desc}", tuple(ctx.cite(row["source_url"]))))
    sec.tables.append(table)
    sec.charts.append(BarChart("deployments_per_tool", tr("chart_deployments_per_tool"),
                               [ctx.names[x] for x in ctx.tools], [float(deploy_counts.get(x, 0)) for x in ctx.tools],
                               tr("unit_deployments"), (dep_src,) if dep_src else ()))
    return sec


SECTION = ReportSection("summary", build)
