"""Data location: kept in the EU or in our country. A hard constraint when asked: a tool whose every hosted
offer is known to keep data elsewhere is excluded; an unstated location is unknown, never a zero."""

from observatory.chooser.criteria.base import Criterion
from observatory.chooser.criteria.hosting import offer_fact, self_hostable
from observatory.chooser.facts import EU_COUNTRIES, Facts, Offer, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import FactUsed, Verdict, not_asked, scored, unknown


def _inside(offer: Offer, needs: Needs) -> bool | None:
    """True/False when the offer's hosting place is stated, None when it is not."""
    target = EU_COUNTRIES if needs.data_location == "eu" else {needs.country or ""}
    if offer.hosting_countries:
        return any(c in target for c in offer.hosting_countries)
    if needs.data_location == "eu" and offer.eu_hosting is not None:
        return bool(offer.eu_hosting)
    if needs.data_location == "country" and offer.eu_hosting is False and needs.country in EU_COUNTRIES:
        return False  # kept outside the EU, so outside this EU country
    return None


def score(tool: ToolFacts, needs: Needs, facts: Facts) -> Verdict:
    if needs.data_location == "anywhere":
        return not_asked("reason.data_location.not_asked")
    place = {"key_place": f"place.{needs.data_location}", "country": needs.country or "–"}
    if needs.hosting != "hosted" and self_hostable(tool):
        return scored(1.0, "reason.data_location.self_hosted", (FactUsed("fact.repository", {"url": tool.repo_url},
                                                                         tool.repo_url),), **place)
    hosted = [o for o in tool.offers if o.hosts]
    if not hosted:
        return unknown("reason.data_location.no_offer", **place)
    verdicts = [(o, _inside(o, needs)) for o in hosted]
    inside = [o for o, v in verdicts if v]
    if inside:
        return scored(1.0, "reason.data_location.inside", tuple(offer_fact(o) for o in inside),
                      providers=sorted({o.provider for o in inside}), **place)
    if all(v is False for _, v in verdicts):
        return scored(0.0, "reason.data_location.outside", tuple(offer_fact(o) for o in hosted), excludes=True,
                      **place)
    return unknown("reason.data_location.not_stated", tuple(offer_fact(o) for o in hosted), n=len(hosted), **place)


CRITERION = Criterion("data_location", 0.08, score)
