"""``observatory pb import|compare|summary``: load Pabulib files, compare rules on files, the cross-edition table."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from observatory.config import load_settings
from observatory.errors import BadData, BadUsage, ObservatoryError
from observatory.failures import print_error
from observatory.messages import say
from observatory.pb.limits import DEFAULT_RULE_TIME_LIMIT_S
from observatory.pb.study_cli import study_cmd
from observatory.store import connect_readonly, writer

# The engine (observatory.pb.api, .importer, .pabulib, .rules: numpy, pandas, pyarrow) is imported inside the
# commands, so `observatory --help` and the other command families do not pay for it.

pb_app = typer.Typer(help="Participatory budgeting: Pabulib import, rule comparison, cross-edition summary.",
                     no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[str | None, typer.Option("--db", help="Database file (default: OBSERVATORY_DB or XDG data dir).")]
PathsArg = Annotated[list[Path], typer.Argument(help=".pb files or folders holding them.")]
LimitOption = Annotated[float, typer.Option("--rule-time-limit", help="Seconds a rule may run before it is given up.")]
SCALARS = ("n_selected", "cost", "budget_share", "supports", "voters_with_funded_share", "mean_satisfaction_cost",
           "mean_satisfaction_count", "gini_satisfaction", "n_changed_vs_greedy", "seconds")


def pb_files(paths: list[Path]) -> list[Path]:
    """Files as given and every ``*.pb`` under given folders, in a stable order, without duplicates."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            found.update((p, None) for p in sorted(path.rglob("*.pb")) if p.is_file())
        elif path.is_file():
            found[path] = None
        elif path.exists():
            raise BadUsage(say("cli.error.not_regular_file"), str(path), say("cli.todo.give_pb_files"))
        else:
            raise BadUsage(say("cli.error.no_such_path"), str(path), say("cli.todo.check_path"))
    if not found:
        raise BadUsage(say("cli.pb.no_pb_file"), ", ".join(map(str, paths)), say("cli.todo.give_pb_files"))
    return list(found)


def _one_line(exc: ObservatoryError) -> typer.Exit:
    """Print the error as the CLI's top-level handler does (one line) and return the exit to raise."""
    print_error(exc)
    return typer.Exit(exc.exit_code)


def _failures_error(failed: list[tuple[str, str]], total: int, kept: str) -> BadData:
    """The last line of a run where files failed: how many, the first one with its line and field."""
    name, message = failed[0]
    more = say("cli.pb.files_failed", failed=len(failed), total=total) if total > 1 else say("cli.pb.file_failed")
    return BadData(f"{message}", f"{more} ({', '.join(n for n, _ in failed[:5])}{', ...' if len(failed) > 5 else ''})",
                   kept)


def import_cmd(paths: PathsArg,
               strict: Annotated[bool, typer.Option("--strict/--lenient",
                                                    help="Strict: a defect fails the file. Lenient: record it.")] = False,
               force: Annotated[bool, typer.Option(help="Re-import files whose sha256 is unchanged.")] = False,
               rules: Annotated[str | None, typer.Option(help="Comma-separated rules to precompute (default: all).")] = None,
               rule_time_limit: LimitOption = DEFAULT_RULE_TIME_LIMIT_S,
               db: DbOption = None) -> None:
    """Load .pb files into the PB tables and precompute every rule's outcome (idempotent).

    A file that fails to parse, or parses with more problems than the edition already stored under its
    name, never replaces that edition; any failed file makes the exit code 1 (lenient mode too)."""
    try:
        _import(paths, strict, force, rules, rule_time_limit, db)
    except ObservatoryError as exc:
        raise _one_line(exc) from None


