"""Small builders shared by collector tests: seed curated rows, run a collector, dump tables."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import duckdb

import collectors
from observatory.http import ClientConfig, FakeClock
from observatory.runs import RunSummary, run_collector

TOOLS = [
    # tool_id, repo_url, curated licence
    ("decidim", "https://github.com/decidim/decidim", "AGPL-3.0-or-later"),
    ("consul", "https://github.com/consuldemocracy/consuldemocracy", "AGPL-3.0-only"),
    ("democracyos", "https://github.com/DemocracyOS/democracyos", "GPL-3.0-only"),
]


def seed_tools(con: duckdb.DuckDBPyConnection, tools: list[tuple[str, str | None, str]] = TOOLS) -> None:
    for tool_id, repo_url, licence in tools:
        con.execute("INSERT INTO tools (tool_id, name, repo_url, licence_spdx, source_url, checked_on) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [tool_id, tool_id.title(), repo_url, licence, "https://example.org/catalogue", date(2026, 11, 1)])


def run(con: duckdb.DuckDBPyConnection, name: str, endpoint: str, archive_dir: Path, clock: FakeClock,
        config: ClientConfig | None = None) -> RunSummary:
    cfg = config or ClientConfig(timeout_s=0.3, max_retries=2, politeness_s=1.0, max_bytes=256 * 1024)
    return run_collector(con, collectors.get(name)(endpoint), archive_dir, clock=clock, config=cfg)


def rows(con: duckdb.DuckDBPyConnection, table: str, order: str) -> list[tuple[object, ...]]:
    return con.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()  # noqa: S608 - test constants


def all_text(con: duckdb.DuckDBPyConnection, archive_dir: Path) -> str:
    """Every value of every table plus every archived body, as one string (for secret scans)."""
    parts: list[str] = []
    for (table,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema='main'").fetchall():
        parts.extend(repr(r) for r in con.execute(f'SELECT * FROM "{table}"').fetchall())  # noqa: S608
    for path in archive_dir.rglob("*.gz"):
        parts.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    return "\n".join(parts)
