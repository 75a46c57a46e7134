"""Reader for the adhocracy+ README (liqd/adhocracy-plus): the project's own SaaS platform.

The README's first line names the public platform and the association that runs it; that is the only
installation the repository states. The country comes from the legal form in the name ("e.V." is a German
registered association).
"""

from __future__ import annotations

import re

from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot

REPO = "liqd/adhocracy-plus"
PATH = "README.md"
SOURCE_ID = "dep-adhocracy-plus-readme"
_PLATFORM = re.compile(
    r"\[adhocracy\.plus\]\((?P<url>https://adhocracy\.plus/?)\).*?maintained and primarily developed by "
    r"(?P<organisation>[^.]+ e\.V\.)"
)


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """The SaaS platform, as the README states it."""
    for number, line in enumerate(snapshot.read_text(PATH).splitlines(), start=1):
        match = _PLATFORM.search(line)
        if match:
            return [
                Deployment(
                    tool_id="adhocracy-plus",
                    organisation=match["organisation"],
                    organisation_type="ngo",
                    organisation_type_method="name",  # "e.V.", a registered association
                    url=match["url"],
                    country="DE",
                    country_method="name",
                    source_url=f"{snapshot.permalink(PATH)}#L{number}",
                    source_commit=snapshot.commit,
                    source_id=SOURCE_ID,
                    locator=f"{PATH}:{number}",
                )
            ]
    raise ValueError(f"{PATH}: no line naming the adhocracy.plus platform and its maintainer")


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="adhocracy+ README: the adhocracy.plus platform",
        url=snapshot.permalink(PATH),
        publisher="Liquid Democracy e.V. (adhocracy-plus repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="AGPL-3.0 (repository LICENSE file)",
        notes="One row: the public SaaS platform run by the maintainer; the repository lists no other installation.",
    )
