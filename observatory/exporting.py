"""Export a whole table or view to CSV, Parquet or JSON with a metadata sidecar.

The data is read through the locked read-only connection and written by pyarrow/pandas in Python, so
the database connection itself never gets file access.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb

from observatory import schema
from observatory.outputs import atomic_output, write_output
from observatory.store import user_tables

FORMATS = ("csv", "parquet", "json")


class ExportError(ValueError):
    """The table or format asked for does not exist."""


def table_metadata(con: duckdb.DuckDBPyConnection, name: str, rows: int) -> dict:
    """Source, licence and freshness of ``name`` for the sidecar file."""
    meta: dict = {"table": name, "row_count": rows}
    found = con.execute(
        "SELECT package, title, licence, source, checked_on FROM table_meta WHERE table_name = ?", [name]
    ).fetchone()
    if found:
        package, title, licence, source, checked = found
        meta.update(package=package, title=title, licence=licence, source=source,
                    checked_on=checked.isoformat() if checked else None)
    columns = [c[0] for c in con.execute(f'DESCRIBE "{name}"').fetchall()]
    meta["columns"] = columns
    if "source_url" in columns:
        meta["source_urls"] = [r[0] for r in con.execute(
            f'SELECT DISTINCT source_url FROM "{name}" WHERE source_url IS NOT NULL ORDER BY 1 LIMIT 1000'
        ).fetchall()]
    if "checked_on" in columns and "checked_on" not in meta:
        latest = con.execute(f'SELECT max(checked_on) FROM "{name}"').fetchone()[0]
        meta["checked_on"] = latest.isoformat() if latest else None
    meta["schema_version"] = schema.current_version(con)
    meta["exported_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return meta


def export_table(con: duckdb.DuckDBPyConnection, name: str, fmt: str, out: Path) -> tuple[Path, Path, int]:
    """Write every row of ``name`` to ``out`` and ``out`` + ``.meta.json``; return both paths and the row count."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    tables = user_tables(con)
    if name not in tables:
        raise ExportError(f"no table or view named {name!r}; available: {', '.join(tables)}")
    # `name` is one of the database's own table names (checked above), never free text.
    table = con.sql(f'SELECT * FROM "{name}"').to_arrow_table()
    sidecar = out.with_name(out.name + ".meta.json")
    meta = json.dumps(table_metadata(con, name, table.num_rows), indent=2, ensure_ascii=False)
    with atomic_output(out) as tmp:  # the file appears whole, or not at all
        if fmt == "csv":
            import pyarrow.csv as pacsv  # pyarrow is imported on use, by exports only

            pacsv.write_csv(table, tmp)
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, tmp)
        else:
            frame = table.to_pandas()
            tmp.write_text(frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=1),
                           encoding="utf-8")
    write_output(sidecar, meta.encode("utf-8"))
    return out, sidecar, table.num_rows
