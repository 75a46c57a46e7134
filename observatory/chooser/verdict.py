"""What one criterion says about one tool: a score or "unknown", why, from which facts, and whether it excludes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FactUsed:
    """A fact a verdict rests on: what it is (a catalogue key + parameters) and where it was read."""

    key: str
    params: dict[str, object] = field(default_factory=dict)
    source_url: str | None = None


@dataclass(frozen=True)
class Verdict:
    """``score`` is in [0, 1], or None when the deciding fact is unknown (never 0 for a missing fact).

    ``asked`` is False when the user's answers make the criterion irrelevant ("any hosting"): it then
    counts neither as known nor as unknown. ``excludes`` marks a broken hard constraint.
    """

    score: float | None
    reason: str
    params: dict[str, object] = field(default_factory=dict)
    facts: tuple[FactUsed, ...] = ()
    excludes: bool = False
    asked: bool = True

    @property
    def known(self) -> bool:
        return self.asked and self.score is not None

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(f.source_url for f in self.facts if f.source_url))


def not_asked(reason: str, **params: object) -> Verdict:
    return Verdict(None, reason, dict(params), asked=False)


def unknown(reason: str, facts: tuple[FactUsed, ...] = (), **params: object) -> Verdict:
    return Verdict(None, reason, dict(params), facts)


def scored(score: float, reason: str, facts: tuple[FactUsed, ...] = (), excludes: bool = False,
           **params: object) -> Verdict:
    return Verdict(max(0.0, min(1.0, float(score))), reason, dict(params), facts, excludes)
