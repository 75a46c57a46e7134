"""The chooser's ranking (``observatory.analytics.chooser``) as a report section: scores, weights,
the plain explanation of each score, and the needs themselves so the ranking can be reproduced."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import yaml

from observatory.reports.model import BarChart, Fact, Section, Share, Table

if TYPE_CHECKING:
    from observatory.analytics.chooser import Needs
    from observatory.reports.model import ReportContext

TOP_OTHERS = 5   # besides the report's tools, show the best-ranked others so the comparison has context


def needs_as_yaml(needs: Needs) -> str:
    """The needs as the YAML that ``--needs`` reads back (``load_needs``)."""
    return yaml.safe_dump(dataclasses.asdict(needs), allow_unicode=True, sort_keys=False)


def build(ctx: ReportContext, needs: Needs) -> Section:
    from observatory.analytics.chooser import CRITERIA, criterion_label, default_weights, rank_tools

    tr = ctx.tr
    weights = default_weights()
    ranking = rank_tools(ctx.con, needs, weights, ctx.lang)
    sec = Section("chooser", tr("sec_chooser"))
    sec.facts.append(Fact(tr("chooser_intro")))
    others = ranking[~ranking["tool_id"].isin(ctx.tools) & ~ranking["excluded"]].head(TOP_OTHERS)["tool_id"].tolist()
    shown = ranking[ranking["tool_id"].isin([*ctx.tools, *others])]
    table = Table("chooser", tr("sec_chooser"), [
        tr("col_rank"), tr("col_tool"), tr("col_in_report"), tr("col_licence"), tr("col_score"),
        *[criterion_label(c, ctx.lang) for c in CRITERIA]])
    # the plain-language reasons get their own table: on paper they need the full width
    reasons = Table("chooser_explanations", tr("chooser_explanations"),
                    [tr("col_rank"), tr("col_tool"), tr("col_explanation")])
    for row in shown.to_dict("records"):
        cites = [ctx.registry.cite(u.strip()) for u in str(row.get("sources") or "").split(" ; ") if u.strip()]
        rank: Any = None if row["rank"] is None or str(row["rank"]) in {"<NA>", "nan"} else int(row["rank"])
        table.add([rank, row["name"], row["tool_id"] in ctx.tools, row["licence_spdx"], float(row["score"]),
                   *[float(row[f"score_{c}"]) for c in CRITERIA]], cites)
        reasons.add([rank, row["name"], row["explanation"]], cites)
    sec.tables += [table, reasons]
    total = sum(max(0.0, w) for w in weights.values()) or 1.0
    weight_table = Table("chooser_weights", tr("chooser_weights"), [tr("col_criterion"), tr("col_weight")])
    for c in CRITERIA:
        weight_table.add([criterion_label(c, ctx.lang), Share(max(0.0, weights.get(c, 0.0)) / total)])
    sec.tables.append(weight_table)
    sec.charts.append(BarChart("chooser_scores", tr("chart_chooser"), [str(n) for n in shown["name"]],
                               [float(s) for s in shown["score"]], tr("unit_score"), ()))
    return sec
