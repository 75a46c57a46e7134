"""``mes-add1`` by its definition: MES re-run at every whole-unit step of the per-voter budget.

This is what pabutools does (``voter_budget_increment=1``), on our MES (itself checked against
pabutools on every shared file). The engine's proven jumps must give the same selection.
"""

from __future__ import annotations

import importlib
import time

from observatory.pb.model import Election
from observatory.pb.rules.base import total_cost

mes_module = importlib.import_module("observatory.pb.rules.mes")  # the package re-exports the function


class TooSlow(Exception):
    """The unit-step loop ran past its time allowance."""


def add1_by_unit_steps(election: Election, max_seconds: float = 0, exact: bool = False) -> tuple[list[int], int]:
    """Selection and number of MES runs; ``max_seconds`` > 0 caps the loop's time (``TooSlow``);
    ``exact`` runs MES in ``Fraction`` arithmetic at every step (small elections only)."""
    run = mes_module._mes_exact if exact else mes_module._run
    deadline = time.monotonic() + max_seconds if max_seconds > 0 else None
    groups, eligible, _free = mes_module._setup(election)
    if groups.n_ballots == 0:
        return [], 0
    b, previous, steps = election.budget / groups.n_ballots, [], 0
    while True:
        steps += 1
        if deadline is not None and time.monotonic() > deadline:
            raise TooSlow(steps)
        outcome = run(election, groups, eligible, b)
        if total_cost(election, outcome) > election.budget:
            return previous, steps
        if mes_module._exhaustive(election, outcome, eligible):
            return outcome, steps
        b, previous = b + 1, outcome
