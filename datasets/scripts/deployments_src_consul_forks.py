"""Reader for Consul Democracy's "Open source forks and modifications" page (consuldemocracy/consuldemocracy docs).

The project's documentation lists, by country, the platforms run on maintained forks: "* <Organisation>
platform '<Name>'" then "  * platform: [url](url)" (one line may give the addresses of the two items above it),
"  * code base: <fork>". The repository is too large to snapshot here, so the file is read at a pinned commit
through a public-code index and the compile step checks that the local copy it is given has that file's git
blob id (`deployments_snapshot.PinnedFile`). The country is the heading (method `source`); the code-base fork is an
alias (unless it is a code base shared by several platforms), so the platform merges with the consulproject seeds
and website rows of the same installation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pycountry
from deployments_geo import canonical_url
from deployments_model import Deployment, SourceInfo
from deployments_snapshot import PinnedFile

REPO = "consuldemocracy/consuldemocracy"
PATH = "docs/en/open_source/open-source-forks-and-modifications.md"
COMMIT = "1e122a51a6fca8ed8c886a5bd76a6d7a1ead9637"
BLOB = "8f809d9031a587d08a06568c85722912b36fd652"
SOURCE_ID = "dep-consul-forks-and-modifications"

_HEADINGS: dict[str, tuple[str, str]] = {"Brasil": ("BR", ""), "Scotland": ("GB", "Scotland")}
_ITEM = re.compile(r"^\* (?P<organisation>.+?)(?: platform\b.*)?$")
_PLATFORM = re.compile(r"^\s+\* platform:\s*(?P<rest>.*)$")
# Only a platform's own fork identifies it; a "shared"/"same" code base serves several platforms.
_CODE = re.compile(r"^\s+\* code base:\s*\[(?P<url>https?://github\.com/[^\]]+)\]")
_URL = re.compile(r"https?://[^\s\])&]+")
_TYPES: tuple[tuple[str, str], ...] = (
    (r"provincie|diputaci[óo]n|generalitat", "region"),
    (r"prefeitura|kommune|landeshauptstadt|comune|gemeente|primaria|city|obcin|ayuntamiento|ajuntament|council|"
     r"intendencia|regensburg|san pedro", "municipality"),
)


def snapshot(local_copy: Path) -> PinnedFile:
    """The pinned file, read from the local copy given to the compile step."""
    return PinnedFile(repo=REPO, commit=COMMIT, path=PATH, blob=BLOB, local_copy=local_copy)


def _country(heading: str, locator: str) -> tuple[str, str]:
    if heading in _HEADINGS:
        return _HEADINGS[heading]
    try:
        return pycountry.countries.lookup(heading).alpha_2, ""
    except LookupError as error:
        raise ValueError(f"{locator}: unknown country heading {heading!r}") from error


def _organisation_type(name: str) -> str:
    for pattern, org_type in _TYPES:
        if re.search(pattern, name, re.IGNORECASE):
            return org_type
    return "other"


def read(source: PinnedFile) -> list[Deployment]:
    """One row per listed platform."""
    rows: list[Deployment] = []
    pending: list[Deployment] = []  # items whose address has not been given yet
    last: list[Deployment] = []  # items the next code-base line belongs to
    country = region = ""
    for number, line in enumerate(source.read_text(PATH).splitlines(), start=1):
        locator = f"{PATH}:{number}"
        if line and not line.startswith((" ", "*", "#")) and len(line.split()) <= 2:
            country, region = _country(line.strip(), locator)
            continue
        if item := _ITEM.match(line):
            organisation = item["organisation"].strip()
            row = Deployment(
                tool_id="consul-democracy", organisation=organisation,
                organisation_type=_organisation_type(organisation), organisation_type_method="name",
                country=country, country_method="source" if country else "", region=region,
                source_url=f"{source.permalink(PATH)}#L{number}", source_commit=COMMIT, source_id=SOURCE_ID,
                source_status="current", preference=(3,), locator=locator,
            )
            pending.append(row)
            rows.append(row)
            continue
        if platform := _PLATFORM.match(line):
            urls = list(dict.fromkeys(_URL.findall(platform["rest"])))
            targets = pending[-len(urls):] if urls else []
            for row, url in zip(targets, urls, strict=True):
                row.url = url
            last, pending = targets, []
            continue
        if (code := _CODE.match(line)) and len(last) == 1:
            for row in last:
                row.aliases = (f"consul-democracy:{canonical_url(code['url'])}",)
    missing = [row.locator for row in rows if not row.url]
    if missing:
        raise ValueError(f"{', '.join(missing)}: platform: no address given")
    return rows


def describe(source: PinnedFile) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="Consul Democracy docs: Open source forks and modifications",
        url=source.permalink(PATH),
        publisher="Consul Democracy Foundation (consuldemocracy repository, docs)",
        kind="list",
        source_commit=COMMIT,
        licence="AGPL-3.0-or-later (repository publiccode.yml)",
        notes=f"Platforms on maintained forks, by country. Read through the public-code index at {COMMIT} (the "
        f"repository is too large to snapshot here); the compile step checks the local copy's git blob id "
        f"({BLOB}). A fork named as code base merges the platform with the seeds/website rows.",
    )
