"""Row types shared by the deployment source readers and the compiler.

Readers return `Deployment` candidates with what their list states; the compiler fills in the derived country,
de-duplicates and writes the CSV in the column order fixed by the package schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEPLOYMENT_COLUMNS: tuple[str, ...] = (
    "deployment_id", "tool_id", "organisation", "organisation_type", "country", "country_method", "region",
    "url", "started_year", "latitude", "longitude", "source_url", "source_commit", "checked_on", "origin",
    "first_seen", "last_seen", "removed_on", "organisation_type_method", "url_kind", "source_status",
)

SOURCE_COLUMNS: tuple[str, ...] = (
    "source_id", "title", "url", "publisher", "kind", "source_commit", "licence", "notes", "checked_on",
)

ORGANISATION_TYPES: tuple[str, ...] = (
    "municipality", "region", "national_government", "university", "ngo", "company", "parliament",
    "political_party", "cooperative", "other",
)

COUNTRY_METHODS: tuple[str, ...] = ("source", "coordinates", "domain", "name", "manual")

# How organisation_type was obtained: stated by the `source` list, judged from words in the organisation `name`
# (the reader's keywords or the level vocabulary of observatory/deployment_rules.py), or `manual` curation.
ORGANISATION_TYPE_METHODS: tuple[str, ...] = ("source", "name", "manual")

CLAIM_COLUMNS: tuple[str, ...] = (
    "tool_id", "claimed_count", "claim_text", "claim_scope", "source_url", "source_commit", "claimed_on",
    "checked_on",
)
CLAIM_SCOPES: tuple[str, ...] = ("installations", "organisations", "deployments", "countries", "elections")


@dataclass
class Deployment:
    """One installation as a source lists it; country fields may be filled by the source or derived later."""

    tool_id: str
    organisation: str
    organisation_type: str
    source_url: str
    source_commit: str
    source_id: str
    url: str = ""
    country: str = ""
    country_method: str = ""
    region: str = ""
    latitude: float | None = None
    longitude: float | None = None
    started_year: int | None = None
    organisation_type_method: str = "source"
    # Set by a reader that knows better than the URL's shape (e.g. a service page); else derived at compile time.
    url_kind: str = ""
    # Other deployment ids naming the same installation in other lists (e.g. a Consul GitHub fork): merged.
    # "past" when the list itself says the deployment ended (retired module, "no longer running"); "current"
    # when it presents it as running; empty when it says neither.
    source_status: str = ""
    # False when the URL's country-code domain is used as a generic name (pol.is): no country from the domain.
    country_from_domain: bool = True
    aliases: tuple[str, ...] = ()
    # The URL the id is built from when the listed URL is not the installation's own (e.g. a page about it).
    identity_url: str = ""
    # Ordering key among duplicates of one canonical URL: the higher wins (e.g. an entry with coordinates).
    preference: tuple[int, ...] = field(default_factory=tuple)
    # File name or line the entry came from, for error messages and curated overrides.
    locator: str = ""


@dataclass(frozen=True)
class SourceInfo:
    """One row of sources.csv: where a list of deployments is published and at which commit it was read."""

    source_id: str
    title: str
    url: str
    publisher: str
    kind: str
    source_commit: str
    licence: str
    notes: str
