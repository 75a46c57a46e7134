"""``observatory pb study SPEC.yaml | all PATH...``: run a declared study locally or on a Dask cluster."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from observatory.config import load_settings
from observatory.errors import BadUsage
from observatory.messages import say
from observatory.store import writer

err_console = Console(stderr=True)
TABLES_WRITTEN: tuple[str, ...] = ("pb_study_results",)  # by store_results below


def one_line_errors(fn, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
    """A user's mistake ends in one line ``error: what, where, what to do`` and its exit code."""
    from observatory.errors import ObservatoryError
    from observatory.failures import print_error

    try:
        fn(*args, **kwargs)
    except ObservatoryError as exc:
        print_error(exc)
        raise typer.Exit(code=exc.exit_code) from None


def study_cmd(
        target: Annotated[str, typer.Argument(help="A study file (YAML), or 'all' followed by Pabulib folders/files.")],
        paths: Annotated[list[Path] | None, typer.Argument(help="With 'all': .pb files or folders.")] = None,
        rules: Annotated[str, typer.Option(help="With 'all': comma-separated rules, or 'all'.")] = "all",
        out: Annotated[Path | None, typer.Option(help="Parquet output folder (default: pb-study-NAME).")] = None,
        workers: Annotated[int, typer.Option(help="Local processes (ignored with --scheduler).")] = 2,
        scheduler: Annotated[str | None, typer.Option(
            help="Address of an existing dask.distributed scheduler, e.g. tcp://HOST:8786.")] = None,
        rule_time_limit: Annotated[float, typer.Option(
            help="Seconds per rule, 0 = none (default: results must not depend on the machine's speed).")] = 0,
        db: Annotated[str | None, typer.Option("--db", help="Also store the rows in this database "
                                                            "(default with 'all': OBSERVATORY_DB).")] = None,
        no_db: Annotated[bool, typer.Option("--no-db", help="Write Parquet only.")] = False) -> None:
    """Run every task (edition x parameters), write one Parquet dataset (and the store's pb_study_results)."""
    one_line_errors(_run_study, target, paths, rules, out, workers, scheduler, rule_time_limit, db, no_db)


def _run_study(target: str, paths: list[Path] | None, rules: str, out: Path | None, workers: int,
               scheduler: str | None, rule_time_limit: float, db: str | None, no_db: bool) -> None:
    from observatory.pb import study as st

    try:
        if target == "all":
            if not paths:
                raise BadUsage("'study all' needs Pabulib folders or files", "observatory pb study all PATH",
                               "give the folder of .pb files")
            spec = st.whole_library(paths, rules)
        else:
            if paths:
                raise BadUsage("extra paths after a study file", target, "list the editions in the study file")
            spec = st.load_study(Path(target))
    except st.StudyError as exc:
        raise BadUsage(str(exc), target, "fix the study file (see docs/scale.md)") from None
    except FileNotFoundError as exc:
        raise BadUsage(f"no such file: {exc.filename}", target, "give an existing study file") from None
    tasks = list(spec.tasks(rule_time_limit or None))
    if not tasks:
        raise BadUsage("the study has no edition", target, "check its editions")
    out = out or Path(f"pb-study-{spec.name}")
    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=err_console) as progress:
        bar = progress.add_task(say("cli.study.progress", name=spec.name, editions=len(spec.files),
                                    params=len(spec.params)), total=len(tasks))

        def advance(task: st.Task, rows: list[dict]) -> None:
            progress.advance(bar)

        if scheduler:
            results = st.run_dask(tasks, scheduler, advance)
        else:
            results = st.run_local(tasks, workers, advance)
    table = st.to_table(tasks, results)
    written = st.write_parquet(table, out, partition=target == "all")
    if not no_db and (db is not None or target == "all"):
        with writer(load_settings(db).db_path) as con:
            store_results(con, spec.name, table)
    errors = sum(1 for e in table.column("error").to_pylist() if e)
    err_console.print(say("cli.study.done", tasks=len(tasks), rows=table.num_rows, errors=errors,
                          seconds=f"{time.perf_counter() - started:.1f}", written=written), markup=False)


def store_results(con, study: str, table) -> None:  # noqa: ANN001 - duckdb connection, pyarrow table
    """Replace the study's rows in ``pb_study_results`` (one INSERT ... SELECT from Arrow)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.register("_pb_study_in", table)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM pb_study_results WHERE study = ?", [study])
        cols = ", ".join(table.schema.names)
        con.execute(f"INSERT INTO pb_study_results (study, {cols}, run_at) SELECT ?, {cols}, ? FROM _pb_study_in",  # noqa: S608
                    [study, now])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_pb_study_in")
