"""What every report section receives: the connection, the language, the chosen tools and the source registry.

A section reads rows through :func:`records` (the named queries of :mod:`observatory.queries`, the one place
SQL lives), cites through :meth:`ReportContext.cite` and records the tables it showed with
:meth:`ReportContext.use`, so the data-licence table lists exactly what the report read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from observatory import queries
from observatory.reports import sources as src
from observatory.reports.i18n import t


def clean_value(value: Any) -> Any:
    """pandas/numpy scalars -> plain Python; timestamps -> dates (a report dates facts, it does not time them)."""
    import numpy as np  # imported on use (already loaded by then: values come from DataFrames)
    import pandas as pd

    if isinstance(value, (list, tuple, np.ndarray)):
        return list(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def records(con: duckdb.DuckDBPyConnection, query: str, **params: Any) -> list[dict[str, Any]]:
    """Rows of a named query of :mod:`observatory.queries` (the one place SQL lives) as plain dicts."""
    frame = queries.run(con, query, **params)
    return [{k: clean_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


@dataclass
class ReportContext:
    con: duckdb.DuckDBPyConnection
    lang: str
    tools: list[str]
    names: dict[str, str]
    registry: src.SourceRegistry
    tool_rows: list[dict[str, Any]] = field(default_factory=list)   # catalogue rows of ``tools``, in order
    pb_edition: str | None = None     # turns the PB section on
    needs: Any | None = None          # turns the chooser section on
    used_tables: set[str] = field(default_factory=lambda: {"tools", "licences", "sources"})

    def use(self, *tables: str) -> None:
        """Record that a section showed rows of these tables (their licence goes in the data-licence table)."""
        self.used_tables.update(tables)

    def tr(self, key: str, **fmt: object) -> str:
        return t(self.lang, key, **fmt)

    def cite(self, url: str | None, **kw: Any) -> list[int]:
        return [self.registry.cite(url, **kw)] if url else []

    def pick(self, en: str | None, fr: str | None) -> str:
        """The text in the report language, falling back to the other one rather than to nothing."""
        return (fr or en or "") if self.lang == "fr" else (en or fr or "")

    def selected(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in rows if r.get("tool_id") in self.names]
