"""The ``observatory`` command line (typer + rich).

Core commands live here; command families (pb, collect, report, import) register themselves through
:mod:`observatory.cli_plugins`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.table import Table

from observatory import __version__, failures, i18n, messages, schema
from observatory.config import REPO_ROOT, load_settings
from observatory.datasets import DatasetError, build_database, validate_datasets
from observatory.errors import EXIT_BAD_USAGE, BadData, BadUsage, ObservatoryError, StoreDamaged
from observatory.exporting import FORMATS, ExportError, export_table
from observatory.messages import say
from observatory.outputs import check_output
from observatory.sqlguard import QueryTimeout, QueryTooBig, RefusedQuery, run_isolated_query
from observatory.store import REBUILD_HINT, connect_readonly, store_error, user_tables, verify

app = typer.Typer(
    name="observatory",
    help="Civic-Tech Observatory: compare open-source citizen-participation platforms from sourced facts.\n\n"
         f"Messages are in English or French: --lang fr|en, else ${messages.LANG_ENV}, else the POSIX locale "
         "(LC_ALL, LC_MESSAGES, LANG starting with fr), else English.",
    no_args_is_help=True,
    add_completion=False,
    cls=failures.GuardedGroup,
    epilog=say("cli.help.exit_codes"),  # in the language of the environment: --help runs before --lang is read
)
console = Console()
err = Console(stderr=True)

# Viewer toolbar (no deploy button, no developer menu); URL-seeded widgets keep their link's value silently.
# No full garbage collection after every script run (Streamlit's default): on the dashboard's heap it took
# 0.2-0.9 s per page and held the GIL while the page's messages were being sent (bench/README.md).
DASHBOARD_SERVER_FLAGS: tuple[str, ...] = ("--client.toolbarMode", "viewer",
                                           "--global.disableWidgetStateDuplicationWarning", "true",
                                           "--runner.postScriptGC", "false")


def dashboard_command(*flags: str) -> list[str]:
    """The dashboard server's command line: ``dashboards.serve`` imports the pages' modules, then runs Streamlit."""
    entry = REPO_ROOT / "dashboards" / "streamlit_app.py"
    return [sys.executable, "-m", "dashboards.serve", "run", str(entry), "--browser.gatherUsageStats", "false",
            "--server.headless", "true", *flags, *DASHBOARD_SERVER_FLAGS]

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="DuckDB file (default: $OBSERVATORY_DB, "
                              "else ~/.local/share/civic-tech-observatory/observatory.duckdb)"),
]


def fail(message: str, code: int = 1) -> ObservatoryError:
    """The error to raise for ``message``; the top-level handler prints it as one ``error:`` line."""
    return BadUsage(message) if code == EXIT_BAD_USAGE else BadData(message)


@app.callback()
def global_options(
    lang: Annotated[str | None, typer.Option(
        "--lang", help=f"language of the messages: {'|'.join(i18n.LANGS)} (default: ${messages.LANG_ENV}, "
                       "else the POSIX locale, else en)")] = None,
) -> None:
    """Options that apply to every command."""
    if lang is not None and lang not in i18n.LANGS:
        messages.use_lang(None)  # say it in the environment's language
        raise BadUsage(say("cli.error.unknown_lang", lang=repr(lang)), "--lang", say("cli.todo.use_one_of",
                                                                             choices=", ".join(i18n.LANGS)))
    messages.use_lang(lang)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``observatory`` script: one ``error:`` line and its exit code for any failure."""
    return failures.run(app, argv)


@app.command()
def version() -> None:
    """Print the observatory's version and the schema version it ships."""
    console.print(say("cli.version", version=__version__, schema=schema.latest_version()), markup=False)


@app.command()
def validate(
    datasets: Annotated[Path | None, typer.Option(help="datasets folder (default: the checkout's datasets/)")] = None,
) -> None:
    """Validate every data package in datasets/; print file:row:field: message for each problem."""
    folder = datasets or load_settings().datasets_dir
    issues = validate_datasets(folder)
    for issue in issues:
        print(issue, file=sys.stderr)
    if issues:
        raise fail(say("cli.validate.problems", count=len(issues), folder=folder.name))
    console.print(say("cli.validate.ok", folder=folder.name), style="green", markup=False)


@app.command()
def build(
    db: DbOption = None,
    datasets: Annotated[Path | None, typer.Option(help="datasets folder (default: the checkout's datasets/)")] = None,
) -> None:
    """Create or migrate the database and load datasets/ in one transaction (idempotent)."""
    settings = load_settings(db)
    try:
        counts = build_database(settings.db_path, datasets or settings.datasets_dir)
    except DatasetError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        raise fail(say("cli.build.nothing_written", count=len(exc.issues))) from exc
    table = Table(title=say("cli.build.title", path=settings.db_path))
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in sorted(counts.items()):
        table.add_row(name, str(count))
    console.print(table)


