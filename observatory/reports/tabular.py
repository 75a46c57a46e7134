"""What spreadsheet-like formats share: the list of tables in reading order and cell flattening."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from observatory.reports.document import Cited, Link, Report, Table
from observatory.reports.i18n import t


@dataclass(frozen=True)
class Sheet:
    """One table of the report with a stable file/sheet stem."""

    stem: str
    table: Table


def sheets(report: Report) -> list[Sheet]:
    """Every table in reading order; a section without a table yields a one-column "note" table so that
    every section of the report has its sheet/CSV."""
    out: list[Sheet] = []
    for section in report.sections:
        tables = list(section.tables)
        if not tables:
            note = Table(section.key, section.title, [t(report.lang, "col_note")])
            for text in [section.empty_note, *(f.text for f in section.facts)]:
                if text:
                    note.add([text])
            tables = [note]
        for table in tables:
            out.append(Sheet(table.key, table))
    out.append(Sheet("data_licence", report.data_tables))
    return out


def cite_text(numbers: tuple[int, ...]) -> str:
    return " ".join(f"[{n}]" for n in numbers)


def flat(value: Any) -> Any:
    """A cell without its links and citations: Cited -> "value [n]", Link -> its text."""
    if isinstance(value, Cited):
        inner = flat(value.value)
        return f"{inner} {cite_text(value.sources)}".strip()
    if isinstance(value, Link):
        return value.text
    return value


def link_columns(table: Table) -> set[int]:
    return {i for row in table.rows for i, v in enumerate(row) if isinstance(v, Link)}
