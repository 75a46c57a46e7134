"""Each criterion on a known fact, an unknown fact and (for hard constraints) an excluding fact.

Facts are built in memory so each case shows exactly which fact decides; an unknown is ``score None``,
never 0, and it still carries a reason.
"""

from __future__ import annotations

import pytest

from observatory.analytics import licences as lic
from observatory.chooser.criteria import CRITERIA, REGISTRY
from observatory.chooser.facts import AccessibilityClaim, Deployment, Facts, Health, Offer, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.text import say

SRC = "https://example.org/src"
CATALOGUE = {
    "AGPL-3.0-only": lic.LicenceFacts("AGPL-3.0-only", "network_copyleft", True, True),
    "MIT": lic.LicenceFacts("MIT", "permissive", True, False),
    "BUSL-1.1": lic.LicenceFacts("BUSL-1.1", "source_available", False, False),
}


def tool(**kw) -> ToolFacts:  # noqa: ANN003
    spdx = kw.pop("licence_spdx", "MIT")
    return ToolFacts(tool_id=kw.pop("tool_id", "t"), name="T", licence_spdx=spdx,
                     licence=lic.explain(spdx, "en", CATALOGUE) if spdx else None, source_url=SRC,
                     licence_source_url=SRC, status_source_url=SRC, **kw)


def offer(kind: str = "saas", countries: tuple[str, ...] = (), eu: bool | None = None, price: float | None = None,
          languages: tuple[str, ...] = ()) -> Offer:
    return Offer("Provider", kind, countries, eu, price is not None, price, languages, SRC)


def verdict(name: str, t: ToolFacts, **needs):  # noqa: ANN003, ANN201
    facts = Facts({t.tool_id: t}, {"en": {}, "fr": {}})
    return CRITERIA[name].score(t, Needs(**needs), facts)


def check_unknown(v) -> None:  # noqa: ANN001
    assert v.asked and v.score is None and not v.excludes and not v.known
    assert say(v.reason, "fr", **v.params) and say(v.reason, "en", **v.params)  # worded in both languages


def test_registry_has_one_module_per_criterion_and_weights_sum_to_one():
    assert len({c.name for c in REGISTRY}) == len(REGISTRY) == len(CRITERIA)
    assert sum(c.weight for c in REGISTRY) == pytest.approx(1.0)


def test_processes():
    claims = {"participatory_budgeting": ("code", SRC), "proposals": ("self_declared", SRC)}
    v = verdict("processes", tool(features=claims), processes=["participatory_budgeting", "proposals", "petitions"])
    assert v.score == pytest.approx((1.0 + 0.7) / 3) and v.params["missing_features"] == ["petitions"]
    assert v.sources == [SRC]
    check_unknown(verdict("processes", tool(), processes=["participatory_budgeting"]))  # no claim at all
    assert not verdict("processes", tool(features=claims)).asked


def test_licence_network_copyleft_is_a_hard_constraint():
    assert verdict("licence", tool(licence_spdx="AGPL-3.0-only")).score == 1.0
    refused = verdict("licence", tool(licence_spdx="AGPL-3.0-only"), network_copyleft_ok=False)
    assert refused.excludes and refused.score == 0.0 and refused.sources == [SRC]
    check_unknown(verdict("licence", tool(licence_spdx="LicenseRef-Unknown")))


def test_open_source_required():
    assert verdict("open_source", tool(open_source=True)).score == 1.0
    closed = verdict("open_source", tool(licence_spdx="BUSL-1.1", open_source=False))
    assert closed.excludes
    check_unknown(verdict("open_source", tool(licence_spdx=None)))
    assert not verdict("open_source", tool(open_source=False), open_source_required=False).asked


def test_hosting():
    assert verdict("hosting", tool(offers=[offer("saas")]), hosting="hosted").score == 1.0
    assert verdict("hosting", tool(offers=[offer("support_contract")]), hosting="hosted").score == 0.5
    check_unknown(verdict("hosting", tool(), hosting="hosted"))  # no offer recorded: unknown, not zero
    assert verdict("hosting", tool(open_source=True, repo_url=SRC), hosting="self_host").score == 1.0
    assert verdict("hosting", tool(licence_spdx="BUSL-1.1", open_source=False), hosting="self_host").score == 0.0
    assert not verdict("hosting", tool(), hosting="either").asked


