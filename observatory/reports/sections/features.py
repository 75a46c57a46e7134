"""The tool x feature matrix, each cell an evidence level cited to its own source."""

from __future__ import annotations

from typing import Any

from observatory.reports.context import ReportContext, records
from observatory.reports.document import BarChart, Cited, Fact, Section, Table, all_sources
from observatory.reports.sections.base import ReportSection


def build(ctx: ReportContext) -> Section:
    tr = ctx.tr
    sec = Section("features", tr("sec_features"))
    sec.facts.append(Fact(tr("evidence_legend")))
    rows = records(ctx.con, "tool_features", tool_ids=ctx.tools)
    if not rows:
        sec.empty_note = tr("no_features")
        return sec
    ctx.use("features", "tool_features")
    matrix = Table("features", tr("sec_features"),
                   [tr("col_category"), tr("col_feature")] + [ctx.names[x] for x in ctx.tools])
    by_feature: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = by_feature.setdefault(r["feature_id"], {"row": r, "cells": {}})
        num = ctx.registry.cite(r["source_url"], commit=r.get("source_commit"), checked_on=r["checked_on"])
        entry["cells"][r["tool_id"]] = Cited(tr(f"evidence_{r['evidence_level']}"), (num,))
    for feature_id, entry in by_feature.items():
        r = entry["row"]
        label = ctx.pick(r.get("label_en"), r.get("label_fr")) or feature_id
        matrix.add([r.get("category") or "", label, *[entry["cells"].get(x, "—") for x in ctx.tools]])
    sec.tables.append(matrix)
    counts = [float(sum(1 for e in by_feature.values() if x in e["cells"])) for x in ctx.tools]
    sec.charts.append(BarChart("features_per_tool", tr("chart_features_per_tool"), [ctx.names[x] for x in ctx.tools],
                               counts, tr("unit_features"), all_sources(matrix)))
    return sec


SECTION = ReportSection("features", build)
