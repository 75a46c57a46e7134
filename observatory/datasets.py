"""Validate the curated Frictionless data packages in ``datasets/`` and load them into DuckDB.

Validation happens before anything is written: frictionless checks each package against its own Table
Schemas (types, constraints, keys), then :mod:`observatory.checks` adds what frictionless cannot
know (SPDX ids, ISO country codes, URLs, cross-package references, agreement with the DDL). Loading
is one transaction: either every curated table is replaced, or the database is left as it was.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from observatory import catalogue_checks, checks, corrections
from observatory.store import connect_writer, transaction

if TYPE_CHECKING:
    import pandas as pd

CURATED_ORIGIN = "dataset"


@dataclass(frozen=True)
class Issue:
    """One problem, printed as ``file:row:field: message`` (row 1 is the CSV header)."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row if self.row is not None else '-'}:{self.field or '-'}: {self.message}"


class DatasetError(Exception):
    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


@dataclass
class Resource:
    package: DataPackage
    name: str
    path: Path
    descriptor: dict

    @property
    def schema(self) -> dict:
        return self.descriptor.get("schema", {})

    @property
    def display_path(self) -> str:
        return self.package.display(self.path)

    def read_rows(self) -> tuple[list[str], list[dict[str, str]]]:
        """Header and rows as strings (row i of the list is CSV row i + 2)."""
        with self.path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            return list(reader.fieldnames or []), rows


@dataclass
class DataPackage:
    path: Path  # folder holding datapackage.json
    root: Path  # folder paths are displayed relative to
    descriptor: dict = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path, root: Path) -> DataPackage:
        descriptor_path = folder / "datapackage.json"
        try:
            descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DatasetError([Issue(cls._rel(descriptor_path, root), exc.lineno, None, f"invalid JSON: {exc.msg}")]) from exc
        return cls(folder, root, descriptor)

    @staticmethod
    def _rel(path: Path, root: Path) -> str:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            return str(path)

    def display(self, path: Path) -> str:
        return self._rel(path, self.root)

    @property
    def name(self) -> str:
        return str(self.descriptor.get("name", self.path.name))

    @property
    def resources(self) -> list[Resource]:
        return [
            Resource(self, r["name"], self.path / r["path"], r)
            for r in self.descriptor.get("resources", [])
        ]

    @property
    def licence(self) -> str:
        return ", ".join(lic.get("name") or lic.get("title", "") for lic in self.descriptor.get("licenses", []))

    @property
    def source_summary(self) -> str:
        return "; ".join(
            " ".join(x for x in (s.get("title", ""), s.get("path", "")) if x) for s in self.descriptor.get("sources", [])
        )


def discover_packages(datasets_dir: Path) -> list[DataPackage]:
    root = datasets_dir.parent
    folders = sorted(p.parent for p in datasets_dir.glob("*/datapackage.json"))
    return [DataPackage.load(folder, root) for folder in folders]


def frictionless_issues(package: DataPackage) -> list[Issue]:
    """Run frictionless on the package; map its errors to file/row/field issues."""
    from frictionless import Package

    descriptor = json.loads(json.dumps(package.descriptor))  # our custom keys stay out of frictionless' way
    for res in descriptor.get("resources", []):
        res.get("schema", {}).pop("x-foreignKeys", None)
    report = Package(descriptor, basepath=str(package.path)).validate()
    issues: list[Issue] = []
    primary_keys = {r.descriptor.get("path"): r.schema.get("primaryKey") for r in package.resources}
    for task in report.tasks:
        file = package.display(package.path / task.place) if task.place else package.name
        for err in task.errors:
            row = getattr(err, "row_number", None)
            fld = getattr(err, "field_name", None) or ",".join(getattr(err, "field_names", None) or []) or None
            if fld is None and err.type == "primary-key":
                pk = primary_keys.get(task.place)
                fld = pk if isinstance(pk, str) else ",".join(pk or []) or None
            issues.append(Issue(file, row, fld, f"{err.type}: {err.note or err.message}"))
    for err in report.errors:
        issues.append(Issue(package.display(package.path / "datapackage.json"), None, None, err.message))
    return issues


