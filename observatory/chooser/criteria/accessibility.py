"""Accessibility: a published statement at the level the authority is bound to (RGAA 4 ≈ WCAG 2.1 AA).

The best claim counts: full conformance 1, partial 0.5, a stated target 0.3, non-compliant 0; a claim at a
lower level than required, or with no level, counts half. No statement is unknown, not a zero.
"""

from observatory.chooser.criteria.base import Criterion
from observatory.chooser.facts import AccessibilityClaim, Facts, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import FactUsed, Verdict, not_asked, scored, unknown

REQUIRED_LEVEL = {"wcag_a": "A", "wcag_aa": "AA", "wcag_aaa": "AAA", "rgaa": "AA"}
LEVEL_RANK = {"A": 1, "AA": 2, "AAA": 3}
CONFORMANCE = {"full": 1.0, "partial": 0.5, "target": 0.3, "non_compliant": 0.0}


def _claim_score(claim: AccessibilityClaim, required: str) -> float | None:
    factor = CONFORMANCE.get(claim.conformance)
    if factor is None:
        return None
    if claim.standard.startswith("RGAA"):
        level_ok = required != "AAA"
    else:
        level_ok = claim.level is not None and LEVEL_RANK.get(claim.level, 0) >= LEVEL_RANK[required]
    return factor if level_ok else factor / 2


def score(tool: ToolFacts, needs: Needs, facts: Facts) -> Verdict:
    if needs.accessibility == "none":
        return not_asked("reason.accessibility.not_asked")
    required = REQUIRED_LEVEL[needs.accessibility]
    scoredclaims = [(c, _claim_score(c, required)) for c in tool.accessibility]
    scoredclaims = [(c, s) for c, s in scoredclaims if s is not None]
    if not scoredclaims:
        if "accessibility_statement" in tool.features:
            return unknown("reason.accessibility.statement_no_level", (FactUsed(
                "fact.feature_claim", {"feature": "accessibility_statement",
                                       "key_evidence": f"evidence.{tool.features['accessibility_statement'][0]}"},
                tool.features["accessibility_statement"][1]),), key_required=f"accessibility.{needs.accessibility}")
        return unknown("reason.accessibility.unknown", key_required=f"accessibility.{needs.accessibility}")
    best, value = max(scoredclaims, key=lambda cs: cs[1])
    used = (FactUsed("fact.accessibility", {"standard": best.standard, "level": best.level or "–",
                                            "key_conformance": f"conformance.{best.conformance}"}, best.source_url),)
    return scored(value, "reason.accessibility.claim", used, standard=best.standard, level=best.level or "–",
                  key_conformance=f"conformance.{best.conformance}", key_required=f"accessibility.{needs.accessibility}")


CRITERION = Criterion("accessibility", 0.06, score)
