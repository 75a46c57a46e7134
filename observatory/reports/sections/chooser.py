"""The chooser's ranking (``observatory.chooser``) as a report section: totals over known facts with their
coverage, each criterion's score (a dash when unknown), the reasons with their sources, what changes
when one answer changes, the deployments most like the reader, and the needs themselves so the ranking
can be reproduced."""

from __future__ import annotations

import math
from typing import Any

from observatory.reports.context import ReportContext
from observatory.reports.document import BarChart, Fact, Section, Share, Table
from observatory.reports.sections.base import ReportSection

TOP_OTHERS = 5   # besides the report's tools, show the best-ranked others so the comparison has context
LIKE_US = 10

def _number(value: object) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)  # type: ignore[arg-type]


def build(ctx: ReportContext) -> Section:
    from observatory import chooser

    tr = ctx.tr
    needs = ctx.needs
    facts = chooser.load_facts(ctx.con)
    weights = chooser.default_weights()
    results = chooser.rank(facts, needs, weights)
    ranking = chooser.frame(results, ctx.lang, facts)
    asked = [c for c in chooser.CRITERIA if ranking[f"score_{c}"].notna().any()]
    sec = Section("chooser", tr("sec_chooser"))
    sec.facts.append(Fact(tr("chooser_intro")))
    others = ranking[~ranking["tool_id"].isin(ctx.tools) & ranking["ranked"]].head(TOP_OTHERS)["tool_id"].tolist()
    shown = ranking[ranking["tool_id"].isin([*ctx.tools, *others])]
    table = Table("chooser", tr("sec_chooser"), [
        tr("col_rank"), tr("col_tool"), tr("col_in_report"), tr("col_licence"), tr("col_score"), tr("col_coverage"),
        *[chooser.criterion_label(c, ctx.lang) for c in asked]])
    # the plain-language reasons get their own table: on paper they need the full width
    reasons = Table("chooser_explanations", tr("chooser_explanations"),
                    [tr("col_rank"), tr("col_tool"), tr("col_explanation")])
    for row in shown.to_dict("records"):
        cites = [ctx.registry.cite(u.strip()) for u in str(row.get("sources") or "").split(" ; ") if u.strip()]
        rank: Any = None if row["rank"] is None or str(row["rank"]) in {"<NA>", "nan"} else int(row["rank"])
        table.add([rank, row["name"], row["tool_id"] in ctx.tools, row["licence_spdx"], _number(row["score"]),
                   Share(row["coverage"]), *[_number(row[f"score_{c}"]) for c in asked]], cites)
        reasons.add([rank, row["name"], row["explanation"]], cites)
    sec.tables += [table, reasons]
    normalised = chooser.normalised(weights)
    weight_table = Table("chooser_weights", tr("chooser_weights"), [tr("col_criterion"), tr("col_weight")])
    for c in chooser.CRITERIA:
        weight_table.add([chooser.criterion_label(c, ctx.lang), Share(normalised[c])])
    sec.tables.append(weight_table)
    answers = chooser.answer_sensitivity(facts, needs, weights, ctx.lang)
    answer_table = Table("chooser_answers", tr("chooser_answers"), [tr("col_change"), tr("col_top_after")])
    for row in answers[answers["top_changes"]].to_dict("records"):
        answer_table.add([row["change"], row["top_after"]])
    sec.tables.append(answer_table)
    near = chooser.tools_like_us(facts, needs, LIKE_US)
    like = Table("chooser_like_us", tr("chooser_like_us"), [tr("col_organisation"), tr("col_tool"), tr("col_country"),
                                                             tr("col_url")])
    for row in near.to_dict("records"):
        like.add([row["organisation"], row["name"], row["country"], row["url"]],
                 [ctx.registry.cite(row["source_url"])] if row["source_url"] else [])
    sec.tables.append(like)
    scored = shown[shown["score"].notna()]
    sec.charts.append(BarChart("chooser_scores", tr("chart_chooser"), [str(n) for n in scored["name"]],
                               [float(s) for s in scored["score"]], tr("unit_score"), ()))
    return sec


SECTION = ReportSection("chooser", build, when="needs")
