"""Processes: does the catalogue record the participation processes asked for (PB, proposals, ...)?"""

from observatory.chooser.criteria.base import Criterion, feature_coverage
from observatory.chooser.facts import Facts, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import Verdict


def score(tool: ToolFacts, needs: Needs, facts: Facts) -> Verdict:
    return feature_coverage(tool, needs.processes, "processes")


CRITERION = Criterion("processes", 0.30, score)
