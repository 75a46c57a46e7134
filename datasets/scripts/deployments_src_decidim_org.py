"""Reader for the decidim.org website's installation files (`data/installations/*.yml`, one file per installation).

Each file has `title`, `url`, `type` (city|region|university|org) and, for most, `location`: a GeoJSON point
string in lon/lat order. No country is stated: it is derived later from the point, else the domain, else the name.
"""

from __future__ import annotations

import json
import re

import yaml
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "decidim/decidim.org"
FOLDER = "data/installations"
SOURCE_ID = "dep-decidim-org-installations"

_TYPE_MAP: dict[str, str] = {"city": "municipality", "region": "region", "university": "university"}

# For `type: org` the list says nothing more: judge from words in the name (first match wins), else `other`.
_ORG_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"parlament|parliament|parlement|congreso|senado|assembl[ée]e nationale", "parliament"),
    (r"universi|\bcollege\b|hochschule|scuola universitaria", "university"),
    (r"\bcoop\b|cooperativ|coop[eè]rative|\bscc?l\b|\bsom (energia|enèrgia|connexio|mobilitat)\b", "cooperative"),
    (r"partido|partit\b|partei|\bparty\b|en com[úu]\b|podemos|ecologistes|g[ée]n[ée]ration|terres de gauche",
     "political_party"),
    (r"ministry|minist[èe]re|ministerio|secretar[íi]a|government of|gouvernement|governo|cour des? comptes|"
     r"commission nationale|conseil [ée]conomique, social|funzione pubblica", "national_government"),
    (r"diputaci[óo]|generalitat|provincia|provincie|cabildo|consell comarcal|\bregi[óo]n\b|d[ée]partement",
     "region"),
    (r"ajuntament|ayuntamiento|concello|mairie|ville de|city of|\bstadt\b|gemeinde|comune|municipal", "municipality"),
    (r"fundaci[óo]|foundation|fondation|stiftung|associa[çc]i|asociaci|association|verein|\bong\b|\bngo\b|"
     r"greenpeace|collective|observatori|lafede|xarxa|red de|federaci|escolt|scout|ateneu|\bclub\b", "ngo"),
)


# Files whose point is a namesake town in another country (the domain and title agree on the real one):
# the point is dropped so the country comes from the domain. Found by the compiler's disagreement report.
_WRONG_POINTS: dict[str, str] = {
    "mérida.yml": "point is Mérida, Spain; site is decide.merida.gob.mx (Mérida, Mexico)",
    "rio-grande.yml": "point is Rio Grande, Brazil; site is participa.riogrande.gob.ar (Río Grande, Argentina)",
    "salo.yml": "point is Salò, Italy; site is osallistu.salo.fi (Salo, Finland)",
    "san-nicolás.yml": "point is San Nicolás, Argentina; site is decidimos.sanicolas.gob.mx (Mexico)",
    "savall.yml": "point is in Liguria, Italy; site is participa311-savall.diba.cat (Sant Llorenç Savall, Spain)",
}

# Country set by curation (method manual): files with no point and no country-code domain whose country is
# clear from the organisation, and points the nearest-town lookup gets wrong (coordinates are kept).
_CURATED_COUNTRIES: dict[str, tuple[str, str]] = {
    "institut-de-drets-humans-de-catalunya.yml": ("ES", "Catalonia in the name"),
    "ins-camí-de-mar.yml": ("ES", "INS = Catalan public secondary school (Institut), demo by a Catalan firm"),
    "institut-bosc-de-montjuïc.yml": ("ES", "school on Montjuïc, Barcelona"),
    "observatori-desc.yml": ("ES", "Barcelona NGO (Catalan name)"),
    "opcions-cooperativa.yml": ("ES", "Catalan cooperative"),
    "som-mobilitat.yml": ("ES", "Catalan cooperative"),
    "som-connexio.yml": ("ES", "Catalan cooperative"),
    "som-enèrgia.yml": ("ES", "Catalan cooperative"),
    "sostre-cívic.yml": ("ES", "Catalan housing cooperative"),
    "metadecidim.yml": ("ES", "run by the Decidim association, Barcelona"),
    "hamamatsu.yml": ("JP", "Hamamatsu is a Japanese city"),
    "tours.yml": ("FR", "Montpellier in the name (Nous Sommes Montpellier)"),
    "the-peoples-budget-seattle.yml": ("US", "Seattle in the name"),
    "rome-collaboratory-act.yml": ("IT", "point in Rome next to the Vatican: the nearest-town lookup says VA"),
}


