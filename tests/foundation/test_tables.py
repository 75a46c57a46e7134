"""Table lists are read from the DDL and the data packages, never written by hand: a new dataset table is the
DDL, the package and the page."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from observatory.config import load_settings
from observatory.tables import curated_tables, migrated_tables, sourced_tables

DATASETS = load_settings().datasets_dir


def test_every_curated_table_is_created_by_a_migration() -> None:
    assert set(curated_tables(DATASETS)) <= set(migrated_tables())
    assert {"tools", "deployments", "sources"} <= set(curated_tables(DATASETS))
    assert "schema_migrations" not in migrated_tables()


def test_every_curated_table_gets_its_licence_and_source_in_table_meta(built_db: Path) -> None:
    """What the Data page, exports and the reports' data-licence table show comes from table_meta."""
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        meta = {r[0]: r[1:] for r in con.execute("SELECT table_name, package, licence FROM table_meta").fetchall()}
    finally:
        con.close()
    missing = [t for t in curated_tables(DATASETS) if t not in meta or not all(meta[t])]
    assert missing == []


def test_the_lists_follow_the_packages(mini_datasets: Path) -> None:
    """Control: drop a resource from a package and the derived lists drop its table (nothing is hard-coded)."""
    before = curated_tables(mini_datasets)
    assert "licence_events" in before and "licence_events" in sourced_tables(mini_datasets)
    descriptor_path = mini_datasets / "catalogue" / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "licence_events"]
    descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")
    assert set(before) - set(curated_tables(mini_datasets)) == {"licence_events"}
    assert "licence_events" not in sourced_tables(mini_datasets)


def test_empty_states_name_the_command_from_the_registries() -> None:
    from dashboards.components import command_for

    assert command_for(["tool_languages"]) == "observatory build"        # curated (choice package)
    assert command_for(["git_commits"]) == "observatory collect"         # the git collector's table
    assert command_for(["deployments"]) == "observatory build"           # curated and collected: build fills it


# Written by `observatory build` itself for every table (licence, freshness): no command of its own to name.
BOOKKEEPING = {"table_meta"}


def test_every_table_has_a_declared_writer() -> None:
    """Every table of the migrations is filled by a declared writer (a package resource, a collector's
    ``tables``, an importer's or the runner's declaration), so no empty state falls back to a guess."""
    from dashboards.components import _command_for_table
    from observatory.tables import written_by_commands

    assert sorted(set(migrated_tables()) - set(_command_for_table()) - BOOKKEEPING) == []
    assert set(written_by_commands()) <= set(migrated_tables())   # no writer declares a table that does not exist
    assert written_by_commands()["pb_voters"] == "observatory pb import"   # formerly missing: fell back to build
    assert written_by_commands()["pb_study_results"] == "observatory pb study"