def test_data_location():
    in_eu = verdict("data_location", tool(offers=[offer(countries=("FR",))]), hosting="hosted", data_location="eu")
    assert in_eu.score == 1.0 and in_eu.sources == [SRC]
    outside = verdict("data_location", tool(offers=[offer(countries=("US",))]), hosting="hosted", data_location="eu")
    assert outside.excludes and outside.score == 0.0
    check_unknown(verdict("data_location", tool(offers=[offer()]), hosting="hosted", data_location="eu"))
    check_unknown(verdict("data_location", tool(), hosting="hosted", data_location="eu"))
    country = verdict("data_location", tool(offers=[offer(eu=True)]), hosting="hosted", data_location="country",
                      country="FR")
    check_unknown(country)  # "in the EU" does not say "in France"
    assert verdict("data_location", tool(open_source=True, repo_url=SRC), data_location="eu").score == 1.0


def test_budget():
    priced = tool(offers=[offer(price=5000.0)])
    assert verdict("budget", priced, budget_per_year=10000.0).score == 1.0
    assert verdict("budget", priced, budget_per_year=2500.0).score == pytest.approx(0.5)
    assert verdict("budget", priced, budget_per_year=10000.0, budget_first_year=2500.0).score == pytest.approx(0.5)
    check_unknown(verdict("budget", tool(offers=[offer()]), budget_per_year=10000.0))


def test_accessibility():
    full = tool(accessibility=[AccessibilityClaim("RGAA 4", None, "full", SRC)])
    assert verdict("accessibility", full, accessibility="rgaa").score == 1.0
    low = tool(accessibility=[AccessibilityClaim("WCAG 2.1", "A", "full", SRC)])
    assert verdict("accessibility", low, accessibility="wcag_aa").score == 0.5
    check_unknown(verdict("accessibility", tool(), accessibility="rgaa"))


def test_languages():
    read = tool(languages={"fr": (0.8, SRC), "en": (1.0, SRC)})
    assert verdict("languages", read, languages=["fr", "de"]).score == pytest.approx(0.4)
    check_unknown(verdict("languages", tool(), languages=["fr"]))


def test_support_language():
    assert verdict("support_language", tool(offers=[offer(languages=("fr",))]), support_language="fr").score == 1.0
    assert verdict("support_language", tool(offers=[offer(languages=("de",))]), support_language="fr").score == 0.0
    check_unknown(verdict("support_language", tool(offers=[offer()]), support_language="fr"))


def test_integration():
    v = verdict("integration", tool(features={"api": ("code", SRC)}), integrations=["api", "sso"])
    assert v.score == 0.5
    check_unknown(verdict("integration", tool(), integrations=["api"]))


def test_health_prefers_the_measured_repository_status():
    measured = tool(status="active", health=[Health("dormant", "no_commits", 1, None, "full", SRC)])
    assert verdict("health", measured).score == pytest.approx(0.2)
    assert verdict("health", tool(status="maintained")).score == 0.75
    check_unknown(verdict("health", tool()))


def test_adoption_counts_comparable_deployments():
    def dep(i: int, country: str, kind: str) -> Deployment:
        return Deployment(f"d{i}", "t", f"Org {i}", kind, country, None, SRC)
    french = tool(deployments=[dep(i, "FR", "municipality") for i in range(3)])
    spanish = tool(tool_id="s", deployments=[dep(i, "ES", "municipality") for i in range(3)])
    facts = Facts({"t": french, "s": spanish})
    needs = Needs(country="FR", population=30000)
    assert CRITERIA["adoption"].score(french, needs, facts).score > CRITERIA["adoption"].score(spanish, needs, facts).score
    check_unknown(verdict("adoption", tool()))
