"""Participatory-budgeting outcomes by rule, from the PB engine (``observatory.pb.api``).

``--pb-edition`` takes an edition id already imported (precomputed ``pb_outcomes``: nothing is
recomputed) or the path of a ``.pb`` file, parsed with ``observatory.pb.pabulib`` and compared with
``api.compare`` on the spot.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path
from typing import Any

from observatory.reports.context import ReportContext, clean_value
from observatory.reports.document import BarChart, Fact, Section, Share, Table
from observatory.reports.i18n import format_number
from observatory.reports.sections.base import ReportSection

FILE_RULES: tuple[str, ...] = ("actual", "greedy", "greedy-ratio", "mes-add1-greedy", "phragmen", "max-supports")
# Shown in their own columns, or about the computation rather than the outcome.
_NOT_METRICS = {"edition_id", "rule", "selected", "cost", "budget_share", "seconds", "computed_at", "n_selected",
                "error", "groups", "added_vs_greedy", "removed_vs_greedy"}


class PbEditionError(ValueError):
    """``--pb-edition`` names no known edition or an unreadable file."""


def _api() -> Any:
    """The PB API, imported on first use (it pulls in the rules and their numeric libraries)."""
    return importlib.import_module("observatory.pb.api")


def _is_file(value: str) -> bool:
    return value.endswith(".pb") or Path(value).is_file()


def _from_database(ctx: ReportContext, edition_id: str) -> tuple[dict[str, Any], list[dict[str, Any]], int | None]:
    api = _api()
    editions = api.list_editions(ctx.con)
    match = editions[editions["edition_id"].astype(str) == edition_id]
    if match.empty:
        known = ", ".join(editions["edition_id"].astype(str).head(15)) or "(none: run `observatory pb import`)"
        raise PbEditionError(f"unknown PB edition {edition_id!r}; known editions include: {known}")
    meta = {k: clean_value(v) for k, v in match.iloc[0].to_dict().items()}
    outcomes = [{k: clean_value(v) for k, v in r.items()} for r in api.outcomes(ctx.con, edition_id).to_dict("records")]
    ctx.use("pb_editions", "pb_outcomes")
    source = ctx.registry.cite(meta.get("source_url"), checked_on=meta.get("checked_on"),
                               title=f"Pabulib · {meta.get('file_name') or edition_id}") if meta.get("source_url") else None
    return meta, outcomes, source


def _from_file(ctx: ReportContext, path_text: str) -> tuple[dict[str, Any], list[dict[str, Any]], int | None]:
    path = Path(path_text)
    if not path.is_file():
        raise PbEditionError(f"PB file not found: {path}")
    api = _api()
    from observatory.pb import pabulib
    from observatory.pb.rules import RULES

    data = path.read_bytes()
    try:
        election = pabulib.parse_bytes(data, path.name, strict=True).election
    except pabulib.PabulibError as exc:
        raise PbEditionError(str(exc)) from exc
    result = api.compare(election, [r for r in FILE_RULES if r in RULES])
    by_rule = result.get("rules", result)
    outcomes = [{"rule": name, **values} for name, values in by_rule.items()]
    sha = hashlib.sha256(data).hexdigest()
    meta = {"edition_id": path.name, "file_name": path.name, "budget": float(election.budget),
            "n_projects": election.n_projects, "n_voters": election.n_voters,
            "currency": election.meta.get("currency", "")}
    source = ctx.registry.cite(None, key=f"pbfile:{sha}", title=ctx.tr("pb_file_source", file=path.name, sha=sha[:16]))
    return meta, outcomes, source


def build(ctx: ReportContext) -> Section:
    tr = ctx.tr
    pb_edition = str(ctx.pb_edition)
    meta, outcomes, source = _from_file(ctx, pb_edition) if _is_file(pb_edition) else _from_database(ctx, pb_edition)
    cites = (source,) if source else ()
    sec = Section("pb", tr("sec_pb"))
    budget = float(meta.get("budget") or 0)
    sec.facts.append(Fact(tr("pb_edition_fact", edition=meta.get("file_name") or meta.get("edition_id"),
                             n_projects=_count(meta.get("n_projects"), ctx.lang),
                             n_voters=_count(meta.get("n_voters"), ctx.lang),
                             budget=f"{format_number(budget, ctx.lang)} {meta.get('currency') or ''}".strip()), cites))
    sec.facts.append(Fact(tr("pb_rules_note")))
    if not outcomes:
        sec.empty_note = tr("pb_no_outcomes")
        return sec
    metrics = [k for k in dict.fromkeys(k for o in outcomes for k in o)
               if k not in _NOT_METRICS and any(_is_number(o.get(k)) for o in outcomes)]
    table = Table("pb", tr("sec_pb"), [tr("col_rule"), tr("col_funded"), tr("col_cost"), tr("col_budget_share"),
                                       *[_metric_label(ctx, m) for m in metrics]])
    shares: list[float] = []
    for o in outcomes:
        selected = o.get("selected")
        cost = float(o["cost"]) if _is_number(o.get("cost")) else None
        share = o.get("budget_share") if _is_number(o.get("budget_share")) else (
            cost / budget if cost is not None and budget else None)
        shares.append(100 * float(share or 0.0))
        table.add([o["rule"], len(selected) if selected is not None else None, cost,
                   Share(share) if share is not None else None, *[_metric_value(m, o.get(m)) for m in metrics]], cites)
        if o.get("error"):   # a rule that gave no outcome says why, under the table's facts
            sec.facts.append(Fact(tr("pb_rule_failed", rule=o["rule"], error=o["error"])))
    sec.tables.append(table)
    sec.charts.append(BarChart("pb_budget", tr("chart_pb_budget"), [str(o["rule"]) for o in outcomes], shares,
                               tr("unit_share"), cites))
    return sec


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value   # NaN is missing


def _count(value: Any, lang: str) -> str:
    return format_number(int(value), lang) if isinstance(value, int | float) else "?"


def _metric_label(ctx: ReportContext, name: str) -> str:
    from observatory.reports.i18n import catalogue

    key = f"pb_metric_{name}"
    return ctx.tr(key) if key in catalogue(ctx.lang) else name


def _metric_value(name: str, value: Any) -> Any:
    if not _is_number(value):
        return None
    if isinstance(value, float) and ("share" in name or "coverage" in name) and 0.0 <= value <= 1.0:
        return Share(value)
    return value


SECTION = ReportSection("pb", build, when="pb_edition")
