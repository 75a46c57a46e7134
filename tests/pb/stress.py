"""Generators of elections that stress the rules' exactness (kept apart from real files).

- ``large_cost_counts``: costs around a magnitude (1e8 ... 1e12) with cents, where a float solver's
  tolerance is larger than a cent;
- ``zero_cost_approval``: approval elections with zero-cost projects, supported and unsupported, where
  the rules' satisfaction functions disagree on what a free project is worth.
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations

from observatory.pb.model import Election
from observatory.pb.pabulib import parse_string


def large_cost_counts(seed: int, n_projects: int, magnitude: float) -> Election:
    """Counts-only election: costs uniform in [magnitude, 10 x magnitude] with two decimals, a budget
    with cents between 20 % and 70 % of the total (so the grid has ~1e11+ points), votes 0-50."""
    rnd = random.Random(seed)
    cents = [rnd.randint(int(magnitude * 100), int(magnitude * 1000)) for _ in range(n_projects)]
    costs = [f"{c // 100}.{c % 100:02d}" for c in cents]
    budget_cents = int(sum(cents) * rnd.uniform(0.2, 0.7))
    votes = [rnd.randint(0, 50) for _ in range(n_projects)]
    if n_projects > 2:  # twins and a zero-vote project: ties the tie-breaks must settle
        costs[1], votes[1] = costs[0], votes[0]
        votes[2] = 0
    return Election.from_counts([str(i + 1) for i in range(n_projects)], costs, votes,
                                f"{budget_cents // 100}.{budget_cents % 100:02d}")


def brute_force_optimum(election: Election, by_budget: bool) -> tuple:
    """Lexicographic optimum by enumerating every subset: (cost, approvals) or (approvals, cost)."""
    best: tuple | None = None
    for k in range(election.n_projects + 1):
        for chosen in combinations(range(election.n_projects), k):
            cost = sum((election.costs[i] for i in chosen), Fraction(0))
            if cost <= election.budget:
                key = objective(election, list(chosen), by_budget)
                best = key if best is None or key > best else best
    assert best is not None
    return best


def objective(election: Election, chosen: list[int], by_budget: bool) -> tuple:
    cost = sum((election.costs[i] for i in chosen), Fraction(0))
    approvals = int(sum(int(election.approval_counts[i]) for i in chosen))
    return (cost, approvals) if by_budget else (approvals, cost)


def zero_cost_text(seed: int) -> str:
    """A Pabulib approval file with 7 projects, two of them free (one supported, one maybe not)."""
    rnd = random.Random(seed)
    n_projects = 7
    costs = [rnd.choice([100, 150, 200, 250, 300, 400]) for _ in range(n_projects)]
    free = rnd.sample(range(n_projects), 2)
    for p in free:
        costs[p] = 0
    ballots = []
    for _ in range(rnd.randint(5, 12)):
        chosen = rnd.sample(range(n_projects), rnd.randint(1, 4))
        if free[0] not in chosen and rnd.random() < 0.5:
            chosen.append(free[0])  # the first free project always has supporters (added below if none)
        ballots.append(sorted(chosen))
    if not any(free[0] in b for b in ballots):
        ballots[0] = sorted({*ballots[0], free[0]})
    budget = rnd.choice([300, 450, 600, 800])
    lines = ["META", "key;value", f"num_projects;{n_projects}", f"num_votes;{len(ballots)}",
             f"budget;{budget}", "vote_type;approval", "PROJECTS", "project_id;cost",
             *[f"{i + 1};{c}" for i, c in enumerate(costs)], "VOTES", "voter_id;vote",
             *[f"v{k};{','.join(str(p + 1) for p in b)}" for k, b in enumerate(ballots)]]
    return "\n".join(lines) + "\n"


def zero_cost_approval(seed: int) -> Election:
    return parse_string(zero_cost_text(seed), f"zero_cost_{seed}.pb").election
