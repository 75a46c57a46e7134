"""Adoption aggregates computed from query results (pure pandas, so reports and tests reuse them)."""

from __future__ import annotations

import pandas as pd
from packaging.version import InvalidVersion, Version

GROUPINGS: tuple[str, ...] = ("tool", "country", "organisation_type")


def deployments_over_time(deployments: pd.DataFrame, by: str = "tool") -> pd.DataFrame:
    """Cumulative number of deployments started up to each year, per group (rows without a year are left out)."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    cols = ["year", by, "deployments"]
    dated = deployments.dropna(subset=["started_year"])
    if dated.empty:
        return pd.DataFrame(columns=cols)
    dated = dated.assign(year=dated["started_year"].astype(int), **{by: dated[by].fillna("unknown")})
    per_year = dated.groupby(["year", by]).size().unstack(fill_value=0)
    years = range(per_year.index.min(), per_year.index.max() + 1)
    cumulative = per_year.reindex(years, fill_value=0).cumsum()
    cumulative.index.name = "year"
    return cumulative.reset_index().melt(id_vars="year", var_name=by, value_name="deployments")[cols]


def _parse(version: object) -> Version | None:
    if not isinstance(version, str):
        return None
    try:
        return Version(version.strip().lstrip("vV"))
    except InvalidVersion:
        return None


def version_lag(probes: pd.DataFrame) -> pd.DataFrame:
    """Per probed deployment: how many minor releases behind the newest version seen for its tool.

    "Newest seen in the wild" is the reference because it needs no release feed; a major version gap
    counts as the later major's minor number plus one so that 0.27 → 1.0 still reads as behind.
    """
    cols = ["tool", "deployment_id", "platform_version", "newest_seen", "minor_versions_behind"]
    rows = []
    for tool, group in probes.groupby("tool"):
        parsed = [(r, _parse(r["platform_version"])) for r in group.to_dict("records")]
        known = [v for _, v in parsed if v is not None]
        if not known:
            continue
        newest = max(known)
        for record, version in parsed:
            if version is None:
                continue
            if version.major == newest.major:
                behind = newest.minor - version.minor
            else:
                behind = newest.minor + 1 + (newest.major - version.major - 1) * 10
            rows.append({"tool": tool, "deployment_id": record["deployment_id"], "platform_version": str(version),
                         "newest_seen": str(newest), "minor_versions_behind": max(0, behind)})
    return pd.DataFrame(rows, columns=cols)


def liveness(probes: pd.DataFrame) -> pd.DataFrame:
    """Share of deployments reachable at their latest probe, per tool."""
    if probes.empty:
        return pd.DataFrame(columns=["tool", "probed", "reachable", "share_reachable"])
    out = probes.groupby("tool").agg(probed=("deployment_id", "count"), reachable=("reachable", "sum")).reset_index()
    out["reachable"] = out["reachable"].astype(int)
    out["share_reachable"] = out["reachable"] / out["probed"]
    return out


def live_deployments_by(deployments: pd.DataFrame, by: str = "tool", top: int | None = 15) -> pd.DataFrame:
    """Live (not removed) deployments per group, largest first; the tail is summed into "other"."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    live = deployments[deployments["removed_on"].isna()] if "removed_on" in deployments else deployments
    counts = live[by].fillna("unknown").value_counts().rename_axis(by).reset_index(name="deployments")
    if top is not None and len(counts) > top:
        rest = int(counts["deployments"].iloc[top:].sum())
        counts = pd.concat([counts.head(top), pd.DataFrame({by: ["other"], "deployments": [rest]})], ignore_index=True)
    return counts
