"""Listing-order exposure: how long each proposal stayed on the first page of a newest-first list.

Model: proposals are listed newest first, ``page_size`` per page. Proposal *i* leaves page one when the
``page_size``-th proposal published after it appears, so its first-page time is
``t[i + page_size] - t[i]``; proposals with fewer later arrivals in the data are right-censored at the
end of the data. Ties in publication time are broken by id (Consul and Decidim ids grow with
creation). When the data only has dates, arrivals of one day are spread evenly over that day.

This is observational: we see one history, not what the same proposal would have got with a
different listing; proposals published on busy days also differ in other ways.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


def publication_sequence(frame: pd.DataFrame, spread_within_day: bool | None = None) -> pd.DataFrame:
    """Proposals sorted by publication (ties by numeric id), with ``t`` as a float number of days.

    ``spread_within_day=None`` spreads only when every timestamp is at midnight (date-only data).
    """
    df = frame.dropna(subset=["published_at"]).copy()
    df["published_at"] = pd.to_datetime(df["published_at"])
    df["_id_num"] = pd.to_numeric(df["proposal_id"], errors="coerce")
    df = df.sort_values(["published_at", "_id_num", "proposal_id"], kind="stable").reset_index(drop=True)
    origin = df["published_at"].min() if len(df) else pd.Timestamp(0)
    t = (df["published_at"] - origin) / pd.Timedelta(days=1)
    if spread_within_day is None:
        spread_within_day = bool(len(df)) and bool((df["published_at"] == df["published_at"].dt.normalize()).all())
    if spread_within_day:
        day = df["published_at"].dt.normalize()
        rank = df.groupby(day).cumcount()
        size = df.groupby(day)["proposal_id"].transform("size")
        t = (day - origin.normalize()) / pd.Timedelta(days=1) + (rank + 0.5) / size
    df["t"] = t.astype(float)
    df["date_only"] = spread_within_day
    return df.drop(columns="_id_num")


def first_page_exposure(t: np.ndarray, page_size: int, end: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Days on page one for publication times ``t`` (sorted ascending) and a censoring mask.

    ``end`` is when the observation stops (default: the last publication time).
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    t = np.asarray(t, dtype=float)
    if np.any(np.diff(t) < 0):
        raise ValueError("publication times must be sorted")
    n = len(t)
    stop = float(t[-1]) if end is None and n else float(end or 0.0)
    exposure = np.empty(n)
    censored = np.zeros(n, dtype=bool)
    pushed = np.arange(n) + page_size
    has_push = pushed < n
    exposure[has_push] = t[pushed[has_push]] - t[has_push]
    exposure[~has_push] = stop - t[~has_push]
    censored[~has_push] = True
    return exposure, censored


def add_exposure(frame: pd.DataFrame, page_size: int, end: pd.Timestamp | None = None,
                 spread_within_day: bool | None = None) -> pd.DataFrame:
    """The proposals with ``exposure_days``, ``censored`` and ``day_count`` (proposals published that day)."""
    df = publication_sequence(frame, spread_within_day)
    if df.empty:
        return df.assign(exposure_days=[], censored=[], day_count=[])
    origin = df["published_at"].min()
    if df["date_only"].iloc[0]:
        origin = origin.normalize()
    end_t = None if end is None else (pd.Timestamp(end) - origin) / pd.Timedelta(days=1)
    exposure, censored = first_page_exposure(df["t"].to_numpy(), page_size, end_t)
    df["exposure_days"] = exposure
    df["censored"] = censored
    df["day_count"] = df.groupby(df["published_at"].dt.normalize())["proposal_id"].transform("size")
    return df


def eligible(df: pd.DataFrame, snapshot: pd.Timestamp, min_age_days: float) -> pd.DataFrame:
    """Rows fit for the exposure↔supports relation: not censored, not withdrawn, not flagged junk,
    and old enough at the snapshot to have had the full support window."""
    age = (pd.Timestamp(snapshot) - df["published_at"]) / pd.Timedelta(days=1)
    keep = ~df["censored"] & (age >= min_age_days) & df["supports"].notna()
    if "state" in df:
        keep &= df["state"].fillna("") != "withdrawn"
    if "quality_flag" in df:
        keep &= df["quality_flag"].isna()
    return df[keep]


@dataclass(frozen=True)
class RankCorrelation:
    n: int
    rho: float
    low: float
    high: float
    p_value: float


def spearman_with_ci(x: np.ndarray, y: np.ndarray, level: float = 0.95) -> RankCorrelation:
    """Spearman's rho with a Fisher-z interval using Bonett & Wright's (2000) standard error
    ``sqrt((1 + rho²/2) / (n - 3))``, which keeps coverage close to nominal for rank correlations."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    if n < 4:
        raise ValueError(f"need at least 4 pairs for a rank correlation interval, got {n}")
    result = stats.spearmanr(x, y)
    rho = float(result.statistic)
    if not np.isfinite(rho):
        raise ValueError("rank correlation undefined (a constant variable)")
    z = np.arctanh(np.clip(rho, -0.999999, 0.999999))
    se = np.sqrt((1 + rho * rho / 2) / (n - 3))
    q = stats.norm.ppf(0.5 + level / 2)
    return RankCorrelation(n=n, rho=rho, low=float(np.tanh(z - q * se)), high=float(np.tanh(z + q * se)),
                           p_value=float(result.pvalue))


