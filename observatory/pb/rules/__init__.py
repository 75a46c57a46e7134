"""Rule registry: adding a rule = one function in a module of this package + one line here.

Every rule takes an :class:`~observatory.pb.model.Election` and returns the selected project
positions (in selection order where the rule has one).
"""

from __future__ import annotations

from collections.abc import Callable

from observatory.pb.model import Election, NeedsBallots
from observatory.pb.rules.actual import actual
from observatory.pb.rules.base import RuleNotApplicable
from observatory.pb.rules.declared import declared
from observatory.pb.rules.greedy import greedy, greedy_noskip, greedy_ratio, greedy_score
from observatory.pb.rules.mes import mes, mes_add1, mes_add1_greedy
from observatory.pb.rules.mes_points import mes_points
from observatory.pb.rules.optimal import max_budget, max_supports
from observatory.pb.rules.phragmen import phragmen

Rule = Callable[[Election], list[int]]

RULES: dict[str, Rule] = {
    "greedy": greedy,
    "greedy-noskip": greedy_noskip,
    "greedy-ratio": greedy_ratio,
    "greedy-score": greedy_score,
    "mes": mes,
    "mes-add1": mes_add1,
    "mes-add1-greedy": mes_add1_greedy,
    "mes-points": mes_points,
    "phragmen": phragmen,
    "max-supports": max_supports,
    "max-budget": max_budget,
    "actual": actual,
    "declared": declared,
}

# Rules that only need per-project vote counts (usable with Election.from_counts).
COUNT_RULES = ("greedy", "greedy-noskip", "greedy-ratio", "max-supports", "max-budget")

__all__ = ["COUNT_RULES", "RULES", "NeedsBallots", "Rule", "RuleNotApplicable", "run_rule"]


def run_rule(name: str, election: Election) -> list[str]:
    """Run a registered rule and return the selected project ids (strings, as in the file)."""
    try:
        rule = RULES[name]
    except KeyError:
        raise KeyError(f"unknown rule {name!r}; known: {', '.join(RULES)}") from None
    return [election.project_ids[i] for i in rule(election)]
