"""Reader for the references of the OpenSlides website (OpenSlides/openslides.com `src/app/reference.service.ts`).

The page lists, by category, organisations that ran their assemblies with OpenSlides (name, events, logo). As
for Polis, a row is an organisation using the tool (mostly on the vendor's hosting), not a server. Current
references are read at the pinned commit (`source_status = current`); references the page has dropped are read
at the newest commit that still lists them (`past`). The type comes from the list's category (method `source`)
except where the name says otherwise (curated, `manual`). The country comes from a place or legal form in the
name ("Deutscher", "Sachsen", "(Österreich)", "e.V.": method `name`) or, for national parties and unions whose
name gives none, from curation (`manual`, reason beside each); the others stay empty.
"""

from __future__ import annotations

import re

from deployments_geo import country_from_name
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "OpenSlides/openslides.com"
PATH = "src/app/reference.service.ts"
SOURCE_ID = "dep-openslides-references"

_CATEGORY = re.compile(r"^\s*name: _\('(?P<name>[^']+)'\)")
_REFERENCE = re.compile(r"^\s*name: '(?P<name>[^']+)'")
_CATEGORY_TYPES: dict[str, str] = {
    "Gewerkschaften": "ngo", "Parteien": "political_party", "Gesundheitswesen": "other",
    "Jugendverbände": "ngo", "Kirchen": "other", "Sozialverbände": "ngo", "Sportverbände": "ngo",
    "Hochschulbereich": "university", "Weitere Verbände, Vereine und Organisationen": "ngo",
}
_TYPES: dict[str, str] = {
    "Volleyball Bundesliga GmbH": "company", "Marchfelder Bank eG": "cooperative",
    "Meda-Prax Verwaltungs- und Immobiliengesellschaft mbH": "company", "Gemeinde Neu Wulmstorf": "municipality",
    "Deutsches Studentenwerk": "ngo",
    "Stipendiatinnen und Stipendiaten des Cusanuswerks": "ngo",
    "Evangelische StudentInnengemeinde in der Bundesrepublik Deutschland (ESG)": "other",
}
# Words of a name that place the organisation (German Länder and cities, German adjectives, legal form).
_PLACE_WORDS: dict[str, str] = {
    "deutscher": "DE", "deutsche": "DE", "deutsches": "DE", "deutschlands": "DE", "deutsch-französische": "DE",
    "sächsische": "DE", "sachsens": "DE", "hessen": "DE", "saarland": "DE", "saarlandes": "DE", "saarbrücken": "DE",
    "brandenburg": "DE", "niedersachsen": "DE", "rheinland-pfalz": "DE", "bayern": "DE", "baden-württemberg": "DE",
    "hamburger": "DE", "oldenburg": "DE", "norddeutschland": "DE", "heidelberg": "DE", "krefeld-viersen": "DE",
    "lippische": "DE", "nordhrein": "DE", "wulmstorf": "DE", "e.v.": "DE", "e.v": "DE", "dt.": "DE",
    "wien": "AT", "spö": "AT",
}
# National parties and unions whose name gives no place (method manual).
_COUNTRIES: dict[str, tuple[str, str]] = {
    "BÜNDNIS 90/DIE GRÜNEN": ("DE", "German federal party"), "SPD": ("DE", "German federal party"),
    "FDP": ("DE", "German federal party"), "DIE LINKE.": ("DE", "German federal party"),
    "CDU": ("DE", "German federal party"), "SPÖ": ("AT", "Austrian federal party"),
    "Grüne Jugend": ("DE", "youth wing of the German Greens"), "Jusos": ("DE", "youth wing of the SPD"),
    "Junge Liberale": ("DE", "youth wing of the FDP"), "Linksjugend": ("DE", "youth wing of DIE LINKE"),
    "ver.di": ("DE", "German service-sector union (DGB)"),
    "Industriegewerkschaft Bauen Agrar Umwelt (IG BAU)": ("DE", "German union (DGB)"),
    "Gewerkschaft der Polizei (GdP)": ("DE", "German union (DGB)"),
    "Gewerkschaft Nahrung Genuss Gaststätten (NGG)": ("DE", "German union (DGB)"),
    "Gewerkschaft Erziehung und Wissenschaft (GEW)": ("DE", "German union (DGB)"),
    "Industriegewerkschaft Bergbau, Chemie, Energie (IG BCE)": ("DE", "German union (DGB)"),
    "Eisenbahn- und Verkehrsgewerkschaft (EVG)": ("DE", "German union (DGB)"),
    "dbb beamtenbund und tarifunion": ("DE", "German civil servants' federation"),
    "Marburger Bund": ("DE", "German doctors' union"),
    "DGB Jugend": ("DE", "youth of the German trade union confederation"),
    "ver.di Jugend": ("DE", "youth of the German union ver.di"),
    "Bundesverband WindEndergie": ("DE", "German wind-energy federation (Bundesverband)"),
    "Democratic Socialists of America (DSA)": ("US", "'of America' in the name"),
}


def _country(name: str) -> tuple[str, str]:
    """(country, method) from the name's words, else curation, else nothing."""
    if found := country_from_name(name):
        return found, "name"
    words = re.findall(r"[\w.-]+", name.lower())
    for word in words:
        if word in _PLACE_WORDS:
            return _PLACE_WORDS[word], "name"
    if name in _COUNTRIES:
        return _COUNTRIES[name][0], "manual"
    return "", ""


def _references(text: str) -> list[tuple[str, str, int]]:
    """(category, name, line) of every reference in one version of the file."""
    found, category = [], ""
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _CATEGORY.match(line):
            category = match["name"]
        elif (match := _REFERENCE.match(line)) and category:
            found.append((category, match["name"], number))
    return found


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """Current references, then those only earlier versions list (each at the newest version listing it)."""
    seen: dict[str, Deployment] = {}
    versions = snapshot.commits_touching(PATH)  # newest first
    for index, commit in enumerate([snapshot.commit, *versions[1:]]):  # the pinned text, then earlier versions
        status = "current" if index == 0 else "past"
        for category, name, line in _references(snapshot.read_text_at(commit, PATH)):
            if name in seen or any(known.startswith(f"{name} (") for known in seen):
                continue  # listed again, or renamed with its abbreviation added ("... Umwelt" -> "... Umwelt (IG BAU)")
            if category not in _CATEGORY_TYPES:
                raise ValueError(f"{PATH}@{commit[:7]}:{line}: category {category!r} has no organisation type")
            country, method = _country(name)
            seen[name] = Deployment(
                tool_id="openslides", organisation=name,
                organisation_type=_TYPES.get(name, _CATEGORY_TYPES[category]),
                organisation_type_method="manual" if name in _TYPES else "source",
                country=country, country_method=method,
                source_url=f"{snapshot.permalink_at(commit, PATH)}#L{line}", source_commit=commit,
                source_id=SOURCE_ID, source_status=status, locator=f"{PATH}@{commit[:7]}:{line}",
            )
    return list(seen.values())


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="OpenSlides website references (src/app/reference.service.ts)",
        url=snapshot.permalink(PATH),
        publisher="OpenSlides (openslides.com website repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="MIT (repository LICENSE)",
        notes="Organisations that ran assemblies with OpenSlides (users of the tool, mostly on the vendor's "
        "hosting; not servers). References dropped from the page are read at the newest version listing them "
        "(source_status past). Type from the page's category; country from the name or, for national parties "
        "and unions, curated.",
    )
