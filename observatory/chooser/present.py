"""Verdicts in words and as a table: shared by the dashboard, the reports and the API."""

from __future__ import annotations

import math

import pandas as pd

from observatory.chooser.criteria import CRITERIA
from observatory.chooser.facts import Facts
from observatory.chooser.ranking import MIN_COVERAGE, ToolResult
from observatory.chooser.text import criterion_label, say
from observatory.chooser.verdict import FactUsed, Verdict


def reason_text(verdict: Verdict, lang: str, facts: Facts) -> str:
    return say(verdict.reason, lang, facts.feature_labels.get(lang, {}), **verdict.params)


def fact_text(fact: FactUsed, lang: str, facts: Facts) -> str:
    return say(fact.key, lang, facts.feature_labels.get(lang, {}), **fact.params)


def line(criterion: str, verdict: Verdict, lang: str, facts: Facts) -> str:
    """"Label: sentence", with the word "unknown" or "excluded" in front when it applies."""
    prefix = ("tag.excluded" if verdict.excludes else "tag.unknown" if verdict.score is None else None)
    text = reason_text(verdict, lang, facts)
    label = say("label_line", lang, label=criterion_label(criterion, lang), text=text)
    return say("tagged_line", lang, tag=say(prefix, lang), text=label) if prefix else label


def explanation(result: ToolResult, lang: str, facts: Facts) -> list[str]:
    asked = [(c, v) for c, v in result.verdicts.items() if v.asked]
    asked.sort(key=lambda cv: (not cv[1].excludes, cv[1].score is None))
    lines = [line(c, v, lang, facts) for c, v in asked]
    lines.append(say("coverage_line", lang, coverage_pct=round(100 * result.coverage)))
    if not result.excluded and not result.ranked_enough:
        essential = result.essential_unknown()
        lines.insert(0, say("unranked_essential_line", lang, label=criterion_label(essential[0], lang)) if essential
                     else say("unranked_line", lang, min_pct=round(100 * MIN_COVERAGE)))
    return lines


def _rounded(value: float | None) -> float:
    return round(value, 4) if value is not None else math.nan


def frame(results: list[ToolResult], lang: str, facts: Facts) -> pd.DataFrame:
    """One row per tool: rank, total, coverage, bounds, near-ties, every criterion (NaN = unknown or not asked)."""
    names = {r.tool.tool_id: r.tool.name for r in results}
    records = []
    for r in results:
        records.append({
            "tool_id": r.tool.tool_id, "name": r.tool.name, "licence_spdx": r.tool.licence_spdx,
            "score": _rounded(r.score), "rank": r.rank, "excluded": r.excluded,
            "coverage": round(r.coverage, 4), "score_low": round(r.low, 4), "score_high": round(r.high, 4),
            "ranked": r.rank is not None,
            "near_tie": bool(r.near_ties), "tied_with": ", ".join(names[t] for t in r.near_ties),
            **{f"score_{c}": _rounded(r.verdicts[c].score if r.verdicts[c].asked else None) for c in CRITERIA},
            "unknown_criteria": ", ".join(criterion_label(c, lang) for c in r.unknown()),
            "explanation": "\n".join(explanation(r, lang, facts)), "sources": " ; ".join(r.sources),
        })
    df = pd.DataFrame(records)
    if df.empty:
        return df
    df["rank"] = pd.array(df["rank"], dtype="Int64")
    return df.reset_index(drop=True)


def reasons_table(result: ToolResult, lang: str, facts: Facts) -> pd.DataFrame:
    """The answers that counted for and against one tool, the unknowns, and each fact's source."""
    rows = []
    for side, criteria in (("for", result.in_favour()), ("against", result.against()), ("unknown", result.unknown())):
        for c in criteria:
            v = result.verdicts[c]
            facts_used = [fact_text(f, lang, facts) for f in v.facts] or ["–"]
            rows.append({"side": say(f"side.{side}", lang), "criterion": criterion_label(c, lang),
                         "score": _rounded(v.score), "weight": round(result.weights[c], 4),
                         "reason": reason_text(v, lang, facts), "facts": " ; ".join(facts_used),
                         "source_url": " ".join(v.sources) or None})
    return pd.DataFrame(rows, columns=["side", "criterion", "score", "weight", "reason", "facts", "source_url"])
