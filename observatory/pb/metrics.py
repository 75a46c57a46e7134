"""What an outcome means for the budget and the voters: the metrics stored beside every rule's selection.

A voter "supports" the projects listed on their ballot (whatever the vote type: approval projection,
a project listed twice counts once). Voter metrics are averaged over voters with a non-empty ballot and
are computed on the merged identical ballots of the model (weights), so 60,000 voters cost little.
Elections built from counts only have no ballots: their voter metrics are ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from observatory.pb.model import Election

GROUP_COLUMNS: dict[str, tuple[str, ...]] = {"district": ("district", "subunit"), "category": ("category",)}


@dataclass
class GroupShare:
    """Funded cost of one district or category against the cost of all its projects."""

    kind: str
    value: str
    funded_cost: float
    total_cost: float

    @property
    def funded_share(self) -> float | None:
        return self.funded_cost / self.total_cost if self.total_cost > 0 else None


@dataclass
class OutcomeMetrics:
    n_selected: int
    cost: float
    budget_share: float | None
    supports: int
    voters_with_funded_share: float | None = None
    mean_satisfaction_cost: float | None = None
    mean_satisfaction_count: float | None = None
    gini_satisfaction: float | None = None
    groups: list[GroupShare] = field(default_factory=list)

    def scalars(self) -> dict[str, float | int | None]:
        """The metrics as flat values (what ``compare`` and ``pb_outcomes`` hold)."""
        return {k: v for k, v in self.__dict__.items() if k != "groups"}


def weighted_gini(values: np.ndarray, weights: np.ndarray) -> float | None:
    """Gini coefficient of ``values`` where each value stands for ``weights`` people (Lorenz trapezoids).

    ``None`` when everyone has zero: inequality of nothing is undefined.
    """
    if len(values) == 0:
        return None
    order = np.argsort(values, kind="stable")
    x, w = values[order].astype(np.float64), weights[order].astype(np.float64)
    cum = np.cumsum(w * x)
    total = cum[-1]
    if total <= 0:
        return None
    previous = np.concatenate(([0.0], cum[:-1]))
    return float(1.0 - np.sum(w * (previous + cum)) / (w.sum() * total))


def selection_mask(election: Election, selected: list[int]) -> np.ndarray:
    mask = np.zeros(election.n_projects, dtype=bool)
    mask[np.asarray(selected, dtype=np.int64)] = True
    return mask


def _voter_metrics(election: Election, funded: np.ndarray) -> dict[str, float | None]:
    groups = election.approval_groups
    if len(groups.weights) == 0:
        return {}
    rows = np.repeat(np.arange(len(groups.weights)), np.diff(groups.indptr))
    costs = election.cost_array[groups.indices]
    hit = funded[groups.indices]
    listed_cost = np.bincount(rows, weights=costs, minlength=len(groups.weights))
    funded_cost = np.bincount(rows, weights=costs * hit, minlength=len(groups.weights))
    listed_n = np.diff(groups.indptr).astype(np.float64)
    funded_n = np.bincount(rows, weights=hit.astype(np.float64), minlength=len(groups.weights))
    with np.errstate(invalid="ignore", divide="ignore"):
        sat_cost = np.where(listed_cost > 0, funded_cost / listed_cost, funded_n / listed_n)
    sat_count = funded_n / listed_n
    w = groups.weights.astype(np.float64)
    return {
        "voters_with_funded_share": float(w[funded_n > 0].sum() / w.sum()),
        "mean_satisfaction_cost": float(np.average(sat_cost, weights=w)),
        "mean_satisfaction_count": float(np.average(sat_count, weights=w)),
        "gini_satisfaction": weighted_gini(sat_cost, w),
    }


def group_shares(election: Election, funded: np.ndarray) -> list[GroupShare]:
    """Funded share per district and per category (comma lists: a project counts in each of its categories)."""
    out: list[GroupShare] = []
    costs = election.cost_array
    for kind, candidates in GROUP_COLUMNS.items():
        column = next((election.column(c) for c in candidates if election.column(c) is not None), None)
        if column is None:
            continue
        totals: dict[str, list[float]] = {}
        for i, cell in enumerate(column):
            values = [v.strip() for v in cell.split(",")] if kind == "category" else [cell.strip()]
            for value in dict.fromkeys(v for v in values if v):
                entry = totals.setdefault(value, [0.0, 0.0])
                entry[1] += costs[i]
                if funded[i]:
                    entry[0] += costs[i]
        out.extend(GroupShare(kind, v, f, t) for v, (f, t) in sorted(totals.items()))
    return out


def outcome_metrics(election: Election, selected: list[int]) -> OutcomeMetrics:
    """All metrics of one selection (project positions) on one election."""
    funded = selection_mask(election, selected)
    cost = float(sum(election.costs[i] for i in set(selected)))
    budget = float(election.budget)
    supports = int(election.approval_counts[funded].sum()) if election.n_projects else 0
    metrics = OutcomeMetrics(n_selected=len(set(selected)), cost=cost,
                             budget_share=cost / budget if budget > 0 else None, supports=supports)
    if election.ballots is not None:
        for key, value in _voter_metrics(election, funded).items():
            setattr(metrics, key, value)
    metrics.groups = group_shares(election, funded)
    return metrics


def changes(reference: list[str], other: list[str]) -> dict[str, list[str]]:
    """Projects ``other`` funds that ``reference`` does not (added) and the reverse (removed)."""
    ref, oth = set(reference), set(other)
    return {"added": [p for p in other if p not in ref], "removed": [p for p in reference if p not in oth]}
