"""Reader for Shareabouts flavors removed from the repository (openplans/shareabouts history).

Until 2013 the Shareabouts repository kept the configuration of the maps OpenPlans built with its partners
(`src/flavors/<flavor>/config.yml`: `app.name`, `map.options.center`). The folders were then removed; each
flavor is read at the last commit that has its config (the row's `source_commit`), placed by its map centre
(compile-time reverse geocoding, method `coordinates`), with `source_status = past`. Demos and the default
flavor are not deployments. The repository gives no public address per map.
"""

from __future__ import annotations

import re

import yaml
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot
from deployments_src_mapseed import _points

REPO = "openplans/shareabouts"
FOLDER = "src/flavors"
SOURCE_ID = "dep-shareabouts-retired-flavors"

_NOT_DEPLOYMENTS: dict[str, str] = {
    "defaultflavor": "the default demo", "default": "the default demo", "language_demo": "demo",
    "overlays": "'Shareabouts Overlays Demo'", "sistercities": "its description calls it a demonstration",
}
_TYPES: tuple[tuple[str, str], ...] = ((r"survey|community|neighbo", "ngo"),)


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """One row per removed flavor that was a partner's map."""
    rows = []
    for path, commit, _deleted_on in snapshot.deleted_files(FOLDER):
        parts = path.split("/")
        if len(parts) != 4 or parts[3] != "config.yml" or parts[2] in _NOT_DEPLOYMENTS:
            continue
        config = yaml.safe_load(snapshot.read_text_at(commit, path)) or {}
        name = " ".join(str((config.get("app") or {}).get("name") or "").split())
        point = next(_points(config.get("map") or {}), None)
        if not name or point is None:
            raise ValueError(f"{path}@{commit[:7]}: app.name or map centre missing")
        org_type = next((t for pattern, t in _TYPES if re.search(pattern, name, re.IGNORECASE)), "other")
        rows.append(Deployment(
            tool_id="shareabouts", organisation=name, organisation_type=org_type, organisation_type_method="name",
            latitude=point[0], longitude=point[1], source_url=snapshot.permalink_at(commit, path),
            source_commit=commit, source_id=SOURCE_ID, source_status="past", locator=f"{path}@{commit[:7]}",
        ))
    return rows


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="Shareabouts flavors removed from src/flavors (git history)",
        url=f"https://github.com/{REPO}/commits/{snapshot.commit}/{FOLDER}",
        publisher="OpenPlans (shareabouts repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="GPL-3.0 (repository LICENSE)",
        notes="Maps OpenPlans configured for partners until 2013, read at the last commit with each config "
        "(row source_commit); country from the map centre; demos left out; source_status past.",
    )
