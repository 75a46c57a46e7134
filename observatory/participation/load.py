"""Write participation records: upsert by primary key, inside the caller's transaction.

Upserting on the key makes every re-import or re-collection idempotent; the caller owns the
transaction so one file (or one instance) is stored completely or not at all. ``participation_files``
remembers each imported file's sha256, so the importer can skip a file it already holds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from datetime import date, datetime

import duckdb

from observatory.participation.records import RECORD_TYPES, Record, column_names

# Titles and definitions for table_meta, so `observatory info/export` can say what each table holds.
TABLE_TITLES: dict[str, str] = {
    "instances": "Participation platform instances",
    "participation_spaces": "Participatory spaces (processes, assemblies, ...) of instances",
    "proposals": "Citizen proposals with supports and state",
    "budgets": "Participatory budgets of instances",
    "budget_projects": "Participatory-budget projects with cost, supports and selection",
    "results": "Accountability results with progress",
    "meetings": "Meetings of participatory spaces",
    "comments": "Comments on proposals, meetings, results and debates",
}
_RECORD_TABLES = frozenset(record_type.TABLE for record_type in RECORD_TYPES)
# Every table an import writes: one per record type, the definitions of the figures drawn from them and
# the ledger of imported files.
TABLES_WRITTEN: tuple[str, ...] = (*(record_type.TABLE for record_type in RECORD_TYPES), "metric_definitions",
                                   "participation_files")


def write_records(con: duckdb.DuckDBPyConnection, records: Iterable[Record]) -> dict[str, int]:
    """Upsert records grouped by table; return the number of rows written per table."""
    grouped: dict[type, list[Record]] = defaultdict(list)
    for record in records:
        grouped[type(record)].append(record)
    written: dict[str, int] = {}
    for record_type in RECORD_TYPES:  # parents first: instances, spaces, then the rest
        rows = grouped.get(record_type)
        if not rows:
            continue
        import pandas as pd  # imported on use (~1 s): paid only when there are records to write

        columns = column_names(record_type)
        unique = {tuple(getattr(r, k) for k in record_type.KEY): r for r in rows}  # last one wins
        frame = pd.DataFrame([astuple(r) for r in unique.values()], columns=columns, dtype=object)
        con.register("_incoming_records", frame)
        try:
            col_list = ", ".join(columns)
            # Table and column names come from the dataclasses above, never from input data.
            con.execute(
                f"INSERT OR REPLACE INTO {record_type.TABLE} ({col_list}) "  # noqa: S608
                f"SELECT {col_list} FROM _incoming_records"
            )
        finally:
            con.unregister("_incoming_records")
        written[record_type.TABLE] = written.get(record_type.TABLE, 0) + len(unique)
    return written


def register_tables(con: duckdb.DuckDBPyConnection, tables: Iterable[str], source: str, licence: str | None,
                    checked_on: date) -> None:
    """Record origin, licence and freshness of the tables just written in ``table_meta``, and the
    definitions of the figures drawn from them (``metric_definitions``)."""
    from observatory.participation.definitions import write_definitions

    write_definitions(con)
    for table in tables:
        con.execute(
            "INSERT OR REPLACE INTO table_meta (table_name, package, title, description, licence, source, "
            "checked_on, loaded_at) VALUES (?, 'participation', ?, ?, ?, ?, ?, ?)",
            [table, TABLE_TITLES.get(table, table), TABLE_TITLES.get(table, table), licence, source,
             checked_on, datetime.now()],
        )


@dataclass(frozen=True)
class FileRecord:
    """What ``participation_files`` remembers of a file's last successful import (see migration 0006)."""

    source_label: str
    sha256: str
    importer_version: str
    platform_option: str | None
    instance_option: str | None
    export_kind: str
    instance_id: str
    rows_read: int
    bad_rows: int
    written: dict[str, int]     # rows written per table, as ``write_records`` returned them


def stored_file(con: duckdb.DuckDBPyConnection, source_label: str) -> FileRecord | None:
    """The record of the last successful import of ``source_label``, if any."""
    row = con.execute(
        "SELECT source_label, sha256, importer_version, platform_option, instance_option, export_kind, "
        "instance_id, rows_read, bad_rows, written FROM participation_files WHERE source_label = ?", [source_label]
    ).fetchone()
    return FileRecord(*row[:-1], written=json.loads(row[-1])) if row else None


def record_file(con: duckdb.DuckDBPyConnection, record: FileRecord) -> None:
    """Remember a file's import; call it in the transaction that wrote its rows, so both commit or neither."""
    now = datetime.now()
    con.execute(
        "INSERT OR REPLACE INTO participation_files (source_label, sha256, importer_version, platform_option, "
        "instance_option, export_kind, instance_id, rows_read, bad_rows, written, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [*astuple(record)[:-1], json.dumps(record.written, sort_keys=True), now],
    )
    con.execute("UPDATE table_meta SET checked_on = ?, loaded_at = ? WHERE table_name = 'participation_files'",
                [now.date(), now])


def rows_still_stored(con: duckdb.DuckDBPyConnection, record: FileRecord) -> bool:
    """False when rows the file wrote are gone: deleted since, or overwritten on their keys by another
    source (a collector, another file). Importing the file again then restores them, as it did before
    unchanged files were skipped, so a skip never leaves the database different from a re-import."""
    source_url = f"file:{record.source_label}"
    for table, count in record.written.items():
        if table == "instances" or table not in _RECORD_TABLES:  # one row per instance, shared by every file
            continue
        # the table name was checked against the record types above, never taken from free text
        row = con.execute(f"SELECT count(*) FROM {table} WHERE source_url = ? AND instance_id = ?",  # noqa: S608
                          [source_url, record.instance_id]).fetchone()
        if row is None or row[0] < count:
            return False
    return True
