"""Health: is the software alive? The status read from its git history when there is one, else the
catalogue's curated status (both with their evidence)."""

from observatory.chooser.criteria.base import Criterion
from observatory.chooser.facts import Facts, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import FactUsed, Verdict, scored, unknown

REPO_STATUS = {"active": 1.0, "slowing": 0.6, "dormant": 0.2, "archived": 0.0}
CATALOGUE_STATUS = {"active": 1.0, "maintained": 0.75, "maintenance": 0.75, "inactive": 0.2, "archived": 0.0,
                    "historical": 0.0}


def score(tool: ToolFacts, needs: Needs, facts: Facts) -> Verdict:
    measured = [h for h in tool.health if h.status in REPO_STATUS]
    if measured:
        best = max(measured, key=lambda h: REPO_STATUS[h.status or ""])
        params = {"key_status": f"health.{best.status}", "bus_factor": best.bus_factor if best.bus_factor else "–"}
        return scored(REPO_STATUS[best.status or ""], "reason.health.repo",
                      (FactUsed("fact.repo_health", params, best.source_url),), **params)
    status = (tool.status or "").lower()
    if status in CATALOGUE_STATUS:
        params = {"key_status": f"status.{status}"}
        return scored(CATALOGUE_STATUS[status], "reason.health.status",
                      (FactUsed("fact.status", params, tool.status_source_url),), **params)
    return unknown("reason.health.unknown")


CRITERION = Criterion("health", 0.08, score)
