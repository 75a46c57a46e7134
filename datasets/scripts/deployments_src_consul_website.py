"""Reader for the Consul Democracy website's lists of organisations (consuldemocracy/website).

Two lists, both published by the project on consuldemocracy.org:

* `_data/organizations.json`: the community map data of 2018-2019 (name, point, optional `consul_website`,
  `country`, `source` fork). The file never reached the default branch: it lives on the pull-request refs of the
  website repository (contributors' map of installations, superseded by the uMap map now embedded), so it is read
  at the newest commit that has it (the row's `source_commit`) and the source notes say which refs hold it. A
  historical, contributor-curated list: many of these sites may be gone.
* `_includes/organizations.html` at HEAD: the current "examples of organizations using CONSUL DEMOCRACY"
  (link + label key, the label "City, Country" coming from `_data/i18n/en.yml`).

Countries: the entry's `country` (method `source`), else the point (compile-time reverse geocoding). Entries
that name a GitHub fork are the same installation as the consulproject seeds row with that fork (`aliases`).
"""

from __future__ import annotations

import json
import re

import yaml
from deployments_geo import canonical_url
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "consuldemocracy/website"
MAP_PATH = "_data/organizations.json"
EXAMPLES_PATH = "_includes/organizations.html"
LABELS_PATH = "_data/i18n/en.yml"
SOURCE_ID = "dep-consul-website-organizations"

# Map entries whose consulproject seeds row names only the GitHub fork (same installation, merged).
_SEED_FORKS: dict[str, str] = {
    "Cabildo de Gran Canaria": "https://github.com/aplicacionesCabildoGranCanaria/consul",
    "Ayuntamiento de San Sebastián de los Reyes": "https://github.com/aytossreyes/consul",
    "Alcalá de Henares": "https://github.com/AyuntamientoAlcaladeHenares/consul",
    "Avilés": "https://github.com/AyuntamientoAviles/consul",
    "Ayuntamiento de Cádiz": "https://github.com/AyuntamientoCadiz/consul",
    "Ayuntamiento de Getafe": "https://github.com/AyuntamientoGetafe/consul",
    "Ayuntamiento de Puerto Real": "https://github.com/AyuntamientoPuertoReal/decidepuertoreal",
    "Ayuntamiento de Toledo": "https://github.com/AyuntamientoToledo/consul",
    "Torre-Pacheco": "https://github.com/AyuntamientoTorre-Pacheco/consul",
    "Diputación de Valencia": "https://github.com/GO-DIVAL/consul-dival",
    "Montevideo": "https://github.com/IntendenciaMontevideo/consul",
    "Buenos Aires": "https://github.com/maanuvazquez/consul",
    "Jalisco": "https://github.com/webjalisco/consul",
    "Universidad Complutense de Madrid": "https://github.com/UCMproject/consul",
    "Las Palmas de Gran Canaria": "https://github.com/usabi/consulLPA",
}

# Organisation types the name does not say (the others are judged from the name below).
_TYPES: dict[str, str] = {
    "París (RIVP)": "company",  # Régie Immobilière de la Ville de Paris, the city's housing company
    "Jalisco": "region", "Nariño": "region", "La Libertad": "region", "Pernambuco": "region",
    "Catamarca": "region", "Mendoza": "municipality", "Córdoba": "municipality", "Tell Your MP": "ngo",
    "Gobierno de Argentina": "national_government", "Gobierno de Colombia": "national_government",
    "República Oriental del Uruguay": "national_government", "Uruguay": "national_government",
    "IES Aixerrota BHI Getxo": "other",  # a secondary school
    "Consell de Mallorca": "region",  # island council
    "West-Lothian Council, Scotland": "municipality",
}
_NAME_TYPES: tuple[tuple[str, str], ...] = (
    (r"universi", "university"),
    (r"diputaci[óo]n|cabildo|departamento|consell de", "region"),
    (r"ayuntamiento|ajuntament|municipio|ciudad|belediyesi|council", "municipality"),
)
_EXAMPLE = re.compile(r'<a href="(?P<url>[^"]+)"[^>]*organizations\.(?P<key>\w+) \}\}')


def _organisation_type(name: str) -> tuple[str, str]:
    """(type, method): curated, else words of the name, else a plain place name = the city's council."""
    if name in _TYPES:
        return _TYPES[name], "manual"
    for pattern, org_type in _NAME_TYPES:
        if re.search(pattern, name, re.IGNORECASE):
            return org_type, "name"
    return "municipality", "manual"  # the map names cities by their name alone ("Móstoles", "Quito")


def read_map(snapshot: GitSnapshot) -> list[Deployment]:
    """The community map at the newest commit with the file, then entries only earlier versions hold (past)."""
    newest = snapshot.last_commit_with(MAP_PATH)
    rows = _map_version(snapshot, newest)
    seen = {_base_name(row.organisation) for row in rows}
    for commit in snapshot.commits_touching(MAP_PATH, all_refs=True):
        if commit == newest or not snapshot.has_path(commit, MAP_PATH):
            continue
        for row in _map_version(snapshot, commit):
            if _base_name(row.organisation) not in seen:
                seen.add(_base_name(row.organisation))
                row.source_status, row.preference = "past", (0,)
                rows.append(row)
    return rows


