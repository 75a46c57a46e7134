"""Family, OSI status, network clause and plain obligations of each tool's licence, and its history
(``observatory.analytics.licences``)."""

from __future__ import annotations

from observatory.analytics.licences import catalogue_from_rows, explain
from observatory.reports.context import ReportContext, records
from observatory.reports.document import Fact, Section, Table
from observatory.reports.sections.base import ReportSection


def tool_families(ctx: ReportContext) -> dict[str, str]:
    """Each chosen tool's licence family in words (the summary shows it too)."""
    catalogue = catalogue_from_rows(records(ctx.con, "licences"))
    return {row["tool_id"]: ctx.tr(f"family_{explain(row['licence_spdx'], ctx.lang, catalogue).family}")
            for row in ctx.tool_rows}


def build(ctx: ReportContext) -> Section:
    tr = ctx.tr
    sec = Section("licences", tr("sec_licences"))
    lic_rows = records(ctx.con, "licences")
    lic = {r["spdx_id"]: r for r in lic_rows}
    catalogue = catalogue_from_rows(lic_rows)
    table = Table("licences", tr("sec_licences"), [
        tr("col_tool"), tr("col_licence"), tr("col_family"), tr("col_osi"), tr("col_network_clause"),
        tr("col_obligations")])
    for row in ctx.tool_rows:
        expl = explain(row["licence_spdx"], ctx.lang, catalogue)
        cites = ctx.cite(row.get("licence_evidence_url") or row["source_url"], checked_on=row["checked_on"])
        for spdx in expl.licence_ids:
            if spdx in lic:
                cites += ctx.cite(lic[spdx]["source_url"], checked_on=lic[spdx]["checked_on"])
        table.add([row["name"], row["licence_spdx"], tr(f"family_{expl.family}"), expl.osi_approved,
                   expl.network_clause, expl.obligations], cites)
    sec.tables.append(table)

    history = Table("licence_history", tr("licence_history"), [
        tr("col_tool"), tr("col_date"), tr("col_from"), tr("col_to"), tr("col_note")])
    for ev in records(ctx.con, "licence_events", tool_ids=ctx.tools):
        cites = ctx.cite(ev["evidence_url"]) + ctx.cite(ev["source_url"])
        history.add([ev["tool"], ev["date"], ev.get("from_spdx") or "", ev["to_spdx"], ev.get("note") or ""], cites)
    if history.rows:
        ctx.use("licence_events")
        sec.tables.append(history)
    else:
        sec.facts.append(Fact(tr("no_licence_events")))
    return sec


SECTION = ReportSection("licences", build)
