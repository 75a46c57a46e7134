"""The import and research commands end to end on a small file."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from observatory.participation.cli import register

# Only this module's commands: the test does not depend on other command families importing cleanly.
app = typer.Typer()
register(app)

ROWS = "".join(f'"{i}";"Propuesta {i}";"texto";"{i % 7}";"{1 + i // 3:02d}/01/2024";""\n' for i in range(1, 61))


def test_import_then_research_summary(tmp_path: Path) -> None:
    csv_path = tmp_path / "proposals.csv"
    csv_path.write_text('"id";"title";"description";"cached_votes_up";"created_at";"retired_at"\n' + ROWS,
                        encoding="utf-8")
    db = tmp_path / "cli.duckdb"
    runner = CliRunner()
    result = runner.invoke(app, ["import", "consul-csv", str(csv_path), "--db", str(db), "--instance", "demo.example.org"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["research", "summary", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "demo.example.org" in result.output and "gini=" in result.output
    assert "25 per page" in result.output


def test_import_failure_exits_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text('"id";"title";"description";"cached_votes_up";"created_at";"retired_at"\n"1";"x";"y";"z";"01/01/2024";""\n',
                   encoding="utf-8")
    result = CliRunner().invoke(app, ["import", "consul-csv", str(bad), "--strict", "--instance", "demo.example.org",
                                      "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 1