def _import(paths: list[Path], strict: bool, force: bool, rules: str | None, rule_time_limit: float,
            db: str | None) -> None:
    from observatory.pb import pabulib
    from observatory.pb.importer import FileResult, edition_id_of, import_editions

    files = pb_files(paths)
    names = _rule_list(rules)
    settings = load_settings(db)
    results = []
    failed: list[tuple[str, str]] = []
    with writer(settings.db_path) as con, Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err_console) as progress:
        task = progress.add_task("importing", total=len(files))
        for path in files:
            progress.update(task, description=path.name[:50])
            try:
                report = import_editions(con, [(path.name, path.read_bytes(), None)], strict=strict, force=force,
                                         transaction=True, rules=names, rule_time_limit_s=rule_time_limit)
                results.extend(report.files)
                failed.extend((r.file_name, r.error or "failed") for r in report.by_status("failed"))
            except (pabulib.PabulibError, OSError) as exc:
                message = str(exc) if isinstance(exc, pabulib.PabulibError) else f"{path}: cannot read ({exc})"
                failed.append((path.name, message))
                results.append(FileResult(path.name, edition_id_of(path.name), "failed", error=message))
            progress.advance(task)
    table = Table(title=say("cli.pb.import.title", db=settings.db_path.name))
    for col in ("file", "status", "voters", "projects", "problems", "seconds", "error"):
        table.add_column(col, justify="right" if col in ("voters", "projects", "problems", "seconds") else "left")
    for r in results:
        table.add_row(r.file_name, r.status, str(r.n_voters), str(r.n_projects), str(r.n_problems),
                      f"{r.seconds:.2f}", r.error or "")
    console.print(table)
    for _name, message in failed:
        print(say("cli.failed", message=message), file=sys.stderr)
    if failed:
        kept = say("cli.pb.import.kept" if strict else "cli.pb.import.kept_lenient")
        raise _failures_error(failed, len(files), kept)


def _rule_list(text: str | None) -> list[str] | None:
    if not text:
        return None
    from observatory.pb.rules import RULES

    names = [r.strip() for r in text.split(",") if r.strip()]
    unknown = [r for r in names if r not in RULES]
    if unknown:
        raise BadUsage(say("cli.pb.unknown_rules", rules=", ".join(unknown)), "--rules",
                       say("cli.todo.use_some_of", choices=", ".join(RULES)))
    return names


def _json_ready(result: dict[str, Any]) -> dict[str, Any]:
    """Drop the group objects; district/category shares are flattened into ``funded_share_by_<kind>``."""
    out = dict(result)
    rules = {}
    for name, r in result["rules"].items():
        entry = {k: v for k, v in r.items() if k != "groups"}
        for g in r.get("groups", []):
            entry.setdefault(f"funded_share_by_{g.kind}", {})[g.value] = g.funded_share
        rules[name] = entry
    out["rules"] = rules
    return out


def compare_cmd(paths: PathsArg,
                rules: Annotated[str | None, typer.Option(help="Comma-separated rule names (default: all).")] = None,
                fmt: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
                strict: Annotated[bool, typer.Option("--strict/--lenient")] = False,
                rule_time_limit: LimitOption = DEFAULT_RULE_TIME_LIMIT_S) -> None:
    """Run rules on .pb files (no database) and print selections with their metrics."""
    if fmt not in ("table", "csv", "json"):
        raise _one_line(BadUsage(say("cli.error.unknown_format", fmt=repr(fmt)), "--format",
                                 say("cli.todo.use_one_of", choices="table, csv, json")))
    from observatory.pb import pabulib
    from observatory.pb.api import compare

    try:
        names = _rule_list(rules)
        files = pb_files(paths)
    except ObservatoryError as exc:
        raise _one_line(exc) from None
    results = []
    failed: list[tuple[str, str]] = []
    for path in files:
        try:
            election = pabulib.parse_file(path, strict=strict).election
        except (pabulib.PabulibError, OSError) as exc:
            message = str(exc) if isinstance(exc, pabulib.PabulibError) else f"{path}: cannot read ({exc})"
            print(say("cli.failed", message=message), file=sys.stderr)
            failed.append((path.name, message))
            continue
        results.append(_json_ready(compare(election, names, rule_time_limit)))
    _print_comparison(results, fmt)
    if failed:  # results of the files that parsed are printed; the exit code says some did not
        raise _one_line(_failures_error(failed, len(files), say("cli.pb.compare.kept")))


