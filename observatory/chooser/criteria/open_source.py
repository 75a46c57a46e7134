"""Open source: when it is required, a tool whose code is not open is excluded (hard constraint).

Reads ``tools.open_source``; where the catalogue has no such column or value, the licence's OSI approval.
"""

from observatory.chooser.criteria.base import Criterion
from observatory.chooser.facts import Facts, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import FactUsed, Verdict, not_asked, scored, unknown


def is_open_source(tool: ToolFacts) -> bool | None:
    if tool.open_source is not None:
        return bool(tool.open_source)
    if tool.licence is not None and tool.licence.family != "unknown":
        return tool.licence.osi_approved
    return None


def score(tool: ToolFacts, needs: Needs, facts: Facts) -> Verdict:
    if not needs.open_source_required:
        return not_asked("reason.open_source.not_asked")
    is_open = is_open_source(tool)
    if is_open is None:
        return unknown("reason.open_source.unknown")
    used = (FactUsed("fact.open_source" if is_open else "fact.not_open_source", {"spdx": tool.licence_spdx or "–"},
                     tool.licence_source_url),)
    if is_open:
        return scored(1.0, "reason.open_source.yes", used, spdx=tool.licence_spdx or "–")
    return scored(0.0, "reason.open_source.no", used, excludes=True, spdx=tool.licence_spdx or "–")


CRITERION = Criterion("open_source", 0.04, score)
