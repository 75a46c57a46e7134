from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from observatory.cli import app
from observatory.exporting import FORMATS
from tests.foundation.unguarded import digest, run_unguarded

runner = CliRunner()


@pytest.fixture
def db(mini_datasets: Path, tmp_path: Path) -> Path:
    path = tmp_path / "cli.duckdb"
    result = runner.invoke(app, ["build", "--db", str(path), "--datasets", str(mini_datasets)])
    assert result.exit_code == 0, result.output
    return path


def test_build_validate_and_info(db: Path, mini_datasets: Path) -> None:
    assert runner.invoke(app, ["validate", "--datasets", str(mini_datasets)]).exit_code == 0
    info = runner.invoke(app, ["info", "--db", str(db)])
    assert info.exit_code == 0, info.output
    assert "deployments" in info.output and "schema" in info.output


def test_db_path_from_environment(mini_datasets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "env.duckdb"
    monkeypatch.setenv("OBSERVATORY_DB", str(path))
    assert runner.invoke(app, ["build", "--datasets", str(mini_datasets)]).exit_code == 0
    assert path.exists()


def test_validate_reports_file_row_field(mini_datasets: Path) -> None:
    from tests.foundation.fixtures import edit_csv

    edit_csv(mini_datasets / "deployments" / "deployments.csv", 1, "country", "ZZ")
    result = runner.invoke(app, ["validate", "--datasets", str(mini_datasets)])
    assert result.exit_code == 1
    assert "datasets/deployments/deployments.csv:3:country:" in result.stderr


def test_sql_formats(db: Path) -> None:
    out = runner.invoke(app, ["sql", "select tool_id, name from tools order by 1", "--db", str(db), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == [{"tool_id": "alpha", "name": "Alpha"}, {"tool_id": "beta", "name": "Beta"}]
    csv_out = runner.invoke(app, ["sql", "select count(*) as n from deployments", "--db", str(db), "--format", "csv"])
    assert csv_out.stdout.splitlines() == ["n", "3"]


@pytest.mark.parametrize("sql", ["delete from tools", "copy tools to 'x.csv'", "attach 'x.db'", "install httpfs",
                                 "select * from read_csv('/etc/passwd')"])
def test_sql_refuses_writes_and_changes_nothing(db: Path, sql: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = digest(db)
    out = runner.invoke(app, ["sql", sql, "--db", str(db)])
    assert out.exit_code == 2
    assert "refused" in out.stderr
    assert digest(db) == before
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("sql", ["delete from tools", "copy tools to 'x.csv'"])
def test_control_the_same_sql_unguarded_does_harm(db: Path, sql: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Control for the test above: the statements the CLI refuses change the file or write one when run
    on a plain connection, so the before/after checks there can fail."""
    monkeypatch.chdir(tmp_path)
    before = digest(db)
    run_unguarded(db, sql)
    changed = digest(db) != before
    assert changed or (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_every_row_with_sidecar(db: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"deployments.{fmt}"
    out = runner.invoke(app, ["export", "deployments", "--format", fmt, "-o", str(target), "--db", str(db)])
    assert out.exit_code == 0, out.output
    if fmt == "parquet":
        assert pq.read_table(target).num_rows == 3
    elif fmt == "json":
        assert len(json.loads(target.read_text())) == 3
    else:
        assert len(target.read_text().splitlines()) == 4
    meta = json.loads((tmp_path / f"deployments.{fmt}.meta.json").read_text())
    assert meta["row_count"] == 3 and meta["licence"] == "CC-BY-4.0" and meta["checked_on"] == "2026-11-20"
    assert meta["source_urls"] == ["https://example.org/source"]


def test_export_unknown_table_is_an_error(db: Path, tmp_path: Path) -> None:
    out = runner.invoke(app, ["export", "tools; drop table tools", "-o", str(tmp_path / "x.csv"), "--db", str(db)])
    assert out.exit_code == 1 and "no table or view" in out.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from tools").fetchone()[0] == 2
    con.close()
