"""Disputed facts: a correction record says which compiled value is wrong, what it should be, who says so, when
and on what evidence. Records live in ``datasets/corrections/`` (a Frictionless package, so they are validated
and loaded like any other table); ``validate`` checks them against the compiled rows and ``build`` applies them
over those rows, while the ``corrections`` table keeps the original value visible.

Why a separate layer: the curated CSVs are rebuilt from their sources; a correction written over them by hand
would be lost at the next refresh and would hide that the published value was disputed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from observatory import checks

if TYPE_CHECKING:
    import duckdb

    from observatory.datapackage import DataPackage, Issue, Resource

TABLE = "corrections"
KEY_SEPARATOR = "|"  # joins the values of a composite primary key in ``row_id``
FIELDS = ("correction_id", "table_name", "row_id", "field", "original_value", "corrected_value", "source_url",
          "corrected_by", "corrected_on", "note", "checked_on")


@dataclass(frozen=True)
class Correction:
    correction_id: str
    table_name: str
    row_id: str
    field: str
    original_value: str
    corrected_value: str
    source_url: str
    corrected_by: str
    corrected_on: str
    note: str
    checked_on: str
    line: int  # CSV line of the record, for messages

    @classmethod
    def from_row(cls, row: dict[str, str], line: int) -> Correction:
        return cls(**{name: (row.get(name) or "").strip() for name in FIELDS}, line=line)


def primary_key(resource: Resource) -> list[str]:
    pk = resource.schema.get("primaryKey") or []
    return [pk] if isinstance(pk, str) else list(pk)


def row_key(resource: Resource, row: dict[str, str]) -> str:
    return KEY_SEPARATOR.join((row.get(k) or "").strip() for k in primary_key(resource))


def correctable_resources(packages: list[DataPackage]) -> dict[str, Resource]:
    """Tables a correction may target: every keyed resource except the corrections themselves."""
    return {r.name: r for p in packages for r in p.resources if r.name != TABLE and primary_key(r) and r.path.exists()}


def correction_resource(packages: list[DataPackage]) -> Resource | None:
    return next((r for p in packages for r in p.resources if r.name == TABLE), None)


def load(packages: list[DataPackage]) -> list[Correction]:
    resource = correction_resource(packages)
    if resource is None or not resource.path.exists():
        return []
    _, rows = resource.read_rows()
    return [Correction.from_row(row, line) for line, row in enumerate(rows, start=2)]


def _issue(resource: Resource, line: int | None, fld: str | None, message: str) -> Issue:
    from observatory.datapackage import Issue

    return Issue(resource.display_path, line, fld, message)


def value_problem(resource: Resource, fld: str, value: str, today: dt.date) -> str | None:
    """Why ``value`` cannot stand in ``fld`` (Table Schema type and constraints, then the shared cell checks)."""
    from frictionless import Field

    descriptor = next((f for f in resource.schema.get("fields", []) if f.get("name") == fld), None)
    if descriptor is None:
        return f"{fld!r} is not a field of {resource.name}"
    _, notes = Field.from_descriptor(descriptor).read_cell(value)
    if notes:
        return f"{value!r} does not fit {resource.name}.{fld}: " + "; ".join(notes.values())
    return checks.cell_problem(fld, value, today) if value else None


def check(packages: list[DataPackage], today: dt.date | None = None) -> Iterator[Issue]:
    """Every correction must name an existing row and field, fit the field, and still match the compiled value."""
    today = today or dt.date.today()
    resource = correction_resource(packages)
    if resource is None:
        return
    targets = correctable_resources(packages)
    rows_by_table = {name: {row_key(res, row): row for row in res.read_rows()[1]} for name, res in targets.items()}
    seen: set[tuple[str, str, str]] = set()
    for corr in load(packages):
        target = targets.get(corr.table_name)
        if target is None:
            yield _issue(resource, corr.line, "table_name", f"no keyed table {corr.table_name!r} to correct")
            continue
        if corr.field in primary_key(target):
            yield _issue(resource, corr.line, "field", f"{corr.field!r} is part of the key of {corr.table_name}; "
                                                        "a key cannot be corrected, dispute the row instead")
            continue
        row = rows_by_table[corr.table_name].get(corr.row_id)
        if row is None:
            yield _issue(resource, corr.line, "row_id", f"no row {corr.row_id!r} in {target.display_path}")
            continue
        if corr.field not in row:
            yield _issue(resource, corr.line, "field", f"{target.display_path} has no column {corr.field!r}")
            continue
        if (corr.table_name, corr.row_id, corr.field) in seen:
            yield _issue(resource, corr.line, "field", f"a second correction of {corr.table_name} {corr.row_id!r} "
                                                        f"{corr.field}; edit the first one")
        seen.add((corr.table_name, corr.row_id, corr.field))
        problem = value_problem(target, corr.field, corr.corrected_value, today)
        if problem:
            yield _issue(resource, corr.line, "corrected_value", problem)
        compiled = (row.get(corr.field) or "").strip()
        if compiled not in {corr.original_value, corr.corrected_value}:
            yield _issue(resource, corr.line, "original_value",
                         f"stale: {corr.table_name} {corr.row_id!r} {corr.field} is now {compiled!r}, not the "
                         f"disputed {corr.original_value!r}; review the correction against the new source")


def corrected_rows(packages: list[DataPackage], resource: Resource) -> list[dict[str, str]]:
    """The resource's rows with every applicable correction applied (what ``build`` will load)."""
    _, rows = resource.read_rows()
    mine = {(c.row_id, c.field): c.corrected_value for c in load(packages) if c.table_name == resource.name}
    if not mine:
        return rows
    out = []
    for row in rows:
        key = row_key(resource, row)
        fixed = dict(row)
        for (row_id, fld), value in mine.items():
            if row_id == key and fld in fixed:
                fixed[fld] = value
        out.append(fixed)
    return out


def apply_to_database(con: duckdb.DuckDBPyConnection, packages: list[DataPackage]) -> int:
    """Write every correction over its curated row (caller owns the transaction); return how many applied.

    Identifiers come from the package schemas, already checked against the DDL by ``validate``; values are
    bound parameters cast to the column's type.
    """
    targets = correctable_resources(packages)
    types = {(t, c): d for t, c, d in con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main'"
    ).fetchall()}
    applied = 0
    for corr in load(packages):
        target = targets[corr.table_name]
        keys = primary_key(target)
        values = corr.row_id.split(KEY_SEPARATOR)
        where = " AND ".join(f'CAST("{k}" AS VARCHAR) = ?' for k in keys)
        column_type = types[(corr.table_name, corr.field)]
        value = corr.corrected_value or None
        done = con.execute(
            f'UPDATE "{corr.table_name}" SET "{corr.field}" = CAST(? AS {column_type}) WHERE {where}',  # noqa: S608
            [value, *values],
        ).fetchone()
        applied += int(done[0]) if done else 0
    return applied
