"""Write participation records: upsert by primary key, inside the caller's transaction.

Upserting on the key makes every re-import or re-collection idempotent; the caller owns the
transaction so one file (or one instance) is stored completely or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import astuple
from datetime import date, datetime

import duckdb
import pandas as pd

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
