"""Rank tools against needs: the weighted mean of the criteria whose facts are known, with its coverage.

A criterion the answers make irrelevant is left out; a criterion whose fact is unknown is left out of
the mean *and* lowers the coverage (the share of the asked weight that rests on known facts), so an
unknown never counts as a zero. ``low``/``high`` are the totals if every unknown turned out 0 or 1: two
tools whose intervals overlap are not ordered by the known facts alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from observatory.chooser.criteria import CRITERIA
from observatory.chooser.facts import Facts, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import Verdict

NEAR_TIE = 0.03  # two totals closer than this are a near-tie
FOR_AT = 0.5
# Below this coverage a tool is listed, unranked, after the ranked ones: too little is known to place it
# (its unknowns are not turned into zeros, it is simply not ranked).
MIN_COVERAGE = 0.5
# Criteria that must be known, when asked, for a tool to be ranked: what the authority needs to do with
# the tool comes first, and a tool whose processes are unknown cannot top the list on its licence alone.
ESSENTIAL: tuple[str, ...] = ("processes",)  # a known score at least this counts for the tool, below it against


def default_weights() -> dict[str, float]:
    return {name: c.weight for name, c in CRITERIA.items()}


def normalised(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Weights for every registered criterion, non-negative, summing to 1 (missing names take their default)."""
    base = default_weights()
    clean = {c: max(0.0, float((weights or {}).get(c, base[c]))) for c in CRITERIA}
    total = sum(clean.values())
    return {c: (w / total if total else 1 / len(clean)) for c, w in clean.items()}


@dataclass
class ToolResult:
    tool: ToolFacts
    verdicts: dict[str, Verdict]
    weights: dict[str, float]
    score: float | None = None
    coverage: float = 0.0
    low: float = 0.0
    high: float = 1.0
    rank: int | None = None
    near_ties: list[str] = field(default_factory=list)  # tool ids within NEAR_TIE
    overlaps: list[str] = field(default_factory=list)  # eligible tool ids whose [low, high] overlaps this one

    @property
    def ranked_enough(self) -> bool:
        return self.score is not None and self.coverage >= MIN_COVERAGE - 1e-9 and not self.essential_unknown()

    def essential_unknown(self) -> list[str]:
        return [c for c in ESSENTIAL if self.verdicts[c].asked and self.verdicts[c].score is None]

    @property
    def excluded(self) -> bool:
        return any(v.excludes for v in self.verdicts.values())

    def in_favour(self) -> list[str]:
        return [c for c, v in self.verdicts.items() if v.known and (v.score or 0.0) >= FOR_AT and not v.excludes]

    def against(self) -> list[str]:
        return [c for c, v in self.verdicts.items() if v.known and ((v.score or 0.0) < FOR_AT or v.excludes)]

    def unknown(self) -> list[str]:
        return [c for c, v in self.verdicts.items() if v.asked and v.score is None]

    @property
    def sources(self) -> list[str]:
        urls = [u for v in self.verdicts.values() for u in v.sources]
        return list(dict.fromkeys([*urls, *([self.tool.source_url] if self.tool.source_url else [])]))


def _total(result: ToolResult) -> None:
    asked = {c: w for c, w in result.weights.items() if result.verdicts[c].asked and w > 0}
    known = {c: w for c, w in asked.items() if result.verdicts[c].score is not None}
    asked_weight, known_weight = sum(asked.values()), sum(known.values())
    gained = sum(w * (result.verdicts[c].score or 0.0) for c, w in known.items())
    result.score = gained / known_weight if known_weight else None
    result.coverage = known_weight / asked_weight if asked_weight else 1.0
    result.low = gained / asked_weight if asked_weight else 0.0
    result.high = (gained + asked_weight - known_weight) / asked_weight if asked_weight else 1.0


def _sort_key(r: ToolResult) -> tuple:
    return (r.excluded, not r.ranked_enough, -(r.score or 0.0), -r.coverage, r.tool.name.lower())


Verdicts = dict[str, dict[str, Verdict]]  # tool_id -> criterion -> verdict


def score_tools(facts: Facts, needs: Needs) -> Verdicts:
    """Every criterion's verdict on every tool: they depend on the answers only, never on the weights."""
    return {tool_id: {name: c.score(tool, needs, facts) for name, c in CRITERIA.items()}
            for tool_id, tool in facts.tools.items()}


def rank(facts: Facts, needs: Needs, weights: Mapping[str, float] | None = None,
         verdicts: Verdicts | None = None) -> list[ToolResult]:
    """Every tool scored on every criterion, eligible ones first by total; excluded ones last, unranked.

    ``verdicts`` (from :func:`score_tools` for the same facts and needs) spares re-scoring when only the
    weights change, as in the weight sensitivity.
    """
    w = normalised(weights)
    scored_tools = verdicts if verdicts is not None else score_tools(facts, needs)
    results = []
    for tool_id, tool in facts.tools.items():
        result = ToolResult(tool, scored_tools[tool_id], w)
        _total(result)
        results.append(result)
    results.sort(key=_sort_key)
    eligible = [r for r in results if not r.excluded and r.ranked_enough]
    for i, r in enumerate(eligible):
        r.rank = i + 1
    for r in eligible:
        r.near_ties = [o.tool.tool_id for o in eligible
                       if o is not r and abs((o.score or 0.0) - (r.score or 0.0)) <= NEAR_TIE + 1e-9]
        r.overlaps = [o.tool.tool_id for o in eligible if o is not r and o.low <= r.high and r.low <= o.high]
    return results


def top(results: list[ToolResult], n: int = 3) -> list[str]:
    return [r.tool.tool_id for r in results if r.rank is not None][:n]
