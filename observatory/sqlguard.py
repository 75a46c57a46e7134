"""Read-only SQL for people: the one guard used by ``observatory sql`` and the dashboard console.

Two layers: the statement filter admits exactly one SELECT/EXPLAIN statement, and the connection
itself is locked (see :data:`observatory.store.LOCKED_CONFIG`) so that even an admitted statement
cannot read or write files, reach URLs, attach databases or load extensions.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import duckdb

ALLOWED_TYPES = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}

# Table functions that touch files or URLs; the locked connection refuses them too, but the filter
# gives a clearer message before anything runs.
_FILE_FUNCTIONS = re.compile(
    r"\b(read_csv|read_csv_auto|read_parquet|parquet_scan|read_json|read_json_auto|read_ndjson|"
    r"read_text|read_blob|glob|read_xlsx|sniff_csv|parquet_metadata|parquet_schema|iceberg_scan|delta_scan)\s*\(",
    re.IGNORECASE,
)
_QUOTED_PATH = re.compile(r"\bfrom\s+'[^']*'", re.IGNORECASE)


class RefusedQuery(ValueError):
    """The query is not a single read-only statement over the database's own tables."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    truncated: bool


def check_statement(sql: str) -> duckdb.Statement:
    """Return the single admissible statement in ``sql`` or raise :class:`RefusedQuery`."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise RefusedQuery(f"cannot parse the query: {exc}") from exc
    if len(statements) != 1:
        raise RefusedQuery(f"exactly one statement is allowed, got {len(statements)}")
    stmt = statements[0]
    if stmt.type not in ALLOWED_TYPES:
        raise RefusedQuery(f"{stmt.type.name} statements are refused: this console is read-only (SELECT only)")
    if _FILE_FUNCTIONS.search(sql) or _QUOTED_PATH.search(sql):
        raise RefusedQuery("reading files or URLs is refused: query the database's tables only")
    return stmt


def run_readonly_query(
    con: duckdb.DuckDBPyConnection, sql: str, max_rows: int | None = 10_000, timeout_s: float | None = 30.0
) -> QueryResult:
    """Run one checked statement on its own cursor, interrupted after ``timeout_s`` seconds."""
    stmt = check_statement(sql)
    cur = con.cursor()
    timer = threading.Timer(timeout_s, cur.interrupt) if timeout_s else None
    if timer:
        timer.start()
    try:
        try:
            cur.execute(stmt.query)
        except duckdb.PermissionException as exc:
            raise RefusedQuery(f"refused by the locked connection: {exc}") from exc
        except duckdb.InterruptException as exc:
            raise RefusedQuery(f"query stopped after {timeout_s:g} s") from exc
        columns = [d[0] for d in cur.description or []]
        if max_rows is None:
            rows = cur.fetchall()
            truncated = False
        else:
            rows = cur.fetchmany(max_rows + 1)
            truncated = len(rows) > max_rows
            rows = rows[:max_rows]
    finally:
        if timer:
            timer.cancel()
        cur.close()
    return QueryResult(columns, rows, truncated)
