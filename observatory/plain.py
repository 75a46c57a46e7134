"""Plain Python values from DuckDB rows and pandas frames, so every reader writes a value the same way.

The API, the MCP server and the tool document all hand out rows; numpy and pandas scalars, missing markers
(NaN, NaT, NA) and pandas timestamps are turned into plain values here (dates stay dates: encoders write
them ISO 8601).
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Rows:
    """A query's answer as column names and plain rows."""

    columns: list[str]
    rows: list[tuple]

    def records(self) -> list[dict[str, Any]]:
        return records(self.columns, self.rows)

    def column(self, name: str) -> list[Any]:
        if name not in self.columns:
            return []
        i = self.columns.index(name)
        return [row[i] for row in self.rows]


def plain(value: Any) -> Any:
    """A JSON-ready Python value (numpy/pandas scalars and missing markers made plain)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        if type(value).__name__ == "NaTType":  # pandas' missing time is a datetime too
            return None
        to_py = getattr(value, "to_pydatetime", None)  # pandas Timestamp: orjson wants the plain class
        return to_py() if callable(to_py) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.timedelta):
        return _iso_duration(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars
    if callable(tolist):
        return plain(tolist())
    if _is_missing(value):
        return None
    return str(value)


def _is_missing(value: Any) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError, ImportError):
        return False


def _iso_duration(value: dt.timedelta) -> str:
    seconds = value.total_seconds()
    return f"P{value.days}DT{seconds - value.days * 86400:g}S" if value.days else f"PT{seconds:g}S"


def records(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def frame_rows(frame: Any) -> tuple[list[str], list[tuple]]:
    """Columns and plain-valued rows of a DataFrame."""
    columns = [str(c) for c in frame.columns]
    rows = [tuple(plain(v) for v in row) for row in frame.itertuples(index=False, name=None)]
    return columns, rows




def rows_of_frame(frame: Any) -> Rows:
    return Rows(*frame_rows(frame))
