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
            raise BadUsage("no such file or folder", str(path), "check the path")
        settings = load_settings(db)
        with writer(settings.db_path) as con:
            report = import_path(con, path, platform=platform, instance_id=instance, strict=strict, force=force,
                                 limits=limits)
        _print_report(report)
        _raise_for_failures(report, path, strict)
    except ObservatoryError as exc:
        # one line, as the CLI's top-level handler prints it
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None


_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


def canonical_instance(value: str | None) -> str | None:
    """``--instance`` as the instance id every other source uses (the lower-case host name): a URL or a
    host is accepted; anything else would file rows under a key no collector or file ever matches."""
    if value is None:
        return None
    host = host_of(value if "://" in value else f"//{value.strip()}")
    if not host or not _HOST.fullmatch(host.rstrip(".")):
        raise BadUsage(f"--instance {value!r} is not a host name", "--instance",
                       "give the instance's host, e.g. --instance decide.madrid.es")
    return host.rstrip(".")


def _raise_for_failures(report: ImportReport, path: Path, strict: bool) -> None:
    """The last line says whether the run did what was asked: any failed file, or nothing importable, is an error."""
    failed = [f for f in report.files if f.failed]
    if failed:
        first = failed[0]
        error = BadUsage if first.usage else BadData
        more = f"; {len(failed)} of {len(report.files)} files failed, nothing written from them" if len(failed) > 1 \
            else "; nothing written from it"
        todo = "pass --instance with the host this file comes from, e.g. --instance decide.madrid.es" \
            if first.usage else (
            "fix the file, or import with --lenient to skip bad rows" if strict else "fix the file")
        raise error(f"{first.failed}{more}", None, todo)
    if not any(f.unchanged or f.written for f in report.files):
        reasons = "; ".join(f.skipped for f in report.files if f.skipped)[:400]
        raise BadData("no importable export", f"{path} ({reasons})",
                      "give Decidim open-data or Consul CSV exports")


def _print_report(report: ImportReport) -> None:
    table = Table(title="import")
    for column in ("file", "export", "instance", "rows", "written", "skipped rows", "status"):
        table.add_column(column)
    for f in report.files:
        if f.unchanged:  # neither read nor written this time
            table.add_row(f.label, f.kind or "", f.instance_id or "", "", "", "", "[dim]unchanged, skipped[/]")
            continue
        status = "[red]failed[/]" if f.failed else "[yellow]skipped[/]" if f.skipped else "[green]ok[/]"
        written = ", ".join(f"{t} {n}" for t, n in f.written.items() if t != "instances")
        table.add_row(f.label, f.kind or "", f.instance_id or "", str(f.rows_read), written, str(len(f.issues)), status)
    console.print(table)
    unchanged = [f for f in report.files if f.unchanged]
    if unchanged:
        print(f"{len(unchanged)} file(s) unchanged since their last import, skipped (--force re-imports them)",
              file=sys.stderr)
    for f in unchanged:
        if f.previous_bad_rows:
            print(f"{f.label}: unchanged; its import skipped {f.previous_bad_rows} bad row(s) "
                  "(--force lists them again, --strict fails on them)", file=sys.stderr)
    for f in report.files:
        if f.failed:
            print(f"failed: {f.failed}", file=sys.stderr)
        if f.skipped:
            print(f"skipped: {f.skipped}", file=sys.stderr)
        for issue in f.issues[:20]:
            print(f"skipped row: {issue}", file=sys.stderr)
        if len(f.issues) > 20:
            print(f"... and {len(f.issues) - 20} more skipped rows in {f.label}", file=sys.stderr)


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
            err.print("no proposals yet: run `observatory import consul-csv PATH --instance HOST` or "
                      "`observatory import decidim-open-data PATH`")
        for row in datasets.itertuples():
            proposals = queries.proposals(con, row.instance_id, row.source_url)
            console.rule(f"{row.instance_id} — {row.source_url} ({row.proposals} proposals, {row.flagged} flagged as tests)")
            _print_exposure(exposure_analysis(proposals, row.platform))
            summary, _bins = concentration_analysis(proposals, row.instance_id)
            console.print(f"concentration: n={summary.n} supports={summary.total} gini={summary.gini:.3f} "
                          f"top1%={summary.top1_share:.1%} top10%={summary.top10_share:.1%} max={summary.max_supports} "
                          f"median={summary.median_supports:g}"
                          + (f" threshold={summary.threshold} reached={summary.reached_threshold}" if summary.threshold else ""))
        for instance_id in queries.budget_instances(con):
            projects = queries.budget_projects(con, instance_id)
            per_budget, rules, _assumption = budget_analysis(projects, instance_id)
            console.rule(f"budgets of {instance_id} ({len(projects)} projects)")
            console.print(per_budget.to_string(index=False))
            console.print(rules.to_string(index=False))
    finally:
        con.close()


def _print_exposure(result) -> None:  # noqa: ANN001 (ExposureResult; kept loose for printing only)
    console.print(f"exposure: newest-first, {result.page_size} per page ({result.listing.platform} default; "
                  f"default order there: {result.listing.default_order}); snapshot {result.snapshot.date()}, "
                  f"min age {result.min_age_days:g} days, {len(result.used)} proposals used")
    if result.correlation:
        c = result.correlation
        console.print(f"  spearman rho={c.rho:.3f} 95% CI [{c.low:.3f}, {c.high:.3f}] p={c.p_value:.3g} n={c.n}; "
                      f"fitted elasticity {result.curve.slope:.3f}")
    if result.busy_quiet:
        b = result.busy_quiet
        console.print(f"  busy days (> {b.threshold:g}/day): n={b.busy_n} median supports {b.busy_median_supports:g}, "
                      f"median exposure {b.busy_median_exposure:.2f} d; quiet: n={b.quiet_n} median supports "
                      f"{b.quiet_median_supports:g}, median exposure {b.quiet_median_exposure:.2f} d; "
                      f"Mann-Whitney p={b.p_value:.3g}")
    for problem in result.problems:
        console.print(f"  [yellow]not computed[/]: {problem}")


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.add_typer(research_app, name="research")
