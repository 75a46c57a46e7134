"""Reader for the "Current DemocracyOS deployments" section of DemocracyOS's README (and its earlier versions).

Each item is "* [Title](url): description". The section changed over the years (an item's address moved, items
were dropped), so every version of the README is read: items of the pinned version are `current` as the README
says, items only earlier versions list are `past`, each read at the newest version listing it. Organisation,
type and country per item are curated from the item's own description (quoted beside each); an item the curation
does not know is refused. Entries also in IMPLEMENTATIONS.md merge with that reader's rows by address.
"""

from __future__ import annotations

import re

from deployments_geo import canonical_url, slug
from deployments_history import NotThisListYet, with_past_entries
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "DemocracyOS/democracyos"
PATH = "README.md"
SOURCE_ID = "dep-democracyos-readme"

_SECTION = re.compile(r"^## Current (?:DemocracyOS )?deployments\s*$")
_ITEM = re.compile(r"^\* \[(?P<title>[^\]]+)\]\((?P<url>https?://[^)]+)\)")
# canonical address -> (organisation, type, country, address used for the row) — from the item's description
_SITES: dict[str, tuple[str, str, str, str]] = {
    "dos.partidodelared.org": ("Partido de la Red", "political_party", "AR", "http://dos.partidodelared.org"),
    "euvoto.org": ("Cámara Municipal de São Paulo", "parliament", "BR", "http://euvoto.org"),  # "city of Sao Paulo"
    "evoks.hu": ("EVoks", "other", "HU", "http://evoks.hu"),  # "Hungarian project by Atlatszo.hu"
    "participa.confluenciacodietic.cat": ("Barcelona en Comú (participa)", "political_party", "ES",
                                          "http://participa.confluenciacodietic.cat/"),
    "nadeemmazen.democracyos.com": ("Cambridge City Councillor (Nadeem Mazen)", "other", "US",
                                    "http://nadeemmazen.democracyos.com/"),  # "Cambridge City's Councillor"
    "demos.legislatura.gov.ar": ("Legislatura de la Ciudad de Buenos Aires (DEMOS)", "parliament", "AR",
                                 "http://demos.legislatura.gov.ar"),  # "Buenos Aires City Congress"
    "politica.datos.gob.mx": ("Gobierno de México (Datos Abiertos)", "national_government", "MX",
                              "http://politica.datos.gob.mx"),  # "Mexican government's official deployment"
    "datos.gob.mx": ("Gobierno de México (Datos Abiertos)", "national_government", "MX",
                     "http://politica.datos.gob.mx"),
    "pjlr.democracyos.eu": ("DemocracyOS France (Loi Renseignement)", "ngo", "FR", "http://pjlr.democracyos.eu/"),
    "nuestraleytelecom.mx": ("Nuestra ley Telecom", "ngo", "MX", "http://nuestraleytelecom.mx/"),
    "debatics.pami.org.ar": ("PAMI", "national_government", "AR", "http://debatics.pami.org.ar/"),  # national agency
    "crm.paris.fr/2016": ("Ville de Paris", "municipality", "FR", "https://crm.paris.fr/2016/"),
    "ukrainianchoice.herokuapp.com": ("DemocracyOS Ukraine (Ukrainian Choice)", "ngo", "UA",
                                      "http://ukrainianchoice.herokuapp.com/"),
    "ukrainianchoice.herokuapp.com/law/557ba8ca29e8180300c88c48": (
        "DemocracyOS Ukraine (Ukrainian Choice)", "ngo", "UA", "http://ukrainianchoice.herokuapp.com/"),
    "democracia.vaimudar.org": ("VaiMudarNaCopa", "ngo", "BR", "http://democracia.vaimudar.org/"),
    "vaimudar.org/democracia": ("VaiMudarNaCopa", "ngo", "BR", "http://democracia.vaimudar.org/"),
    "vot-it.org": ("Vot-it", "other", "", "http://vot-it.org/"),
}


def read_version(snapshot: GitSnapshot) -> list[Deployment]:
    """The items of the deployments section of one version of the README."""
    lines = snapshot.read_text(PATH).splitlines()
    start = next((index for index, line in enumerate(lines) if _SECTION.match(line)), None)
    if start is None:
        raise NotThisListYet(f"{PATH}: no 'Current deployments' section")
    rows: dict[str, Deployment] = {}
    for number in range(start + 1, len(lines)):
        if lines[number].startswith("## "):
            break
        item = _ITEM.match(lines[number])
        if not item:
            continue
        key = canonical_url(item["url"])
        if key not in _SITES:
            raise ValueError(f"{PATH}:{number + 1}: {item['url']} has no curated organisation; add it to _SITES")
        organisation, org_type, country, url = _SITES[key]
        rows.setdefault(organisation, Deployment(
            tool_id="democracyos", organisation=organisation, organisation_type=org_type,
            organisation_type_method="manual", url=url, country=country,
            country_method="manual" if country else "", source_url=f"{snapshot.permalink(PATH)}#L{number + 1}",
            source_commit=snapshot.commit, source_id=SOURCE_ID, source_status="current",
            locator=f"{PATH}@{snapshot.commit[:7]}:{number + 1}",
        ))
    return list(rows.values())


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """The section now, then items only earlier versions list (source_status past)."""
    return with_past_entries(snapshot, PATH, read_version, key=lambda row: slug(row.organisation))


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="DemocracyOS README: Current DemocracyOS deployments (all versions)",
        url=snapshot.permalink(PATH),
        publisher="DemocracyOS (Democracia en Red)",
        kind="list",
        source_commit=snapshot.commit,
        licence="GPL-3.0 (repository LICENSE file)",
        notes="Items of the pinned README's section are 'current' as the README says (the repository has been "
        "inactive since 2020); items only earlier versions list are past. Organisation, type and country "
        "curated from each item's description.",
    )
