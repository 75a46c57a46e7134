"""The `observatory-deployments` Data Package descriptor (Frictionless v2), built from the compiled sources.

Kept in code so that the schema, the column order of the writer and the `sources` list cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from deployments_model import (
    CLAIM_COLUMNS,
    CLAIM_SCOPES,
    COUNTRY_METHODS,
    DEPLOYMENT_COLUMNS,
    ORGANISATION_TYPE_METHODS,
    ORGANISATION_TYPES,
    SOURCE_COLUMNS,
    SourceInfo,
)

from observatory.deployment_rules import URL_KINDS

# Ids of the catalogue package's tools that deployments may use (the x-foreignKeys check covers the rest).
TOOL_IDS: tuple[str, ...] = (
    "decidim", "consul-democracy", "go-vocal", "democracyos", "openstad", "adhocracy-plus", "loomio",
    "discourse", "ushahidi", "cap-collectif", "polis", "your-priorities", "liquidfeedback", "openslides",
    "belenios", "fixmystreet", "meinberlin", "mapseed", "e-petitions", "rahvaalgatus", "talk-to-the-city",
    "openspending", "agora-voting", "sovereign", "citizenos", "dipas", "helios", "zeus", "all-our-ideas",
    "cobudget", "democracylab", "antragsgruen", "consider-it", "vocdoni", "shareabouts", "mark-a-spot",
    "go-vocal-commercial", "engagementhq", "airesis", "madison",
)

_DATE = {"type": "date", "format": "default"}


def _deployment_fields() -> list[dict[str, Any]]:
    fields: dict[str, dict[str, Any]] = {
        "deployment_id": {"type": "string", "constraints": {"required": True, "unique": True,
                                                             "pattern": r"[a-z0-9-]+:\S+"},
                          "description": "`<tool_id>:<canonical host+path>` (lower-case, no scheme, no `www.`, "
                                         "archive wrapper removed) or `<tool_id>:<slug of organisation>` when "
                                         "the source gives no URL."},
        "tool_id": {"type": "string", "constraints": {"required": True, "enum": list(TOOL_IDS)},
                    "description": "Tool id of the `catalogue` package (`tools` resource)."},
        "organisation": {"type": "string", "constraints": {"required": True},
                         "description": "Organisation as the source names it (whitespace normalised)."},
        "organisation_type": {"type": "string", "constraints": {"required": True, "enum": list(ORGANISATION_TYPES)},
                              "description": "From the source's type where it has one, else judged from the "
                                             "name (see datasets/README.md)."},
        "country": {"type": "string", "constraints": {"pattern": "[A-Z]{2}"},
                    "description": "ISO 3166-1 alpha-2; empty for international organisations with no "
                                   "derivable country."},
        "country_method": {"type": "string", "constraints": {"enum": list(COUNTRY_METHODS)},
                           "description": "How the country was obtained: stated by the `source`, reverse-geocoded "
                                          "from the source's `coordinates`, from the URL's `domain`, from a "
                                          "country in the organisation `name`, or `manual` curation."},
        "region": {"type": "string", "description": "First-level region (GeoNames admin1 for coordinates) or "
                                                    "the place stated by the source."},
        "url": {"type": "string", "description": "Address as the source gives it: instance URL, an archived "
                                                 "copy (web.archive.org) when the project links one, or the GitHub "
                                                 "fork for sources that list only forks."},
        "started_year": {"type": "integer", "description": "Only when the source states it."},
        "latitude": {"type": "number", "constraints": {"minimum": -90, "maximum": 90},
                     "description": "WGS84, from the source."},
        "longitude": {"type": "number", "constraints": {"minimum": -180, "maximum": 180},
                      "description": "WGS84, from the source."},
        "source_url": {"type": "string", "format": "uri", "constraints": {"required": True},
                       "description": "Permalink to the file (and line) at the pinned commit."},
        "source_commit": {"type": "string", "constraints": {"required": True, "pattern": "[0-9a-f]{40}"}},
        "checked_on": {**_DATE, "constraints": {"required": True}},
        "origin": {"type": "string", "constraints": {"required": True, "enum": ["dataset"]}},
        "first_seen": {**_DATE, "description": "Filled by collectors, empty in the curated dataset."},
        "last_seen": {**_DATE, "description": "Filled by collectors, empty in the curated dataset."},
        "removed_on": {**_DATE, "description": "Filled by collectors, empty in the curated dataset."},
        "organisation_type_method": {"type": "string", "constraints": {"required": True,
                                                                       "enum": list(ORGANISATION_TYPE_METHODS)},
                                     "description": "How organisation_type was obtained: stated by the `source`, "
                                                    "judged from words in the organisation `name` (reader keywords "
                                                    "or the level vocabulary), or `manual` curation."},
        "url_kind": {"type": "string", "constraints": {"required": True, "enum": list(URL_KINDS)},
                     "description": "What `url` points at: the running `installation`, an `archived_copy`, the "
                                    "source `repository` (fork), a `proposal_page` or `article` about it (not an "
                                    "installation), or `none`. See datasets/README.md."},
        "source_status": {"type": "string", "constraints": {"enum": ["current", "past"]},
                          "description": "`past` when the list itself says the deployment has ended (a retired "
                                         "module, a 'no longer running' section), `current` when it presents it "
                                         "as running; empty when it says neither."},
    }
    return [{"name": name, **fields[name]} for name in DEPLOYMENT_COLUMNS]


def _source_fields() -> list[dict[str, Any]]:
    fields: dict[str, dict[str, Any]] = {
        "source_id": {"type": "string", "constraints": {"required": True, "unique": True, "pattern": "dep-[a-z0-9-]+"}},
        "title": {"type": "string", "constraints": {"required": True}},
        "url": {"type": "string", "format": "uri", "constraints": {"required": True}},
        "publisher": {"type": "string"},
        "kind": {"type": "string", "constraints": {"enum": ["list", "gazetteer", "page"]}},
        "source_commit": {"type": "string", "description": "Commit SHA, or package version for a gazetteer."},
        "licence": {"type": "string"},
        "notes": {"type": "string"},
        "checked_on": {**_DATE, "constraints": {"required": True}},
    }
    return [{"name": name, **fields[name]} for name in SOURCE_COLUMNS]


def _claim_fields() -> list[dict[str, Any]]:
    fields: dict[str, dict[str, Any]] = {
        "tool_id": {"type": "string", "constraints": {"required": True, "enum": list(TOOL_IDS)}},
        "claimed_count": {"type": "integer", "constraints": {"required": True, "minimum": 0},
                          "description": "The number the project or vendor states (a lower bound for '250+')."},
        "claim_text": {"type": "string", "constraints": {"required": True},
                       "description": "The claim as worded by its source (short quotation)."},
        "claim_scope": {"type": "string", "constraints": {"required": True, "enum": list(CLAIM_SCOPES)},
                        "description": "What is counted: installations, organisations, deployments (maps, "
                                       "sites), countries or elections."},
        "source_url": {"type": "string", "format": "uri", "constraints": {"required": True},
                       "description": "Permalink to the file at a pinned commit, or the page that states it."},
        "source_commit": {"type": "string", "constraints": {"pattern": "[0-9a-f]{40}"},
                          "description": "Commit read, when the claim is in a repository."},
        "claimed_on": {**_DATE, "description": "Date the claim was made (commit or publication date)."},
        "checked_on": {**_DATE, "constraints": {"required": True}},
    }
    return [{"name": name, **fields[name]} for name in CLAIM_COLUMNS]


def descriptor(sources: list[SourceInfo], checked_on: str) -> dict[str, Any]:
    """Whole datapackage.json content."""
    csv_resource = {"type": "table", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8"}
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "observatory-deployments",
        "title": "Deployments of open-source citizen-participation tools",
        "description": "Who runs which participation tool, where: compiled from the lists the projects publish "
                       "themselves, each row with a permalink to the file at a pinned commit. Compiled by "
                       "`datasets/scripts/deployments_compile.py`; see datasets/README.md.",
        "version": "1.0.0",
        "created": f"{checked_on}T00:00:00Z",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0 (our compilation)"}],
        "sources": [{"title": source.title, "path": source.url, "version": source.source_commit}
                    for source in sources],
        "keywords": ["civic tech", "participation", "deployments", "decidim", "consul", "openstad"],
        "resources": [
            {
                "name": "deployments",
                "path": "deployments.csv",
                **csv_resource,
                "schema": {
                    "fields": _deployment_fields(),
                    "primaryKey": ["deployment_id"],
                    "missingValues": [""],
                    "x-foreignKeys": [{"fields": "tool_id",
                                       "reference": {"package": "../catalogue", "resource": "tools",
                                                     "fields": "tool_id"}}],
                },
            },
            {
                "name": "deployment_claims",
                "path": "deployment_claims.csv",
                "description": "What each project or vendor says about its own reach, next to which the listed "
                               "deployments must be read: listed rows are what can be traced, not market share.",
                **csv_resource,
                "schema": {
                    "fields": _claim_fields(),
                    "primaryKey": ["tool_id", "claim_scope", "source_url"],
                    "missingValues": [""],
                    "x-foreignKeys": [{"fields": "tool_id",
                                       "reference": {"package": "../catalogue", "resource": "tools",
                                                     "fields": "tool_id"}}],
                },
            },
            {
                "name": "sources",
                "path": "sources.csv",
                **csv_resource,
                "schema": {"fields": _source_fields(), "primaryKey": ["source_id"], "missingValues": [""]},
            },
        ],
    }
