"""Reader for FixMyStreet cobrand modules removed from the code base (mysociety/fixmystreet history).

A cobrand module is deleted when its site is retired, so the deleted modules are past deployments: each is
read at the last commit that still has it (the row's `source_commit`), with its class chain at that commit,
exactly as `deployments_src_fixmystreet` reads the current ones. Integration modules and framework classes are
left out by the same rules.
"""

from __future__ import annotations

from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot
from deployments_src_fixmystreet import FOLDER, cobrand_row, is_integration_module

REPO = "mysociety/fixmystreet"
SOURCE_ID = "dep-fixmystreet-retired-cobrands"

# Modules that name no council: organisation as the site named itself in the module or its templates.
_NAMES: dict[str, str] = {
    "ArreglaMiBarrio": "Arregla Mi Barrio (Observatorio Ciudadano Municipal de Alcantarilla)",
    "BellaVistaEnAccion": "Bellavista en Acción (Ciudad Viva)",
    "EmptyHomes": "Empty Homes Agency",
    "FixMindelo": "FixMindelo",
    "FixMyBarangay": "FixMyBarangay",
    "MakeMyIsland": "MakeMyIsland",
    "ZeroTB": "ZeroTB (Article 25)",
}
_TYPES: dict[str, str] = {
    "ArreglaMiBarrio": "ngo", "BellaVistaEnAccion": "ngo", "EmptyHomes": "ngo", "FixMindelo": "other",
    "FixMyBarangay": "other", "MakeMyIsland": "other", "ZeroTB": "ngo", "SeeSomething": "other",
}
# Country where the class chain states none (method manual): docs/sites.md places it in Alcantarilla, Spain.
_COUNTRIES: dict[str, str] = {"ArreglaMiBarrio": "ES"}
_FRAMEWORK = frozenset({"Base", "Default", "UK", "UKCouncils", "Whitelabel"})


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """One row per deleted cobrand module that was an organisation's site."""
    rows: list[Deployment] = []
    for path, commit, _deleted_on in snapshot.deleted_files(FOLDER):
        module = path.rsplit("/", 1)[1].removesuffix(".pm")
        if not path.endswith(".pm") or path.count("/") != FOLDER.count("/") + 1 or module in _FRAMEWORK:
            continue
        texts = {name[:-3]: snapshot.read_text_at(commit, f"{FOLDER}/{name}")
                 for name in _list_at(snapshot, commit) if name.endswith(".pm")}
        if module not in _NAMES and is_integration_module(texts[module]):
            continue
        row = cobrand_row(module, texts, snapshot.permalink_at(commit, path), commit, SOURCE_ID,
                          _NAMES, _TYPES, _COUNTRIES)
        row.source_status = "past"
        rows.append(row)
    return rows


def _list_at(snapshot: GitSnapshot, commit: str) -> list[str]:
    return snapshot.list_dir_at(commit, FOLDER)


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="FixMyStreet cobrand modules removed from perllib/FixMyStreet/Cobrand (git history)",
        url=f"https://github.com/{REPO}/commits/{snapshot.commit}/{FOLDER}",
        publisher="mySociety (fixmystreet repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="AGPL-3.0-or-later (repository LICENSE.txt)",
        notes="Past deployments: every cobrand module deleted before the pinned commit, read at the last commit "
        "that has it (each row's source_commit). Integration modules (UK-derived, naming no council) are left "
        "out.",
    )
