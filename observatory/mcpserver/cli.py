"""``observatory mcp``: the MCP server over stdio."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from observatory.config import load_settings
from observatory.errors import BadUsage
from observatory.messages import say


def register(app: typer.Typer) -> None:
    @app.command()
    def mcp(
        db: Annotated[Path | None,
                      typer.Option("--db", help="DuckDB file (default: $OBSERVATORY_DB, else the data home)")] = None,
    ) -> None:
        """Run the Model Context Protocol server on stdin/stdout (tools: search_tools, get_tool, run_sql, ...)."""
        from observatory.api.cli import fail
        from observatory.mcpserver.server import build_server

        db_path = load_settings(db).db_path
        if not db_path.exists():
            raise fail(BadUsage(say("cli.error.db_not_found"), str(db_path), say("cli.todo.build_first")))
        build_server(db_path).run("stdio")
