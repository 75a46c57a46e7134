"""Build a report: validate the tools, run every section of :data:`~observatory.reports.sections.SECTIONS`
that applies, then number the sources in reading order.

The document types live in :mod:`observatory.reports.document`, the sections in
:mod:`observatory.reports.sections`; this module only assembles them, so nothing imports it back.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb

from observatory import schema
from observatory.reports import sources as src
from observatory.reports.context import ReportContext, records
from observatory.reports.document import Report, Table
from observatory.reports.i18n import check_language, t
from observatory.reports.sections import SECTIONS


class UnknownToolError(ValueError):
    """A requested tool id is not in the catalogue; the message lists the valid ids."""


def valid_tool_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return sorted(r["tool_id"] for r in records(con, "tools"))


def check_tools(con: duckdb.DuckDBPyConnection, tools: Sequence[str]) -> list[str]:
    """Strip, de-duplicate (keeping order) and validate tool ids against the catalogue."""
    wanted = list(dict.fromkeys(x.strip() for x in tools if x.strip()))
    valid = valid_tool_ids(con)
    listing = ", ".join(valid) or "(catalogue empty: run `observatory build`)"
    if not wanted:
        raise UnknownToolError(f"no tool given; valid ids: {listing}")
    unknown = [x for x in wanted if x not in valid]
    if unknown:
        raise UnknownToolError(f"unknown tool id(s): {', '.join(unknown)}; valid ids: {listing}")
    return wanted


def regenerate_command(tools: Sequence[str], lang: str, fmt: str, output: str | None = None,
                       pb_edition: str | None = None, needs_path: str | None = None) -> str:
    """The exact command line that produces this report again from the same database."""
    parts = ["observatory", "report", "--tools", ",".join(tools)]
    if pb_edition:
        parts += ["--pb-edition", pb_edition]
    if needs_path:
        parts += ["--needs", needs_path]
    parts += ["--lang", lang, "--format", fmt, "-o", output or f"report.{'zip' if fmt == 'csv' else fmt}"]
    return " ".join(shlex.quote(p) for p in parts)


def _data_tables(ctx: ReportContext) -> Table:
    """Licence and freshness of each table the report read (its upstream sources are cited in the body)."""
    tr = ctx.tr
    table = Table("data_licence", tr("sec_data_licence"), [
        tr("col_table"), tr("col_package"), tr("col_title"), tr("col_data_licence"), tr("col_checked_on")])
    for r in records(ctx.con, "table_meta"):
        if r["table_name"] not in ctx.used_tables:
            continue
        cite = ctx.registry.cite_table(r["table_name"])
        table.add([r["table_name"], r.get("package") or "", r.get("title") or "", r.get("licence") or "",
                   r.get("checked_on") or r.get("loaded_at")], [cite] if cite else [])
    return table


def data_version(con: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    """Schema version plus, per data package, its latest ``checked_on``: enough to tell two reports' data apart."""
    version = schema.current_version(con)
    latest: dict[str, date] = {}
    for r in records(con, "table_meta"):
        checked = r.get("checked_on") or r.get("loaded_at")
        for package in (r.get("package") or r["table_name"]).split(" | "):
            if checked and (package not in latest or checked > latest[package]):
                latest[package] = checked
    parts = [f"schema {version}"] + [f"{p} {d.isoformat()}" for p, d in sorted(latest.items())]
    return version, " · ".join(parts)


# --------------------------------------------------------------------------------------------- entry

def build_report(con: duckdb.DuckDBPyConnection, tools: Sequence[str], lang: str, *, fmt: str = "html",
                 pb_edition: str | None = None, needs: Any | None = None, output: str | None = None,
                 needs_path: str | None = None, today: date | None = None) -> Report:
    """Collect everything a comparative report shows from ``con`` (a read-only connection is enough)."""
    lang = check_language(lang)
    tool_ids = check_tools(con, tools)
    tool_rows = {r["tool_id"]: r for r in records(con, "tools")}
    names = {x: tool_rows[x]["name"] for x in tool_ids}
    ctx = ReportContext(con, lang, tool_ids, names, src.SourceRegistry(con),
                        tool_rows=[tool_rows[x] for x in tool_ids], pb_edition=pb_edition, needs=needs)
    sections = [spec.build(ctx) for spec in SECTIONS if spec.applies(ctx)]
    needs_yaml = None
    if needs is not None:
        from observatory.chooser.needs import needs_as_yaml

        needs_yaml = needs_as_yaml(needs)
    data_tables = _data_tables(ctx)
    version, dversion = data_version(con)
    command = regenerate_command(tool_ids, lang, fmt, output, pb_edition,
                                 needs_path or ("needs.yaml" if needs is not None else None))
    title = t(lang, "report_title", tools=", ".join(names[x] for x in tool_ids))
    generated = today or date.today()
    report = Report(
        lang=lang, title=title, tool_ids=tool_ids, tool_names=[names[x] for x in tool_ids], generated_on=generated,
        schema_version=version, data_version=dversion, command=command, sections=sections, sources=[],
        data_tables=data_tables, citation=t(lang, "citation", title=title, date=generated.isoformat(), version=dversion),
        needs_yaml=needs_yaml, pb_edition=pb_edition)
    ctx.registry.finalise(report)
    return report
