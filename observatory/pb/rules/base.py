"""Shared pieces of the rules: the result type and pabutools' tie-breaking order."""

from __future__ import annotations

from fractions import Fraction

from observatory.pb.model import Election

# Relative gap under which two float values are treated as a possible tie and settled exactly.
NEAR_TIE = 1e-9


class RuleNotApplicable(ValueError):
    """The rule is undefined for this election (e.g. ``actual`` without a ``selected`` column)."""


def total_cost(election: Election, selected: list[int]) -> Fraction:
    return sum((election.costs[i] for i in selected), Fraction(0))
