from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from observatory.datasets import build_database
from observatory.sqlguard import RefusedQuery, run_readonly_query
from observatory.store import connect_readonly

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


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("sql", REFUSED)
def test_refused_statements_change_nothing(db: Path, sql: str) -> None:
    before = _digest(db)
    con = connect_readonly(db)
    try:
        with pytest.raises(RefusedQuery):
            run_readonly_query(con, sql)
        assert con.execute("SELECT count(*) FROM tools").fetchone()[0] == 2
    finally:
        con.close()
    assert _digest(db) == before


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
    secret_frame = {"x": [1]}  # noqa: F841 - a replacement scan would find it by name
    con = connect_readonly(db)
    try:
        with pytest.raises((RefusedQuery, duckdb.Error)):
            run_readonly_query(con, "SELECT * FROM secret_frame")
    finally:
        con.close()
