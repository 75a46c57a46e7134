"""Rows to JSON, CSV and Parquet bytes: snake_case keys as stored, dates and times in ISO 8601.

Both DuckDB tuples and pandas DataFrames (named queries) end up as plain Python values here, so every
endpoint writes a date the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from observatory.plain import frame_rows, plain, records

__all__ = ["dumps", "frame_rows", "plain", "records", "to_csv", "to_parquet"]

JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def _default(value: Any) -> Any:
    result = plain(value)
    if result is value:
        raise TypeError(f"cannot encode {type(value).__name__}")
    return result


def dumps(payload: Any) -> bytes:
    return orjson.dumps(payload, default=_default, option=JSON_OPTIONS)


def _csv_cell(value: Any) -> Any:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | dict):
        return orjson.dumps(value, default=_default).decode()
    return value


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode()


def to_parquet(arrow_table: Any) -> bytes:
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(arrow_table, buffer)
    return buffer.getvalue()
