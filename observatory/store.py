"""DuckDB connections: one short-lived writer, locked-down readers everywhere else.

Readers (dashboards, reports, ``observatory sql``) all open the file with the same locked
configuration: DuckDB refuses two connections to one file with different configurations in one
process, and the lock stops any query from reaching files, URLs or extensions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from observatory import schema

# Verified on duckdb 1.4/2.0: with these settings COPY/EXPORT/ATTACH, read_csv & co, INSTALL/LOAD and
# scans of Python variables fail, and no SET can undo them (lock_configuration).
LOCKED_CONFIG: dict[str, Any] = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "threads": 2,
    "memory_limit": "2GB",
    "lock_configuration": True,
}


def connect_readonly(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open an existing database read-only with the locked configuration."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"database not found: {path} (run `observatory build` first)")
    return duckdb.connect(str(path), read_only=True, config=dict(LOCKED_CONFIG))


def connect_writer(path: str | Path, migrate: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database for writing and bring its schema up to date."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    if migrate:
        schema.migrate(con)
    return con


@contextmanager
def writer(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated writer connection that is always closed, so readers can open the file after."""
    con = connect_writer(path)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any exception (then re-raise)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def user_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables and views of the main schema, bookkeeping tables excluded, sorted by name."""
    cur = con.cursor()  # its own cursor: readers share one connection across threads
    try:
        rows = cur.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_name NOT IN ('schema_migrations') ORDER BY table_name"
        ).fetchall()
    finally:
        cur.close()
    return [r[0] for r in rows]
