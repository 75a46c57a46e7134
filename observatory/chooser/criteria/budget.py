"""Budget: the cheapest public yearly price of a hosted offer against the budget (first year and per year).

Self-hosting costs (servers, staff) are in no source the catalogue reads, so they are unknown, not free.
"""

from observatory.chooser.criteria.base import Criterion
from observatory.chooser.facts import Facts, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import FactUsed, Verdict, not_asked, scored, unknown


def score(tool: ToolFacts, needs: Needs, facts: Facts) -> Verdict:
    budgets = [b for b in (needs.budget_first_year, needs.budget_per_year) if b is not None]
    if not budgets:
        return not_asked("reason.budget.not_asked")
    budget = min(budgets)
    if needs.hosting == "self_host":
        return unknown("reason.budget.self_host", budget_eur=budget)
    priced = [o for o in tool.offers if o.hosts and o.price_public and o.price_from_eur_per_year is not None]
    if not priced:
        return unknown("reason.budget.no_price", budget_eur=budget)
    cheapest = min(priced, key=lambda o: o.price_from_eur_per_year or 0.0)
    price = float(cheapest.price_from_eur_per_year or 0.0)
    used = (FactUsed("fact.price", {"provider": cheapest.provider, "price_eur": price}, cheapest.source_url),)
    if price <= budget:
        return scored(1.0, "reason.budget.within", used, price_eur=price, budget_eur=budget, provider=cheapest.provider)
    return scored(budget / price, "reason.budget.over", used, price_eur=price, budget_eur=budget,
                  provider=cheapest.provider)


CRITERION = Criterion("budget", 0.06, score)
