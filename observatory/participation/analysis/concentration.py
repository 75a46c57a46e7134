"""Support concentration: how unequally supports are spread over proposals."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Threshold:
    platform: str
    instance_id: str
    supports: int
    rule: str
    sources: tuple[str, ...]


# 28,413: every Decide Madrid proposal list captured 2022-2025 shows "N apoyos - faltan M" with N + M = 28,413
# (e.g. 73 + 28,340; 2 + 28,411). The rule behind it is 1 % of the census population aged 16+.
MADRID_THRESHOLD = Threshold(
    platform="consul", instance_id="decide.madrid.es", supports=28_413,
    rule="1 % of Madrid's census population aged 16 and over",
    sources=("https://decide.madrid.es/proposals?geozone=14&page=155 (2022: '73 apoyos - faltan 28.340')",
             "https://decide.madrid.es/proposals?order=confidence_score&page=156&search=Cultura "
             "(2025: '2 apoyos - faltan 28.411')",
             "shared data consul/FORMAT.md §1.5 (votes_for_proposal_success, ~28,400 on Decide Madrid)"),
)
THRESHOLDS: dict[str, Threshold] = {MADRID_THRESHOLD.instance_id: MADRID_THRESHOLD}


def gini(values: np.ndarray | list[float]) -> float:
    """Gini coefficient of non-negative values (0 = equal, (n-1)/n = all on one)."""
    x = np.sort(np.asarray(values, dtype=float))
    if len(x) == 0:
        raise ValueError("Gini of an empty distribution")
    if np.any(x < 0):
        raise ValueError("Gini needs non-negative values")
    total = x.sum()
    if total == 0:
        return 0.0
    n = len(x)
    ranks = np.arange(1, n + 1)
    return float(2 * np.sum(ranks * x) / (n * total) - (n + 1) / n)


def top_share(values: np.ndarray | list[float], fraction: float) -> float:
    """Share of the total held by the top ``fraction`` of items (at least one item)."""
    x = np.sort(np.asarray(values, dtype=float))[::-1]
    total = x.sum()
    if len(x) == 0 or total == 0:
        return 0.0
    k = max(1, math.ceil(len(x) * fraction))
    return float(x[:k].sum() / total)


def log_bins(values: np.ndarray | list[float]) -> pd.DataFrame:
    """Counts in bins 0, 1, 2-3, 4-7, 8-15, ... (powers of two): readable on a log axis."""
    x = np.asarray(values, dtype=float)
    rows = [{"bin": "0", "low": 0, "high": 0, "count": int(np.sum(x == 0))}]
    low = 1
    top = x.max() if len(x) else 0
    while low <= top:
        high = low * 2 - 1
        rows.append({"bin": str(low) if low == high else f"{low}-{high}", "low": low, "high": high,
                     "count": int(np.sum((x >= low) & (x <= high)))})
        low *= 2
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Concentration:
    n: int
    total: int
    gini: float
    top1_share: float
    top10_share: float
    max_supports: int
    median_supports: float
    threshold: int | None
    reached_threshold: int | None


def summarise(supports: pd.Series, threshold: int | None = None) -> Concentration:
    x = supports.dropna().astype(float).to_numpy()
    if len(x) == 0:
        raise ValueError("no supports to summarise")
    return Concentration(n=len(x), total=int(x.sum()), gini=gini(x), top1_share=top_share(x, 0.01),
                         top10_share=top_share(x, 0.10), max_supports=int(x.max()), median_supports=float(np.median(x)),
                         threshold=threshold, reached_threshold=None if threshold is None else int(np.sum(x >= threshold)))
