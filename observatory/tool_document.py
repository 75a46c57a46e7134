"""One tool's profile as a single document: the content of the dashboard's tool page, for every reader.

The document is a head (the catalogue row and its licence explained in English and French) and a list of
sections, each one named query run for this tool. A new section is one line in :data:`SECTIONS` (for
instance ``Section("offers", "tool_offers")`` once that query exists); a section whose tables are not
collected yet says so instead of failing the whole document.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import duckdb

from observatory import published_queries, queries
from observatory.analytics import licences as lic
from observatory.plain import Rows, plain


class UnknownTool(LookupError):
    """No tool with this id in the catalogue."""


@dataclass(frozen=True)
class Section:
    key: str  # the name of the section in the document
    query: str  # a name in observatory.published_queries.REGISTRY taking ``tool_ids``


SECTIONS: tuple[Section, ...] = (
    Section("profile", "tool_profiles"),
    Section("offers", "tool_offers"),
    Section("accessibility", "tool_accessibility"),
    Section("languages", "tool_languages"),
    Section("git_health", "repo_health"),
    Section("git_health_monthly", "repo_health_monthly"),
    Section("licence_history", "licence_events"),
    Section("features", "tool_features"),
    Section("deployments", "tool_deployments"),
    Section("repository_health", "latest_snapshots"),
    Section("health_history", "snapshot_history"),
    Section("platform_versions", "platform_versions"),
)
SOURCE_COLUMNS = ("source_url", "evidence_url", "licence_evidence_url")


@dataclass
class ToolDocument:
    tool: dict[str, Any]
    licence: dict[str, Any]
    sections: dict[str, Rows] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)  # section -> tables not collected yet

    def sources(self) -> list[str]:
        """Every URL the document's facts cite, sorted (what an answer should quote)."""
        urls = {str(self.tool[c]) for c in SOURCE_COLUMNS if isinstance(self.tool.get(c), str)}
        for rows in self.sections.values():
            for column in SOURCE_COLUMNS:
                urls.update(str(u) for u in rows.column(column) if u)
        return sorted(urls)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (dates stay date objects: the encoder writes them ISO 8601)."""
        sections: dict[str, Any] = {}
        for section in SECTIONS:
            if section.key in self.sections:
                sections[section.key] = {"available": True, "rows": self.sections[section.key].records()}
            elif section.key in self.missing:
                sections[section.key] = {"available": False, "missing_tables": self.missing[section.key]}
        return {"tool_id": self.tool["tool_id"], "name": self.tool["name"],
                "tool": {k: plain(v) for k, v in self.tool.items()}, "licence": self.licence,
                "sections": sections, "sources": self.sources()}


def _licence(spdx: str, catalogue: dict[str, lic.LicenceFacts]) -> dict[str, Any]:
    en, fr = lic.explain(spdx, "en", catalogue), lic.explain(spdx, "fr", catalogue)
    return {"spdx": spdx, "licence_ids": list(en.licence_ids), "family": en.family, "osi_approved": en.osi_approved,
            "network_clause": en.network_clause, "obligations_en": en.obligations, "obligations_fr": fr.obligations}


def build(con: duckdb.DuckDBPyConnection, tool_id: str, known_tables: Collection[str] | None = None) -> ToolDocument:
    """The document of ``tool_id`` (UnknownTool if the catalogue has no such tool).

    ``known_tables``: the file's table names when the caller caches them (saves one catalogue query per section).
    """
    known = queries.existing_tables(con) if known_tables is None else set(known_tables)
    tools = published_queries.run(con, "compare_tools", {"tool_ids": [tool_id]}, known).records()
    if not tools:
        raise UnknownTool(f"no tool with id {tool_id!r}")
    tool = tools[0]
    catalogue = lic.catalogue_from_rows(published_queries.run(con, "licences", {}, known).records())
    document = ToolDocument(tool, _licence(str(tool["licence_spdx"]), catalogue))
    for section in SECTIONS:
        try:
            document.sections[section.key] = published_queries.run(con, section.query, {"tool_ids": [tool_id]}, known)
        except queries.MissingData as exc:
            document.missing[section.key] = exc.tables
    return document
