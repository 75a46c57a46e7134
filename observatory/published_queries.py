"""The named queries offered to outside readers (HTTP API, MCP server): one registry, one way to read.

Every SQL query of :mod:`observatory.queries` is published as is (its ``$parameters`` become typed
parameters), next to a few computed ones that the dashboard and reports also use: the chooser's ranking
for given needs and the PB outcomes of an edition under every rule. Adding a computed query is one
:class:`Published` entry in :data:`COMPUTED`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from observatory import queries
from observatory.i18n import LANGS
from observatory.plain import Rows, rows_of_frame

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "string" | "list" | "boolean" | "number" | "integer"
    doc: str
    required: bool = True
    default: object = None
    choices: tuple[str, ...] = ()

    def describe(self) -> dict[str, object]:
        out: dict[str, object] = {"name": self.name, "type": self.kind, "required": self.required, "doc": self.doc}
        if self.default is not None:
            out["default"] = self.default
        if self.choices:
            out["choices"] = list(self.choices)
        return out


class BadParameters(ValueError):
    """A named query was called with a missing, unknown or mistyped parameter."""


# The parameters the SQL queries use; a new $name in queries.py defaults to a required string.
SQL_PARAMS: dict[str, Param] = {
    "tool_ids": Param("tool_ids", "list", "tool ids (repeat the parameter or separate with commas)"),
    "edition_id": Param("edition_id", "string", "a PB edition id (see the pb_editions query)"),
    "instance_id": Param("instance_id", "string", "a collected instance id (see the instances query)"),
    "limit": Param("limit", "integer", "at most this many rows (1 to 1000)", required=False, default=20),
}
LIMIT_RANGE = (1, 1000)
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class Published:
    name: str
    doc: str
    params: tuple[Param, ...]
    runner: Callable[..., Rows]
    tables: tuple[str, ...] = field(default=())

    def describe(self) -> dict[str, object]:
        return {"name": self.name, "doc": self.doc, "params": [p.describe() for p in self.params],
                "tables": list(self.tables)}


def _sql_entry(name: str, query: queries.Query) -> Published:
    names = list(dict.fromkeys(_PARAM.findall(query.sql)))
    params = tuple(SQL_PARAMS.get(n, Param(n, "string", n)) for n in names)
    def runner(con: duckdb.DuckDBPyConnection, known_tables: Collection[str] | None = None, **kw: object) -> Rows:
        return Rows(*queries.run_rows(con, name, known_tables, **kw))

    return Published(name, query.doc, params, runner, query.tables)


def _compare_tools(con: duckdb.DuckDBPyConnection, tool_ids: list[str]) -> Rows:
    tools = Rows(*queries.run_rows(con, "tools", ("tools", "licences")))  # run() checked that both exist
    at = tools.columns.index("tool_id")
    by_id = {row[at]: row for row in tools.rows}
    return Rows(tools.columns, [by_id[t] for t in dict.fromkeys(tool_ids) if t in by_id])


def _rank_tools(con: duckdb.DuckDBPyConnection, processes: list[str] | None = None, hosting: str = "either",
                languages: list[str] | None = None, must_be_osi: bool = True, network_copyleft_ok: bool = True,
                lang: str = "en") -> Rows:
    from observatory.analytics import chooser

    needs = chooser.Needs(processes=list(processes or []), hosting=hosting, languages=list(languages or []),
                          open_source_required=must_be_osi, network_copyleft_ok=network_copyleft_ok)
    return rows_of_frame(chooser.rank_tools(con, needs, lang=lang))


def _pb(function: str) -> Callable[..., Rows]:
    def run(con: duckdb.DuckDBPyConnection, **kwargs: object) -> Rows:
        api = importlib.import_module("observatory.pb.api")  # on first use: the rules pull in numpy/scipy
        try:
            frame: pd.DataFrame = getattr(api, function)(con, **kwargs)
            return rows_of_frame(frame)
        except duckdb.CatalogException as exc:  # PB migration or import not run on this database
            raise queries.MissingData(function, ["pb_editions", "pb_outcomes"]) from exc

    return run


TOOL_IDS = SQL_PARAMS["tool_ids"]
COMPUTED: tuple[Published, ...] = (
    Published("compare_tools", "The chosen tools side by side (licence family, status, origin, sources).",
              (TOOL_IDS,), _compare_tools, ("tools", "licences")),
    Published("rank_tools", "The chooser's ranking for given needs: score per criterion, explanation, sources.",
              (Param("processes", "list", "feature ids wanted (see the features query)", False),
               Param("hosting", "string", "hosting mode", False, "either", ("self_host", "hosted", "either")),
               Param("languages", "list", "interface languages (ISO 639-1)", False),
               Param("must_be_osi", "boolean", "exclude licences that are not OSI-approved", False, True),
               Param("network_copyleft_ok", "boolean", "accept network copyleft (AGPL)", False, True),
               Param("lang", "string", "language of the explanations", False, "en", tuple(sorted(LANGS)))),
              _rank_tools, ("tools", "licences", "tool_features", "deployments")),
    Published("pb_editions", "Imported participatory-budgeting editions (city, year, vote type, budget).",
              (), _pb("list_editions"), ("pb_editions",)),
    Published("pb_outcomes", "Outcomes of one PB edition under every selection rule, with their metrics.",
              (SQL_PARAMS["edition_id"],), _pb("outcomes"), ("pb_outcomes",)),
)


def registry() -> dict[str, Published]:
    found = {name: _sql_entry(name, query) for name, query in queries.QUERIES.items()}
    found.update({entry.name: entry for entry in COMPUTED})
    return dict(sorted(found.items()))


REGISTRY: dict[str, Published] = registry()


def _coerce(param: Param, values: list[str]) -> object:
    if param.kind == "list":
        return [part.strip() for v in values for part in v.split(",") if part.strip()]
    value = values[-1]
    if param.kind == "boolean":
        if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise BadParameters(f"{param.name} takes true or false, not {value!r}")
        return value.lower() in ("true", "1", "yes")
    if param.kind == "number":
        try:
            return float(value)
        except ValueError:
            raise BadParameters(f"{param.name} takes a number, not {value!r}") from None
    if param.kind == "integer":
        low, high = LIMIT_RANGE
        try:
            number = int(value)
        except ValueError:
            raise BadParameters(f"{param.name} takes a whole number, not {value!r}") from None
        if not low <= number <= high:
            raise BadParameters(f"{param.name} takes a whole number from {low} to {high}, not {number}")
        return number
    if param.choices and value not in param.choices:
        raise BadParameters(f"{param.name} takes one of {', '.join(param.choices)}, not {value!r}")
    return value


def bind(entry: Published, raw: Mapping[str, list[str]] | Mapping[str, Any], typed: bool = False) -> dict[str, object]:
    """Check and convert parameters (strings from a URL, or typed values from MCP when ``typed``)."""
    known = {p.name: p for p in entry.params}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        allowed = ", ".join(known) or "none"
        raise BadParameters(f"unknown parameter(s) {', '.join(unknown)} for {entry.name}; it takes: {allowed}")
    bound: dict[str, object] = {}
    for name, param in known.items():
        if name not in raw or raw[name] in (None, [], ""):
            if param.required:
                raise BadParameters(f"{entry.name} needs the parameter {name!r} ({param.doc})")
            if param.default is not None:
                bound[name] = param.default
            continue
        value = raw[name]
        if typed:
            retyped = isinstance(value, str) and param.kind in ("list", "integer")
            bound[name] = _coerce(param, [value]) if retyped else value
        else:
            bound[name] = _coerce(param, list(value) if isinstance(value, list) else [str(value)])
    return bound


def run(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, object],
        known_tables: Collection[str] | None = None) -> Rows:
    """Run a published query with already-bound parameters (MissingData when its tables are absent).

    ``known_tables``: the file's table names when the caller caches them (saves a catalogue query).
    """
    entry = REGISTRY[name]
    known = queries.existing_tables(con) if known_tables is None else set(known_tables)
    missing = [t for t in entry.tables if t not in known]
    if missing:
        raise queries.MissingData(name, missing)
    try:
        if name in queries.QUERIES:
            return entry.runner(con, known, **params)
        return entry.runner(con, **params)
    except ValueError as exc:  # e.g. the chooser refusing an unknown hosting mode
        raise BadParameters(str(exc)) from exc
