"""The tool chooser: a local authority's answers → a ranked, explained shortlist it can check.

``criteria/`` holds one module per criterion (registered in ``criteria/__init__.py``); ``facts`` reads the
catalogue; ``ranking`` computes the weighted mean over known criteria with its coverage; ``present`` words
it (catalogue ``observatory/locales/<lang>/chooser.json``); ``sensitivity`` and ``like_us`` add the checks.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from observatory.chooser.criteria import CRITERIA
from observatory.chooser.facts import Facts, load_facts
from observatory.chooser.like_us import tools_like_us
from observatory.chooser.needs import (
    ACCESSIBILITY_CHOICES,
    DATA_LOCATION_CHOICES,
    HOSTING_CHOICES,
    INTEGRATION_CHOICES,
    PROCESS_CHOICES,
    Needs,
    load_needs,
    needs_as_yaml,
    needs_from_mapping,
)
from observatory.chooser.present import explanation, frame, reasons_table
from observatory.chooser.ranking import (
    MIN_COVERAGE,
    NEAR_TIE,
    ToolResult,
    default_weights,
    normalised,
    rank,
    score_tools,
    top,
)
from observatory.chooser.sensitivity import answer_sensitivity, weight_sensitivity
from observatory.chooser.text import criterion_label, say


def rank_tools(con: duckdb.DuckDBPyConnection, needs: Needs, weights: Mapping[str, float] | None = None,
               lang: str = "en") -> pd.DataFrame:
    """The ranking as a table (one row per tool, excluded ones last with rank NA), worded in ``lang``."""
    facts = load_facts(con)
    return frame(rank(facts, needs, weights), lang, facts)


__all__ = [
    "ACCESSIBILITY_CHOICES", "CRITERIA", "DATA_LOCATION_CHOICES", "HOSTING_CHOICES", "INTEGRATION_CHOICES", "MIN_COVERAGE",
    "NEAR_TIE",
    "PROCESS_CHOICES", "Facts", "Needs", "ToolResult", "answer_sensitivity", "criterion_label", "default_weights",
    "explanation", "frame", "load_facts", "load_needs", "needs_as_yaml", "needs_from_mapping", "normalised", "rank",
    "rank_tools", "reasons_table", "say", "score_tools", "tools_like_us", "top", "weight_sensitivity",
]
