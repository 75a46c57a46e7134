"""Validate the curated Frictionless data packages in ``datasets/`` and load them into DuckDB.

Validation happens before anything is written: frictionless checks each package against its own Table
Schemas (types, constraints, keys), then :mod:`observatory.checks` adds what frictionless cannot
know (SPDX ids, ISO country codes, URLs, cross-package references, agreement with the DDL). Loading
is one transaction: either every curated table is replaced, or the database is left as it was.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from observatory import catalogue_checks, checks, corrections
from observatory.datapackage import DataPackage, DatasetError, Issue, Resource, discover_packages
from observatory.store import connect_writer, transaction, writer

if TYPE_CHECKING:
    import pandas as pd

CURATED_ORIGIN = "dataset"


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


def validate_datasets(datasets_dir: Path, con: duckdb.DuckDBPyConnection | None = None,
                      rehearse: bool = True) -> list[Issue]:
    """Every problem in every package; an empty list means the datasets can be built.

    ``rehearse`` also loads everything into an in-memory database; ``build`` skips that, its own load
    being the rehearsal (all or nothing).
    """
    packages = discover_packages(datasets_dir)
    if not packages:
        return [Issue(str(datasets_dir), None, None, "no datapackage.json found")]
    issues: list[Issue] = []
    for package in packages:
        issues.extend(frictionless_issues(package))
    issues.extend(checks.run_all(packages, _table_columns(con)))
    issues.extend(catalogue_checks.run_all(packages))
    issues.extend(corrections.check(packages))
    if not issues:
        issues.extend(ddl_issues(packages, rehearse))
    return issues


def ddl_issues(packages: list[DataPackage], rehearse: bool = True) -> list[Issue]:
    """What the DDL would refuse at build time: values that do not cast, missing required columns/values.

    Frictionless checks each CSV against its own Table Schema; this checks it against the tables it is
    loaded into, then loads everything into an in-memory database (the build, rehearsed), so that
    ``validate`` ok means ``build`` succeeds.
    """
    con = connect_writer(":memory:")
    try:
        columns: dict[str, dict[str, tuple[str, bool, bool]]] = {}
        for table, column, data_type, nullable, default in con.execute(
                "SELECT table_name, column_name, data_type, is_nullable = 'YES', column_default IS NOT NULL "
                "FROM information_schema.columns WHERE table_schema = 'main'").fetchall():
            columns.setdefault(table, {})[column] = (data_type, nullable, default)
        issues: list[Issue] = []
        for package in packages:
            for resource in package.resources:
                issues.extend(_resource_ddl_issues(con, resource, columns.get(resource.name, {})))
        if issues or not rehearse:
            return issues
        try:
            with transaction(con):
                load_packages(con, packages)
        except DatasetError as exc:
            return exc.issues
        return []
    finally:
        con.close()


def _resource_ddl_issues(con: duckdb.DuckDBPyConnection, resource: Resource,
                         ddl: dict[str, tuple[str, bool, bool]]) -> list[Issue]:
    issues: list[Issue] = []
    header, rows = resource.read_rows()
    for column, (_type, nullable, has_default) in ddl.items():
        if not nullable and not has_default and column not in header:
            issues.append(Issue(resource.display_path, 1, column, f"required column missing (table {resource.name})"))
    for column in header:
        if column not in ddl:
            continue  # reported by checks.check_columns
        data_type, nullable, _ = ddl[column]
        values = [(index, (row.get(column) or "")) for index, row in enumerate(rows, start=2)]
        if not nullable:
            issues.extend(Issue(resource.display_path, index, column, "required value is empty")
                          for index, value in values if not value.strip())
        if data_type == "VARCHAR":
            continue
        present = [(index, value) for index, value in values if value != ""]
        if not present:
            continue
        bad = con.execute(
            f"SELECT i, v FROM (SELECT unnest(?::INTEGER[]) AS i, unnest(?::VARCHAR[]) AS v) "
            f"WHERE TRY_CAST(v AS {data_type}) IS NULL ORDER BY i LIMIT 20",
            [[i for i, _ in present], [v for _, v in present]]).fetchall()
        issues.extend(Issue(resource.display_path, index, column, f"{value!r} is not a {data_type} (table {resource.name})")
                      for index, value in bad)
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
                message = " ".join(str(exc).split())
                raise DatasetError([Issue(resource.display_path, None, None, f"cannot load into {table}: {message}")]) from exc
            finally:
                # in an aborted transaction unregister fails too; its error must not replace the real one
                with contextlib.suppress(duckdb.Error):
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
    issues = validate_datasets(datasets_dir, rehearse=False)
    if issues:
        raise DatasetError(issues)
    packages = discover_packages(datasets_dir)
    with writer(db_path) as con, transaction(con):  # published only when every package loaded
        counts = load_packages(con, packages)
        corrections.apply_to_database(con, packages)
    return counts
