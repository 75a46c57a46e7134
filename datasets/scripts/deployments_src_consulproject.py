"""Reader for the CONSUL project dashboard seeds (consuldemocracy/consulproject `db/seeds.rb`).

Each `Installation.create(name: ..., repo: ...)` names an installation and its GitHub fork. The fork URL
is the only address given, so it is the row's `url` (and identity). A country named in the entry
("Paris - France") is used with method `name`; the others are Spanish public bodies identified by curation
(method `manual`, reason beside each entry below).
"""

from __future__ import annotations

import re

from deployments_geo import country_from_name
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "consuldemocracy/consulproject"
PATH = "db/seeds.rb"
SOURCE_ID = "dep-consulproject-seeds"

_ENTRY = re.compile(r'Installation\.create\(\s*name:\s*"(?P<name>[^"]+)",\s*repo:\s*"(?P<repo>[^"]+)"\s*\)', re.S)

# name -> (organisation_type, curated country or "" when the name states it, why).
_CURATED: dict[str, tuple[str, str, str]] = {
    "Madrid": ("municipality", "ES", "fork owner AyuntamientoMadrid (City Council of Madrid)"),
    "A Coruña": ("municipality", "ES", "fork owner ConcelloCoruna (City Council of A Coruña)"),
    "Cabildo Gran Canaria": ("region", "ES", "island council of Gran Canaria, Canary Islands"),
    "Getafe": ("municipality", "ES", "fork owner AyuntamientoGetafe"),
    "Paris - France": ("municipality", "", "country in the name"),
    "Medialab Prado": ("other", "ES", "Madrid city cultural centre Medialab-Prado"),
    "Universidad Complutense de Madrid": ("university", "ES", "university in Madrid"),
    "Alcalade de Henares": ("municipality", "ES", "fork owner AyuntamientoAlcaladeHenares"),
    "Aviles": ("municipality", "ES", "fork owner AyuntamientoAviles"),
    "Buenos Aires - Argentina": ("municipality", "", "country in the name"),
    "Cadiz": ("municipality", "ES", "fork owner AyuntamientoCadiz"),
    "Castello": ("municipality", "ES", "fork owner AjuntamentdeCastello"),
    "Diputacion de Valencia": ("region", "ES", "provincial council of Valencia (fork owner GO-DIVAL)"),
    "Jalisco -  Mexico": ("region", "", "country in the name"),
    "La Libertad - Peru": ("region", "", "country in the name"),
    "Las Palmas de Gran Canaria": ("municipality", "ES", "city in the Canary Islands"),
    "Montevideo - Uruguay": ("municipality", "", "country in the name"),
    "Fundación Ciudadano Inteligente - Chile": ("ngo", "", "country in the name"),
    "Puerto Real": ("municipality", "ES", "fork owner AyuntamientoPuertoReal"),
    "San Sebastian de los Reyes": ("municipality", "ES", "fork owner aytossreyes (Ayuntamiento)"),
    "Toledo": ("municipality", "ES", "fork owner AyuntamientoToledo"),
    "Piedmont - Italy": ("region", "", "country in the name"),
    "Torre Pacheco": ("municipality", "ES", "fork owner AyuntamientoTorre-Pacheco"),
    "Zamora": ("municipality", "ES", "Spanish city (personal fork; listed by the project as an installation)"),
}


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """One candidate row per seeded installation."""
    text = snapshot.read_text(PATH)
    rows: list[Deployment] = []
    for match in _ENTRY.finditer(text):
        name = match["name"].strip()
        line = _line_of(text, match.start())
        locator = f"{PATH}:{line}"
        if name not in _CURATED:
            raise ValueError(f"{locator}: name: {name!r} has no curated type/country; add it to _CURATED")
        org_type, curated_country, _why = _CURATED[name]
        country = curated_country or country_from_name(name)
        if not country:
            raise ValueError(f"{locator}: name: no country in {name!r}")
        rows.append(
            Deployment(
                tool_id="consul-democracy",
                organisation=" ".join(name.split()),
                organisation_type=org_type,
                organisation_type_method="manual",
                url=match["repo"].strip(),
                country=country,
                country_method="manual" if curated_country else "name",
                source_url=f"{snapshot.permalink(PATH)}#L{line}",
                source_commit=snapshot.commit,
                source_id=SOURCE_ID,
                locator=locator,
            )
        )
    return rows


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="CONSUL project dashboard seeds (db/seeds.rb)",
        url=snapshot.permalink(PATH),
        publisher="Consul Democracy Foundation (consulproject repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="AGPL-3.0 (repository LICENSE-AGPLv3.txt)",
        notes="Installation name + GitHub fork URL (the url column holds the fork, not the public site). "
        "List dates from 2018-2022. Countries: from the name when it states one, else curated (Spanish public "
        "bodies, mostly identified by the fork owner).",
    )
