"""``observatory correct ROW_ID --field F --value V --source URL``: record a disputed fact, then re-validate.

The record goes to ``datasets/corrections/corrections.csv`` with the compiled (original) value, who, when and
the evidence; ``build`` applies it. A correction that would make the datasets invalid is not kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from observatory import checks, corrections
from observatory.config import load_settings
from observatory.errors import BadData, BadUsage, ObservatoryError
from observatory.failures import print_error
from observatory.messages import say

if TYPE_CHECKING:
    from observatory.datapackage import DataPackage, Resource

console = Console()
err = Console(stderr=True)
CORRECTOR_ENV = "OBSERVATORY_CORRECTOR"  # default for --by


@dataclass(frozen=True)
class Target:
    table: str
    row_id: str
    row: dict[str, str]
    resource: Resource


def resolve(packages: list[DataPackage], row_id: str) -> Target:
    """``TABLE:KEY`` names the table; a bare key is looked up in every keyed table and must match once."""
    targets = corrections.correctable_resources(packages)
    table, _, key = row_id.partition(":")
    if key and table in targets:
        candidates = [(table, key)]
    else:
        candidates = [(name, row_id) for name in targets]
    found = []
    for name, wanted in candidates:
        resource = targets[name]
        for row in resource.read_rows()[1]:
            if corrections.row_key(resource, row) == wanted:
                found.append(Target(name, wanted, row, resource))
    if not found:
        raise BadUsage(f"no row {row_id!r}", "in the datasets",
                       "give TABLE:KEY, e.g. tools:go-vocal or tool_features:go-vocal|proposals")
    if len(found) > 1:
        tables = ", ".join(f"{t.table}:{t.row_id}" for t in found)
        raise BadUsage(f"{row_id!r} names several rows ({tables})", None, "prefix it with its table")
    return found[0]


def next_id(existing: list[corrections.Correction]) -> str:
    numbers = [int(c.correction_id.split("-")[1]) for c in existing if c.correction_id.startswith("corr-")
               and c.correction_id.split("-")[1].isdigit()]
    return f"corr-{max(numbers, default=0) + 1:04d}"


def record(datasets: Path, row_id: str, field: str, value: str, source: str, by: str, note: str,
           today: dt.date) -> corrections.Correction:
    """Append the correction, re-validate everything, and undo the append if anything fails."""
    from observatory.datapackage import discover_packages
    from observatory.datasets import validate_datasets

    packages = discover_packages(datasets)
    store = corrections.correction_resource(packages)
    if store is None or not store.path.exists():
        raise BadData("no corrections package", str(datasets / "corrections"), "restore datasets/corrections/")
    target = resolve(packages, row_id)
    if field not in target.row:
        columns = ", ".join(k for k in target.row if k not in corrections.primary_key(target.resource))
        raise BadUsage(f"{target.table} has no field {field!r}", None, f"use one of: {columns}")
    if field in corrections.primary_key(target.resource):
        raise BadUsage(f"{field!r} is part of the key of {target.table}", None, "dispute the row in CORRECTIONS.md")
    problem = checks.url_problem(source)
    if problem:
        raise BadUsage(problem, "--source", "give the http(s) address of the evidence")
    existing = corrections.load(packages)
    earlier = [c for c in existing if (c.table_name, c.row_id, c.field) == (target.table, target.row_id, field)]
    if earlier:
        raise BadUsage(f"{target.table} {target.row_id!r} {field} is already corrected by {earlier[0].correction_id}",
                       str(store.path), "edit that record instead")
    original = (target.row.get(field) or "").strip()
    if original == value:
        raise BadUsage(f"{target.table} {target.row_id!r} {field} is already {value!r}", None, "nothing to correct")
    corr = corrections.Correction(next_id(existing), target.table, target.row_id, field, original, value, source,
                                  by, today.isoformat(), note, today.isoformat(), line=len(existing) + 2)
    before = store.path.read_bytes()
    with store.path.open("a", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerow([getattr(corr, name) for name in corrections.FIELDS])
    issues = validate_datasets(datasets)
    if issues:
        store.path.write_bytes(before)
        for issue in issues:
            print(issue, file=sys.stderr)
        raise BadData(say("cli.correct.not_recorded", count=len(issues)), str(store.path), say("cli.todo.fix_correction"))
    return corr


def register(app: typer.Typer) -> None:
    @app.command()
    def correct(
        row_id: Annotated[str, typer.Argument(help="TABLE:KEY of the row, e.g. tools:go-vocal (a bare key if unique)")],
        field: Annotated[str, typer.Option("--field", help="the column to correct")],
        value: Annotated[str, typer.Option("--value", help="the corrected value ('' for none)")],
        source: Annotated[str, typer.Option("--source", help="URL of the evidence")],
        by: Annotated[str | None, typer.Option("--by", help=f"who corrects (default ${CORRECTOR_ENV}, else the login)")] = None,
        note: Annotated[str, typer.Option("--note", help="why the compiled value is wrong")] = "",
        datasets: Annotated[Path | None, typer.Option(help="datasets folder (default: the checkout's datasets/)")] = None,
    ) -> None:
        """Record a correction (who, when, evidence) in datasets/corrections/ and re-validate the datasets."""
        folder = datasets or load_settings().datasets_dir
        who = by or os.environ.get(CORRECTOR_ENV) or getpass.getuser()
        try:
            corr = record(folder, row_id, field, value, source, who, note, dt.date.today())
        except ObservatoryError as exc:
            print_error(exc)
            raise typer.Exit(exc.exit_code) from exc
        console.print(say("cli.correct.recorded", id=corr.correction_id, table=corr.table_name, row=repr(corr.row_id),
                          field=corr.field, old=repr(corr.original_value), new=repr(corr.corrected_value)),
                      soft_wrap=True, markup=False, highlight=False)
