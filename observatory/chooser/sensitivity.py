"""How the top three move: one answer changed at a time (hosting, data location, copyleft, a process dropped,
budget doubled/halved, accessibility level, ...), and one weight rescaled at a time."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from observatory.chooser.criteria import CRITERIA
from observatory.chooser.facts import Facts
from observatory.chooser.needs import ACCESSIBILITY_CHOICES, DATA_LOCATION_CHOICES, HOSTING_CHOICES, Needs
from observatory.chooser.ranking import normalised, rank, score_tools, top
from observatory.chooser.text import say

TOP_N = 3


@dataclass(frozen=True)
class Variant:
    key: str  # catalogue key of the change, e.g. variant.hosting
    params: dict[str, object]
    needs: Needs


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def variants(needs: Needs) -> Iterator[Variant]:
    """Every single-answer change worth testing for these needs."""
    for h in HOSTING_CHOICES:
        if h != needs.hosting:
            yield Variant("variant.hosting", {"key_value": f"hosting.{h}"}, needs.replace(hosting=h))
    for d in DATA_LOCATION_CHOICES:
        if d != needs.data_location and (d != "country" or needs.country):
            yield Variant("variant.data_location", {"key_value": f"place.{d}", "country": needs.country or "–"},
                          needs.replace(data_location=d))
    yield Variant("variant.network_copyleft", {"key_value": f"yesno.{not needs.network_copyleft_ok}"},
                  needs.replace(network_copyleft_ok=not needs.network_copyleft_ok))
    yield Variant("variant.open_source", {"key_value": f"yesno.{not needs.open_source_required}"},
                  needs.replace(open_source_required=not needs.open_source_required))
    for p in needs.processes:
        yield Variant("variant.drop_process", {"feature": p}, needs.replace(processes=[x for x in needs.processes if x != p]))
    for i in needs.integrations:
        yield Variant("variant.drop_process", {"feature": i},
                      needs.replace(integrations=[x for x in needs.integrations if x != i]))
    for code in needs.languages:
        yield Variant("variant.drop_language", {"language": code},
                      needs.replace(languages=[x for x in needs.languages if x != code]))
    if needs.budget_first_year is not None or needs.budget_per_year is not None:
        for factor, key in ((2.0, "variant.budget_doubled"), (0.5, "variant.budget_halved")):
            yield Variant(key, {}, needs.replace(budget_first_year=_scaled(needs.budget_first_year, factor),
                                                 budget_per_year=_scaled(needs.budget_per_year, factor)))
    for a in ACCESSIBILITY_CHOICES:
        if a != needs.accessibility:
            yield Variant("variant.accessibility", {"key_value": f"accessibility.{a}"}, needs.replace(accessibility=a))
    if needs.support_language:
        yield Variant("variant.no_support_language", {}, needs.replace(support_language=None))


def answer_sensitivity(facts: Facts, needs: Needs, weights: Mapping[str, float] | None, lang: str) -> pd.DataFrame:
    """One row per changed answer: the top three before and after, and whether the leader or the top changes."""
    names = {t.tool_id: t.name for t in facts.tools.values()}
    before = top(rank(facts, needs, weights), TOP_N)
    rows = []
    for v in variants(needs):
        after = top(rank(facts, v.needs, weights), TOP_N)
        rows.append({"change": say(v.key, lang, facts.feature_labels.get(lang, {}), **v.params),
                     "top_before": ", ".join(names[t] for t in before), "top_after": ", ".join(names[t] for t in after),
                     "leader_changes": bool(before[:1] != after[:1]), "top_changes": before != after,
                     "entered": ", ".join(names[t] for t in after if t not in before),
                     "left": ", ".join(names[t] for t in before if t not in after)})
    return pd.DataFrame(rows, columns=["change", "top_before", "top_after", "leader_changes", "top_changes", "entered",
                                       "left"])


def weight_sensitivity(facts: Facts, needs: Needs, weights: Mapping[str, float] | None = None,
                       factors: tuple[float, ...] = (0.0, 0.5, 2.0)) -> pd.DataFrame:
    """For each criterion and factor, rescale that weight and say whether the top ranks change."""
    base = normalised(weights)
    verdicts = score_tools(facts, needs)  # the answers do not change here: score once, re-weigh only
    results = rank(facts, needs, base, verdicts)
    before = top(results, TOP_N)
    out = []
    for criterion in CRITERIA:
        for factor in factors:
            changed = {**base, criterion: base[criterion] * factor}
            after = top(rank(facts, needs, changed, verdicts), TOP_N)
            out.append({"criterion": criterion, "factor": factor, "weight": round(normalised(changed)[criterion], 4),
                        "top_before": ", ".join(before), "top_after": ", ".join(after),
                        "leader_changes": bool(before and after and before[0] != after[0]),
                        "top_changes": before != after})
    return pd.DataFrame(out)
