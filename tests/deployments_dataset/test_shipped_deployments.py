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
    assert len(rows) >= 1000
    assert len({row["tool_id"] for row in rows}) >= 20
    assert len({row["country"] for row in rows if row["country"]}) >= 50


def test_every_url_is_an_installation_or_flagged(rows: list[dict[str, str]]) -> None:
    from observatory.deployment_rules import url_kind_problem

    assert [row["deployment_id"] for row in rows if url_kind_problem(row["url"], row["url_kind"])] == []
    flagged = {row["deployment_id"] for row in rows if row["url_kind"] == "proposal_page"}
    assert len([key for key in flagged if "meta.diycities.jp" in key]) == 8


def test_known_errors_stay_fixed(rows: list[dict[str, str]]) -> None:
    by_id = {row["deployment_id"]: row for row in rows}
    assert "decidim:bosa.belgium.be/fr/services/monopinion" not in by_id  # merged into the federal platform
    assert by_id["decidim:monopinion.belgium.be"]["organisation_type"] == "national_government"
    assert by_id["decidim:petitions.assemblee-nationale.fr"]["organisation_type"] == "parliament"
    assert by_id["decidim:atelierdevosidees.loiret.fr"]["organisation_type"] == "region"
    assert not [key for key in by_id if key.startswith("fixmystreet:east-sussex")]  # integration module


def test_claims_sit_next_to_listed_counts() -> None:
    claims = _read("deployment_claims.csv")
    tools = {claim["tool_id"] for claim in claims}
    assert {"decidim", "consul-democracy", "go-vocal", "ushahidi"} <= tools
    for claim in claims:
        assert int(claim["claimed_count"]) > 0 and claim["claim_text"]
        if claim["source_commit"]:
            assert f"/blob/{claim['source_commit']}/" in claim["source_url"]


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
    """Each row names the commit it was read at: its source's pinned commit, or (lists removed or kept on
    another ref) the earlier commit the source's notes name."""
    ids = [row["deployment_id"] for row in rows]
    assert ids == sorted(ids)
    sources = _read("sources.csv")
    commits = {source["source_commit"] for source in sources}
    for row in rows:
        assert len(row["source_commit"]) == 40
        assert f"/blob/{row['source_commit']}/" in row["source_url"]
        if row["source_commit"] not in commits:  # a removed listing, or the Consul map kept on another ref
            assert (row["source_status"] == "past"
                    or row["source_url"].startswith("https://github.com/consuldemocracy/website/")), row["deployment_id"]
        assert (row["origin"], row["first_seen"], row["last_seen"], row["removed_on"]) == ("dataset", "", "", "")


def test_most_countries_come_from_the_sources_own_data(rows: list[dict[str, str]]) -> None:
    """Curation is the exception: at most a tenth of the rows get their country by hand."""
    methods = Counter(row["country_method"] for row in rows)
    assert methods["manual"] <= len(rows) / 10


def test_package_lives_beside_the_readme_section() -> None:
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    assert "## deployments" in readme and "deployments_compile.py" in readme
    assert Path(PACKAGE / "datapackage.json").is_file()
