"""The report as data: sections of tables, facts and charts, every fact tied to a numbered source.

Exporters (HTML, PDF, XLSX, CSV) only lay this object out, so the four formats always say the same
thing. Values keep their real types (int, float, date, bool, :class:`Link`) so spreadsheets get real
cells, and every string read from the database stays plain text until an exporter escapes it.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb

from observatory import queries, schema
from observatory.analytics.licences import catalogue_from_rows, explain
from observatory.reports import sources as src
from observatory.reports.i18n import check_language, country_name, t


@dataclass(frozen=True)
class Link:
    """A cell shown as ``text`` and pointing at ``url`` (only http(s) URLs become live links)."""

    text: str
    url: str


class Share(float):
    """A fraction 0..1 shown as a percentage (``0.5`` -> ``50 %``), stored as a real number in spreadsheets."""


@dataclass(frozen=True)
class Cited:
    """A single cell backed by its own sources (e.g. one tool x feature cell of the matrix)."""

    value: Any
    sources: tuple[int, ...]


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    row_sources: list[tuple[int, ...]] = field(default_factory=list)

    def add(self, row: list[Any], sources: Sequence[int] = ()) -> None:
        self.rows.append(row)
        self.row_sources.append(tuple(sorted(set(sources))))


@dataclass(frozen=True)
class Fact:
    text: str
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class BarChart:
    """Data for a static bar chart; :mod:`observatory.reports.charts` draws it as inline SVG."""

    key: str
    title: str
    labels: list[str]
    values: list[float]
    unit: str
    sources: tuple[int, ...] = ()


@dataclass
class Section:
    key: str
    title: str
    facts: list[Fact] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[BarChart] = field(default_factory=list)
    empty_note: str | None = None   # "not collected yet" + the command that fills it


@dataclass
class Report:
    lang: str
    title: str
    tool_ids: list[str]
    tool_names: list[str]
    generated_on: date
    schema_version: int
    data_version: str
    command: str
    sections: list[Section]
    sources: list[src.Source]
    data_tables: Table          # licence and freshness of every table the report read
    citation: str
    needs_yaml: str | None = None
    pb_edition: str | None = None

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


class UnknownToolError(ValueError):
    """A requested tool id is not in the catalogue; the message lists the valid ids."""


# --------------------------------------------------------------------------------------------- helpers

def clean_value(value: Any) -> Any:
    """pandas/numpy scalars -> plain Python; timestamps -> dates (a report dates facts, it does not time them)."""
    import numpy as np  # imported on use (already loaded by then: values come from DataFrames)
    import pandas as pd

    if isinstance(value, (list, tuple, np.ndarray)):
        return list(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def records(con: duckdb.DuckDBPyConnection, query: str, **params: Any) -> list[dict[str, Any]]:
    """Rows of a named query of :mod:`observatory.queries` (the one place SQL lives) as plain dicts."""
    frame = queries.run(con, query, **params)
    return [{k: clean_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


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


# --------------------------------------------------------------------------------------------- context

@dataclass
class ReportContext:
    con: duckdb.DuckDBPyConnection
    lang: str
    tools: list[str]
    names: dict[str, str]
    registry: src.SourceRegistry
    used_tables: set[str] = field(default_factory=lambda: {"tools", "licences", "sources"})

    def use(self, *tables: str) -> None:
        """Record that a section showed rows of these tables (their licence goes in the data-licence table)."""
        self.used_tables.update(tables)

    def tr(self, key: str, **fmt: object) -> str:
        return t(self.lang, key, **fmt)

    def cite(self, url: str | None, **kw: Any) -> list[int]:
        return [self.registry.cite(url, **kw)] if url else []

    def pick(self, en: str | None, fr: str | None) -> str:
        """The text in the report language, falling back to the other one rather than to nothing."""
        return (fr or en or "") if self.lang == "fr" else (en or fr or "")

    def selected(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in rows if r.get("tool_id") in self.names]


def _all_sources(table: Table) -> tuple[int, ...]:
    return tuple(sorted({n for ids in table.row_sources for n in ids}))


# --------------------------------------------------------------------------------------------- sections

def _summary(ctx: ReportContext, tools: list[dict[str, Any]], families: dict[str, str], deploy_counts: dict[str, int]) -> Section:
    tr = ctx.tr
    sec = Section("summary", tr("sec_summary"))
    table = Table("summary", tr("sec_summary"), [
        tr("col_tool"), tr("col_licence"), tr("col_family"), tr("col_status"), tr("col_first_release"),
        tr("col_origin"), tr("col_language"), tr("col_maintainer"), tr("col_deployments")])
    dep_src = ctx.registry.cite_table("deployments")
    ctx.use("deployments")
    for row in tools:
        cites = ctx.cite(row["source_url"], checked_on=row["checked_on"])
        if dep_src:
            cites.append(dep_src)
        name = Link(row["name"], row["homepage"]) if row.get("homepage") else row["name"]
        status = row.get("status") or ""
        if status in {"active", "maintained", "maintenance", "inactive", "archived", "historical"}:
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


def _licences(ctx: ReportContext, tools: list[dict[str, Any]]) -> tuple[Section, dict[str, str]]:
    """Family, OSI status, network clause and plain obligations (``observatory.analytics.licences``)."""
    tr = ctx.tr
    sec = Section("licences", tr("sec_licences"))
    lic_rows = records(ctx.con, "licences")
    lic = {r["spdx_id"]: r for r in lic_rows}
    catalogue = catalogue_from_rows(lic_rows)
    table = Table("licences", tr("sec_licences"), [
        tr("col_tool"), tr("col_licence"), tr("col_family"), tr("col_osi"), tr("col_network_clause"), tr("col_obligations")])
    families: dict[str, str] = {}
    for row in tools:
        expl = explain(row["licence_spdx"], ctx.lang, catalogue)
        families[row["tool_id"]] = tr(f"family_{expl.family}")
        cites = ctx.cite(row.get("licence_evidence_url") or row["source_url"], checked_on=row["checked_on"])
        for spdx in expl.licence_ids:
            if spdx in lic:
                cites += ctx.cite(lic[spdx]["source_url"], checked_on=lic[spdx]["checked_on"])
        table.add([row["name"], row["licence_spdx"], families[row["tool_id"]], expl.osi_approved, expl.network_clause,
                   expl.obligations], cites)
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
    return sec, families


def _features(ctx: ReportContext) -> Section:
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
                               counts, tr("unit_features"), _all_sources(matrix)))
    return sec


# The columns that fit an A4 page; the full history is one `observatory export repo_snapshots` away.
HEALTH_COLUMNS: tuple[str, ...] = ("stars", "contributors", "commits_last_52w", "releases_last_year", "latest_release",
                                   "pushed_at", "archived", "licence_mismatch")


def _health(ctx: ReportContext) -> Section:
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
                                   tr("unit_commits"), _all_sources(table)))
    return sec


def _adoption(ctx: ReportContext) -> Section:
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
    sec.facts.append(Fact(tr("adoption_total", n=len(rows), countries=len(countries)), _all_sources(table)))
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
    ordered = [tool_rows[x] for x in tool_ids]
    names = {x: tool_rows[x]["name"] for x in tool_ids}
    ctx = ReportContext(con, lang, tool_ids, names, src.SourceRegistry(con))
    deploy_counts = {r["tool_id"]: int(r["deployments"] or 0) for r in ctx.selected(records(con, "deployments_by_tool"))}

    licences, families = _licences(ctx, ordered)   # the summary shows the families; numbering follows reading order
    sections = [_summary(ctx, ordered, families, deploy_counts), licences, _features(ctx), _health(ctx), _adoption(ctx)]
    if pb_edition:
        from observatory.reports import pb_section

        sections.append(pb_section.build(ctx, pb_edition))
    needs_yaml = None
    if needs is not None:
        from observatory.reports import chooser_section

        sections.append(chooser_section.build(ctx, needs))
        needs_yaml = chooser_section.needs_as_yaml(needs)
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
