"""Reader for the Your Priorities README "Examples of live servers running Your Priorities" list.

The list gives URLs only; the organisation is named after the site (and its operator where the domain
says it), and the country comes from the domain, except the project's own cloud (curated).
"""

from __future__ import annotations

import re

from deployments_geo import country_from_domain
from deployments_history import NotThisListYet, with_past_entries
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "CitizensFoundation/your-priorities-app"
PATH = "README.md"
SOURCE_ID = "dep-your-priorities-readme"
_SECTION = "## Examples of live servers running Your Priorities"
_ITEM = re.compile(r"^\*\s+(?P<url>https?://\S+)\s*(?:\(v[\d.]+\))?\s*$")  # earlier versions: "url (v6.3)"

# host -> (organisation, organisation_type, curated country or "" to use the domain).
_SITES: dict[str, tuple[str, str, str]] = {
    "yrpri.org": ("Citizens Foundation (Your Priorities cloud)", "ngo", "IS"),  # README: "non-profit Citizens Foundation Iceland"
    "betraisland.is": ("Betra Ísland", "ngo", ""),
    "betrireykjavik.is": ("Betri Reykjavík", "municipality", ""),
    "www.junges.wien": ("Junges Wien", "municipality", ""),
    "engage.parliament.scot": ("Scottish Parliament", "parliament", ""),
    # listed by earlier versions of the README only
    "enjine.smarter.nj.gov": ("State of New Jersey (smarter.nj.gov)", "region", "US"),  # nj.gov: New Jersey's domain
    "mineideer.forbrukerradet.no": ("Forbrukerrådet (Norwegian Consumer Council)", "national_government", ""),
    "yrpr.e-dem.nl": ("e-dem.nl", "other", ""),
    "consultation.parlement-ouvert.fr": ("Parlement ouvert (consultation)", "parliament", ""),
}


def read_version(snapshot: GitSnapshot) -> list[Deployment]:
    """One candidate row per server listed in one version of the README."""
    lines = snapshot.read_text(PATH).splitlines()
    try:
        start = lines.index(_SECTION)
    except ValueError as error:
        raise NotThisListYet(f"{PATH}: section {_SECTION!r} not found") from error
    rows: list[Deployment] = []
    for number in range(start + 1, len(lines)):
        line = lines[number].strip()
        if line.startswith("#"):
            break
        item = _ITEM.match(line)
        if not item:
            continue
        url = item["url"]
        host = url.split("://", 1)[1].split("/", 1)[0].lower()
        locator = f"{PATH}:{number + 1}"
        if host not in _SITES:
            raise ValueError(f"{locator}: url: {host!r} has no curated organisation; add it to _SITES")
        organisation, org_type, curated_country = _SITES[host]
        country = curated_country or country_from_domain(url)
        rows.append(
            Deployment(
                tool_id="your-priorities",
                organisation=organisation,
                organisation_type=org_type,
                organisation_type_method="manual",
                url=url,
                country=country,
                country_method="manual" if curated_country else "domain",
                source_url=f"{snapshot.permalink(PATH)}#L{number + 1}",
                source_commit=snapshot.commit,
                source_id=SOURCE_ID,
                locator=locator,
            )
        )
    return rows


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """The servers listed now, then those earlier versions of the README listed (source_status past)."""
    return with_past_entries(snapshot, PATH, read_version)


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="Your Priorities README: examples of live servers",
        url=snapshot.permalink(PATH),
        publisher="Citizens Foundation (your-priorities-app repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="MIT (repository LICENSE.md)",
        notes="URLs only; organisation names are the sites' names (curated), countries from the domain "
        "(.is, .wien, .scot); yrpri.org is the project's own cloud, run by Citizens Foundation Iceland (README).",
    )
