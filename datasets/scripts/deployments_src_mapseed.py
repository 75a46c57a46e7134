"""Reader for Mapseed's flavors (mapseed/platform `src/flavors/<flavor>/config.json`).

A flavor is the configuration of one community map built on the platform (Mapseed's own hosted service and
its partners): its `app.name` is the map's name, and the map's starting centre (`map` options: `center`
lat/lng or `mapViewport` latitude/longitude) places it, so the country is reverse-geocoded at compile time
(method `coordinates`). The demo flavors are not deployments. The repository gives no public address per map.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "mapseed/platform"
FOLDER = "src/flavors"
SOURCE_ID = "dep-mapseed-flavors"

_NOT_DEPLOYMENTS: dict[str, str] = {
    "defaultflavor": "the platform's default demo",
    "firewise-demo": "demo",
    "pbdemo": "demo copy of pbdurham",
    "transportation-demo": "demo",
}
_GETTEXT = re.compile(r"^_\((?P<text>.*)\)$")
# Words of the map's name that say who runs it (first match wins), else `other`.
_TYPES: tuple[tuple[str, str], ...] = (
    (r"\bcounty\b|voluntary stewardship program", "region"),  # Washington State's VSP is run by counties
    (r"participatory budgeting", "municipality"),
    (r"community garden|conservation|neighborhood|greenways", "ngo"),
)


def _points(node: Any) -> Iterator[tuple[float, float]]:
    """(latitude, longitude) pairs found in a config subtree, in document order."""
    if isinstance(node, dict):
        for lat_key, lng_key in (("latitude", "longitude"), ("lat", "lng")):
            if isinstance(node.get(lat_key), int | float) and isinstance(node.get(lng_key), int | float):
                yield float(node[lat_key]), float(node[lng_key])
        for value in node.values():
            yield from _points(value)
    elif isinstance(node, list):
        for value in node:
            yield from _points(value)


def _organisation_type(name: str) -> str:
    for pattern, org_type in _TYPES:
        if re.search(pattern, name, re.IGNORECASE):
            return org_type
    return "other"


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """One row per flavor that is a community map (demos left out)."""
    rows: list[Deployment] = []
    for flavor in snapshot.list_dir(FOLDER):
        if flavor in _NOT_DEPLOYMENTS or "." in flavor:
            continue
        path = f"{FOLDER}/{flavor}/config.json"
        config = json.loads(snapshot.read_text(path))
        app = config.get("app") or {}
        raw_name = str(app.get("name") or app.get("title") or "").strip()
        name = " ".join((_GETTEXT.match(raw_name)["text"] if _GETTEXT.match(raw_name) else raw_name).split())
        if not name:
            raise ValueError(f"{path}: app.name: missing")
        point = next(_points(config.get("map") or {}), None)
        if point is None:
            raise ValueError(f"{path}: map: no centre (lat/lng or mapViewport) to place the map")
        rows.append(Deployment(
            tool_id="mapseed",
            organisation=name,
            organisation_type=_organisation_type(name),
            organisation_type_method="name",
            latitude=point[0],
            longitude=point[1],
            source_url=snapshot.permalink(path),
            source_commit=snapshot.commit,
            source_id=SOURCE_ID,
            locator=path,
        ))
    return rows


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="Mapseed flavors (src/flavors/*/config.json)",
        url=f"https://github.com/{REPO}/tree/{snapshot.commit}/{FOLDER}",
        publisher="Mapseed (platform repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="GPL-3.0 (repository LICENSE.txt)",
        notes="One flavor = one community map; name from app.name, country reverse-geocoded from the map's "
        "starting centre. Demo flavors are left out. Maps are projects run with partners (counties, "
        "participatory-budgeting programmes, community groups); no public URL is given per map.",
    )