def _open_store(db: Path | None) -> tuple[Path, duckdb.DuckDBPyConnection]:
    """The published database, read-only; a missing file is one line asking for ``observatory build``."""
    path = load_settings(db).db_path
    try:
        return path, connect_readonly(path)
    except FileNotFoundError as exc:
        raise BadData(say("cli.error.db_not_found"), str(path), say("cli.todo.build_first")) from exc


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="one read-only SELECT statement")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table|csv|json")] = "table",
    max_rows: Annotated[int, typer.Option(help="stop after this many rows", min=1)] = 10_000,
    timeout: Annotated[float, typer.Option(help="seconds before the query is interrupted", min=0.1)] = 60.0,
) -> None:
    """Run one read-only query. Writes, ATTACH, extensions, files and URLs are refused."""
    if fmt not in {"table", "csv", "json"}:
        raise BadUsage(say("cli.error.unknown_format", fmt=repr(fmt)), "--format",
                       say("cli.todo.use_one_of", choices="table, csv, json"))
    path = load_settings(db).db_path
    try:
        result = run_isolated_query(path, query, max_rows=max_rows, timeout_s=timeout)
    except FileNotFoundError as exc:
        raise BadData(say("cli.error.db_not_found"), str(path), say("cli.todo.build_first")) from exc
    except QueryTimeout as exc:
        raise BadData(str(exc), "observatory sql", say("cli.todo.sql_timeout")) from exc
    except RefusedQuery as exc:
        raise BadUsage(say("cli.error.refused", detail=exc), "observatory sql", say("cli.todo.sql_refused")) from exc
    except QueryTooBig as exc:
        raise BadData(str(exc), "observatory sql", say("cli.todo.sql_too_big")) from exc
    except duckdb.Error as exc:  # bad column, bad syntax inside a SELECT...
        raise BadData(failures.one_line(str(exc)), "observatory sql", say("cli.todo.sql_names")) from exc
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(result.columns)
        writer.writerows(result.rows)
        sys.stdout.write(buffer.getvalue())
    elif fmt == "json":
        records = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        sys.stdout.write(json.dumps(records, default=str, ensure_ascii=False, indent=1) + "\n")
    else:
        table = Table(*result.columns)
        for row in result.rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)
    if result.truncated:
        print(say("cli.sql.truncated", rows=len(result.rows), reason=result.truncated_reason), file=sys.stderr)


@app.command()
def export(
    name: Annotated[str, typer.Argument(help="table or view name")],
    fmt: Annotated[str, typer.Option("--format", help="csv|parquet|json")] = "csv",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="file to write (default: NAME.FORMAT)")] = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing output file")] = False,
    db: DbOption = None,
) -> None:
    """Export every row of a table or view, with a NAME.FORMAT.meta.json sidecar (source, licence, date, rows)."""
    if fmt not in FORMATS:
        raise BadUsage(say("cli.error.unknown_format", fmt=repr(fmt)), "--format",
                       say("cli.todo.use_one_of", choices=", ".join(FORMATS)))
    settings = load_settings(db)
    target = output or Path(f"{name}.{fmt}")
    check_output(target, settings, force)
    check_output(target.with_name(target.name + ".meta.json"), settings, force)
    _, con = _open_store(db)
    try:
        path, sidecar, rows = export_table(con, name, fmt, target)
    except ExportError as exc:
        raise BadData(str(exc), "observatory export", say("cli.todo.see_info")) from exc
    finally:
        con.close()
    console.print(say("cli.export.wrote", rows=rows, path=path, sidecar=sidecar), markup=False)


@app.command()
def info(db: DbOption = None) -> None:
    """Schema version, row counts per table and data freshness; reads every block, so damage is reported."""
    path, con = _open_store(db)
    try:
        counts = verify(con, path)
        version_now = schema.current_version(con)
        meta = {r[0]: r[1:] for r in con.execute(
            "SELECT table_name, licence, checked_on, loaded_at FROM table_meta").fetchall()}
        table = Table(title=say("cli.info.title", path=path, version=version_now, latest=schema.latest_version()))
        for col in ("table", "rows", "checked on / loaded", "licence"):
            table.add_column(col, justify="right" if col == "rows" else "left")
        for name in user_tables(con):
            rows = counts[name] if name in counts else con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            licence, checked, loaded = meta.get(name, (None, None, None))
            fresh = str(checked or loaded or "")
            table.add_row(name, str(rows), fresh, licence or "")
        console.print(table)
    except duckdb.Error as exc:
        raise store_error(exc, path) or StoreDamaged(
            say("cli.error.db_unreadable", detail=failures.one_line(str(exc))), str(path), REBUILD_HINT) from exc
    finally:
        con.close()


@app.command()
def dashboard(
    db: DbOption = None,
    port: Annotated[int, typer.Option(help="port to serve on")] = 8501,
    address: Annotated[str, typer.Option(help="interface to listen on (0.0.0.0 to share on the network)")] = "localhost",
    rebuild: Annotated[bool, typer.Option(help="rebuild the database from datasets/ first")] = False,
) -> None:
    """Open the Streamlit dashboard on the database (built from datasets/ first if missing)."""
    settings = load_settings(db)
    if rebuild or not settings.db_path.exists():
        build(db=settings.db_path, datasets=None)
    env = {**os.environ, "OBSERVATORY_DB": str(settings.db_path)}
    cmd = dashboard_command("--server.port", str(port), "--server.address", address)
    console.print(say("cli.dashboard.serving", port=port, db=settings.db_path), markup=False)
    raise typer.Exit(subprocess.call(cmd, env=env))


def _register_plugins() -> None:
    from observatory.cli_plugins import register_all

    register_all(app)


_register_plugins()
