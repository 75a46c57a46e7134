"""The three research analyses on one dataset, as plain results shared by the CLI and the Research page."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from observatory.participation.analysis import budgets, concentration, exposure
from observatory.participation.analysis.listing import LISTING_DEFAULTS, ListingDefaults

MIN_COVERAGE = 0.5  # below this share of the id range, the data is a sample, not a publication sequence

# Support window: Decide Madrid proposals stay open for supports 12 months after creation
# (consul FORMAT.md §1.5); Decidim has no such window, so no minimum age there.
MIN_AGE_DAYS = {"consul": 365.0, "decidim": 0.0}


@dataclass
class ExposureResult:
    listing: ListingDefaults
    page_size: int
    frame: pd.DataFrame                       # every proposal with exposure_days, censored, day_count
    used: pd.DataFrame                        # the rows of the relation
    snapshot: pd.Timestamp
    min_age_days: float
    correlation: exposure.RankCorrelation | None
    curve: exposure.FittedCurve | None
    busy_quiet: exposure.BusyQuiet | None
    problems: list[str]
    coverage: float | None = None
    sample_only: bool = False   # the ids show a hand-picked sample: exposure not reconstructed


def exposure_analysis(proposals: pd.DataFrame, platform: str, page_size: int | None = None,
                      snapshot: pd.Timestamp | None = None, min_age_days: float | None = None) -> ExposureResult:
    listing = LISTING_DEFAULTS[platform]
    size = page_size or listing.page_size
    kept = proposals[proposals["quality_flag"].isna()] if "quality_flag" in proposals else proposals
    frame = _exposure_per_listing(kept, platform, size)
    snap = pd.Timestamp(snapshot) if snapshot is not None else _snapshot(proposals)
    min_age = MIN_AGE_DAYS.get(platform, 0.0) if min_age_days is None else min_age_days
    used = exposure.eligible(frame, snap, min_age) if not frame.empty else frame
    problems: list[str] = []
    correlation = curve = split = None
    # Consul lists every proposal of the instance in one list, so its ids must form a near-complete
    # sequence; Decidim lists per component and its exports hold every published proposal of a component.
    coverage = exposure.sequence_coverage(proposals["proposal_id"]) if platform == "consul" else None
    if coverage is not None and coverage < MIN_COVERAGE:
        problems.append(f"only {coverage:.1%} of the id range is present: a sample, not the full publication "
                        "sequence, so first-page exposure cannot be reconstructed")
        return ExposureResult(listing, size, frame, used.iloc[0:0], snap, min_age, None, None, None, problems, coverage,
                              sample_only=True)
    try:
        correlation = exposure.spearman_with_ci(used["exposure_days"].to_numpy(), used["supports"].to_numpy())
        curve = exposure.fit_log_curve(used["exposure_days"].to_numpy(), used["supports"].to_numpy())
    except (ValueError, KeyError) as exc:
        problems.append(f"rank correlation: {exc}")
    try:
        split = exposure.busy_vs_quiet(used)
    except (ValueError, KeyError) as exc:
        problems.append(f"busy vs quiet days: {exc}")
    return ExposureResult(listing, size, frame, used, snap, min_age, correlation, curve, split, problems, coverage)


def _exposure_per_listing(proposals: pd.DataFrame, platform: str, page_size: int) -> pd.DataFrame:
    """Decidim shows one list per proposals component; Consul one list per instance."""
    if platform != "decidim" or "component_id" not in proposals or proposals["component_id"].isna().all():
        return exposure.add_exposure(proposals, page_size)
    parts = [exposure.add_exposure(group, page_size) for _, group in proposals.groupby("component_id", dropna=False)]
    return pd.concat(parts, ignore_index=True) if parts else exposure.add_exposure(proposals, page_size)


def _snapshot(proposals: pd.DataFrame) -> pd.Timestamp:
    """When supports were counted: the day after the last publication (exports carry no export time)."""
    last = pd.to_datetime(proposals["published_at"]).max()
    return (last.normalize() + pd.Timedelta(days=1)) if pd.notna(last) else pd.Timestamp.now()


def concentration_analysis(proposals: pd.DataFrame, instance_id: str) -> tuple[concentration.Concentration,
                                                                             pd.DataFrame]:
    kept = proposals[proposals["quality_flag"].isna()] if "quality_flag" in proposals else proposals
    threshold = concentration.THRESHOLDS.get(instance_id)
    summary = concentration.summarise(kept["supports"], threshold.supports if threshold else None)
    return summary, concentration.log_bins(kept["supports"].dropna().to_numpy())


def budget_analysis(projects: pd.DataFrame, instance_id: str,
                    totals: dict[str, float] | None = None) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                     budgets.BudgetAssumption | None]:
    """Per-budget summary and rule comparison; totals from the API when known, else the sourced assumption."""
    assumption = budgets.ASSUMPTIONS.get(instance_id)
    known = {str(b): float(t) for b, t in projects[["budget_id", "total_budget"]].dropna().drop_duplicates().values}
    chosen = totals if totals is not None else (known or (assumption.totals if assumption else {}))
    summary = budgets.by_budget(projects, assumption.labels if assumption else None)
    if assumption:
        summary["published_winners"] = summary["budget_id"].astype(str).map(assumption.published_winners)
    return summary, budgets.compare_rules(projects, chosen), assumption
