"""Reader for the meinBerlin README (liqd/a4-meinberlin): the platform of the city of Berlin.

meinBerlin is a single-deployment tool; its README states who it is for and where ("for the city of
Berlin, Germany"), so the country is stated by the source.
"""

from __future__ import annotations

import re

import pycountry
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "liqd/a4-meinberlin"
PATH = "README.md"
SOURCE_ID = "dep-meinberlin-readme"
_STATEMENT = re.compile(r"is a participation platform for the (?P<organisation>city of (?P<city>\w+)), (?P<country>\w+)\.")


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """The platform, as the README states it (the sentence may wrap over two lines)."""
    lines = snapshot.read_text(PATH).splitlines()
    for number in range(1, len(lines) + 1):
        joined = " ".join(part.strip() for part in lines[number - 1:number + 1])
        match = _STATEMENT.search(joined)
        if match:
            try:
                country = pycountry.countries.lookup(match["country"]).alpha_2
            except LookupError as error:
                raise ValueError(f"{PATH}:{number}: country: unknown {match['country']!r}") from error
            return [
                Deployment(
                    tool_id="meinberlin",
                    organisation=match["organisation"][0].upper() + match["organisation"][1:],
                    organisation_type="municipality",
                    country=country,
                    country_method="source",
                    region=match["city"],
                    source_url=f"{snapshot.permalink(PATH)}#L{number}",
                    source_commit=snapshot.commit,
                    source_id=SOURCE_ID,
                    locator=f"{PATH}:{number}",
                )
            ]
    raise ValueError(f"{PATH}: no sentence saying whom the platform is for")


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="meinBerlin README",
        url=snapshot.permalink(PATH),
        publisher="Liquid Democracy e.V. (a4-meinberlin repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="AGPL-3.0 (repository LICENSE file)",
        notes="Single-deployment tool: the README states the platform is for the city of Berlin, Germany.",
    )
