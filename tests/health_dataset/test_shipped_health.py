"""The shipped health package: valid, covering the catalogue, loaded by build, and recomputable from a fixture."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import frictionless
import pytest

from observatory import health
from observatory.config import load_settings
from observatory.datapackage import discover_packages
from observatory.datasets import validate_datasets
from observatory.gitlog import Commit, Tag

DATASETS = load_settings().datasets_dir
PACKAGE = DATASETS / "health"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "health" / "openspending.json"
MUST_HAVE = ("decidim", "consul-democracy", "go-vocal", "loomio", "discourse", "ushahidi", "polis", "openstad",
             "adhocracy-plus", "democracyos", "cap-collectif")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_package_is_valid_frictionless_and_passes_our_checks() -> None:
    report = frictionless.validate(PACKAGE / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]
    issues = [i for i in validate_datasets(DATASETS) if "health" in i.file]
    assert issues == []


def test_coverage_of_the_catalogue() -> None:
    tools = _read(DATASETS / "catalogue" / "tools.csv")
    public = {t["tool_id"] for t in tools if t["repo_url"].startswith("https://github.com/")}
    rows = {r["tool_id"]: r for r in _read(PACKAGE / "repo_health.csv")}
    assert set(rows) <= public
    assert len(rows) >= 0.9 * len(public), sorted(public - set(rows))
    for tool_id in MUST_HAVE:
        assert tool_id in rows, tool_id
    for row in rows.values():
        assert row["source_url"].startswith("https://") and row["read_on"] and row["checked_on"]
        if row["coverage"] == "full":
            assert len(row["commit_read"]) == 40 and row["source"] == "git"
        else:
            assert row["missing_reason"] == "too_large_to_read" and row["commit_read"] == ""
    assert rows["decidim"]["coverage"] == "partial" and rows["decidim"]["last_release"]


def test_build_loads_health_into_the_default_tables(built_db: Path) -> None:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        shipped = len(_read(PACKAGE / "repo_health.csv"))
        assert con.execute("SELECT count(*) FROM repo_health WHERE origin = 'dataset'").fetchone()[0] == shipped
        assert con.execute("SELECT count(*) FROM repo_health_monthly").fetchone()[0] > 1000
        assert con.execute("SELECT count(*) FROM licence_events WHERE source = 'git'").fetchone()[0] > 0
        assert con.execute("SELECT count(*) FROM licence_event_conflicts").fetchone()[0] >= 0
    finally:
        con.close()
    assert [p.name for p in discover_packages(DATASETS)].count("observatory-health") == 1


def test_fixture_recomputes_the_shipped_rows() -> None:
    """Every commit of one shipped repository (authors made opaque) gives back its monthly and repository rows."""
    fx = json.loads(FIXTURE.read_text())
    commits = [Commit(sha, datetime.fromisoformat(at), datetime.fromisoformat(at), author, org, None, None, None, merge)
               for sha, at, author, org, merge in fx["commits"]]
    tags = [Tag(name, sha, datetime.fromisoformat(at), release) for name, sha, at, release in fx["tags"]]
    metrics, months = health.health_rows(commits, tags, date.fromisoformat(fx["as_of"]), fx["archive_notice"])
    shipped = [r for r in _read(PACKAGE / "repo_health_monthly.csv") if r["repo"] == fx["repo"]]
    busiest = max(shipped, key=lambda r: (int(r["commits"]), r["month"]))
    assert int(busiest["commits"]) > 5
    mine = next(m for m in months if m["month"].isoformat() == busiest["month"])
    assert {k: str(v) if v is not None else "" for k, v in mine.items() if k != "month"} == {
        k: busiest[k] for k in ("commits", "active_authors", "new_authors", "stopped_authors", "releases")}
    row = next(r for r in _read(PACKAGE / "repo_health.csv") if r["repo"] == fx["repo"])
    assert row["commit_read"] == fx["commit_read"]
    for key in ("commits_total", "authors_total", "commits_12m", "bus_factor", "elephant_factor", "status",
                "status_reason", "status_params", "last_release"):
        assert ("" if metrics[key] is None else str(metrics[key])) == row[key], key
    assert len(months) == len(shipped)


@pytest.mark.parametrize("name", ["repo_health.csv", "repo_health_monthly.csv", "git_licence_changes.csv"])
def test_no_personal_data(name: str) -> None:
    assert "@" not in (PACKAGE / name).read_text(encoding="utf-8")