def validate_datasets(datasets_dir: Path, con: duckdb.DuckDBPyConnection | None = None) -> list[Issue]:
    """Every problem in every package; an empty list means the datasets can be built."""
    packages = discover_packages(datasets_dir)
    if not packages:
        return [Issue(str(datasets_dir), None, None, "no datapackage.json found")]
    issues: list[Issue] = []
    for package in packages:
        issues.extend(frictionless_issues(package))
    issues.extend(checks.run_all(packages, _table_columns(con)))
    issues.extend(catalogue_checks.run_all(packages))
    issues.extend(corrections.check(packages))
    return issues


def _table_columns(con: duckdb.DuckDBPyConnection | None) -> dict[str, list[str]]:
    """Columns of every table as the migrations define them (an in-memory DB when none is given)."""
    own = con is None
    if con is None:
        con = connect_writer(":memory:")
    try:
        rows = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
        ).fetchall()
    finally:
        if own:
            con.close()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def _frame(resource: Resource) -> pd.DataFrame:
    import pandas as pd  # imported on use: ~1 s, only paid by `build`

    header, rows = resource.read_rows()
    frame = pd.DataFrame(rows, columns=header, dtype="object")
    return frame.where(frame != "", None)


def load_packages(con: duckdb.DuckDBPyConnection, packages: Iterable[DataPackage]) -> dict[str, int]:
    """Replace the curated rows of every resource's table (caller owns the transaction)."""
    counts: dict[str, int] = {}
    columns = _table_columns(con)
    cleared: set[str] = set()
    feeders: dict[str, list[Resource]] = {}
    for package in packages:
        for resource in package.resources:
            table = resource.name
            if table not in cleared:  # a table may be fed by several packages (e.g. sources)
                if "origin" in columns[table]:
                    con.execute(f'DELETE FROM "{table}" WHERE origin = ?', [CURATED_ORIGIN])
                else:
                    con.execute(f'DELETE FROM "{table}"')
                cleared.add(table)
            frame = _frame(resource)
            con.register("incoming_rows", frame)
            try:
                con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming_rows')
            except duckdb.Error as exc:
                raise DatasetError([Issue(resource.display_path, None, None, f"cannot load into {table}: {exc}")]) from exc
            finally:
                con.unregister("incoming_rows")
            counts[table] = counts.get(table, 0) + len(frame)
            feeders.setdefault(table, []).append(resource)
    for table, resources in feeders.items():
        _record_meta(con, table, resources, "checked_on" in columns[table])
    return counts


def _record_meta(con: duckdb.DuckDBPyConnection, table: str, resources: list[Resource], has_checked_on: bool) -> None:
    """One ``table_meta`` row per table, naming every package that feeds it."""

    def joined(values: Iterable[str | None]) -> str:
        return " | ".join(dict.fromkeys(v for v in values if v))

    checked = con.execute(f'SELECT max(checked_on) FROM "{table}"').fetchone()[0] if has_checked_on else None
    con.execute("DELETE FROM table_meta WHERE table_name = ?", [table])
    con.execute(
        "INSERT INTO table_meta (table_name, package, title, description, licence, source, checked_on, loaded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
        [
            table,
            joined(r.package.name for r in resources),
            joined(r.descriptor.get("title") or r.package.descriptor.get("title") for r in resources),
            joined(r.descriptor.get("description") or r.package.descriptor.get("description") for r in resources),
            joined(r.package.licence for r in resources),
            joined(r.package.source_summary for r in resources),
            checked,
        ],
    )


def build_database(db_path: Path, datasets_dir: Path) -> dict[str, int]:
    """Validate, then create/migrate the database and load every package in one transaction."""
    issues = validate_datasets(datasets_dir)
    if issues:
        raise DatasetError(issues)
    packages = discover_packages(datasets_dir)
    con = connect_writer(db_path)
    try:
        with transaction(con):
            counts = load_packages(con, packages)
            corrections.apply_to_database(con, packages)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts
