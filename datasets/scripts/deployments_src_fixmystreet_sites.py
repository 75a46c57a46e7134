"""Reader for "Sites running on the FixMyStreet platform" (mysociety/fixmystreet `docs/sites.md`).

The page of fixmystreet.org lists the platform's installations by country (`<h3>Country</h3>` then `Site:`,
`Launched:`, `Run by:` lines) and, under "Honourable mentions", sites no longer running (one `<li>` each:
"Country: Site, launched YEAR, run by ORG"). The country is the heading or the item's prefix (method `source`),
`started_year` the launch year; the honourable mentions are `source_status = past`. An installation that also has
a cobrand module is the same deployment as that module's row (`aliases`).
"""

from __future__ import annotations

import html
import re

import pycountry
from deployments_geo import slug
from deployments_history import with_past_entries
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "mysociety/fixmystreet"
PATH = "docs/sites.md"
SOURCE_ID = "dep-fixmystreet-sites"

_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r'<a href="(?P<url>[^"]+)">(?P<text>[^<]+)</a>')
_YEAR = re.compile(r"[Ll]aunched:?\s*(?P<year>\d{4})")
_RUN_BY = re.compile(r"[Rr]un by:?\s*(?P<org>.+?)\s*$")
# Countries named in the page that ISO 3166-1 does not list under that name (Kosovo has no ISO code).
_COUNTRY_CODES: dict[str, str] = {"Kosovo": "", "United Kingdom": "GB"}
# Site name -> id of the cobrand module row for the same installation.
_COBRANDS: dict[str, str] = {
    "FixMyStreet": "fixmystreet:fixmystreet-mysociety",
    "FixaMinGata": "fixmystreet:fixamingata",
    "ZueriWieNeu": "fixmystreet:zurich",
    "FiksGataMi": "fixmystreet:fiksgatami",
    "ZeroTB": "fixmystreet:zerotb-article-25",
    "Bellavista En Ación": "fixmystreet:bellavista-en-accion-ciudad-viva",
    "Arregla Mi Barrio": "fixmystreet:arregla-mi-barrio-observatorio-ciudadano-municipal-de-alcantarilla",
}
_TYPES: tuple[tuple[str, str], ...] = (
    (r"diputaci[óo]n", "region"),
    (r"council|ayuntamiento", "municipality"),
    (r"mysociety|code for|gong|democracy plus|sambruk|open local|nuug|article|ciudad viva|cew-it|sinar|"
     r"initiative|observatorio|asociaci[óo]n|data\b|datauy", "ngo"),
)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def _country(name: str, locator: str) -> str:
    if name in _COUNTRY_CODES:
        return _COUNTRY_CODES[name]
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError as error:
        raise ValueError(f"{locator}: unknown country {name!r}") from error


def _organisation_type(organisation: str) -> str:
    for pattern, org_type in _TYPES:
        if re.search(pattern, organisation, re.IGNORECASE):
            return org_type
    return "other"


def _row(snapshot: GitSnapshot, line: int, site: str, url: str, organisation: str, country: str,
         region: str, year: int | None, status: str) -> Deployment:
    return Deployment(
        tool_id="fixmystreet",
        organisation=f"{site} ({organisation})" if organisation and organisation != site else site,
        organisation_type=_organisation_type(organisation),
        organisation_type_method="name",
        url=url,
        country=country,
        country_method="source" if country else "",
        region=region,
        started_year=year,
        source_url=f"{snapshot.permalink(PATH)}#L{line}",
        source_commit=snapshot.commit,
        source_id=SOURCE_ID,
        source_status=status,
        aliases=(_COBRANDS[site],) if site in _COBRANDS else (),
        preference=(1,),
        locator=f"{PATH}:{line}",
    )


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) with an element split over several lines (a link, a list item) joined."""
    joined: list[tuple[int, str]] = []
    buffer, start = "", 0
    for number, line in enumerate(text.splitlines(), start=1):
        buffer, start = (f"{buffer} {line.strip()}", start) if buffer else (line, number)
        open_item = buffer.lstrip().startswith("<li>") and "</li>" not in buffer
        if buffer.count("<a ") > buffer.count("</a>") or open_item:
            continue
        joined.append((start, buffer))
        buffer = ""
    if buffer:
        joined.append((start, buffer))
    return joined


def read_version(snapshot: GitSnapshot) -> list[Deployment]:
    """Current sites (one per `Site:` line under a country heading) and past ones (honourable mentions)."""
    rows: list[Deployment] = []
    country, region, pending = "", "", None
    for number, line in logical_lines(snapshot.read_text(PATH)):
        heading = re.match(r"<h3>(?P<name>[^<]+)</h3>", line.strip())
        if heading:  # "Country", or "Place, Country" in earlier versions
            parts = [part.strip() for part in heading["name"].split(",")]
            country = _country(parts[-1], f"{PATH}:{number}")
            region = parts[0] if len(parts) > 1 else ""
            continue
        if line.startswith("Site:"):
            link = _LINK.search(line)
            bold = re.search(r"<b>(?P<text>[^<]+)</b>", line)  # earlier versions: a site with no address
            if not link and not bold:
                raise ValueError(f"{PATH}:{number}: Site: neither a link nor a name")
            label = _text(link["text"] if link else bold["text"])
            site = re.sub(r"[,.]?\s*(in \w+|Valladolid)?$", "", label).strip() or label
            pending = {"line": number, "site": site, "url": link["url"] if link else "", "year": None}
            continue
        if pending and (year := _YEAR.search(line)):
            pending["year"] = int(year["year"])
            continue
        if pending and (run_by := _RUN_BY.search(_text(line))):
            rows.append(_row(snapshot, pending["line"], pending["site"], pending["url"], run_by["org"], country,
                             region, pending["year"], "current"))
            pending = None
            continue
        if line.lstrip().startswith("<li>"):
            rows.append(_mention(snapshot, number, line))
    return rows


def _mention(snapshot: GitSnapshot, number: int, line: str) -> Deployment:
    """One "no longer running" item: "Place: Site, launched YEAR, run by ORG"."""
    text = _text(line)
    place, _, rest = text.partition(":")
    parts = [part.strip() for part in place.split(",")]
    link = _LINK.search(line)
    site = rest.split(",")[0].strip()
    site = re.sub(r"\s+in \w+\..*$", "", site)  # "ZeroTB in Delhi. A project to ..."
    year = _YEAR.search(text) or re.search(r"launched (?P<year>\d{4})", text)
    run_by = re.search(r"run by (?P<org>[^,.]+(?:\.\w+)?)", text)
    return _row(snapshot, number, site, link["url"] if link and link["text"].strip() == site else "",
                run_by["org"].strip() if run_by else "", _country(parts[-1], f"{PATH}:{number}"),
                parts[0] if len(parts) > 1 else "", int(year["year"]) if year else None, "past")


def _site_key(row: Deployment) -> str:
    """Sites are matched across versions by name: a site once linked may later be mentioned without link."""
    return slug(row.organisation.split(" (")[0]).replace("-", "")


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """The page now, then sites only earlier versions of it list (source_status past)."""
    return with_past_entries(snapshot, PATH, read_version, key=_site_key)


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="Sites running on the FixMyStreet platform (docs/sites.md, fixmystreet.org)",
        url=snapshot.permalink(PATH),
        publisher="mySociety (fixmystreet repository, fixmystreet.org pages)",
        kind="list",
        source_commit=snapshot.commit,
        licence="AGPL-3.0-or-later (repository LICENSE.txt)",
        notes="Installations by country with launch year and operator; 'Honourable mentions' are sites no longer "
        "running (source_status past). Kosovo has no ISO 3166-1 code: its rows keep an empty country.",
    )
