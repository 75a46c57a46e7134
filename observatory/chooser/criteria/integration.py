"""Integration: single sign-on, an API, open-data export, as recorded feature claims."""

from observatory.chooser.criteria.base import Criterion, feature_coverage
from observatory.chooser.facts import Facts, ToolFacts
from observatory.chooser.needs import Needs
from observatory.chooser.verdict import Verdict


def score(tool: ToolFacts, needs: Needs, facts: Facts) -> Verdict:
    return feature_coverage(tool, needs.integrations, "integration")


CRITERION = Criterion("integration", 0.05, score)
