"""Licence: is the licence known, and does it respect the answer on network copyleft (a hard constraint)?"""

from observatory.chooser.criteria.base import Criterion
from observatory.chooser.facts import Facts, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import FactUsed, Verdict, scored, unknown


def score(tool: ToolFacts, needs: Needs, facts: Facts) -> Verdict:
    expl = tool.licence
    if expl is None or expl.family == "unknown":
        return unknown("reason.licence.unknown", spdx=tool.licence_spdx or "–")
    used = (FactUsed("fact.licence", {"spdx": tool.licence_spdx, "key_family": f"family.{expl.family}"},
                     tool.licence_source_url),)
    if not needs.network_copyleft_ok and expl.family == "network_copyleft":
        return scored(0.0, "reason.licence.network_refused", used, excludes=True, spdx=tool.licence_spdx)
    return scored(1.0 if expl.osi_approved else 0.5, "reason.licence.ok" if expl.osi_approved else "reason.licence.not_osi",
                  used, spdx=tool.licence_spdx, key_family=f"family.{expl.family}")


CRITERION = Criterion("licence", 0.08, score)
