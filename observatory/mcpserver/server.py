"""An MCP server (official ``mcp`` SDK, stdio) answering assistants from the same named queries as the API.

Every tool reads the published store read-only (reopened when a new file is published, as in the API),
answers structured JSON, and cites its sources: ``sources`` lists the ``source_url`` (and evidence URLs) of
the rows it returns, so an assistant can quote where each fact comes from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from observatory import published_queries, queries, sqlguard, tool_document
from observatory.api import rows as table_rows
from observatory.api.errors import ApiError
from observatory.api.store_handle import PublishedStore, StoreUnavailable
from observatory.plain import Rows, plain

SOURCE_COLUMNS = ("source_url", "evidence_url", "licence_evidence_url")
MAX_ROWS = 200
SQL_TIMEOUT_S = 5.0
INSTRUCTIONS = (
    "Facts about open-source citizen-participation platforms (Decidim, Consul Democracy, ...): licences, features "
    "with evidence levels, deployments, participatory-budgeting outcomes. Every answer lists its sources; quote "
    "them. Data is read-only; run_sql accepts one SELECT over the observatory's tables."
)


def _sources(records: list[dict[str, Any]], extra: list[str] = ()) -> list[str]:
    urls = {u for u in extra if u}
    for record in records:
        for column in SOURCE_COLUMNS:
            value = record.get(column)
            if isinstance(value, str) and value:
                urls.add(value)
    return sorted(urls)


def _records(result: Rows, limit: int | None = None) -> list[dict[str, Any]]:
    rows = result.rows if limit is None else result.rows[:limit]
    return [{k: plain(v) for k, v in zip(result.columns, row, strict=True)} for row in rows]


def build_server(db_path: str | Path) -> MCPServer:
    store = PublishedStore(db_path)
    server = MCPServer("civic-tech-observatory", instructions=INSTRUCTIONS)

    def published(name: str, params: dict[str, Any]) -> tuple[Rows, str]:
        try:
            with store.snapshot() as snap:
                return published_queries.run(snap.cursor, name, params), snap.version
        except queries.MissingData as exc:
            raise ToolError(f"{exc}: that part of the observatory has not been collected on this database") from None
        except (published_queries.BadParameters, StoreUnavailable) as exc:
            raise ToolError(str(exc)) from None

    @server.tool(description="Find catalogued tools by words in their id, name or description, optionally by "
                             "licence family or status. Returns each tool with its licence and source_url.")
    def search_tools(
        query: Annotated[str, Field(description="words to look for; empty lists every tool")] = "",
        licence_family: Annotated[str | None, Field(description="e.g. network_copyleft, permissive")] = None,
        status: Annotated[str | None, Field(description="e.g. active, archived")] = None,
        limit: Annotated[int, Field(ge=1, le=MAX_ROWS)] = 20,
    ) -> dict[str, Any]:
        result, version = published("tools", {})
        words = query.lower().split()
        found = []
        for record in _records(result):
            text = " ".join(str(record.get(c) or "") for c in ("tool_id", "name", "description_en", "description_fr"))
            if all(w in text.lower() for w in words) and \
                    (licence_family is None or record.get("licence_family") == licence_family) and \
                    (status is None or record.get("status") == status):
                found.append({k: record.get(k) for k in ("tool_id", "name", "licence_spdx", "licence_family", "status",
                                                         "homepage", "repo_url", "description_en", "source_url")})
        return {"count": len(found), "tools": found[:limit], "sources": _sources(found[:limit]),
                "data_version": version}

    @server.tool(description="One tool's full profile: catalogue facts, licence and its obligations (EN/FR), "
                             "licence history, features with evidence, deployments, repository health. Sections "
                             "are cut to max_rows rows (their total is given).")
    def get_tool(
        tool_id: Annotated[str, Field(description="a tool id from search_tools, e.g. decidim")],
        max_rows: Annotated[int, Field(ge=1, le=MAX_ROWS)] = 25,
    ) -> dict[str, Any]:
        try:
            with store.snapshot() as snap:
                document = tool_document.build(snap.cursor, tool_id).to_dict()
                version = snap.version
        except tool_document.UnknownTool as exc:
            raise ToolError(f"{exc}; use search_tools to find ids") from None
        shown: list[dict[str, Any]] = [document["tool"]]
        for section in document["sections"].values():
            if section.get("available"):
                section["total_rows"] = len(section["rows"])
                section["rows"] = section["rows"][:max_rows]
                shown.extend(section["rows"])
        document["sources"] = _sources(shown)
        document["data_version"] = version
        return document

    @server.tool(description="Compare 2 to 6 tools side by side: licence family and network clause, status, "
                             "and every feature each claims, with evidence level and source.")
    def compare_tools(
        tool_ids: Annotated[list[str], Field(min_length=1, max_length=6, description="tool ids, e.g. decidim")],
    ) -> dict[str, Any]:
        tools, version = published("compare_tools", {"tool_ids": tool_ids})
        missing = sorted(set(tool_ids) - set(tools.column("tool_id")))
        if missing:
            raise ToolError(f"unknown tool id(s): {', '.join(missing)}; use search_tools to find ids")
        claims, _ = published("tool_features", {"tool_ids": tool_ids})
        tool_records = _records(tools)
        claim_records = [{k: r.get(k) for k in ("tool_id", "feature_id", "category", "label_en", "evidence_level",
                                                 "source_url")} for r in _records(claims)]
        return {"tools": tool_records, "features": claim_records,
                "sources": _sources(tool_records + claim_records), "data_version": version}

    @server.tool(description="Rank tools for a city's needs with the observatory's transparent chooser: a weighted "
                             "score per criterion, an explanation of each score, exclusions, and sources.")
    def rank_tools_for_needs(
        processes: Annotated[list[str], Field(description="feature ids wanted, e.g. participatory_budgeting")] = [],  # noqa: B006 - pydantic copies defaults
        hosting: Literal["self_host", "hosted", "either"] = "either",
        languages: Annotated[list[str], Field(description="interface languages, ISO 639-1")] = [],  # noqa: B006
        must_be_osi: bool = True,
        network_copyleft_ok: bool = True,
        lang: Literal["en", "fr"] = "en",
        top: Annotated[int, Field(ge=1, le=MAX_ROWS)] = 10,
    ) -> dict[str, Any]:
        ranking, version = published("rank_tools", {
            "processes": processes, "hosting": hosting, "languages": languages, "must_be_osi": must_be_osi,
            "network_copyleft_ok": network_copyleft_ok, "lang": lang})
        ranked = _records(ranking, top)
        cited = [u.strip() for r in ranked for u in str(r.get("sources") or "").split(";") if u.strip()]
        for record in ranked:
            record["sources"] = [u.strip() for u in str(record.get("sources") or "").split(";") if u.strip()]
        return {"ranking": ranked, "sources": sorted(set(cited)), "data_version": version}

    @server.tool(description="Known deployments (organisation, country, URL, years), filtered by tool and/or "
                             "country (ISO 3166-1 alpha-2), each with its source_url.")
    def list_deployments(
        tool_id: str | None = None,
        country: Annotated[str | None, Field(description="ISO 3166-1 alpha-2, e.g. FR")] = None,
        limit: Annotated[int, Field(ge=1, le=MAX_ROWS)] = 50,
    ) -> dict[str, Any]:
        filters = [(k, v) for k, v in (("tool_id", tool_id), ("country", country and country.upper())) if v]
        try:
            with store.snapshot() as snap:
                rel = table_rows.relation(snap.cursor, "deployments")
                request = table_rows.parse_page_request([*filters, ("_sort", "organisation"), ("_size", str(limit))], rel)
                page = table_rows.fetch_page(snap.cursor, rel, request)
                version = snap.version
        except (ApiError, StoreUnavailable) as exc:
            raise ToolError(str(exc)) from None
        found = _records(Rows(page.columns, page.rows))
        return {"count": len(found), "more": page.next_cursor is not None, "deployments": found,
                "sources": _sources(found), "data_version": version}

    @server.tool(description="Participatory-budgeting outcomes: without edition_id, the imported editions; with "
                             "one, the projects each selection rule funds (greedy, MES, Phragmén, optima) and "
                             "their metrics.")
    def pb_outcomes(edition_id: str | None = None) -> dict[str, Any]:
        editions, version = published("pb_editions", {})
        edition_records = _records(editions)
        if edition_id is None:
            return {"editions": edition_records[:MAX_ROWS], "count": len(edition_records),
                    "sources": _sources(edition_records[:MAX_ROWS]), "data_version": version}
        chosen = [e for e in edition_records if e.get("edition_id") == edition_id]
        if not chosen:
            raise ToolError(f"no PB edition {edition_id!r}; call pb_outcomes without edition_id to list them")
        outcomes, version = published("pb_outcomes", {"edition_id": edition_id})
        return {"edition": chosen[0], "outcomes": _records(outcomes), "sources": _sources(chosen),
                "data_version": version}

    @server.tool(description="Run one read-only SELECT over the observatory's tables (same guard as `observatory "
                             "sql`: writes, ATTACH, extensions, files and URLs refused; 5 s; row limit). "
                             "Select source_url columns to be able to cite.")
    def run_sql(
        query: Annotated[str, Field(description="one SELECT statement", max_length=20_000)],
        max_rows: Annotated[int, Field(ge=1, le=MAX_ROWS)] = 100,
    ) -> dict[str, Any]:
        try:
            with store.snapshot() as snap:
                result = sqlguard.run_readonly_query(snap.cursor, query, max_rows=max_rows, timeout_s=SQL_TIMEOUT_S)
                version = snap.version
        except sqlguard.RefusedQuery as exc:
            raise ToolError(f"refused: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - duckdb's own errors (bad column...) are the caller's to fix
            raise ToolError(str(exc).splitlines()[0]) from None
        found = _records(Rows(result.columns, result.rows))
        return {"columns": result.columns, "rows": found, "truncated": result.truncated, "sources": _sources(found),
                "data_version": version}

    return server
