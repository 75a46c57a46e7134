"""Which tables exist and where their rows come from, read from the DDL and the data packages.

No list of tables is written by hand anywhere else: the migrations say which tables exist (read from
the database's own catalogue after migrating an empty in-memory database), the data packages say which
of them are curated (one resource = one table) and which fields cite and date each row. Adding a
dataset table is therefore the DDL, the package and the page that shows it; the Data page, exports,
the API's table listing, the data-licence table of reports and the checks below follow by themselves.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb

from observatory import schema
from observatory.datapackage import discover_packages

SOURCE_FIELDS = ("source_url", "url")   # the field that cites a curated row (``sources`` rows are URLs)


@cache
def migrated_tables() -> tuple[str, ...]:
    """Base tables the migrations create (views and bookkeeping excluded), sorted."""
    con = duckdb.connect()
    try:
        schema.migrate(con)
        rows = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                           "AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' "
                           "ORDER BY table_name").fetchall()
    finally:
        con.close()
    return tuple(r[0] for r in rows)


def curated_tables(datasets_dir: Path) -> tuple[str, ...]:
    """Tables fed by at least one resource of the curated data packages, sorted."""
    return tuple(sorted({r.name for p in discover_packages(datasets_dir) for r in p.resources}))


def sourced_tables(datasets_dir: Path) -> dict[str, str]:
    """``{table: source field}`` for every curated table whose resources all make a source field and
    ``checked_on`` required: the tables whose every row must be cited and dated."""
    required_of: dict[str, list[set[str]]] = {}
    for package in discover_packages(datasets_dir):
        for resource in package.resources:
            required_of.setdefault(resource.name, []).append(
                {f["name"] for f in resource.schema.get("fields", []) if f.get("constraints", {}).get("required")})
    out: dict[str, str] = {}
    for table, resources in sorted(required_of.items()):
        common = set.intersection(*resources)
        source = next((f for f in SOURCE_FIELDS if f in common), None)
        if source and "checked_on" in common:
            out[table] = source
    return out


def written_by_commands() -> dict[str, str]:
    """``{table: command}`` for the tables the core's importers and the collection runner write (collectors
    declare theirs in ``tables``; curated tables come from the packages). Each writer declares its tables
    beside its code; a new writer is one line here, a new table of an existing writer no line at all."""
    from observatory import runs
    from observatory.participation import load
    from observatory.pb import importer, study_cli

    writers: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("observatory collect", runs.RUNNER_TABLES),
        ("observatory import any PATH", load.TABLES_WRITTEN),
        ("observatory pb import", importer.EDITION_TABLES),
        ("observatory pb study", study_cli.TABLES_WRITTEN),
    )
    return {table: command for command, tables in writers for table in tables}
