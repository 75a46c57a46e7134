"""Greedy rules: by votes (skip or stop), by votes per cost, by points, and the file's threshold variant.

Semantics follow pabutools 1.2.3 ``greedy_utilitarian_scheme_additive``: projects are ordered by
satisfaction density, ties by project id string; each project that still fits is taken. Densities are
compared exactly (``Fraction``).

Zero-cost projects follow the satisfaction function each rule stands for (docs/pb.md, "Zero-cost
projects"): under cost satisfaction (``greedy``, ``greedy-noskip``, ``greedy-score``: density =
approvals = cost satisfaction / cost) a free project brings satisfaction 0, so it has density 0 and
comes last with the unsupported ones; under cardinality satisfaction (``greedy-ratio``: density =
approvals / cost) a supported free project has infinite density and comes first.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import numpy as np

from observatory.pb.model import Election
from observatory.pb.rules.base import total_cost

INF = Fraction(10) ** 30  # larger than any density


def _order(election: Election, support: np.ndarray, per_cost: bool, exclude: Iterable[int],
           free_first: bool) -> list[int]:
    excluded = set(exclude)
    rank = election.lexico_rank

    def density(i: int) -> Fraction:
        s = Fraction(str(support[i])) if not float(support[i]).is_integer() else Fraction(int(support[i]))
        if s <= 0:
            return Fraction(0)
        c = election.costs[i]
        if c == 0:
            return INF if free_first else Fraction(0)
        return s / c if per_cost else s

    candidates = [i for i in range(election.n_projects) if i not in excluded]
    return sorted(candidates, key=lambda i: (-density(i), rank[i]))


def greedy_fill(election: Election, support: np.ndarray, per_cost: bool = False,
                initial: list[int] | None = None, stop_at_first_misfit: bool = False,
                eligible: np.ndarray | None = None, free_first: bool | None = None) -> list[int]:
    """Take projects in density order while they fit (or until the first misfit).

    ``free_first`` (default: ``per_cost``) puts supported zero-cost projects first (cardinality
    satisfaction) rather than last (cost satisfaction)."""
    free_first = per_cost if free_first is None else free_first
    selected = list(initial or [])
    remaining = election.budget - total_cost(election, selected)
    for i in _order(election, support, per_cost, selected, free_first):
        if eligible is not None and not eligible[i]:
            continue
        if election.costs[i] <= remaining:
            selected.append(i)
            remaining -= election.costs[i]
        elif stop_at_first_misfit:
            break
    return selected


def greedy(election: Election) -> list[int]:
    """Utilitarian greedy by approvals (cities' usual rule); pabutools ``Cost_Sat``."""
    return greedy_fill(election, election.approval_counts)


def greedy_noskip(election: Election) -> list[int]:
    """Greedy by approvals that stops at the first project that does not fit (no skipping)."""
    return greedy_fill(election, election.approval_counts, stop_at_first_misfit=True)


def greedy_ratio(election: Election) -> list[int]:
    """Greedy by approvals per unit of cost; pabutools ``Cardinality_Sat``."""
    return greedy_fill(election, election.approval_counts, per_cost=True)


def greedy_score(election: Election) -> list[int]:
    """Greedy by total points (cumulative/scoring points, ordinal positional points, approvals)."""
    return greedy_fill(election, np.round(election.score_totals, 9))
