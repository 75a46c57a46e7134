"""The only dashboard module that opens DuckDB: one cached read-only connection, cached query results.

The connection is a ``st.cache_resource`` keyed by the file and its modification time, so a rebuilt
database is reopened, and ``on_release`` closes the old one (which also lets tests clear caches and
reopen the same file). Every query gets its own cursor because a DuckDB connection is not
thread-safe across Streamlit sessions. Results are ``st.cache_data`` wrappers over
:mod:`observatory.queries`; nothing here can write: the connection is read-only and locked.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards.i18n import fmt_number, fmt_percent
from observatory import chooser, queries, sqlguard
from observatory.config import load_settings
from observatory.store import connect_readonly


class NoDatabase(FileNotFoundError):
    """The database file does not exist yet (``observatory build`` has not been run)."""


def db_path() -> Path:
    return load_settings().db_path


def _db_key() -> tuple[str, float]:
    path = db_path()
    if not path.exists():
        raise NoDatabase(str(path))
    return str(path), path.stat().st_mtime


@st.cache_resource(max_entries=1, on_release=lambda con: con.close(), show_spinner=False)
def _cached_connection(path: str, mtime: float) -> duckdb.DuckDBPyConnection:
    return connect_readonly(path)


_opened: dict[str, float] = {}
_opened_lock = threading.Lock()


def _connection(path: str, mtime: float) -> duckdb.DuckDBPyConnection:
    """The connection for this version of the file.

    Writers publish a new file by renaming it over the old one. DuckDB hands a new connection to a
    path the database it already has open for that path, i.e. the old file, so the old connection is
    closed first (cache cleared) whenever the file changed.
    """
    with _opened_lock:
        if _opened.get(path, mtime) != mtime:
            _cached_connection.clear()
        _opened[path] = mtime
        return _cached_connection(path, mtime)


def connection() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection (raises NoDatabase when the file is missing)."""
    return _connection(*_db_key())


@st.cache_data(show_spinner=False, max_entries=256)
def _query(key: tuple[str, float], name: str, params: tuple[tuple[str, object], ...]) -> pd.DataFrame:
    return queries.run(_connection(*key), name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})


def query(name: str, **params: object) -> pd.DataFrame:
    """Result of a named query (raises NoDatabase or queries.MissingData)."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _query(_db_key(), name, frozen)


@st.cache_data(show_spinner=False)
def _tables(key: tuple[str, float]) -> list[str]:
    return sorted(queries.existing_tables(_connection(*key)))


def tables() -> list[str]:
    return _tables(_db_key())


@st.cache_data(show_spinner=False)
def _row_counts(key: tuple[str, float]) -> dict[str, int]:
    return queries.table_row_counts(_connection(*key), _tables(key))


def row_counts() -> dict[str, int]:
    return _row_counts(_db_key())


@st.cache_data(show_spinner=False)
def _columns(key: tuple[str, float], table: str) -> list[str]:
    return queries.table_columns(_connection(*key), table)


def columns(table: str) -> list[str]:
    return _columns(_db_key(), table)


@st.cache_data(show_spinner=False, max_entries=32)
def _table_rows(key: tuple[str, float], table: str, column: str | None, contains: str | None,
                limit: int | None) -> pd.DataFrame:
    return queries.table_rows(_connection(*key), table, column, contains, limit)


def table_rows(table: str, column: str | None = None, contains: str | None = None,
               limit: int | None = None) -> pd.DataFrame:
    return _table_rows(_db_key(), table, column, contains or None, limit)


def console_query(sql: str, max_rows: int, timeout_s: float) -> sqlguard.QueryResult:
    """Run the SQL console's query through the shared guard (never cached: the user expects a fresh run).

    It runs in its own capped process, killed on time, like ``observatory sql``: one runaway expression
    must not take the dashboard's memory or outlive its time limit.
    """
    path, _ = _db_key()
    return sqlguard.run_isolated_query(path, sql, max_rows=max_rows, timeout_s=timeout_s)


@st.cache_resource(show_spinner=False, max_entries=4)
def _chooser_facts(key: tuple[str, float]) -> chooser.Facts:
    return chooser.load_facts(_connection(*key).cursor())


def chooser_facts() -> chooser.Facts:
    """The catalogue facts the chooser reads, loaded once per database file (ranking them is fast)."""
    return _chooser_facts(_db_key())


@dataclass(frozen=True)
class ChooserView:
    """Everything the chooser page shows for one set of answers and weights, in one language."""

    ranking: pd.DataFrame  # chooser.frame: one row per tool, in ranking order
    reasons: dict[str, pd.DataFrame]  # tool_id -> chooser.reasons_table, score and weight written in ``lang``
    answer_sensitivity: pd.DataFrame
    weight_sensitivity: pd.DataFrame
    like_us: pd.DataFrame


def _needs_key(needs: chooser.Needs) -> str:
    """The answers as one canonical string: the cache key must change whenever any answer does."""
    return json.dumps(dataclasses.asdict(needs), sort_keys=True)


def chooser_view(needs: chooser.Needs, weights: dict[str, float], lang: str) -> ChooserView:
    """The chooser's results, computed once per (database version, language, answers, weights).

    A rerun that changes nothing (a click elsewhere, an expander) then costs a cache read, not a ranking
    and its ~20 re-rankings for the sensitivity tables.
    """
    return _chooser_view(_db_key(), lang, _needs_key(needs), tuple(sorted(weights.items())))


def _worded_reasons(reasons: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Score and weight as the page shows them (formatting 61 tables is a third of a rerun: done once here)."""
    if reasons.empty:
        return reasons
    return reasons.assign(score=[fmt_number(v, lang, 2) if pd.notna(v) else None for v in reasons["score"]],
                          weight=[fmt_percent(v, lang) for v in reasons["weight"]])


