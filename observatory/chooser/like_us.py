""""Tools like us": the live deployments nearest to the user's profile (same country, same kind of
organisation, a tool that offers the processes asked for), each with its link and source."""

from __future__ import annotations

import pandas as pd

from observatory.chooser.facts import Facts
from observatory.chooser.needs import Needs, organisation_type_for

COUNTRY_POINTS, KIND_POINTS, PROCESS_POINTS = 2.0, 1.0, 1.0
SHOWN = 10
COLUMNS = ["organisation", "tool_id", "name", "country", "organisation_type", "similarity", "url", "source_url"]


def tools_like_us(facts: Facts, needs: Needs, n: int = SHOWN) -> pd.DataFrame:
    """The ``n`` deployments most like the user; ties go to the tool covering more of the processes."""
    kind = organisation_type_for(needs.population)
    wanted = list(dict.fromkeys(needs.processes))
    rows = []
    for tool in facts.tools.values():
        share = sum(p in tool.features for p in wanted) / len(wanted) if wanted else 0.0
        for d in tool.deployments:
            points = (COUNTRY_POINTS * (bool(needs.country) and d.country == needs.country)
                      + KIND_POINTS * (kind is not None and d.organisation_type == kind) + PROCESS_POINTS * share)
            if points > 0:
                rows.append({"organisation": d.organisation, "tool_id": tool.tool_id, "name": tool.name,
                             "country": d.country, "organisation_type": d.organisation_type,
                             "similarity": round(points / (COUNTRY_POINTS + KIND_POINTS + PROCESS_POINTS), 3),
                             "url": d.url, "source_url": d.source_url})
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    df = pd.DataFrame(rows, columns=COLUMNS)
    return df.sort_values(["similarity", "name", "organisation"], ascending=[False, True, True]).head(n).reset_index(
        drop=True)
