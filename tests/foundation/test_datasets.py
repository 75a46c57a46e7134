from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from observatory.datasets import DatasetError, build_database, validate_datasets
from tests.foundation.fixtures import edit_csv


def _rows(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                            "'main' AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}  # noqa: S608
    finally:
        con.close()


def test_mini_datasets_are_valid_and_build_is_idempotent(mini_datasets: Path, tmp_path: Path) -> None:
    assert validate_datasets(mini_datasets) == []
    db = tmp_path / "db.duckdb"
    counts = build_database(db, mini_datasets)
    assert counts["deployments"] == 3 and counts["tools"] == 2
    first = _rows(db)
    assert set(first) >= {"tools", "deployments", "sources"}
    build_database(db, mini_datasets)
    assert _rows(db) == first
    meta = {r[0]: r for r in first["table_meta"]}
    assert meta["deployments"][4] == "CC-BY-4.0"


def test_collected_deployments_survive_a_rebuild(mini_datasets: Path, tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    build_database(db, mini_datasets)
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO deployments (deployment_id, tool_id, organisation, source_url, checked_on, origin) "
                "VALUES ('alpha:new.example', 'alpha', 'New', 'https://x.example', DATE '2026-11-01', 'collector:deployments')")
    con.close()
    build_database(db, mini_datasets)
    con = duckdb.connect(str(db), read_only=True)
    origins = dict(con.execute("SELECT origin, count(*) FROM deployments GROUP BY origin").fetchall())
    con.close()
    assert origins == {"dataset": 3, "collector:deployments": 1}


CASES = [
    ("catalogue/tools.csv", 1, "licence_spdx", "GPL-9.9-only", "unknown SPDX licence id"),
    ("catalogue/tools.csv", 0, "origin_country", "XX", "ISO 3166-1 alpha-2"),
    ("deployments/deployments.csv", 2, "country", "UK", "ISO 3166-1 alpha-2"),
    ("deployments/deployments.csv", 1, "tool_id", "gamma", "not found"),
    ("catalogue/tool_features.csv", 0, "feature_id", "teleportation", "foreign"),
    ("catalogue/tool_features.csv", 0, "evidence_level", "rumour", "constraint"),
    ("deployments/deployments.csv", 1, "deployment_id", "alpha:city0.example", "primary"),
    ("deployments/deployments.csv", 0, "url", "not a url", "http(s) URL"),
    ("catalogue/licence_events.csv", 0, "date", "2020-13-45", "date"),
    ("catalogue/tools.csv", 0, "first_release_year", "two thousand", "integer"),
    ("catalogue/tools.csv", 0, "licence_spdx", "Apache-2.0", "has no row in licences"),
    ("deployments/deployments.csv", 0, "checked_on", "2999-01-01", "future"),
]


@pytest.mark.parametrize(("file", "row", "field", "value", "message"), CASES)
def test_bad_input_names_file_row_field_and_writes_nothing(
    mini_datasets: Path, tmp_path: Path, file: str, row: int, field: str, value: str, message: str
) -> None:
    db = tmp_path / "db.duckdb"
    build_database(db, mini_datasets)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    edit_csv(mini_datasets / file, row, field, value)
    issues = validate_datasets(mini_datasets)
    matching = [i for i in issues if i.file.endswith(file) and i.field == field]
    assert matching, [str(i) for i in issues]
    assert any(i.row == row + 2 for i in matching), [str(i) for i in matching]
    assert any(message.lower() in str(i).lower() for i in matching), [str(i) for i in matching]
    with pytest.raises(DatasetError):
        build_database(db, mini_datasets)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_malformed_csv_is_reported(mini_datasets: Path, tmp_path: Path) -> None:
    path = mini_datasets / "catalogue" / "features.csv"
    path.write_text(path.read_text(encoding="utf-8") + '"unterminated,quote\n', encoding="utf-8")
    issues = validate_datasets(mini_datasets)
    assert any(i.file.endswith("features.csv") for i in issues), [str(i) for i in issues]
    with pytest.raises(DatasetError):
        build_database(tmp_path / "new.duckdb", mini_datasets)
    assert not (tmp_path / "new.duckdb").exists()


def test_a_column_unknown_to_the_schema_is_refused(mini_datasets: Path) -> None:
    path = mini_datasets / "catalogue" / "features.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",colour"
    lines[1:] = [line + ",blue" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    issues = validate_datasets(mini_datasets)
    assert any(i.field == "colour" and "not in table" in i.message for i in issues), [str(i) for i in issues]