@st.cache_data(show_spinner=False, max_entries=64)
def _chooser_view(key: tuple[str, float], lang: str, needs_key: str,
                  weights: tuple[tuple[str, float], ...]) -> ChooserView:
    facts = _chooser_facts(key)
    needs = chooser.Needs(**json.loads(needs_key))
    chosen = dict(weights)
    results = chooser.rank(facts, needs, chosen)
    return ChooserView(
        ranking=chooser.frame(results, lang, facts),
        reasons={r.tool.tool_id: _worded_reasons(chooser.reasons_table(r, lang, facts), lang) for r in results},
        answer_sensitivity=chooser.answer_sensitivity(facts, needs, chosen, lang),
        weight_sensitivity=chooser.weight_sensitivity(facts, needs, chosen),
        like_us=chooser.tools_like_us(facts, needs))


@dataclass(frozen=True)
class Loader:
    """A typed read of the database beyond the named queries: which function, and which tables it needs
    (so an empty state can name the command that fills them)."""

    module: str
    function: str
    tables: tuple[str, ...]

    def __call__(self, *args: object) -> pd.DataFrame:
        return _call(_db_key(), self.module, self.function, args, self.tables)


@st.cache_data(show_spinner=False, max_entries=64)
def _call(key: tuple[str, float], module: str, function: str, args: tuple[object, ...],
          tables: tuple[str, ...]) -> pd.DataFrame:
    """The one caching policy of loaders: per database file and version, per function and arguments."""
    target = getattr(importlib.import_module(module), function)  # imported on first use (numpy, scipy...)
    cursor = _connection(*key).cursor()  # loaders may execute directly: each gets its own cursor
    try:
        result = target(cursor, *args)
    except duckdb.CatalogException as exc:  # the migration or import that creates the table has not run
        raise queries.MissingData(function, list(tables)) from exc
    finally:
        cursor.close()
    return result if isinstance(result, pd.DataFrame) else pd.DataFrame({"value": list(result)})


_PB = ("pb_editions", "pb_outcomes")
pb_editions = Loader("observatory.pb.api", "list_editions", _PB)
pb_outcomes = Loader("observatory.pb.api", "outcomes", _PB)
pb_outcome_groups = Loader("observatory.pb.api", "outcome_groups", ("pb_outcome_groups",))
pb_summary = Loader("observatory.pb.api", "cross_edition_summary", _PB)
proposal_datasets = Loader("observatory.participation.queries", "proposal_datasets", ("proposals",))
proposals = Loader("observatory.participation.queries", "proposals", ("proposals",))
budget_instances = Loader("observatory.participation.queries", "budget_instances", ("budget_projects",))
budget_projects = Loader("observatory.participation.queries", "budget_projects", ("budget_projects",))


