"""Reader for FixMyStreet's cobrand modules (mysociety/fixmystreet `perllib/FixMyStreet/Cobrand/*.pm`).

Each cobrand is the customisation of one organisation's FixMyStreet site (mostly UK councils on
FixMyStreet Pro, plus the Norwegian, Swedish and Zurich sites). The organisation is the module's
`council_name`; the country is the `country` the module or one of its parent classes returns
(method `source`). Framework classes and the fictional demo council are not deployments, and neither is an
integration module: a class deriving straight from `UK` that names no council (e.g. `EastSussex`: extra data for
reports sent from fixmystreet.com to the council's back end, not a site of the council). Modules still in the
code base may belong to contracts that have ended; modules removed from it are read by
`deployments_src_fixmystreet_retired`.
"""

from __future__ import annotations

import re

from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "mysociety/fixmystreet"
FOLDER = "perllib/FixMyStreet/Cobrand"
SOURCE_ID = "dep-fixmystreet-cobrands"

# Framework classes the cobrands inherit from, and the fictional council used for demos.
_NOT_DEPLOYMENTS: dict[str, str] = {
    "Base": "framework", "Default": "framework", "UK": "framework", "UKCouncils": "framework",
    "Whitelabel": "framework", "Borsetshire": "fictional demo council",
}
# Modules without a council_name: organisation named after the site the module describes.
_NAMES: dict[str, str] = {
    "FixMyStreet": "FixMyStreet (mySociety)",
    "CyclingUK": "Cycling UK",
    "FiksGataMi": "FiksGataMi",
    "FixaMinGata": "FixaMinGata",
    "Zurich": "Zurich",
}
# Curated organisation types where the name alone does not say it.
_TYPES: dict[str, str] = {
    "FixMyStreet": "ngo", "CyclingUK": "ngo", "FiksGataMi": "ngo", "FixaMinGata": "other",
    "Zurich": "municipality", "HighwaysEngland": "national_government", "TfL": "region",
    "IsleOfWight": "company", "Hounslow": "company", "Northamptonshire": "other",
    "NottinghamshirePolice": "other", "Thamesmead": "other",
}
# Country where no class in the inheritance chain states one (method manual).
_COUNTRIES: dict[str, str] = {"Zurich": "CH"}

_PARENT = re.compile(r"^use (?:base|parent) 'FixMyStreet::Cobrand::(?P<parent>\w+)';", re.M)
_COUNCIL_NAME = re.compile(r"sub council_name \{\s*(?:return )?'(?P<name>[^']+)';?\s*\}")
_COUNTRY = re.compile(r"sub country\s*\{\s*(?:return\s*)?'(?P<code>[A-Z]{2})';?\s*\}")
_BASE_URL = re.compile(r"sub base_url \{\s*(?:return )?'(?P<url>https?://[^']+)'")


def _organisation_type(module: str, name: str) -> str:
    if "County Council" in name:
        return "region"
    if re.search(r"Council|Borough|kommun", name):
        return "municipality"
    return "other"


def _country(texts: dict[str, str], module: str) -> str:
    """The first `country` stated along the inheritance chain of `module`."""
    seen: set[str] = set()
    while module in texts and module not in seen:
        seen.add(module)
        stated = _COUNTRY.search(texts[module])
        if stated:
            return stated["code"]
        parent = _PARENT.search(texts[module])
        module = parent["parent"] if parent else ""
    return ""


def is_integration_module(text: str) -> bool:
    """A class deriving straight from the UK framework that names no council: code for sending reports from
    fixmystreet.com to a council's back end, not the council's own site."""
    parent = _PARENT.search(text)
    return bool(parent and parent["parent"] == "UK" and not _COUNCIL_NAME.search(text))


def cobrand_row(module: str, texts: dict[str, str], permalink: str, commit: str, source_id: str,
                names: dict[str, str], types: dict[str, str], countries: dict[str, str]) -> Deployment:
    """The row of one cobrand module, given the texts of every module of the same commit (class chain)."""
    path = f"{FOLDER}/{module}.pm"
    text = texts[module]
    stated_name = _COUNCIL_NAME.search(text)
    name = stated_name["name"] if stated_name else names.get(module, "")
    if not name:
        raise ValueError(f"{path}: council_name: none stated and no curated name; add it to the names")
    country, method = _country(texts, module), "source"
    if not country:
        country, method = countries.get(module, ""), "manual"
    if not country:
        raise ValueError(f"{path}: country: not stated along the class chain; add it to the countries")
    base_url = _BASE_URL.search(text)
    return Deployment(
        tool_id="fixmystreet",
        organisation=name,
        organisation_type=types.get(module) or _organisation_type(module, name),
        organisation_type_method="manual" if module in types else "name",
        url=base_url["url"] if base_url else "",
        country=country,
        country_method=method,
        source_url=permalink,
        source_commit=commit,
        source_id=source_id,
        locator=path,
    )


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """One candidate row per cobrand module that is an organisation's site."""
    texts = {name[:-3]: snapshot.read_text(f"{FOLDER}/{name}")
             for name in snapshot.list_dir(FOLDER) if name.endswith(".pm")}
    rows: list[Deployment] = []
    for module, text in sorted(texts.items()):
        if module in _NOT_DEPLOYMENTS or (module not in _NAMES and is_integration_module(text)):
            continue
        path = f"{FOLDER}/{module}.pm"
        rows.append(cobrand_row(module, texts, snapshot.permalink(path), snapshot.commit, SOURCE_ID,
                                _NAMES, _TYPES, _COUNTRIES))
    return rows


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="FixMyStreet cobrand modules (perllib/FixMyStreet/Cobrand/*.pm)",
        url=f"https://github.com/{REPO}/tree/{snapshot.commit}/{FOLDER}",
        publisher="mySociety (fixmystreet repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="AGPL-3.0-or-later (repository LICENSE.txt)",
        notes="One module per organisation site; organisation from council_name, country from the class chain's "
        "country(). Framework classes and the fictional Borsetshire demo are left out. Sites of ended contracts "
        "may still have a module; most modules state no public URL (it lives in deployment configuration).",
    )
