"""Known deployments of the chosen tools by country, and the share whose latest probe answered."""

from __future__ import annotations

from typing import Any

from observatory import queries
from observatory.reports import sources as src
from observatory.reports.context import ReportContext, records
from observatory.reports.document import BarChart, Fact, Section, Share, Table, all_sources
from observatory.reports.i18n import country_name
from observatory.reports.sections.base import ReportSection


def build(ctx: ReportContext) -> Section:
    tr = ctx.tr
    sec = Section("adoption", tr("sec_adoption"))
    rows = [r for r in ctx.selected(records(ctx.con, "deployments")) if r.get("removed_on") is None]
    if not rows:
        sec.empty_note = tr("no_deployments")
        return sec
    ctx.use("deployments")
    sec.facts.append(Fact(tr("adoption_caveat")))
    collapse = src.folder_collapser(r["source_url"] for r in rows)
    by_country: dict[str, dict[str, Any]] = {}
    for r in rows:
        code = (r.get("country") or "").upper()
        entry = by_country.setdefault(code, {"counts": {}, "sources": {}})
        entry["counts"][r["tool_id"]] = entry["counts"].get(r["tool_id"], 0) + 1
        url = collapse(r["source_url"])
        entry["sources"].setdefault(url, r.get("checked_on"))
    table = Table("adoption", tr("adoption_by_country"),
                  [tr("col_country"), tr("col_country_code")] + [ctx.names[x] for x in ctx.tools] + [tr("col_total")])
    ordered = sorted(by_country.items(), key=lambda kv: (-sum(kv[1]["counts"].values()), kv[0]))
    for code, entry in ordered:
        cites = [ctx.registry.cite(u, checked_on=d) for u, d in sorted(entry["sources"].items()) if u]
        counts = [entry["counts"].get(x, 0) for x in ctx.tools]
        table.add([country_name(code or None, ctx.lang), code, *counts, sum(counts)], cites)
    countries = {r["country"] for r in rows if r.get("country")}
    sec.facts.append(Fact(tr("adoption_total", n=len(rows), countries=len(countries)), all_sources(table)))
    sec.tables.append(table)
    top = ordered[:12]
    sec.charts.append(BarChart("countries", tr("chart_countries"), [country_name(c or None, ctx.lang) for c, _ in top],
                               [float(sum(e["counts"].values())) for _, e in top], tr("unit_deployments"),
                               tuple(sorted({n for ids in table.row_sources[:12] for n in ids}))))
    _liveness(ctx, sec)
    return sec


def _liveness(ctx: ReportContext, sec: Section) -> None:
    """Share of deployments whose latest probe answered; our own measurement, cited as the probe run."""
    tr = ctx.tr
    try:
        rows = ctx.selected(records(ctx.con, "latest_probes"))
    except queries.MissingData:
        rows = []
    if not rows:
        sec.facts.append(Fact(tr("liveness_not_collected", command="observatory collect probe")))
        return
    ctx.use("deployment_probes")
    table = Table("liveness", tr("liveness"), [tr("col_tool"), tr("col_probed"), tr("col_reachable"),
                                               tr("col_reachable_share"), tr("col_last_probe")])
    for tool_id in ctx.tools:
        mine = [r for r in rows if r["tool_id"] == tool_id]
        if not mine:
            continue
        last = max(r["probed_at"] for r in mine if r.get("probed_at"))
        num = ctx.registry.cite(None, key="probe", title=tr("probe_source"), checked_on=last)
        reachable = sum(1 for r in mine if r.get("reachable"))
        table.add([ctx.names[tool_id], len(mine), reachable, Share(reachable / len(mine)), last], [num])
    sec.tables.append(table)


SECTION = ReportSection("adoption", build)
