from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from observatory.datasets import build_database
from observatory.sqlguard import RefusedQuery, run_readonly_query
from observatory.store import connect_readonly
from tests.foundation.unguarded import digest, run_unguarded

REFUSED = [
    "INSERT INTO tools (tool_id) VALUES ('x')",
    "UPDATE tools SET name = 'x'",
    "DELETE FROM tools",
    "DROP TABLE tools",
    "ALTER TABLE tools ADD COLUMN x INTEGER",
    "CREATE TABLE t AS SELECT 1",
    "CREATE TEMP TABLE t AS SELECT 1",
    "COPY tools TO 'out.csv'",
    "EXPORT DATABASE 'dump'",
    "ATTACH 'other.duckdb' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "LOAD json",
    "SET threads = 1",
    "SET enable_external_access = true",
    "PRAGMA threads=1",
    "CHECKPOINT",
    "VACUUM",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM read_parquet('http://127.0.0.1:9/x.parquet')",
    "SELECT 1; DROP TABLE tools",
    "",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    from tests.foundation.fixtures import write_datasets

    root = tmp_path_factory.mktemp("guard")
    path = root / "db.duckdb"
    build_database(path, write_datasets(root))
    return path


@pytest.mark.parametrize("sql", REFUSED)
def test_refused_statements_change_nothing(db: Path, sql: str) -> None:
    before = digest(db)
    con = connect_readonly(db)
    try:
        with pytest.raises(RefusedQuery):
            run_readonly_query(con, sql)
        assert con.execute("SELECT count(*) FROM tools").fetchone()[0] == 2
    finally:
        con.close()
    assert digest(db) == before


@pytest.mark.parametrize(
    "sql",
    ["SELECT count(*) FROM deployments", "select 1 -- ; drop table tools", "WITH x AS (SELECT 1 AS a) SELECT a FROM x",
     "FROM tools", "DESCRIBE tools", "SUMMARIZE tools", "EXPLAIN SELECT * FROM tools", "SELECT ';' AS s"],
)
def test_read_only_queries_run(db: Path, sql: str) -> None:
    con = connect_readonly(db)
    try:
        result = run_readonly_query(con, sql)
    finally:
        con.close()
    assert result.columns


def test_row_limit_and_timeout(db: Path) -> None:
    con = connect_readonly(db)
    try:
        limited = run_readonly_query(con, "SELECT * FROM range(100)", max_rows=10)
        assert len(limited.rows) == 10 and limited.truncated
        with pytest.raises(RefusedQuery, match="stopped"):
            run_readonly_query(con, "SELECT count(*) FROM range(1000000000000) a", timeout_s=0.3)
        assert run_readonly_query(con, "SELECT 42").rows == [(42,)]  # connection still usable
    finally:
        con.close()


def test_python_variables_are_not_reachable(db: Path) -> None:
    """DuckDB's replacement scan reads a DataFrame named in the query from the *calling* frame, so both
    connections run the query from this frame; the unlocked one is the control that shows the leak."""
    import pandas as pd

    secret_frame = pd.DataFrame({"x": [41]})  # noqa: F841 - a replacement scan would find it by name
    unlocked = duckdb.connect(str(db), read_only=True)
    try:
        assert unlocked.execute("SELECT x FROM secret_frame").fetchall() == [(41,)]  # control: the leak is real
    finally:
        unlocked.close()
    con = connect_readonly(db)
    try:
        with pytest.raises(duckdb.CatalogException):
            con.execute("SELECT x FROM secret_frame")
        with pytest.raises((RefusedQuery, duckdb.Error)):
            run_readonly_query(con, "SELECT * FROM secret_frame")
    finally:
        con.close()


# Statements whose harm is observable on a connection without the guard: the file's bytes change or
# a file outside the database is read or written. Each is the control for the tests above.
HARMFUL_UNGUARDED = ["DELETE FROM tools", "DROP TABLE tools", "UPDATE tools SET name = 'x'",
                     "ALTER TABLE tools ADD COLUMN x INTEGER", "CREATE TABLE t AS SELECT 1"]


@pytest.mark.parametrize("sql", HARMFUL_UNGUARDED)
def test_control_unguarded_connection_changes_the_file(db: Path, tmp_path: Path, sql: str) -> None:
    """The same statements on a plain writable connection change the file, so the digest check can fail."""
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    before = digest(copy)
    run_unguarded(copy, sql)
    assert digest(copy) != before
    assert sql in REFUSED


def test_control_unguarded_connection_reads_and_writes_files(db: Path, tmp_path: Path, monkeypatch) -> None:
    """Without the lock, an admitted-looking SELECT reads a local file and COPY writes one; locked, neither runs
    even when the statement filter is bypassed (the second layer on its own)."""
    outside = tmp_path / "outside.csv"
    outside.write_text("secret\nleaked\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    plain = duckdb.connect(str(db), read_only=True)
    try:
        assert plain.execute(f"SELECT * FROM read_csv('{outside}')").fetchall() == [("leaked",)]
        plain.execute("COPY tools TO 'dumped.csv'")
    finally:
        plain.close()
    assert (tmp_path / "dumped.csv").exists()
    (tmp_path / "dumped.csv").unlink()
    con = connect_readonly(db)
    try:
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"SELECT * FROM read_csv('{outside}')")
        with pytest.raises(duckdb.PermissionException):
            con.execute("COPY tools TO 'dumped.csv'")
    finally:
        con.close()
    assert not (tmp_path / "dumped.csv").exists()
