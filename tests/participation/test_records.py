"""The shared mapping targets and the migrations never drift apart."""

from __future__ import annotations

from pathlib import Path

import duckdb

from observatory.participation.records import RECORD_TYPES, column_names


def test_every_record_matches_its_table(tmp_db: Path) -> None:
    with duckdb.connect(str(tmp_db), read_only=True) as con:
        for record_type in RECORD_TYPES:
            table_columns = {r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [record_type.TABLE]).fetchall()}
            assert set(column_names(record_type)) == table_columns, record_type.TABLE
            keys = con.execute(
                "SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = ? "
                "AND constraint_type = 'PRIMARY KEY'", [record_type.TABLE]).fetchone()
            assert keys is not None and tuple(keys[0]) == record_type.KEY, record_type.TABLE


def test_imports_write_bilingual_metric_definitions(tmp_path: Path, tmp_db: Path) -> None:
    from observatory.participation.definitions import METRICS
    from observatory.participation.importer import import_path
    from observatory.store import writer

    csv_path = tmp_path / "proposals.csv"
    csv_path.write_text('"id";"title";"description";"cached_votes_up";"created_at";"retired_at"\n'
                        '"1";"Uno";"x";"3";"01/02/2024";""\n', encoding="utf-8")
    with writer(tmp_db) as con:
        import_path(con, csv_path, platform="consul", instance_id="demo.example.org")
        import_path(con, csv_path, platform="consul", instance_id="demo.example.org")
        stored = con.execute("SELECT metric_id, label_fr FROM metric_definitions ORDER BY 1").fetchall()
    assert [m for m, _ in stored] == sorted(METRICS)
    assert all(label for _, label in stored)
