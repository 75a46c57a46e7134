"""Reader for the Polis open-data README (compdemocracy/openData): organisations that ran Polis conversations.

Polis is mostly used as a hosted service, so a "deployment" here is an organisation running conversations on
it, not a server. The README lists case-study URLs (`.../case-studies/<year>-<slug>`) and describes the
conversations; only those whose organiser the README names become rows, with the earliest case-study year as
`started_year`. Demos and conversations with no named organiser are skipped, each with its reason below.
"""

from __future__ import annotations

import re

from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "compdemocracy/openData"
PATH = "README.md"
SOURCE_ID = "dep-polis-open-data"

_CASE_STUDY = re.compile(r"https://compdemocracy\.org/case-studies/(?P<year>\d{4})-(?P<slug>[A-Za-z0-9-]+)")


# organisation key -> (organisation, organisation_type, country, country_method, region)
_ORGANISATIONS: dict[str, tuple[str, str, str, str, str]] = {
    "vtaiwan": ("vTaiwan", "other", "TW", "source", ""),  # README: "the government of Taiwan ... vTaiwan"
    "american-assembly": ("The American Assembly", "ngo", "US", "source", "Kentucky"),  # "Bowling Green Kentucky"
    "march-on": ("March On", "ngo", "US", "manual", ""),  # US sister organisation of the Women's March
    "scoop": ("Scoop & PEP (Scoop Hivemind)", "company", "NZ", "source", ""),  # "Biodiversity in NZ"
    "klimarat": ("Klimarat (Austria)", "other", "AT", "name", ""),  # case study "Austria-Klimarat"
}
# case-study slug (without the year) -> organisation key
_CASE_STUDIES: dict[str, str] = {
    "vtaiwan-uberx": "vtaiwan",
    "kentucky": "american-assembly",
    "march-on": "march-on",
    "scoop-hivemind-affordable-housing": "scoop",
    "scoop-hivemind-biodiversity": "scoop",
    "scoop-hivemind-freshwater": "scoop",
    "scoop-hivemind-taxes": "scoop",
    "scoop-hivemind-ubi": "scoop",
    "austria-klimarat": "klimarat",
}
_SKIPPED: dict[str, str] = {
    "seattle-15-per-hour": "README: a Polis demo",
    "football-concussions": "README: a Polis demo",
    "brexit-consensus": "README: a test discussion",
    "canadian-electoral-reform": "README names no organiser",
    "london-youth-policing": "README names no organiser",
    "san-juan-island": "README names no organiser",
}


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """One candidate row per named organiser (earliest case-study year, first case-study line)."""
    first_seen: dict[str, tuple[int, int]] = {}  # key -> (year, line)
    for number, line in enumerate(snapshot.read_text(PATH).splitlines(), start=1):
        for match in _CASE_STUDY.finditer(line):
            slug = match["slug"].lower()
            if slug in _SKIPPED:
                continue
            if slug not in _CASE_STUDIES:
                raise ValueError(f"{PATH}:{number}: case study: {slug!r} is neither curated nor skipped")
            key, year = _CASE_STUDIES[slug], int(match["year"])
            first_seen[key] = min(first_seen.get(key, (year, number)), (year, number))
    rows = []
    for key, (year, line) in sorted(first_seen.items()):
        organisation, org_type, country, method, region = _ORGANISATIONS[key]
        rows.append(
            Deployment(
                tool_id="polis",
                organisation=organisation,
                organisation_type=org_type,
                organisation_type_method="manual",
                country=country,
                country_method=method,
                region=region,
                started_year=year,
                source_url=f"{snapshot.permalink(PATH)}#L{line}",
                source_commit=snapshot.commit,
                source_id=SOURCE_ID,
                locator=f"{PATH}:{line}",
            )
        )
    return rows


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="Polis open data README: conversations and case studies",
        url=snapshot.permalink(PATH),
        publisher="The Computational Democracy Project (openData repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="CC-BY-4.0 (README: all Polis data)",
        notes="Organisations that ran Polis conversations (hosted service), not servers; started_year is the "
        "earliest case-study year. Demos, a test and conversations with no named organiser are skipped.",
    )
