"""Reader for DemocracyOS's `IMPLEMENTATIONS.md` (DemocracyOS/democracyos; frozen since 2020).

Entries are pairs of lines: `**Organisation** - **Place, Country**` then `[DemocracyOS implementation](url)`.
The place is stated by the source, so the country comes from it (method `source`).
"""

from __future__ import annotations

import re

import pycountry
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "DemocracyOS/democracyos"
PATH = "IMPLEMENTATIONS.md"
SOURCE_ID = "dep-democracyos-implementations"

_HEADER = re.compile(r"^\*\*(?P<organisation>[^*]+)\*\*\s*-\s*\*\*(?P<place>[^*]+)\*\*\s*$")
_LINK = re.compile(r"\[DemocracyOS implementation\]\((?P<url>[^)]+)\)")

# Organisation -> organisation_type; the file itself only names them.
_TYPES: dict[str, str] = {
    "Partido de la Red": "political_party",
    "Asamblea Partido de la Red": "political_party",
    "Partido de la Red Colombia": "political_party",
    "Círculo I+D Podemos": "political_party",
    "Municipio de Bahía Blanca": "municipality",
    "Cámara Municipal de São Paulo": "parliament",  # the city council (legislature) of São Paulo
    "Barcelona en Comú": "political_party",
    "Réforme du collège": "national_government",  # consultation on the French national school reform
}


def _country(place: str, locator: str) -> tuple[str, str]:
    """(ISO code, region) from "City, Country" or "Country"."""
    parts = [part.strip() for part in place.split(",")]
    try:
        country = pycountry.countries.lookup(parts[-1]).alpha_2
    except LookupError as error:
        raise ValueError(f"{locator}: place: unknown country {parts[-1]!r}") from error
    return country, ", ".join(parts[:-1])


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """One candidate row per implementation entry."""
    rows: list[Deployment] = []
    pending: tuple[str, str, int] | None = None
    for number, line in enumerate(snapshot.read_text(PATH).splitlines(), start=1):
        header = _HEADER.match(line.strip())
        if header:
            pending = (header["organisation"].strip(), header["place"].strip(), number)
            continue
        link = _LINK.search(line)
        if link and pending:
            organisation, place, header_line = pending
            locator = f"{PATH}:{header_line}"
            country, region = _country(place, locator)
            rows.append(
                Deployment(
                    tool_id="democracyos",
                    organisation=organisation,
                    organisation_type=_TYPES.get(organisation, "other"),
                    organisation_type_method="manual",
                    url=link["url"].strip(),
                    country=country,
                    country_method="source",
                    region=region,
                    source_url=f"{snapshot.permalink(PATH)}#L{header_line}",
                    source_commit=snapshot.commit,
                    source_id=SOURCE_ID,
                    locator=locator,
                )
            )
            pending = None
    return rows


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="DemocracyOS IMPLEMENTATIONS.md",
        url=snapshot.permalink(PATH),
        publisher="DemocracyOS (Democracia en Red)",
        kind="list",
        source_commit=snapshot.commit,
        licence="GPL-3.0 (repository LICENSE file)",
        notes="Organisation, place and instance URL per entry. The repository has been inactive since 2020: "
        "most instances are probably gone (historical deployments).",
    )