def computed(function, *args: object):  # noqa: ANN001, ANN201
    """A pure analysis of loaded frames, cached like the loads (the research page's figures)."""
    return _computed(f"{function.__module__}.{function.__qualname__}", function, *args)


@st.cache_data(show_spinner=False, max_entries=32)
def _computed(name: str, _function, *args: object):  # noqa: ANN001, ANN202
    return _function(*args)  # keyed by ``name`` and the arguments; the function itself is not hashed


def figure(builder: Callable[..., Any], *args: object, **kwargs: object) -> BuiltFigure:
    """A chart built once per input, as the dict ``st.plotly_chart`` draws (it accepts one like a Figure).

    Plotly Express takes 0.1–0.3 s to build a figure on every rerun; a cached dict costs a copy and
    plotly's validation (~20 ms). Keyed by the builder and every argument (data frames by content,
    titles and labels already translated, ``lang``), so new data, another language or another filter
    builds a new figure. Only for figures drawn as built: a caller that edits the figure keeps building it.
    """
    return _figure(f"{builder.__module__}.{builder.__qualname__}", builder, args, tuple(sorted(kwargs.items())))


class BuiltFigure(dict):
    """A figure's dict as ``Figure.to_dict()`` wrote it: validated once, when it was built."""


@st.cache_data(show_spinner=False, max_entries=128)
def _figure(name: str, _builder: Callable[..., Any], args: tuple[object, ...],
            kwargs: tuple[tuple[str, object], ...]) -> BuiltFigure:
    return BuiltFigure(_builder(*args, **dict(kwargs)).to_dict())  # keyed by ``name`` and the arguments


class _Prevalidated(go.Figure):
    """Hands ``st.plotly_chart`` a :class:`BuiltFigure` as it is.

    Given a dict, Streamlit rebuilds a ``go.Figure`` from it to validate it again (the template alone is
    hundreds of objects): about 15 % of a warm page's server time. Given a Figure, it only asks for
    ``to_dict()``; this one answers with the dict that was validated when the figure was built.
    """

    def __init__(self, spec: BuiltFigure) -> None:  # no Figure state: Streamlit only calls to_dict()
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec


def restyled(spec: BuiltFigure, traces: dict | None = None, **axes: dict) -> BuiltFigure:
    """``spec`` with ``update_traces(**traces)`` and ``update_xaxes``/``update_yaxes`` (``xaxis={...}``)
    applied to the dict, so a cached figure that only needs a format changed is not rebuilt and validated
    again. The values are plain formats (``texttemplate``, ``tickformat``); None removes the property, as
    in plotly. ``spec`` is the caller's own copy (the cache hands out copies)."""
    def apply(target: dict, changes: dict) -> None:
        for name, value in changes.items():
            if value is None:
                target.pop(name, None)
            else:
                target[name] = value

    for trace in spec.get("data", []):
        apply(trace, traces or {})
    layout = spec.setdefault("layout", {})
    for axis, changes in axes.items():
        for name in [k for k in layout if k == axis or (k.startswith(axis) and k[len(axis):].isdigit())] or [axis]:
            apply(layout.setdefault(name, {}), changes)
    return spec


def drawable(fig: go.Figure | dict) -> go.Figure | dict:
    """What to give ``st.plotly_chart``: a cached figure without a second validation, anything else as is."""
    return _Prevalidated(fig) if isinstance(fig, BuiltFigure) else fig


def report(tools: list[str], lang: str, fmt: str, needs: chooser.Needs | None = None) -> bytes:
    """A report from ``observatory.reports.render_report`` (not cached: it is built on demand)."""
    import observatory.reports as reports  # imported on first use: only an export needs it

    cursor = connection().cursor()  # runs in a download thread: never share the connection itself
    try:
        return reports.render_report(cursor, tools, lang, fmt, needs=needs)
    finally:
        cursor.close()


def report_formats() -> dict[str, object]:
    """``observatory.reports.FORMATS``: one download button per registered report format."""
    import observatory.reports as reports

    return dict(reports.FORMATS)