# Types set by curation (method manual) where the file's `type` and the name's words are both wrong or silent.
_CURATED_TYPES: dict[str, tuple[str, str]] = {
    "de-kamber-belgium.yml": ("parliament", "Belgian Chamber of Representatives (dekamer.mijnopinie.belgium.be)"),
    "bélgica.yml": ("national_government", "Belgian federal participation platform monopinion.belgium.be (BOSA)"),
    "spf-stratégie-et-appui-bosa.yml": ("national_government", "Belgian federal public service BOSA"),
    "brasil-participativo.yml": ("national_government", "platform of the Presidency of Brazil (presidencia.gov.br)"),
    "loiret.yml": ("region", "Loiret is a French département (atelierdevosidees.loiret.fr is the département's)"),
    "code-for-japan.yml": ("ngo", "Code for Japan is a civic-tech association"),
    "innovation-yokohama.yml": ("other", "an innovation programme, not a municipality"),
    "shinshu.yml": ("other", "Shinshu Good talk, a dialogue project, not a municipality"),
    "bergueda.yml": ("region", "the Berguedà is a comarca (county), not a town (found in the self-check sample)"),
    "decidim-switzerland.yml": ("other", "Decidim Switzerland, a national community platform, not a region "
                                         "(found in the self-check sample)"),
}
# Files whose URL is a page about an installation listed elsewhere: the id is built from the installation's
# address so the two entries merge (reported by the compiler as a duplicate).
_SAME_INSTALLATION: dict[str, tuple[str, str]] = {
    "spf-stratégie-et-appui-bosa.yml": ("https://monopinion.belgium.be/",
                                        "BOSA's service page describes monopinion.belgium.be, listed as 'Bélgica'"),
}


def organisation_type(yml_type: str, title: str, url: str) -> str:
    """Our organisation_type from the file's `type`, with a name heuristic for `org`."""
    if yml_type in _TYPE_MAP:
        return _TYPE_MAP[yml_type]
    text = title.lower()
    for pattern, org_type in _ORG_KEYWORDS:
        if re.search(pattern, text):
            return org_type
    if ".coop" in url.lower():
        return "cooperative"
    return "other"


def _point(location: object, locator: str) -> tuple[float | None, float | None]:
    """(latitude, longitude) from the GeoJSON point string; (None, None) when absent."""
    if not location:
        return None, None
    try:
        geometry = json.loads(location) if isinstance(location, str) else location
        longitude, latitude = (float(value) for value in geometry["coordinates"])
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{locator}: location: not a GeoJSON point ({error})") from error
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"{locator}: location: point out of range ({longitude}, {latitude})")
    return latitude, longitude


def entry_row(name: str, text: str, commit: str, permalink: str, source_id: str) -> Deployment:
    """The candidate row of one installation file's text (as read at `commit`)."""
    path = f"{FOLDER}/{name}"
    entry = yaml.safe_load(text) or {}
    title = " ".join(str(entry.get("title", "")).split())
    url = str(entry.get("url") or "").strip()
    if not title:
        raise ValueError(f"{path}: title: missing")
    latitude, longitude = (None, None) if name in _WRONG_POINTS else _point(entry.get("location"), path)
    country, method = "", ""
    if name in _CURATED_COUNTRIES:
        country, method = _CURATED_COUNTRIES[name][0], "manual"
    yml_type = str(entry.get("type", ""))
    org_type, type_method = organisation_type(yml_type, title, url), "source" if yml_type in _TYPE_MAP else "name"
    if name in _CURATED_TYPES:
        org_type, type_method = _CURATED_TYPES[name][0], "manual"
    return Deployment(
        tool_id="decidim",
        organisation=title,
        organisation_type=org_type,
        organisation_type_method=type_method,
        url=url,
        identity_url=_SAME_INSTALLATION.get(name, ("", ""))[0],
        country=country,
        country_method=method,
        latitude=latitude,
        longitude=longitude,
        source_url=permalink,
        source_commit=commit,
        source_id=source_id,
        # a page about another entry's installation never wins over that entry
        preference=(0, 0) if name in _SAME_INSTALLATION else (latitude is not None, int(entry.get("priority") or 0)),
        locator=path,
    )


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """Every installation file of the snapshot, as a candidate row."""
    return [entry_row(name, snapshot.read_text(f"{FOLDER}/{name}"), snapshot.commit,
                      snapshot.permalink(f"{FOLDER}/{name}"), SOURCE_ID)
            for name in snapshot.list_dir(FOLDER) if name.endswith((".yml", ".yaml"))]


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="decidim.org installation files (data/installations/*.yml)",
        url=f"https://github.com/{REPO}/tree/{snapshot.commit}/{FOLDER}",
        publisher="Decidim Free Software Association (decidim.org website repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="AGPL-3.0 (repository LICENSE file)",
        notes="One YAML file per installation; no country field (derived from the GeoJSON point, else domain, "
        "else name). Entries linked through web.archive.org are kept as listed (the project itself points at an "
        "archived copy, so the site is probably gone). Five points that sit on a namesake town abroad are "
        "dropped (domain used instead). Decidim's publiccode.yml usedBy repeats these titles "
        "and is not used as a separate source.",
    )
