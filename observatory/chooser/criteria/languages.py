"""Languages: the share of the interface translated into each language asked for, from the tool's locale files.

When the locale files were read, a language they lack counts 0; a tool whose files were not read is unknown.
"""

from observatory.chooser.criteria.base import Criterion
from observatory.chooser.facts import Facts, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import FactUsed, Verdict, not_asked, scored, unknown

FULL = 0.9  # a language at least this translated is "available"


def score(tool: ToolFacts, needs: Needs, facts: Facts) -> Verdict:
    wanted = list(dict.fromkeys(c.lower() for c in needs.languages))
    if not wanted:
        return not_asked("reason.languages.not_asked")
    if not tool.languages:
        return unknown("reason.languages.unknown", wanted_languages=wanted)
    shares = {c: tool.languages[c][0] if c in tool.languages else 0.0 for c in wanted}
    used = tuple(FactUsed("fact.language_share", {"language": c, "share_pct": round(100 * tool.languages[c][0])},
                          tool.languages[c][1]) for c in wanted if c in tool.languages)
    if any(c not in tool.languages for c in wanted):  # a missing language rests on the locale files read
        read_from = sorted({url for _, url in tool.languages.values()})
        used += tuple(FactUsed("fact.languages_read", {"n": len(tool.languages)}, url) for url in read_from)
    available = [c for c in wanted if shares[c] >= FULL]
    partial = [c for c in wanted if 0 < shares[c] < FULL]
    missing = [c for c in wanted if shares[c] == 0]
    return scored(sum(shares.values()) / len(wanted), "reason.languages.shares", used, available_languages=available or
                  ["–"], partial_languages=partial or ["–"], missing_languages=missing or ["–"])


CRITERION = Criterion("languages", 0.06, score)
