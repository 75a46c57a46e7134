"""Reader for OpenStad's `publiccode.yml` `usedBy` list (openstad/openstad-headless).

The list gives organisation names only (no URL, no place). Dutch public bodies are recognised by the
legal prefix of their name ("Gemeente", "Provincie", "Werkorganisatie"); the few other names get the
Netherlands by curation, because the same file declares `intendedAudience.countries: [nl]`.
"""

from __future__ import annotations

import yaml
from deployments_geo import slug
from deployments_history import with_past_entries
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "openstad/openstad-headless"
PATH = "publiccode.yml"
SOURCE_ID = "dep-openstad-publiccode"

# Dutch name prefix -> (organisation_type, whether the rest of the name is the region).
_DUTCH_PREFIXES: dict[str, tuple[str, bool]] = {
    "gemeente ": ("municipality", False),
    "werkorganisatie ": ("municipality", False),  # shared administration of neighbouring municipalities
    "provincie ": ("region", True),
    "stichting ": ("ngo", False),  # "stichting" is the Dutch legal form of a foundation
}


def _classify(name: str) -> tuple[str, str, str]:
    """(organisation_type, country_method, region) for one usedBy name."""
    lowered = name.lower()
    for prefix, (org_type, names_region) in _DUTCH_PREFIXES.items():
        if lowered.startswith(prefix):
            return org_type, "name", name[len(prefix):] if names_region else ""
    return "other", "manual", ""


def read_version(snapshot: GitSnapshot) -> list[Deployment]:
    """One candidate row per usedBy name of one version of the file."""
    document = yaml.safe_load(snapshot.read_text(PATH)) or {}
    names = document.get("usedBy") or []
    if not isinstance(names, list):
        raise ValueError(f"{PATH}: usedBy: expected a list, got {type(names).__name__}")
    audience = [str(code).upper() for code in (document.get("intendedAudience") or {}).get("countries") or []]
    if audience != ["NL"]:
        raise ValueError(f"{PATH}: intendedAudience.countries: expected [nl] for the curated country, got {audience}")
    rows: list[Deployment] = []
    for position, raw_name in enumerate(names, start=1):
        name = " ".join(str(raw_name).split())
        org_type, method, region = _classify(name)
        rows.append(
            Deployment(
                tool_id="openstad",
                organisation=name,
                organisation_type=org_type,
                organisation_type_method="name" if method == "name" else "manual",
                country="NL",
                country_method=method,
                region=region,
                source_url=snapshot.permalink(PATH),
                source_commit=snapshot.commit,
                source_id=SOURCE_ID,
                locator=f"{PATH}: usedBy[{position}] {slug(name)}",
            )
        )
    return rows


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """The current usedBy names, then names earlier versions listed (source_status past)."""
    return with_past_entries(snapshot, PATH, read_version)


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="OpenStad publiccode.yml usedBy",
        url=snapshot.permalink(PATH),
        publisher="OpenStad (openstad-headless repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="MIT (repository LICENSE.md)",
        notes="Names only, no URLs. Country NL from the Dutch legal prefix of the name (Gemeente, Provincie, "
        "Werkorganisatie, Stichting); the other names are set to NL by curation since the file's "
        "intendedAudience.countries is [nl].",
    )
