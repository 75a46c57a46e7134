"""The chooser's criteria: one module each, registered here with one line (order = display order)."""

from observatory.chooser.criteria import (
    accessibility,
    adoption,
    budget,
    data_location,
    health,
    hosting,
    integration,
    languages,
    licence,
    open_source,
    processes,
    support_language,
)
from observatory.chooser.criteria.base import Criterion

REGISTRY: tuple[Criterion, ...] = (
    processes.CRITERION,
    hosting.CRITERION,
    data_location.CRITERION,
    budget.CRITERION,
    accessibility.CRITERION,
    languages.CRITERION,
    support_language.CRITERION,
    integration.CRITERION,
    open_source.CRITERION,
    licence.CRITERION,
    health.CRITERION,
    adoption.CRITERION,
)
CRITERIA: dict[str, Criterion] = {c.name: c for c in REGISTRY}

__all__ = ["CRITERIA", "REGISTRY", "Criterion"]
