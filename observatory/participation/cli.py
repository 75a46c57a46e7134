"""``observatory import ...`` (open-data files) and ``observatory research`` (the three analyses, as text)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from observatory.config import load_settings
from observatory.errors import BadData, BadUsage, ObservatoryError
from observatory.failures import print_error
from observatory.messages import say
from observatory.participation import queries
from observatory.participation.context import host_of
from observatory.participation.importer import ImportReport, import_path
from observatory.safezip import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_RATIO,
    ENV_MAX_BYTES,
    ENV_MAX_RATIO,
    ArchiveLimits,
)
from observatory.store import connect_readonly, writer

console = Console()
err = Console(stderr=True)
DbOption = Annotated[Path | None, typer.Option("--db", help="DuckDB file (default: $OBSERVATORY_DB or the XDG data dir).")]
PathArg = Annotated[Path, typer.Argument(help="A CSV file, a folder of CSVs, or an open-data ZIP.")]
StrictOption = Annotated[bool, typer.Option("--strict/--lenient",
                                            help="strict: a bad row fails its whole file; lenient: skip and report it.")]
InstanceOption = Annotated[str | None, typer.Option(
    "--instance", help="Instance host (e.g. decide.madrid.es); required when neither the file names nor their URLs "
                       "name it (Consul CSVs).")]
ZipBytesOption = Annotated[int | None, typer.Option(
    "--zip-max-bytes", help=f"Most bytes a ZIP may expand to (default ${ENV_MAX_BYTES} or {DEFAULT_MAX_BYTES:,}).")]
ZipRatioOption = Annotated[float | None, typer.Option(
    "--zip-max-ratio", help=f"Highest compression ratio of a ZIP member (default ${ENV_MAX_RATIO} or {DEFAULT_MAX_RATIO:g}).")]
ForceOption = Annotated[bool, typer.Option("--force",
                                           help="Re-import files even when unchanged since their last import.")]

import_app = typer.Typer(help="Import participation exports (Decidim open data, Consul/Decide Madrid CSV).",
                         no_args_is_help=True)
research_app = typer.Typer(help="Participation research: listing-order exposure, support concentration, budgets.",
                           no_args_is_help=True)


def _run_import(path: Path, platform: str | None, instance: str | None, strict: bool, db: Path | None,
                force: bool, zip_max_bytes: int | None, zip_max_ratio: float | None) -> None:
    try:
        instance = canonical_instance(instance)
        limits = ArchiveLimits.resolve(zip_max_bytes, zip_max_ratio)
        if not path.exists():
            raise BadUsage(say("cli.error.no_such_path"), str(path), say("cli.todo.check_path"))
        settings = load_settings(db)
        with writer(settings.db_path) as con:
            report = import_path(con, path, platform=platform, instance_id=instance, strict=strict, force=force,
                                 limits=limits)
        _print_report(report)
        _raise_for_failures(report, path, strict)
    except ObservatoryError as exc:
        print_error(exc)  # one line, as the CLI's top-level handler prints it
        raise typer.Exit(exc.exit_code) from None


_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


def canonical_instance(value: str | None) -> str | None:
    """``--instance`` as the instance id every other source uses (the lower-case host name): a URL or a
    host is accepted; anything else would file rows under a key no collector or file ever matches."""
    if value is None:
        return None
    host = host_of(value if "://" in value else f"//{value.strip()}")
    if not host or not _HOST.fullmatch(host.rstrip(".")):
        raise BadUsage(say("cli.import.not_a_host", value=repr(value)), "--instance", say("cli.todo.give_instance"))
    return host.rstrip(".")


def _raise_for_failures(report: ImportReport, path: Path, strict: bool) -> None:
    """The last line says whether the run did what was asked: any failed file, or nothing importable, is an error."""
    failed = [f for f in report.files if f.failed]
    if failed:
        first = failed[0]
        error = BadUsage if first.usage else BadData
        more = say("cli.import.files_failed", failed=len(failed), total=len(report.files)) if len(failed) > 1 \
            else say("cli.import.file_failed")
        todo = say("cli.todo.pass_instance") if first.usage else (
            say("cli.todo.fix_file_or_lenient") if strict else say("cli.todo.fix_file"))
        raise error(f"{first.failed}{more}", None, todo)
    if not any(f.unchanged or f.written for f in report.files):
        reasons = "; ".join(f.skipped for f in report.files if f.skipped)[:400]
        raise BadData(say("cli.import.nothing_importable"), f"{path} ({reasons})", say("cli.todo.give_exports"))


def _print_report(report: ImportReport) -> None:
    table = Table(title=say("cli.import.title"))
    for column in ("file", "export", "instance", "rows", "written", "skipped rows", "status"):
        table.add_column(column)
    for f in report.files:
        if f.unchanged:  # neither read nor written this time
            table.add_row(f.label, f.kind or "", f.instance_id or "", "", "", "", f"[dim]{say('cli.import.unchanged')}[/]")
            continue
        status = (f"[red]{say('cli.status.failed')}[/]" if f.failed else
                  f"[yellow]{say('cli.status.skipped')}[/]" if f.skipped else f"[green]{say('cli.status.ok')}[/]")
        written = ", ".join(f"{t} {n}" for t, n in f.written.items() if t != "instances")
        table.add_row(f.label, f.kind or "", f.instance_id or "", str(f.rows_read), written, str(len(f.issues)), status)
    console.print(table)
    unchanged = [f for f in report.files if f.unchanged]
    if unchanged:
        print(say("cli.import.unchanged_files", count=len(unchanged)), file=sys.stderr)
    for f in unchanged:
        if f.previous_bad_rows:
            print(say("cli.import.unchanged_bad_rows", label=f.label, count=f.previous_bad_rows), file=sys.stderr)
    for f in report.files:
        if f.failed:
            print(say("cli.failed", message=f.failed), file=sys.stderr)
        if f.skipped:
            print(say("cli.skipped", message=f.skipped), file=sys.stderr)
        for issue in f.issues[:20]:
            print(say("cli.skipped_row", issue=issue), file=sys.stderr)
        if len(f.issues) > 20:
            print(say("cli.import.more_skipped_rows", count=len(f.issues) - 20, label=f.label), file=sys.stderr)


@import_app.command("decidim-open-data")
def import_decidim(path: PathArg, instance: InstanceOption = None, strict: StrictOption = False, db: DbOption = None,
                   force: ForceOption = False, zip_max_bytes: ZipBytesOption = None,
                   zip_max_ratio: ZipRatioOption = None) -> None:
    """Decidim open-data export: the ZIP, a folder of its CSVs, or one CSV."""
    _run_import(path, "decidim", instance, strict, db, force, zip_max_bytes, zip_max_ratio)


@import_app.command("consul-csv")
def import_consul(path: PathArg, instance: InstanceOption = None, strict: StrictOption = False, db: DbOption = None,
                  force: ForceOption = False, zip_max_bytes: ZipBytesOption = None,
                  zip_max_ratio: ZipRatioOption = None) -> None:
    """Consul CSV: Decide Madrid's dump files (or their filtered copies) and the 2019 research extract.

    Consul CSVs do not name their instance: pass --instance (e.g. decide.madrid.es)."""
    _run_import(path, "consul", instance, strict, db, force, zip_max_bytes, zip_max_ratio)


@import_app.command("any")
def import_any(path: PathArg, instance: InstanceOption = None, strict: StrictOption = False, db: DbOption = None,
               force: ForceOption = False, zip_max_bytes: ZipBytesOption = None,
               zip_max_ratio: ZipRatioOption = None) -> None:
    """Detect Decidim or Consul exports by their columns, file by file."""
    _run_import(path, None, instance, strict, db, force, zip_max_bytes, zip_max_ratio)


@research_app.command("summary")
def research_summary(db: DbOption = None) -> None:
    """Print every analysis on every imported dataset (the figures of docs/research.md)."""
    # imported here: scipy is slow to import and no other command needs it
    from observatory.participation.research import budget_analysis, concentration_analysis, exposure_analysis

    settings = load_settings(db)
    con = connect_readonly(settings.db_path)
    try:
        datasets = queries.proposal_datasets(con)
        if datasets.empty:
            err.print(say("cli.research.no_proposals"), markup=False)
        for row in datasets.itertuples():
            proposals = queries.proposals(con, row.instance_id, row.source_url)
            console.rule(say("cli.research.dataset", instance=row.instance_id, source=row.source_url,
                             proposals=row.proposals, flagged=row.flagged))
            _print_exposure(exposure_analysis(proposals, row.platform))
            summary, _bins = concentration_analysis(proposals, row.instance_id)
            threshold = (say("cli.research.threshold", threshold=summary.threshold, reached=summary.reached_threshold)
                         if summary.threshold else "")
            console.print(say("cli.research.concentration", n=summary.n, total=summary.total,
                              gini=f"{summary.gini:.3f}", top1=f"{summary.top1_share:.1%}",
                              top10=f"{summary.top10_share:.1%}", max=summary.max_supports,
                              median=f"{summary.median_supports:g}", threshold=threshold), markup=False)
        for instance_id in queries.budget_instances(con):
            projects = queries.budget_projects(con, instance_id)
            per_budget, rules, _assumption = budget_analysis(projects, instance_id)
            console.rule(say("cli.research.budgets", instance=instance_id, projects=len(projects)))
            console.print(per_budget.to_string(index=False))
            console.print(rules.to_string(index=False))
    finally:
        con.close()


def _print_exposure(result) -> None:  # noqa: ANN001 (ExposureResult; kept loose for printing only)
    console.print(say("cli.research.exposure", page_size=result.page_size, platform=result.listing.platform,
                      order=result.listing.default_order, snapshot=result.snapshot.date(),
                      min_age=f"{result.min_age_days:g}", used=len(result.used)), markup=False)
    if result.correlation:
        c = result.correlation
        console.print(say("cli.research.correlation", rho=f"{c.rho:.3f}", low=f"{c.low:.3f}", high=f"{c.high:.3f}",
                          p=f"{c.p_value:.3g}", n=c.n, slope=f"{result.curve.slope:.3f}"), markup=False)
    if result.busy_quiet:
        b = result.busy_quiet
        console.print(say("cli.research.busy_quiet", threshold=f"{b.threshold:g}", busy_n=b.busy_n,
                          busy_supports=f"{b.busy_median_supports:g}", busy_exposure=f"{b.busy_median_exposure:.2f}",
                          quiet_n=b.quiet_n, quiet_supports=f"{b.quiet_median_supports:g}",
                          quiet_exposure=f"{b.quiet_median_exposure:.2f}", p=f"{b.p_value:.3g}"), markup=False)
    for problem in result.problems:
        console.print(say("cli.research.not_computed", problem=problem), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.add_typer(research_app, name="research")
