"""The contract every criterion module fulfils, and a helper shared by the feature-based criteria."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from observatory.chooser.facts import Facts, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import FactUsed, Verdict, not_asked, scored, unknown

Scorer = Callable[[ToolFacts, Needs, Facts], Verdict]
# How much a feature claim counts, by its evidence (datasets/README.md: evidence levels).
EVIDENCE_WEIGHT: dict[str, float] = {"code": 1.0, "third_party": 1.0, "self_declared": 0.7}


@dataclass(frozen=True)
class Criterion:
    """One question the chooser asks of every tool; ``weight`` is its default share of the total."""

    name: str
    weight: float
    score: Scorer


def feature_coverage(tool: ToolFacts, wanted: list[str], name: str) -> Verdict:
    """Share of ``wanted`` features the catalogue records for ``tool``, weighed by evidence.

    A tool with no feature claim at all is unknown (the catalogue has not itemised it); a tool whose
    features are itemised but lack one wanted counts that one as missing.
    """
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        return not_asked(f"reason.{name}.not_asked")
    if not tool.features:
        return unknown(f"reason.{name}.no_claims", k=len(wanted))
    covered = [f for f in wanted if f in tool.features]
    missing = [f for f in wanted if f not in tool.features]
    facts = tuple(FactUsed("fact.feature_claim", {"feature": f, "key_evidence": f"evidence.{tool.features[f][0]}"},
                           tool.features[f][1]) for f in covered)
    if missing:  # "not recorded" rests on the features the catalogue does list for this tool
        listed = sorted({url for _, url in tool.features.values() if url})
        facts += tuple(FactUsed("fact.features_listed", {"n": len(tool.features)}, url) for url in listed)
    value = sum(EVIDENCE_WEIGHT.get(tool.features[f][0], 0.7) for f in covered) / len(wanted)
    reason = f"reason.{name}.all" if not missing else f"reason.{name}.some" if covered else f"reason.{name}.none"
    return scored(value, reason, facts, n=len(covered), k=len(wanted), covered_features=covered,
                  missing_features=missing)