@dataclass(frozen=True)
class FittedCurve:
    slope: float          # elasticity: d log(1+supports) / d log(1+exposure days)
    intercept: float
    x: np.ndarray          # exposure days, for drawing
    y: np.ndarray          # fitted supports


def fit_log_curve(exposure_days: np.ndarray, supports: np.ndarray, points: int = 50) -> FittedCurve:
    """Least squares of log(1+supports) on log(1+exposure): a curve robust to the heavy tail of supports."""
    lx, ly = np.log1p(np.asarray(exposure_days, float)), np.log1p(np.asarray(supports, float))
    slope, intercept = np.polyfit(lx, ly, 1)
    grid = np.linspace(float(np.min(exposure_days)), float(np.max(exposure_days)), points)
    return FittedCurve(float(slope), float(intercept), grid, np.expm1(intercept + slope * np.log1p(grid)))


@dataclass(frozen=True)
class BusyQuiet:
    threshold: float       # proposals per day above which a day is "busy" (the median day)
    busy_n: int
    quiet_n: int
    busy_median_supports: float
    quiet_median_supports: float
    busy_median_exposure: float
    quiet_median_exposure: float
    p_value: float         # two-sided Mann-Whitney U on supports


def busy_vs_quiet(df: pd.DataFrame) -> BusyQuiet:
    """Proposals published on days busier than the median publishing day vs the others."""
    per_day = df.groupby(df["published_at"].dt.normalize())["day_count"].first()
    threshold = float(per_day.median())
    busy = df[df["day_count"] > threshold]
    quiet = df[df["day_count"] <= threshold]
    if busy.empty or quiet.empty:
        raise ValueError("need proposals on both busy and quiet days")
    test = stats.mannwhitneyu(busy["supports"], quiet["supports"], alternative="two-sided")
    return BusyQuiet(threshold, len(busy), len(quiet), float(busy["supports"].median()),
                     float(quiet["supports"].median()), float(busy["exposure_days"].median()),
                     float(quiet["exposure_days"].median()), float(test.pvalue))


def sequence_coverage(proposal_ids: pd.Series) -> float | None:
    """Share of the id range present: exposure needs (nearly) every publication, not a hand-picked sample.

    Ids grow with creation on both platforms, so 80 proposals spread over ids 7..26,787 (a research
    sample) cover 0.3 % of the range, while a full export minus moderated items covers most of it.
    """
    ids = pd.to_numeric(proposal_ids, errors="coerce").dropna()
    if ids.empty:
        return None
    span = ids.max() - ids.min() + 1
    return float(ids.nunique() / span) if span > 0 else None
