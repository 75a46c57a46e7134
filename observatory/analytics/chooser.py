"""Former home of the tool chooser, kept so existing imports work: the chooser lives in ``observatory.chooser``
(one module per criterion under ``observatory/chooser/criteria/``)."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from observatory.chooser import (
    HOSTING_CHOICES,
    Needs,
    criterion_label,
    default_weights,
    load_facts,
    load_needs,
    needs_as_yaml,
    rank_tools,
    weight_sensitivity,
)
from observatory.chooser.criteria import CRITERIA as _REGISTRY

CRITERIA: tuple[str, ...] = tuple(_REGISTRY)


def sensitivity(con: duckdb.DuckDBPyConnection, needs: Needs, weights: Mapping[str, float] | None = None,
                factors: tuple[float, ...] = (0.0, 0.5, 2.0)) -> pd.DataFrame:
    """For each criterion and factor, rescale that weight and say whether the top ranks change."""
    return weight_sensitivity(load_facts(con), needs, weights, factors)


__all__ = ["CRITERIA", "HOSTING_CHOICES", "Needs", "criterion_label", "default_weights", "load_needs", "needs_as_yaml",
           "rank_tools", "sensitivity"]