def _base_name(organisation: str) -> str:
    """The map's name without the country suffix added to tell namesakes apart."""
    return re.sub(r" \([A-Z]{2}\)$", "", organisation)


def _map_version(snapshot: GitSnapshot, commit: str) -> list[Deployment]:
    """The entries of one version of organizations.json."""
    text = snapshot.read_text_at(commit, MAP_PATH)
    entries = json.loads(text)
    names = [" ".join(str(entry["name"]).split()) for entry in entries]
    rows = []
    offset = 0
    for entry, name in zip(entries, names, strict=True):
        offset = text.find(json.dumps(entry["name"], ensure_ascii=False), offset)
        locator = f"{MAP_PATH}@{commit[:7]}:{text[:offset].count(chr(10)) + 1}"
        offset += 1
        if names.count(name) > 1 and entry.get("country"):  # two "Córdoba" (Argentina, Spain): the country
            name = f"{name} ({str(entry['country']).upper()})"
        org_type, type_method = _organisation_type(name)
        country = str(entry.get("country") or "").upper()
        aliases = [entry.get("source") or "", _SEED_FORKS.get(name, "")]
        rows.append(Deployment(
            tool_id="consul-democracy",
            organisation=name,
            organisation_type=org_type,
            organisation_type_method=type_method,
            url=str(entry.get("consul_website") or "").strip(),
            country=country,
            country_method="source" if country else "",
            latitude=float(entry["latitude"]),
            longitude=float(entry["longitude"]),
            source_url=f"{snapshot.permalink_at(commit, MAP_PATH)}#L{locator.rsplit(':', 1)[1]}",
            source_commit=commit,
            source_id=SOURCE_ID,
            aliases=tuple(f"consul-democracy:{canonical_url(a)}" for a in aliases if a),
            preference=(1,),
            locator=locator,
        ))
    return rows


def read_examples(snapshot: GitSnapshot) -> list[Deployment]:
    """The current examples on the home page: URL and "City, Country" label."""
    html = snapshot.read_text(EXAMPLES_PATH)
    labels = (yaml.safe_load(snapshot.read_text(LABELS_PATH)) or {}).get("organizations", {})
    rows = []
    for match in _EXAMPLE.finditer(html):
        label = str(labels.get(match["key"], ""))
        if not label:
            raise ValueError(f"{LABELS_PATH}: organizations.{match['key']}: no label for {match['url']}")
        place = re.sub(r"\s*\(.*\)$", "", label)  # "Hrpelje-Kozina, Slovenia (small scale example)"
        parts = [part.strip() for part in place.split(",")]
        line = html[: match.start()].count("\n") + 1
        org_type, type_method = _organisation_type(label if label in _TYPES else place)
        rows.append(Deployment(
            tool_id="consul-democracy",
            organisation=parts[0],
            organisation_type=org_type,
            organisation_type_method=type_method,
            url=match["url"],
            country=_country_named(parts[-1]),
            country_method="source",
            region=parts[0] if len(parts) > 1 else "",
            source_url=f"{snapshot.permalink(EXAMPLES_PATH)}#L{line}",
            source_commit=snapshot.commit,
            source_id=SOURCE_ID,
            preference=(2,),
            locator=f"{EXAMPLES_PATH}:{line}",
        ))
    return rows


def _country_named(name: str) -> str:
    import pycountry

    aliases = {"Scotland": "GB", "Turkey": "TR"}
    if name in aliases:
        return aliases[name]
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError as error:
        raise ValueError(f"{LABELS_PATH}: unknown country {name!r}") from error


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """Both lists; an installation on both is merged by the compiler (the current example wins)."""
    return read_examples(snapshot) + read_map(snapshot)


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    commit = snapshot.last_commit_with(MAP_PATH)
    refs = ", ".join(ref.removeprefix("refs/") for ref in snapshot.refs_containing(commit)) or "no ref"
    return SourceInfo(
        source_id=SOURCE_ID,
        title="Consul Democracy website: community map (organizations.json) and current examples",
        url=f"https://github.com/{REPO}/tree/{snapshot.commit}",
        publisher="Consul Democracy Foundation (website repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="AGPL-3.0 (repository LICENSE file)",
        notes=f"Current examples: {EXAMPLES_PATH} at {snapshot.commit[:7]} (default branch). Community map data: "
        f"{MAP_PATH} read at {commit} (newest commit with the file; on {refs}; never merged into the default "
        "branch, the site now embeds a uMap map whose data is not in the repository): those rows carry that "
        "commit. Entries with a GitHub fork merge with the consulproject seeds row.",
    )