def _print_comparison(results: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
        return
    rows = [{"file": r["file"], "rule": name, **{k: o.get(k) for k in SCALARS}, "error": o.get("error") or "",
             "selected": ",".join(o["selected"] or [])}
            for r in results for name, o in r["rules"].items()]
    if fmt == "csv":
        buf = io.StringIO()
        writer_ = csv.DictWriter(buf, fieldnames=["file", "rule", *SCALARS, "error", "selected"], lineterminator="\n")
        writer_.writeheader()
        writer_.writerows(rows)
        sys.stdout.write(buf.getvalue())
        return
    for r in results:
        table = Table(title=say("cli.pb.compare.title", file=r["file"], vote_type=r["vote_type"], voters=r["n_voters"],
                                budget=f"{r['budget']:,.0f}"))
        for col in ("rule", "funded", "cost", "budget share", "voters w/ funded", "sat. cost", "sat. count",
                    "gini", "Δ vs greedy", "s", "error"):
            table.add_column(col)
        for name, o in r["rules"].items():
            table.add_row(name, *[_fmt(o.get(k)) for k in ("n_selected", "cost", "budget_share",
                                                            "voters_with_funded_share", "mean_satisfaction_cost",
                                                            "mean_satisfaction_count", "gini_satisfaction",
                                                            "n_changed_vs_greedy", "seconds")], o.get("error") or "")
        console.print(table)


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3f}"
    return str(value)


def summary_cmd(fmt: Annotated[str, typer.Option("--format", help="table | csv | markdown")] = "table",
                db: DbOption = None) -> None:
    """Per approval edition: budget and supports that the optima reach beyond greedy."""
    from observatory.pb.api import cross_edition_summary

    con = connect_readonly(load_settings(db).db_path)
    try:
        df = cross_edition_summary(con)
    finally:
        con.close()
    cols = ["edition_id", "n_voters", "greedy_budget_share", "max_budget_budget_share", "extra_budget_share",
            "greedy_supports", "max_supports_supports", "extra_supports", "extra_supports_share"]
    if fmt == "csv":
        sys.stdout.write(df.to_csv(index=False))
        return
    shown = df[cols].copy()
    for c in ("greedy_budget_share", "max_budget_budget_share", "extra_budget_share", "extra_supports_share"):
        shown[c] = shown[c].map(lambda v: "—" if v != v else f"{100 * v:.2f} %")
    if fmt == "markdown":
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in shown.itertuples(index=False)]
        sys.stdout.write("\n".join(lines) + "\n")
        if not df.empty:
            sys.stdout.write(f"\n{_medians(df)}\n")
        return
    table = Table(title=say("cli.pb.summary.title"))
    for c in cols:
        table.add_column(c)
    for row in shown.itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    console.print(table)
    if not df.empty:
        console.print(_medians(df))


def _medians(df: Any) -> str:
    return say("cli.pb.summary.medians", budget=f"{100 * df['extra_budget_share'].median():.2f}",
               budget_n=df["extra_budget_share"].notna().sum(),
               supports=f"{100 * df['extra_supports_share'].median():.2f}",
               supports_n=df["extra_supports_share"].notna().sum(), editions=len(df))


def claim_cmd(fmt: Annotated[str, typer.Option("--format", help="table | csv | markdown")] = "markdown",
              editions: Annotated[bool, typer.Option(help="Per edition rows instead of the distribution.")] = False,
              db: DbOption = None) -> None:
    """The seed claim (optimum: +30 % budget, +70 % supports vs greedy) as a distribution over editions."""
    from observatory.pb.seed_claim import seed_claim, seed_claim_quantiles

    con = connect_readonly(load_settings(db).db_path)
    try:
        df = seed_claim(con)
    finally:
        con.close()
    shown = df if editions else seed_claim_quantiles(df)
    if fmt == "csv":
        sys.stdout.write(shown.to_csv(index=False))
    elif fmt == "markdown":
        sys.stdout.write(shown.to_markdown(index=False, floatfmt=".3f") + "\n")
    else:
        console.print(shown.to_string(index=False))


def register(app: typer.Typer) -> None:
    pb_app.command("import")(import_cmd)
    pb_app.command("compare")(compare_cmd)
    pb_app.command("summary")(summary_cmd)
    pb_app.command("study")(study_cmd)
    pb_app.command("claim")(claim_cmd)
    app.add_typer(pb_app, name="pb")
