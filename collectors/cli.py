"""``observatory collect | runs | rebuild``: the command-line face of the collectors."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

import collectors
from observatory.config import load_settings
from observatory.errors import BadData, BadUsage
from observatory.messages import say
from observatory.store import connect_readonly, writer

if TYPE_CHECKING:
    # observatory.runs (HTTP client, archive: requests) is imported inside the commands that run collectors.
    from observatory.runs import RunSummary

console = Console()
err_console = Console(stderr=True)  # progress goes to stderr, so stdout stays the result table
DbOption = Annotated[str | None, typer.Option("--db", help="Database file (default: OBSERVATORY_DB or XDG data dir).")]


def _summary_table(title: str, summaries: list[RunSummary]) -> Table:
    table = Table(title=title)
    table.add_column("collector", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for col in ("fetched", "skipped", "failed", "run id", "first error"):
        table.add_column(col, overflow="fold")
    for s in summaries:
        colour = {"ok": "green", "partial": "yellow"}.get(s.status, "red")
        table.add_row(s.collector, f"[{colour}]{s.status}[/]", str(s.fetched), str(s.skipped), str(s.failed),
                      s.run_id, (s.errors[0][:80] if s.errors else ""), )
    return table


def _parse_since(since: str | None) -> date | None:
    if not since:
        return None
    try:
        return date.fromisoformat(since)
    except ValueError:
        raise BadUsage(say("cli.collect.bad_since", since=repr(since)), "observatory collect",
                       say("cli.todo.since_format")) from None


def collect_cmd(
    names: Annotated[list[str] | None, typer.Argument(help="Collectors to run (default: all).")] = None,
    since: Annotated[str | None, typer.Option(help="Only items changed since this date (YYYY-MM-DD).")] = None,
    endpoint: Annotated[str | None, typer.Option(help="Base URL replacing the collectors' default.")] = None,
    repo: Annotated[list[str] | None, typer.Option(
        "--repo", help="git: a repository to read (path, URL, or TOOL_ID=PATH_OR_URL); repeatable.")] = None,
    db: DbOption = None,
    from_git: Annotated[Path | None, typer.Option(
        "--from-git", help="pabulib only: import a local clone of pabulib/pabulib_files at its commit.")] = None,
    workers: Annotated[int, typer.Option(help="With --from-git: processes running the rules.")] = 2,
) -> None:
    """Run collectors against their live sources, archiving every response."""
    from observatory.http import HttpStats
    if from_git is not None:
        from observatory.pb.study_cli import one_line_errors

        one_line_errors(_collect_pabulib_clone, names or [], from_git, workers, db)
        return
    from observatory.runs import run_collector

    wanted = names or collectors.names()
    try:
        classes = [collectors.get(n) for n in wanted]
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0])) from None
    if repo and not all(cls.takes_repos for cls in classes):
        raise typer.BadParameter("--repo is read only by: " + ", ".join(
            n for n in collectors.names() if collectors.get(n).takes_repos), param_hint="--repo")
    since_date = _parse_since(since)
    settings = load_settings(db)
    summaries: list[RunSummary] = []
    with writer(settings.db_path) as con, Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} items"),
        TextColumn("{task.fields[http]}"), TimeElapsedColumn(), console=err_console, transient=False,
    ) as progress:
        tasks = {cls.name: progress.add_task(cls.name, total=None, http="") for cls in classes}

        def on_progress(name: str, fetched: int) -> None:
            progress.update(tasks[name], completed=fetched)

        for cls in classes:
            def on_http(event: str, stats: HttpStats, name: str = cls.name) -> None:
                progress.update(tasks[name], http=stats.line() + (f" [{event}]" if event != "request" else ""))

            collector = cls(endpoint, repo or ()) if cls.takes_repos else cls(endpoint)
            summary = run_collector(con, collector, settings.archive_dir, since=since_date, progress=on_progress,
                                    http_progress=on_http)
            progress.update(tasks[cls.name], total=max(summary.fetched, 1), completed=max(summary.fetched, 1),
                            description=f"{cls.name} [{summary.status}]")
            summaries.append(summary)
    console.print(_summary_table(say("cli.collect.title"), summaries))
    failed = [s for s in summaries if s.status == "failed"]
    if failed:
        first = failed[0].errors[0] if failed[0].errors else "no detail"
        raise BadData(f"{len(failed)} of {len(summaries)} collector(s) failed ({failed[0].collector}: {first[:200]})",
                      f"endpoint {endpoint}" if endpoint else "their default endpoints",
                      "check the address and the network, then see `observatory runs`")


def _collect_pabulib_clone(names: list[str], path: Path, workers: int, db: str | None) -> None:
    from observatory.errors import BadUsage
    from observatory.pb.from_git import import_clone

    if names not in ([], ["pabulib"]):
        raise BadUsage("--from-git only applies to the pabulib collector", " ".join(names),
                       "run `observatory collect pabulib --from-git PATH`")
    with writer(load_settings(db).db_path) as con, Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console,
    ) as progress:
        bar = progress.add_task("pabulib (git clone)", total=None)
        counts: dict[str, int] = {}

        def on_file(name: str, status: str) -> None:
            counts[status] = counts.get(status, 0) + 1
            progress.update(bar, advance=1, description=f"pabulib {name[:40]}")

        report = import_clone(con, path, workers=workers, on_file=on_file)
    console.print(say("cli.collect.pabulib_clone", commit=report.commit, listed=report.listed,
                      imported=report.imported, unchanged=report.unchanged, failed=report.failed,
                      missing=len(report.missing)), markup=False)
    if report.failed or report.missing:
        raise typer.Exit(code=1)


def runs_cmd(limit: Annotated[int, typer.Option(help="How many runs to show.")] = 30, db: DbOption = None) -> None:
    """List past collector runs, newest first."""
    from observatory.runs import list_runs

    settings = load_settings(db)
    try:
        con = connect_readonly(settings.db_path)
    except FileNotFoundError:
        raise BadUsage(say("cli.error.db_not_found"), str(settings.db_path), say("cli.todo.build_or_collect")) from None
    try:
        rows = list_runs(con, limit)
    finally:
        con.close()
    table = Table(title=say("cli.runs.title"))
    table.add_column("collector", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for col in ("started", "fetched", "skipped", "failed", "errors", "run id"):
        table.add_column(col, overflow="fold")
    for run_id, name, _version, started, _finished, status, fetched, skipped, failed, errors in rows:
        table.add_row(name, status, f"{started:%Y-%m-%d %H:%M}", str(fetched), str(skipped), str(failed),
                      str(len(errors or [])), run_id)
    console.print(table)


def rebuild_cmd(
    names: Annotated[list[str] | None, typer.Argument(help="Collectors to rebuild (default: all).")] = None,
    db: DbOption = None,
) -> None:
    """Rebuild collected tables offline from the raw archive (no network)."""
    try:
        for name in names or []:
            collectors.get(name)
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0])) from None
    settings = load_settings(db)
    with writer(settings.db_path) as con:
        summaries = collectors.rebuild(con, settings.archive_dir, names or None)
    console.print(_summary_table(say("cli.rebuild.title"), summaries))


def register(app: typer.Typer) -> None:
    app.command("collect")(collect_cmd)
    app.command("runs")(runs_cmd)
    app.command("rebuild")(rebuild_cmd)
