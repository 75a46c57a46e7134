"""The report as data: sections of tables, facts and charts, every fact tied to a numbered source.

These types are the contract between the sections (:mod:`observatory.reports.sections`), which fill them,
and the exporters (HTML, PDF, XLSX, CSV), which only lay them out, so the four formats always say the same
thing. Values keep their real types (int, float, date, bool, :class:`Link`) so spreadsheets get real
cells, and every string read from the database stays plain text until an exporter escapes it. This
module imports nothing of the project: every other report module may depend on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Source:
    number: int
    title: str
    url: str | None
    publisher: str | None = None
    commit: str | None = None
    checked_on: date | None = None


@dataclass(frozen=True)
class Link:
    """A cell shown as ``text`` and pointing at ``url`` (only http(s) URLs become live links)."""

    text: str
    url: str


class Share(float):
    """A fraction 0..1 shown as a percentage (``0.5`` -> ``50 %``), stored as a real number in spreadsheets."""


@dataclass(frozen=True)
class Cited:
    """A single cell backed by its own sources (e.g. one tool x feature cell of the matrix)."""

    value: Any
    sources: tuple[int, ...]


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    row_sources: list[tuple[int, ...]] = field(default_factory=list)

    def add(self, row: list[Any], sources: Sequence[int] = ()) -> None:
        self.rows.append(row)
        self.row_sources.append(tuple(sorted(set(sources))))


@dataclass(frozen=True)
class Fact:
    text: str
    sources: tuple[int, ...] = ()


@dataclass(frozen=True)
class BarChart:
    """Data for a static bar chart; :mod:`observatory.reports.charts` draws it as inline SVG."""

    key: str
    title: str
    labels: list[str]
    values: list[float]
    unit: str
    sources: tuple[int, ...] = ()


@dataclass
class Section:
    key: str
    title: str
    facts: list[Fact] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[BarChart] = field(default_factory=list)
    empty_note: str | None = None   # "not collected yet" + the command that fills it


@dataclass
class Report:
    lang: str
    title: str
    tool_ids: list[str]
    tool_names: list[str]
    generated_on: date
    schema_version: int
    data_version: str
    command: str
    sections: list[Section]
    sources: list[Source]
    data_tables: Table          # licence and freshness of every table the report read
    citation: str
    needs_yaml: str | None = None
    pb_edition: str | None = None

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def all_sources(table: Table) -> tuple[int, ...]:
    """Every source cited by any row of ``table`` (a chart drawn from the table cites them all)."""
    return tuple(sorted({n for ids in table.row_sources for n in ids}))
