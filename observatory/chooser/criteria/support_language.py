"""Support in our language: does an offer (hosting, support, training) state it serves that language?"""

from observatory.chooser.criteria.base import Criterion
from observatory.chooser.criteria.hosting import offer_fact
from observatory.chooser.facts import Facts, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import Verdict, not_asked, scored, unknown


def score(tool: ToolFacts, needs: Needs, facts: Facts) -> Verdict:
    if not needs.support_language:
        return not_asked("reason.support_language.not_asked")
    language = needs.support_language.lower()
    if not tool.offers:
        return unknown("reason.support_language.no_offer", language=language)
    serving = [o for o in tool.offers if language in o.languages]
    if serving:
        return scored(1.0, "reason.support_language.yes", tuple(offer_fact(o) for o in serving), language=language,
                      providers=sorted({o.provider for o in serving}))
    if all(o.languages for o in tool.offers):
        return scored(0.0, "reason.support_language.no", tuple(offer_fact(o) for o in tool.offers), language=language)
    return unknown("reason.support_language.not_stated", tuple(offer_fact(o) for o in tool.offers), language=language,
                   n=len(tool.offers))


CRITERION = Criterion("support_language", 0.03, score)
