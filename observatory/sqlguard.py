"""Read-only SQL for people: the one guard used by ``observatory sql`` and the dashboard console.

Two layers: the statement filter admits exactly one SELECT/EXPLAIN statement, and the connection
itself is locked (see :data:`observatory.store.LOCKED_CONFIG`) so that even an admitted statement
cannot read or write files, reach URLs, attach databases or load extensions.
"""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

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


# Bounds of one console query (the CLI and the dashboard use the same ones).
DEFAULT_MAX_RESULT_BYTES = 50 * 1024**2  # text of the result, estimated value by value while fetching
# Address space of the query's process (DuckDB's own memory_limit is in store.LOCKED_CONFIG): DuckDB does not count
# every allocation against memory_limit (one `repeat('x', 1e9)` took ~4 GB), so the kernel cap is what really stops
# a runaway expression.
DEFAULT_QUERY_ADDRESS_SPACE = 3 * 1024**3
_FETCH_BATCH = 1000
_STARTUP_ALLOWANCE_S = 1.5  # the child's interpreter and DuckDB start before its clock runs


class RefusedQuery(ValueError):
    """The query is not a single read-only statement over the database's own tables."""


class QueryTimeout(RefusedQuery):
    """The query ran past its time limit and was stopped."""


class QueryTooBig(ValueError):
    """The query needed more memory than its process may use."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    truncated: bool
    truncated_reason: str = ""


def _value_bytes(value: object) -> int:
    if isinstance(value, str | bytes | bytearray):
        return len(value) + 8
    if isinstance(value, list | tuple | dict):
        return len(repr(value))
    return 16


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
    con: duckdb.DuckDBPyConnection, sql: str, max_rows: int | None = 10_000, timeout_s: float | None = 30.0,
    max_bytes: int | None = DEFAULT_MAX_RESULT_BYTES,
) -> QueryResult:
    """Run one checked statement on its own cursor, interrupted after ``timeout_s`` seconds.

    Rows are fetched in batches and stop at ``max_rows`` or ``max_bytes`` (``truncated`` says which).
    DuckDB checks for interrupts between chunks only, so a single long expression can outlive the timer:
    :func:`run_isolated_query` runs this in a process that is capped and killed on time.
    """
    stmt = check_statement(sql)
    cur = con.cursor()
    timer = threading.Timer(timeout_s, cur.interrupt) if timeout_s else None
    if timer:
        timer.start()
    rows: list[tuple] = []
    reason = ""
    try:
        try:
            cur.execute(stmt.query)
            columns = [d[0] for d in cur.description or []]
            size = 0
            while not reason:
                batch = cur.fetchmany(_FETCH_BATCH)
                if not batch:
                    break
                for row in batch:
                    if max_rows is not None and len(rows) >= max_rows:
                        reason = f"{max_rows} rows (--max-rows)"
                        break
                    size += sum(_value_bytes(v) for v in row)
                    if max_bytes is not None and size > max_bytes:
                        reason = f"{max_bytes // 1024**2} MB of result text"
                        break
                    rows.append(row)
        except duckdb.PermissionException as exc:
            raise RefusedQuery(f"refused by the locked connection: {exc}") from exc
        except duckdb.InterruptException as exc:
            raise QueryTimeout(f"query stopped after {timeout_s:g} s") from exc
        except duckdb.OutOfMemoryException as exc:
            raise QueryTooBig(f"the query needs more memory than allowed ({str(exc).splitlines()[0]})") from exc
    finally:
        if timer:
            timer.cancel()
        cur.close()
    return QueryResult(columns, rows, bool(reason), reason)


def run_isolated_query(
    db_path: str | Path, sql: str, max_rows: int = 10_000, timeout_s: float = 60.0,
    max_bytes: int = DEFAULT_MAX_RESULT_BYTES, address_space: int = DEFAULT_QUERY_ADDRESS_SPACE,
) -> QueryResult:
    """:func:`run_readonly_query` in a child process with an address-space cap, killed at ``timeout_s``.

    Bad statements are refused here, before any process starts. The child opens the published file
    read-only with the locked configuration; its answer comes back pickled (it is our own process).
    """
    check_statement(sql)
    request = json.dumps({"db": str(db_path), "sql": sql, "max_rows": max_rows, "timeout_s": timeout_s,
                          "max_bytes": max_bytes, "address_space": address_space})
    proc = subprocess.Popen(  # noqa: S603 - this interpreter running our own worker module
        [sys.executable, "-m", "observatory.sqlworker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    try:
        # the child's own timer stops a query between chunks; the kill stops a single long expression
        out, _ = proc.communicate(request.encode(), timeout=timeout_s + _STARTUP_ALLOWANCE_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise QueryTimeout(f"query stopped after {timeout_s:g} s") from None
    try:
        kind, payload = pickle.loads(out)  # noqa: S301 - written by our own child process
    except Exception:  # noqa: BLE001 - no answer: the child was killed or ran out of memory
        raise QueryTooBig(f"the query needed more than {address_space / 1024**3:g} GB of memory "
                          f"(the query process stopped: exit {proc.returncode})") from None
    if kind == "ok":
        return payload
    error_class = {"refused": RefusedQuery, "timeout": QueryTimeout, "too_big": QueryTooBig}.get(kind)
    if error_class is not None:
        raise error_class(payload)
    if kind == "missing":
        raise FileNotFoundError(payload)
    raise duckdb.Error(payload)
