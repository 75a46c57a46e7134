"""``observatory serve``: the read-only HTTP API on uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from observatory.config import load_settings
from observatory.errors import BadUsage, ObservatoryError
from observatory.failures import print_error
from observatory.messages import say


def fail(error: ObservatoryError) -> typer.Exit:
    """One line on stderr and the error's documented exit code (no traceback)."""
    print_error(error)
    return typer.Exit(error.exit_code)


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="interface to listen on (0.0.0.0 to share on the network)")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
        db: Annotated[Path | None,
                      typer.Option("--db", help="DuckDB file (default: $OBSERVATORY_DB, else the data home)")] = None,
        rate: Annotated[float, typer.Option(help="requests per second allowed per client address (0: no limit)")] = 20.0,
        burst: Annotated[float, typer.Option(help="requests a client may send at once before the rate applies")] = 60.0,
        sql_concurrency: Annotated[int, typer.Option(help="SQL queries running at once (more get 503)")] = 2,
        sql_timeout: Annotated[float, typer.Option(help="seconds before a SQL query is stopped")] = 5.0,
    ) -> None:
        """Serve the read-only API (tables, named queries, tool documents, SQL) on http://HOST:PORT/api/v1."""
        import uvicorn

        from observatory.api.app import ApiSettings, create_app

        db_path = load_settings(db).db_path
        if not db_path.exists():
            raise fail(BadUsage(say("cli.error.db_not_found"), str(db_path), say("cli.todo.build_first")))
        if sql_concurrency < 1:
            raise fail(BadUsage(say("cli.serve.concurrency"), "--sql-concurrency"))
        settings = ApiSettings(rate_per_s=rate, burst=burst, max_sql_concurrency=sql_concurrency,
                               sql_timeout_s=sql_timeout)
        typer.echo(say("cli.serve.listening", host=host, port=port, db=db_path), err=True)
        uvicorn.run(create_app(db_path, settings), host=host, port=port, log_level="warning",
                    timeout_keep_alive=5, limit_concurrency=500, server_header=False)
