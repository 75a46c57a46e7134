"""Adoption: live deployments, counting most those like the user's (same country, same kind of organisation).

Half the score is the tool's deployments on a log scale against the most-deployed tool, half the
deployments comparable to the user; a tool with no deployment recorded is unknown (the lists read may
not cover it), not a zero.
"""

import math

from observatory.chooser.criteria.base import Criterion
from observatory.chooser.facts import Facts, ToolFacts
from observatory.chooser.needs import Needs, organisation_type_for
from observatory.chooser.verdict import FactUsed, Verdict, scored, unknown

COMPARABLE_FULL = 10  # this many comparable deployments give the comparable half in full
FACTS_SHOWN = 3


def score(tool: ToolFacts, needs: Needs, facts: Facts) -> Verdict:
    live = tool.deployments
    if not live:
        return unknown("reason.adoption.none_recorded")
    overall = math.log1p(len(live)) / math.log1p(max(facts.most_deployments, 1))
    if not needs.country:
        used = tuple(FactUsed("fact.deployment", {"organisation": d.organisation or "–", "country": d.country or "–"},
                              d.source_url) for d in live[:FACTS_SHOWN])
        return scored(overall, "reason.adoption.counts", used, n=len(live))
    kind = organisation_type_for(needs.population)
    in_country = [d for d in live if d.country == needs.country]
    alike = [d for d in in_country if kind is None or d.organisation_type == kind]
    comparable = min(1.0, math.log1p(len(alike) + 0.5 * (len(in_country) - len(alike))) / math.log1p(COMPARABLE_FULL))
    used = tuple(FactUsed("fact.deployment", {"organisation": d.organisation or "–", "country": d.country or "–"},
                          d.source_url) for d in (alike or in_country or live)[:FACTS_SHOWN])
    return scored((overall + comparable) / 2, "reason.adoption.comparable", used, n=len(live),
                  n_country=len(in_country), n_alike=len(alike), country=needs.country,
                  key_kind=f"orgtype.{kind or 'any'}")


CRITERION = Criterion("adoption", 0.06, score)
