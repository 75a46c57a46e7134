"""A tiny, hand-written copy of the datasets/ layout for core tests (independent of the shipped data)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

CHECKED = "2026-11-20"
SRC = "https://example.org/source"


def _field(name: str, type_: str = "string", **constraints: object) -> dict:
    out: dict = {"name": name, "type": type_}
    if constraints:
        out["constraints"] = constraints
    return out


CATALOGUE: dict[str, tuple[list[dict], list[dict], str | list[str]]] = {
    "licences": (
        [_field("spdx_id", required=True), _field("name", required=True),
         _field("family", enum=["permissive", "weak_copyleft", "strong_copyleft", "network_copyleft",
                                "source_available", "proprietary"], required=True),
         _field("osi_approved", "boolean"), _field("network_clause", "boolean"),
         _field("obligations_en"), _field("obligations_fr"), _field("source_url", "string", required=True),
         _field("checked_on", "date", required=True)],
        [
            {"spdx_id": "AGPL-3.0-only", "name": "GNU Affero GPL v3 only", "family": "network_copyleft",
             "osi_approved": "true", "network_clause": "true", "obligations_en": "Publish changes to users over a network.",
             "obligations_fr": "Publier les modifications aux utilisateurs en réseau.", "source_url": SRC, "checked_on": CHECKED},
            {"spdx_id": "MIT", "name": "MIT License", "family": "permissive", "osi_approved": "true",
             "network_clause": "false", "obligations_en": "Keep the notice.", "obligations_fr": "Garder la notice.",
             "source_url": SRC, "checked_on": CHECKED},
        ],
        "spdx_id",
    ),
    "tools": (
        [_field("tool_id", required=True), _field("name", required=True), _field("homepage"), _field("repo_url"),
         _field("licence_spdx", required=True), _field("licence_evidence_url"), _field("first_release_year", "integer"),
         _field("origin_country"), _field("maintainer"), _field("status"), _field("programming_language"),
         _field("description_en"), _field("description_fr"), _field("source_url", required=True),
         _field("source_commit"), _field("checked_on", "date", required=True)],
        [
            {"tool_id": "alpha", "name": "Alpha", "homepage": "https://alpha.example", "repo_url": "https://git.example/alpha",
             "licence_spdx": "AGPL-3.0-only", "licence_evidence_url": SRC, "first_release_year": "2016",
             "origin_country": "ES", "maintainer": "Alpha Association", "status": "active", "programming_language": "Ruby",
             "description_en": "A platform", "description_fr": "Une plateforme", "source_url": SRC, "source_commit": "abc123",
             "checked_on": CHECKED},
            {"tool_id": "beta", "name": "Beta", "homepage": "https://beta.example", "repo_url": "",
             "licence_spdx": "MIT", "licence_evidence_url": SRC, "first_release_year": "2019",
             "origin_country": "FR", "maintainer": "Beta SAS", "status": "active", "programming_language": "Python",
             "description_en": "Another", "description_fr": "Une autre", "source_url": SRC, "source_commit": "",
             "checked_on": CHECKED},
        ],
        "tool_id",
    ),
    "features": (
        [_field("feature_id", required=True), _field("category"), _field("label_en", required=True),
         _field("label_fr", required=True), _field("definition_en", required=True), _field("definition_fr", required=True),
         _field("source_url"), _field("checked_on", "date")],
        [{"feature_id": "proposals", "category": "ideation", "label_en": "Proposals", "label_fr": "Propositions",
          "definition_en": "Citizens submit proposals.", "definition_fr": "Les habitants déposent des propositions.",
          "source_url": SRC, "checked_on": CHECKED}],
        "feature_id",
    ),
    "tool_features": (
        [_field("tool_id", required=True), _field("feature_id", required=True),
         _field("evidence_level", enum=["self_declared", "code", "third_party"], required=True),
         _field("source_url", required=True), _field("source_commit"), _field("note"),
         _field("checked_on", "date", required=True)],
        [{"tool_id": "alpha", "feature_id": "proposals", "evidence_level": "code", "source_url": SRC,
          "source_commit": "abc123", "note": "", "checked_on": CHECKED}],
        ["tool_id", "feature_id"],
    ),
    "licence_events": (
        [_field("tool_id", required=True), _field("date", "date", required=True), _field("from_spdx"),
         _field("to_spdx", required=True), _field("evidence_url", required=True), _field("note"),
         _field("source_url", required=True), _field("checked_on", "date", required=True)],
        [{"tool_id": "beta", "date": "2020-01-01", "from_spdx": "AGPL-3.0-only", "to_spdx": "MIT",
          "evidence_url": SRC, "note": "relicensed", "source_url": SRC, "checked_on": CHECKED}],
        ["tool_id", "date"],
    ),
    "sources": (
        [_field("source_id", required=True), _field("title", required=True), _field("url", required=True),
         _field("publisher"), _field("kind"), _field("source_commit"), _field("licence"), _field("notes"),
         _field("checked_on", "date", required=True)],
        [{"source_id": "cat-1", "title": "Alpha repo", "url": SRC, "publisher": "Alpha", "kind": "repository",
          "source_commit": "abc123", "licence": "", "notes": "", "checked_on": CHECKED}],
        "source_id",
    ),
}

DEPLOYMENT_FIELDS = [
    _field("deployment_id", required=True), _field("tool_id", required=True), _field("organisation", required=True),
    _field("organisation_type"), _field("country"), _field("country_method"), _field("region"), _field("url"),
    _field("started_year", "integer"), _field("latitude", "number"), _field("longitude", "number"),
    _field("source_url", required=True), _field("source_commit"), _field("checked_on", "date", required=True),
    _field("origin"), _field("first_seen", "date"), _field("last_seen", "date"), _field("removed_on", "date"),
]


def deployment(i: int, tool: str = "alpha", country: str = "FR") -> dict:
    return {"deployment_id": f"{tool}:city{i}.example", "tool_id": tool, "organisation": f"City {i}",
            "organisation_type": "municipality", "country": country, "country_method": "source", "region": "",
            "url": f"https://city{i}.example", "started_year": "2018", "latitude": "48.85", "longitude": "2.35",
            "source_url": SRC, "source_commit": "def456", "checked_on": CHECKED, "origin": "dataset",
            "first_seen": "", "last_seen": "", "removed_on": ""}


def _write_csv(path: Path, fields: list[dict], rows: list[dict]) -> None:
    names = [f["name"] for f in fields]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=names)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in names})


def write_datasets(root: Path) -> Path:
    """Write ``root/datasets/{catalogue,deployments}`` and return the datasets folder."""
    datasets = root / "datasets"
    cat = datasets / "catalogue"
    cat.mkdir(parents=True)
    resources = []
    for name, (fields, rows, pk) in CATALOGUE.items():
        _write_csv(cat / f"{name}.csv", fields, rows)
        schema: dict = {"fields": fields, "primaryKey": pk}
        if name == "tool_features":
            schema["foreignKeys"] = [
                {"fields": "tool_id", "reference": {"resource": "tools", "fields": "tool_id"}},
                {"fields": "feature_id", "reference": {"resource": "features", "fields": "feature_id"}},
            ]
        resources.append({"name": name, "path": f"{name}.csv", "type": "table", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "schema": schema})
    (cat / "datapackage.json").write_text(json.dumps(
        {"name": "test-catalogue", "title": "Test catalogue", "licenses": [{"name": "CC-BY-4.0"}],
         "sources": [{"title": "hand-written", "path": SRC}], "resources": resources}, indent=1))
    dep = datasets / "deployments"
    dep.mkdir()
    _write_csv(dep / "deployments.csv", DEPLOYMENT_FIELDS, [deployment(i) for i in range(3)])
    (dep / "datapackage.json").write_text(json.dumps(
        {"name": "test-deployments", "licenses": [{"name": "CC-BY-4.0"}], "resources": [
            {"name": "deployments", "path": "deployments.csv", "type": "table", "format": "csv",
             "schema": {"fields": DEPLOYMENT_FIELDS, "primaryKey": "deployment_id",
                        "x-foreignKeys": [{"fields": "tool_id", "reference": {
                            "package": "../catalogue", "resource": "tools", "fields": "tool_id"}}]}}]}, indent=1))
    return datasets


def edit_csv(path: Path, row_index: int, field: str, value: str) -> None:
    """Set one cell (row_index 0 = first data row) of a CSV written by this module."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        names = list(reader.fieldnames or [])
        rows = list(reader)
    rows[row_index][field] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
