"""What has run on a tool: collected instances of it, and participatory-budgeting editions held where it is deployed.

An instance names its platform (the importer detects it), so it belongs to a tool for certain. A Pabulib
file does not name the platform that ran the vote, so an edition is never attributed to a tool: the tool
page lists the editions held in a town where a deployment of the tool is listed (same country, the town's
name as a whole word in the deployment's organisation or region) and says that this is a place match.
"""

from __future__ import annotations

import re

import pandas as pd
import pycountry

# The importers' platform names (instances.platform) and the catalogue tool each one is.
PLATFORM_TOOL: dict[str, str] = {"decidim": "decidim", "consul": "consul-democracy"}

EDITION_COLUMNS = ["edition_id", "country", "unit", "subunit", "year", "vote_type", "n_voters", "n_projects",
                   "matched_deployment"]


def instances_of(instances: pd.DataFrame, tool_id: str) -> pd.DataFrame:
    """The collected instances whose platform is ``tool_id``."""
    platforms = {p for p, tool in PLATFORM_TOOL.items() if tool == tool_id}
    return instances[instances["platform"].isin(platforms)].reset_index(drop=True)


def _alpha_2(country: object) -> str | None:
    """ISO alpha-2 of a Pabulib country (an English name: "Poland", "US"), None when it is no country."""
    if not isinstance(country, str) or not country.strip():
        return None
    try:
        return pycountry.countries.lookup(country.strip()).alpha_2
    except LookupError:
        return None


def editions_in_places_of(editions: pd.DataFrame, deployments: pd.DataFrame, tool_id: str) -> pd.DataFrame:
    """Editions held in a town where a live deployment of ``tool_id`` is listed, with that deployment's name.

    A town matches when the deployment is in the same country and the town's name appears as a whole word
    in the deployment's organisation or region ("Warszawa" in "Konsultacje Warszawa", not "Assen" in
    "Kassenzahnärztliche").
    """
    live = deployments[(deployments["tool_id"] == tool_id) & deployments["removed_on"].isna()]
    rows = []
    for edition in editions.to_dict("records"):
        country, town = _alpha_2(edition.get("country")), edition.get("unit")
        if country is None or not isinstance(town, str) or not town.strip():
            continue
        word = re.compile(rf"(?<!\w){re.escape(town.strip())}(?!\w)", re.IGNORECASE)
        for deployment in live[live["country"] == country].to_dict("records"):
            place = " ".join(str(deployment.get(c) or "") for c in ("organisation", "region"))
            if word.search(place):
                rows.append({**{c: edition.get(c) for c in EDITION_COLUMNS[:-1]},
                             "matched_deployment": deployment["organisation"]})
                break
    return pd.DataFrame(rows, columns=EDITION_COLUMNS)
