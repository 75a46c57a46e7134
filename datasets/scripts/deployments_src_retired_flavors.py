"""Readers for map "flavors" removed from the Shareabouts and Mapseed repositories (their git history).

Both platforms keep the configuration of each community map they run in `src/flavors/<flavor>/config.yml`
(`app.name`, the map's centre). A flavor folder removed from the repository is a past deployment: it is read at
the last commit that has its config (the row's `source_commit`), placed by its map centre (compile-time reverse
geocoding, method `coordinates`), with `source_status = past`. Demos and default flavors are not deployments;
a flavor still present under another config file name is not removed. Mapseed's repository continues
Shareabouts' history, so it only counts flavors removed after `since` (the maps Shareabouts removed in 2013 are
that repository's rows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot
from deployments_src_mapseed import _points

FOLDER = "src/flavors"
_TYPES: tuple[tuple[str, str], ...] = ((r"survey|community|neighbo|park|trail|green", "ngo"),)
_PLACEHOLDER = re.compile(r"^(?:demo\b|shareabouts$|mapseed\b)", re.IGNORECASE)


@dataclass(frozen=True)
class RetiredFlavors:
    """The removed flavors of one repository."""

    REPO: str
    tool_id: str
    source_id: str
    publisher: str
    licence: str
    not_deployments: dict[str, str] = field(default_factory=dict)
    since: str = ""  # ISO date: only flavors removed on or after it

    def read(self, snapshot: GitSnapshot) -> list[Deployment]:
        present = set(snapshot.list_dir(FOLDER)) if snapshot.has_path(snapshot.commit, FOLDER) else set()
        rows = []
        for path, commit, deleted_on in snapshot.deleted_files(FOLDER, renames=False):
            parts = path.split("/")
            flavor = parts[2] if len(parts) == 4 else ""
            if (parts[-1] != "config.yml" or not flavor or flavor in present or flavor in self.not_deployments
                    or deleted_on < self.since):
                continue
            config = yaml.safe_load(snapshot.read_text_at(commit, path)) or {}
            name = " ".join(str((config.get("app") or {}).get("name") or "").split())
            point = next(_points(config.get("map") or {}), None)
            if not name or point is None:
                raise ValueError(f"{path}@{commit[:7]}: app.name or map centre missing")
            if _PLACEHOLDER.match(name):  # a demo or the platform's own default map, whatever the folder's name
                continue
            org_type = next((t for pattern, t in _TYPES if re.search(pattern, name, re.IGNORECASE)), "other")
            rows.append(Deployment(
                tool_id=self.tool_id, organisation=name, organisation_type=org_type,
                organisation_type_method="name", latitude=point[0], longitude=point[1],
                source_url=snapshot.permalink_at(commit, path), source_commit=commit, source_id=self.source_id,
                source_status="past", locator=f"{path}@{commit[:7]}",
            ))
        return rows

    def describe(self, snapshot: GitSnapshot) -> SourceInfo:
        return SourceInfo(
            source_id=self.source_id,
            title=f"{self.REPO}: flavors removed from {FOLDER} (git history)",
            url=f"https://github.com/{self.REPO}/commits/{snapshot.commit}/{FOLDER}",
            publisher=self.publisher,
            kind="list",
            source_commit=snapshot.commit,
            licence=self.licence,
            notes="Community maps whose configuration was removed from the repository, each read at the last "
            "commit with its config (row source_commit); country from the map centre; demos left out; "
            f"source_status past.{f' Only flavors removed since {self.since}.' if self.since else ''}",
        )


READERS: dict[str, RetiredFlavors] = {
    "shareabouts-flavors": RetiredFlavors(
        "openplans/shareabouts", "shareabouts", "dep-shareabouts-retired-flavors", "OpenPlans (shareabouts repository)",
        "GPL-3.0 (repository LICENSE)",
        {"defaultflavor": "the default demo", "default": "the default demo", "language_demo": "demo",
         "overlays": "'Shareabouts Overlays Demo'", "sistercities": "its description calls it a demonstration"}),
    "mapseed-retired-flavors": RetiredFlavors(
        "mapseed/platform", "mapseed", "dep-mapseed-retired-flavors", "Mapseed (platform repository)",
        "GPL-3.0 (repository LICENSE.txt)",
        {"defaultflavor": "the default demo", "demo1": "demo", "demo2": "demo"}, since="2014-01-01"),
}
