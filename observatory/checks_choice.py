"""Checks for the ``choice`` package (offers, accessibility, tool_languages, tool_profiles) that a
Table Schema cannot express: code lists against ISO registries, a hosting flag that must agree with
the hosting countries it summarises, and a profile for every catalogued tool.

Cell rules are keyed by field name (like :mod:`observatory.checks`); row and table rules run on the
resources by name, so a second package feeding the same tables is checked the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pycountry

if TYPE_CHECKING:
    from observatory.datapackage import DataPackage, Issue, Resource

# Member states of the European Union (ISO 3166-1 alpha-2), for `eu_hosting`.
EU_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
BCP47 = re.compile(r"^(?P<lang>[a-z]{2,3})(?P<rest>(?:-[A-Za-z0-9]{2,4})*)$")


def country_list_problem(value: str) -> str | None:
    """';'-separated ISO 3166-1 alpha-2 codes, each once."""
    codes = value.split(";")
    bad = [c for c in codes if pycountry.countries.get(alpha_2=c) is None or c != c.upper()]
    if bad:
        return f"not ISO 3166-1 alpha-2 country code(s): {', '.join(map(repr, bad))}"
    if len(set(codes)) != len(codes):
        return f"a country is repeated in {value!r}"
    return None


def iso639_1_list_problem(value: str) -> str | None:
    """';'-separated ISO 639-1 (two-letter) language codes."""
    bad = [c for c in value.split(";") if len(c) != 2 or pycountry.languages.get(alpha_2=c) is None]
    if bad:
        return f"not ISO 639-1 language code(s): {', '.join(map(repr, bad))}"
    return None


def language_tag_problem(value: str) -> str | None:
    """A BCP 47 tag: ISO 639-1 language (ISO 639-3 only when the language has no two-letter code),
    then script (ISO 15924), region (ISO 3166-1 alpha-2 or a UN M.49 number) subtags."""
    match = BCP47.match(value)
    if not match:
        return f"{value!r} is not a language tag like 'fr', 'pt-BR' or 'zh-Hans'"
    lang = match.group("lang")
    if len(lang) == 2:
        known = pycountry.languages.get(alpha_2=lang) is not None
    else:
        found = pycountry.languages.get(alpha_3=lang)
        if found is not None and getattr(found, "alpha_2", None):
            return f"write {value!r} with the ISO 639-1 code {found.alpha_2!r}"
        known = found is not None
    if not known:
        return f"{lang!r} in {value!r} is not an ISO 639 language code"
    for sub in filter(None, match.group("rest").split("-")):
        if len(sub) == 4 and pycountry.scripts.get(alpha_4=sub.title()) is not None and sub == sub.title():
            continue
        if len(sub) == 2 and sub.isupper() and pycountry.countries.get(alpha_2=sub) is not None:
            continue
        if len(sub) == 3 and sub.isdigit():
            continue
        return f"subtag {sub!r} of {value!r} is neither an ISO 15924 script nor an ISO 3166-1 region"
    return None


def share_problem(value: str) -> str | None:
    try:
        share = float(value)
    except ValueError:
        return f"{value!r} is not a number"
    if not 0.0 <= share <= 1.0:
        return f"share {value} is outside [0, 1]"
    return None


CELL_RULES = {
    "hosting_countries": country_list_problem,
    "languages_supported": iso639_1_list_problem,
    "language_code": language_tag_problem,
    "share_translated": share_problem,
}


def _issue(resource: Resource, row: int | None, fld: str | None, message: str) -> Issue:
    from observatory.datapackage import Issue

    return Issue(resource.display_path, row, fld, message)


def _resources(packages: list[DataPackage], name: str) -> list[Resource]:
    return [r for p in packages for r in p.resources if r.name == name and r.path.exists()]


def check_offers(resource: Resource) -> Iterator[Issue]:
    """`eu_hosting` summarises `hosting_countries`; a price in euros needs `price_public`."""
    _, rows = resource.read_rows()
    for index, row in enumerate(rows, start=2):
        countries = [c for c in (row.get("hosting_countries") or "").split(";") if c]
        flag = (row.get("eu_hosting") or "").strip().lower()
        if countries and flag:
            expected = "true" if all(c in EU_COUNTRIES for c in countries) else "false"
            if flag != expected:
                yield _issue(resource, index, "eu_hosting",
                             f"eu_hosting is {flag} but hosting_countries {';'.join(countries)} say {expected}")
        if (row.get("price_from_eur_per_year") or "").strip() and (row.get("price_public") or "").lower() != "true":
            yield _issue(resource, index, "price_from_eur_per_year", "a price is given but price_public is not true")
        offer_id = row.get("offer_id") or ""
        if offer_id and not offer_id.startswith(f"{row.get('tool_id')}:"):
            yield _issue(resource, index, "offer_id", f"offer_id {offer_id!r} does not start with its tool_id")


def check_profiles_cover_tools(packages: list[DataPackage]) -> Iterator[Issue]:
    """Every catalogued tool has exactly one profile (frictionless checks the uniqueness)."""
    profiles = _resources(packages, "tool_profiles")
    if not profiles:
        return
    profiled = {row["tool_id"] for res in profiles for row in res.read_rows()[1]}
    for tools in _resources(packages, "tools"):
        for index, row in enumerate(tools.read_rows()[1], start=2):
            if row.get("tool_id") and row["tool_id"] not in profiled:
                yield _issue(tools, index, "tool_id",
                             f"tool {row['tool_id']!r} has no row in {profiles[0].display_path}")


def run(packages: list[DataPackage]) -> Iterator[Issue]:
    for resource in _resources(packages, "offers"):
        yield from check_offers(resource)
    yield from check_profiles_cover_tools(packages)
