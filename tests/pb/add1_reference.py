"""``mes-add1`` by its definition: MES re-run at every whole-unit step of the per-voter budget.

This is what pabutools does (``voter_budget_increment=1``), on our MES (itself checked against
pabutools on every shared file). The engine's proven jumps must give the same selection.
"""

from __future__ import annotations

import importlib

from observatory.pb.model import Election
from observatory.pb.rules.base import total_cost

mes_module = importlib.import_module("observatory.pb.rules.mes")  # the package re-exports the function


class TooManySteps(Exception):
    """The unit-step loop needed more steps than allowed."""


def add1_by_unit_steps(election: Election, max_steps: int = 0) -> tuple[list[int], int]:
    """Selection and number of MES runs; ``max_steps`` > 0 caps the runs (``TooManySteps``)."""
    groups, eligible, free = mes_module._setup(election)
    if groups.n_ballots == 0:
        return [], 0
    b, previous, steps = election.budget / groups.n_ballots, list(free), 0
    while True:
        steps += 1
        if max_steps and steps > max_steps:
            raise TooManySteps(steps)
        outcome = free + mes_module._run(election, groups, eligible, b)
        if total_cost(election, outcome) > election.budget:
            return previous, steps
        if mes_module._exhaustive(election, outcome, eligible):
            return outcome, steps
        b, previous = b + 1, outcome
