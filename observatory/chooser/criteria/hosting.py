"""Hosting: can we run it ourselves (open code, public repository), or does a provider host it (an offer)?"""

from observatory.chooser.criteria.base import Criterion
from observatory.chooser.criteria.open_source import is_open_source
from observatory.chooser.facts import Facts, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import FactUsed, Verdict, not_asked, scored, unknown

SUPPORT_ONLY = 0.5  # a service provider is listed, but the source does not say it hosts


def offer_fact(offer) -> FactUsed:  # noqa: ANN001 - Offer
    return FactUsed("fact.offer", {"provider": offer.provider, "key_kind": f"offer.{offer.kind}"}, offer.source_url)


def self_hostable(tool: ToolFacts) -> bool | None:
    is_open = is_open_source(tool)
    if is_open is False:
        return False
    if is_open and tool.repo_url:
        return True
    return None


def score(tool: ToolFacts, needs: Needs, facts: Facts) -> Verdict:
    if needs.hosting == "either":
        return not_asked("reason.hosting.either")
    if needs.hosting == "self_host":
        can = self_hostable(tool)
        if can is None:
            return unknown("reason.hosting.self_unknown")
        if can:
            return scored(1.0, "reason.hosting.self_yes", (FactUsed("fact.repository", {"url": tool.repo_url},
                                                                    tool.repo_url),))
        return scored(0.0, "reason.hosting.self_closed", (FactUsed("fact.not_open_source", {"spdx": tool.licence_spdx
                                                                   or "–"}, tool.licence_source_url),))
    hosted = [o for o in tool.offers if o.hosts]
    if hosted:
        return scored(1.0, "reason.hosting.hosted_yes", tuple(offer_fact(o) for o in hosted),
                      providers=sorted({o.provider for o in hosted}))
    support = [o for o in tool.offers if o.kind == "support_contract"]
    if support:
        return scored(SUPPORT_ONLY, "reason.hosting.support_only", tuple(offer_fact(o) for o in support),
                      n=len({o.provider for o in support}))
    return unknown("reason.hosting.hosted_unknown")


CRITERION = Criterion("hosting", 0.10, score)
