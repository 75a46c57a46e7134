"""``observatory pb import|compare|summary`` through the real typer app."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from observatory.cli import app
from observatory.pb.rules import RULES
from tests.pb.test_importer import CUMULATIVE, UNKNOWN_PROJECT
from tests.pb.test_metrics import TINY

runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "pb"
    d.mkdir()
    (d / "Testland_Testville_2024.pb").write_text(TINY, encoding="utf-8")
    (d / "Testland_Points_2023.pb").write_text(CUMULATIVE, encoding="utf-8")
    return d


def test_compare_json_shape(folder: Path) -> None:
    result = runner.invoke(app, ["pb", "compare", str(folder / "Testland_Testville_2024.pb"),
                                 "--rules", "greedy,max-budget,actual", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 1
    entry = data[0]
    assert {k: entry[k] for k in ("file", "vote_type", "n_voters", "n_projects", "budget")} == {
        "file": "Testland_Testville_2024.pb", "vote_type": "approval", "n_voters": 5, "n_projects": 3, "budget": 10.0}
    assert list(entry["rules"]) == ["greedy", "max-budget", "actual"]
    greedy = entry["rules"]["greedy"]
    assert greedy["selected"] == ["a", "b"] and all(isinstance(p, str) for p in greedy["selected"])
    assert greedy["cost"] == 10.0 and greedy["seconds"] >= 0 and greedy["budget_share"] == 1.0
    assert greedy["funded_share_by_district"] == {"N": 6 / 11, "S": 1.0}
    assert entry["rules"]["actual"]["selected"] == ["a", "b"]


def test_compare_folder_csv_and_unknown_rule(folder: Path) -> None:
    result = runner.invoke(app, ["pb", "compare", str(folder), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2 * len(RULES) and {r["file"] for r in rows} == {"Testland_Testville_2024.pb",
                                                                          "Testland_Points_2023.pb"}
    bad = runner.invoke(app, ["pb", "compare", str(folder), "--rules", "greedy,nonsense"])
    assert bad.exit_code != 0 and "nonsense" in bad.output


def test_import_then_summary(folder: Path, tmp_db: Path) -> None:
    result = runner.invoke(app, ["pb", "import", str(folder), "--db", str(tmp_db)])
    assert result.exit_code == 0, result.output
    assert "imported" in result.stdout
    again = runner.invoke(app, ["pb", "import", str(folder), "--db", str(tmp_db)])
    assert again.stdout.count("unchanged") == 2
    summary = runner.invoke(app, ["pb", "summary", "--format", "csv", "--db", str(tmp_db)])
    assert summary.exit_code == 0, summary.output
    rows = list(csv.DictReader(io.StringIO(summary.stdout)))
    assert [r["edition_id"] for r in rows] == ["Testland_Testville_2024"]   # approval editions only
    assert float(rows[0]["extra_budget_share"]) >= 0


def test_strict_import_fails_with_the_location(folder: Path, tmp_db: Path) -> None:
    (folder / "Bad_2024.pb").write_text(UNKNOWN_PROJECT, encoding="utf-8")
    result = runner.invoke(app, ["pb", "import", str(folder), "--strict", "--db", str(tmp_db)])
    assert result.exit_code == 1
    assert "Bad_2024.pb:21" in result.output and "'vote'" in result.output
    lenient = runner.invoke(app, ["pb", "import", str(folder / "Bad_2024.pb"), "--lenient", "--db", str(tmp_db)])
    assert lenient.exit_code == 0, lenient.output
