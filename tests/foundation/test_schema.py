from __future__ import annotations

import duckdb
import pytest

from observatory import schema
from observatory.store import connect_writer


@pytest.mark.parametrize("prefix", [m.version for m in schema.available_migrations()])
def test_every_migration_prefix_applies_to_an_empty_database(prefix: int) -> None:
    con = duckdb.connect()
    applied = schema.migrate(con, target=prefix)
    expected = [m.version for m in schema.available_migrations() if m.version <= prefix]
    assert applied == expected
    assert schema.current_version(con) == prefix
    # then the rest applies on top, and a second run is a no-op
    schema.migrate(con)
    assert schema.current_version(con) == schema.latest_version()
    assert schema.migrate(con) == []


def test_migrations_are_recorded_with_checksums(tmp_path) -> None:
    path = tmp_path / "db.duckdb"
    connect_writer(path).close()
    con = duckdb.connect(str(path))
    rows = con.execute("SELECT version, name, checksum FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [m.version for m in schema.available_migrations()]
    assert all(len(r[2]) == 64 for r in rows)


def test_documented_relations_have_the_required_columns(tmp_db) -> None:
    required = {
        "tools": {"tool_id", "name", "homepage", "repo_url", "licence_spdx", "first_release_year", "origin_country",
                  "maintainer", "status"},
        "deployments": {"deployment_id", "tool_id", "organisation", "organisation_type", "country", "url",
                        "started_year", "source_url", "checked_on"},
        "tool_features": {"tool_id", "feature_id", "evidence_level", "source_url", "checked_on"},
        "features": {"feature_id", "label_en", "label_fr", "definition_en", "definition_fr"},
        "licences": {"spdx_id", "name", "family", "osi_approved", "network_clause"},
        "licence_events": {"tool_id", "date", "from_spdx", "to_spdx", "evidence_url"},
        "sources": {"source_id", "url", "checked_on"},
    }
    con = duckdb.connect(str(tmp_db), read_only=True)
    for table, cols in required.items():
        have = {r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()}
        assert cols <= have, (table, cols - have)


def test_a_failing_migration_leaves_no_trace(tmp_path) -> None:
    bad_dir = tmp_path / "migrations"
    bad_dir.mkdir()
    (bad_dir / "0001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (bad_dir / "0002_bad.sql").write_text("CREATE TABLE b (x INTEGER); SELECT * FROM missing_table;")
    con = duckdb.connect()
    with pytest.raises(RuntimeError, match="0002_bad.sql"):
        schema.migrate(con, directory=bad_dir)
    assert schema.current_version(con) == 1
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "a" in tables and "b" not in tables
