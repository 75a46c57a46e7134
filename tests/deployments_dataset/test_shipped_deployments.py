"""The shipped deployments package: valid, as large as promised, and every row traceable to its source."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import frictionless
import pycountry
import pytest
from deployments_geo import canonical_url, slug
from deployments_model import DEPLOYMENT_COLUMNS

from observatory.config import load_settings

PACKAGE = load_settings().datasets_dir / "deployments"


def _read(name: str) -> list[dict[str, str]]:
    with (PACKAGE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return _read("deployments.csv")


def test_package_is_valid_frictionless() -> None:
    report = frictionless.validate(PACKAGE / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]


def test_header_is_the_agreed_column_order() -> None:
    header = (PACKAGE / "deployments.csv").read_text(encoding="utf-8").splitlines()[0]
    assert tuple(header.split(",")) == DEPLOYMENT_COLUMNS


def test_sizes_promised_by_the_issue(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 150
    assert len({row["tool_id"] for row in rows}) >= 5
    assert len({row["country"] for row in rows if row["country"]}) >= 20


def test_countries_are_iso_and_say_how_they_were_found(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if row["country"]:
            assert pycountry.countries.get(alpha_2=row["country"]) is not None, row["deployment_id"]
        assert bool(row["country"]) == bool(row["country_method"]), row["deployment_id"]
        if row["country_method"] == "coordinates":
            assert row["latitude"] and row["longitude"], row["deployment_id"]


def test_ids_follow_from_the_url_or_organisation(rows: list[dict[str, str]]) -> None:
    for row in rows:
        key = canonical_url(row["url"]) if row["url"] else slug(row["organisation"])
        assert row["deployment_id"] == f"{row['tool_id']}:{key}"


def test_rows_are_sorted_and_point_at_a_pinned_source(rows: list[dict[str, str]]) -> None:
    ids = [row["deployment_id"] for row in rows]
    assert ids == sorted(ids)
    commits = {source["source_commit"] for source in _read("sources.csv")}
    for row in rows:
        assert row["source_commit"] in commits
        assert f"/blob/{row['source_commit']}/" in row["source_url"]
        assert (row["origin"], row["first_seen"], row["last_seen"], row["removed_on"]) == ("dataset", "", "", "")


def test_most_countries_come_from_the_sources_own_data(rows: list[dict[str, str]]) -> None:
    """Curation is the exception: at most a tenth of the rows get their country by hand."""
    methods = Counter(row["country_method"] for row in rows)
    assert methods["manual"] <= len(rows) / 10


def test_package_lives_beside_the_readme_section() -> None:
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    assert "## deployments" in readme and "deployments_compile.py" in readme
    assert Path(PACKAGE / "datapackage.json").is_file()
