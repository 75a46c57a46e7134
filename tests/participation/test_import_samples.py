"""Imports of the real Decidim and Consul samples: row counts, spot values, oddities, idempotency."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from observatory.participation.importer import import_path
from observatory.store import writer

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def imported(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("research") / "samples.duckdb"
    with writer(db) as con:
        for folder, platform, instance in (("decidim/samples", "decidim", None),
                                           ("consul/samples", "consul", "decide.madrid.es")):
            report = import_path(con, shared_data / folder, platform=platform, instance_id=instance, strict=True)
            assert report.ok, [f.failed for f in report.files]
    return db


def _one(db: Path, sql: str, params: list | None = None) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(sql, params or []).fetchone()
    assert row is not None
    return row


def test_row_counts_match_the_provenance_notes(imported: Path) -> None:
    counts = {
        ("budget_projects", "www.decidim.barcelona"): 220,
        ("budgets", "www.decidim.barcelona"): 12,
        ("comments", "www.decidim.barcelona"): 2628 + 87,
        ("proposals", "participation.lillemetropole.fr"): 196,
        ("proposals", "decide.madrid.es"): 2738 + 80,
        ("comments", "decide.madrid.es"): 5633,
    }
    for (table, instance), expected in counts.items():
        # table names come from the literal dict above
        assert _one(imported, f"SELECT count(*) FROM {table} WHERE instance_id = ?", [instance])[0] == expected  # noqa: S608


def test_barcelona_project_spot_values(imported: Path) -> None:
    cost, supports, scope, budget, selected = _one(
        imported, "SELECT cost, supports, scope, budget_id, selected FROM budget_projects "
                  "WHERE instance_id = 'www.decidim.barcelona' AND project_id = '1'")
    assert (cost, supports, scope, budget) == (18000.0, 60, "Gràcia", "1")
    assert selected is None                                   # the 0.26-0.28 export has no 'selected' column
    assert _one(imported, "SELECT max(supports) FROM budget_projects")[0] == 3351


def test_madrid_live_subset_spot_values_and_oddities(imported: Path) -> None:
    src = "file:decide-madrid-live-subset-2025/proposals_latest.csv"
    title, supports, published = _one(
        imported, "SELECT title, supports, published_at FROM proposals WHERE instance_id = 'decide.madrid.es' "
                  "AND proposal_id = '35573'")
    assert (title, supports, published) == ("Metro accesible Campamento", 15, datetime(2024, 1, 1))
    total, withdrawn, html = _one(
        imported, "SELECT sum(supports), count(*) FILTER (state = 'withdrawn'), "
                  "count(*) FILTER (body LIKE '%<p>%' OR body LIKE '%&nbsp;%') FROM proposals WHERE source_url = ?", [src])
    assert (total, withdrawn, html) == (19_200, 30, 0)        # sums as in PROVENANCE.md; HTML stored as text
    flagged = _one(imported, "SELECT count(*) FROM proposals WHERE source_url = ? AND quality_flag = 'test_entry' "
                             "AND title ILIKE '%ssrf%'", [src])[0]
    assert flagged > 0


def test_lille_proposals_keep_multiline_bodies_and_comments_from_multiline_files(imported: Path) -> None:
    votes = _one(imported, "SELECT max(supports) FROM proposals WHERE instance_id = 'participation.lillemetropole.fr'")[0]
    assert votes == 13
    multi = _one(imported, "SELECT count(*) FROM comments WHERE instance_id = 'www.decidim.barcelona' "
                           "AND body LIKE '%' || chr(10) || '%'")[0]
    assert multi > 0


def test_tables_are_registered_in_table_meta(imported: Path) -> None:
    for table in ("proposals", "budget_projects", "comments", "instances"):
        assert _one(imported, "SELECT count(*) FROM table_meta WHERE table_name = ?", [table])[0] == 1


def test_reimport_is_idempotent(shared_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "twice.duckdb"
    path = shared_data / "decidim" / "samples" / "decidim-barcelona" / "www.decidim.barcelona-open-data-projects.csv"
    snapshots = []
    for _ in range(2):
        with writer(db) as con:
            import_path(con, path, force=True)  # force: an unchanged file would otherwise be skipped
            snapshots.append(con.execute("SELECT * FROM budget_projects ORDER BY project_id").fetchall())
    assert snapshots[0] == snapshots[1] and len(snapshots[0]) == 220
