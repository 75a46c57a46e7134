"""XLSX with openpyxl: a title sheet, one sheet per table of each section, and ``Sources``.

Cells keep real types (numbers, dates, booleans, percentages, hyperlinks), header rows are frozen and
columns sized to their content. Text from the database is neutralised (:mod:`.safe`) so no cell can
become a formula.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from observatory.reports.document import Cited, Link, Report, Share, Table
from observatory.reports.html import check_lang
from observatory.reports.i18n import t
from observatory.reports.safe import neutralise
from observatory.reports.sources import is_web_url
from observatory.reports.tabular import cite_text, sheets

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.worksheet import Worksheet

# openpyxl (~0.5 s to import) is imported when a workbook is written, not when the FORMATS registry loads.
MAX_WIDTH = 60
SOURCES_SHEET = "Sources"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class _Styles:
    header_font: Font
    header_fill: PatternFill
    link_font: Font
    wrap: Alignment


@cache
def _styles() -> _Styles:
    """The workbook's styles, built once on first use (they need openpyxl)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    return _Styles(header_font=Font(bold=True), header_fill=PatternFill("solid", fgColor="E6EDF2"),
                   link_font=Font(color="1A4F6E", underline="single"), wrap=Alignment(wrap_text=True, vertical="top"))


def sheet_title(wanted: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of ``[]:*?/\\``, unique (case-insensitive)."""
    base = _BAD_SHEET_CHARS.sub(" ", wanted).strip().strip("'")[:31].strip() or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" {n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _put(ws: Worksheet, row: int, col: int, value: Any) -> None:
    """Write one value with its real type; hyperlinks only for http(s) URLs."""
    c = ws.cell(row=row, column=col)
    if isinstance(value, Cited):
        inner = value.value.text if isinstance(value.value, Link) else value.value
        c.value = neutralise(f"{inner} {cite_text(value.sources)}".strip())
    elif isinstance(value, Link):
        c.value = neutralise(value.text)
        if is_web_url(value.url):
            c.hyperlink = value.url
            c.font = _styles().link_font
    elif isinstance(value, Share):
        c.value = float(value)
        c.number_format = "0.0%"
    elif isinstance(value, datetime):
        c.value = value
        c.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        c.value = value
        c.number_format = "yyyy-mm-dd"
    elif isinstance(value, bool | int | float) or value is None:
        c.value = value
    else:
        c.value = neutralise(str(value))


def _width(value: Any) -> int:
    if isinstance(value, Cited):
        return _width(value.value) + 5
    if isinstance(value, Link):
        return len(value.text)
    if isinstance(value, date):
        return 10
    return len(str(value)) if value is not None else 0


def _table_sheet(ws: Worksheet, table: Table, lang: str, source_rows: dict[int, int]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    style = _styles()
    headers = [*table.columns, t(lang, "col_sources")]
    for j, name in enumerate(headers, start=1):
        c = ws.cell(row=1, column=j, value=neutralise(name))
        c.font, c.fill, c.alignment = style.header_font, style.header_fill, style.wrap
    widths = [len(h) for h in headers]
    for i, (row, cites) in enumerate(zip(table.rows, table.row_sources, strict=True), start=2):
        for j, value in enumerate(row, start=1):
            _put(ws, i, j, value)
            widths[j - 1] = max(widths[j - 1], _width(value))
        c = ws.cell(row=i, column=len(headers), value=cite_text(cites) or None)
        widths[-1] = max(widths[-1], len(cite_text(cites)))
        if cites and cites[0] in source_rows:   # jump to the first source of the row
            c.hyperlink = Hyperlink(ref=c.coordinate, location=f"'{SOURCES_SHEET}'!A{source_rows[cites[0]]}")
            c.font = style.link_font
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, max(8, w + 2))
        if w > MAX_WIDTH:
            for r in range(2, len(table.rows) + 2):
                ws.cell(row=r, column=j).alignment = style.wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(table.rows) + 1)}"


def _title_sheet(ws: Worksheet, report: Report) -> None:
    style = _styles()
    lang = report.lang
    rows: list[tuple[str, Any]] = [
        (t(lang, "report_kicker"), report.title),
        (t(lang, "title_tools"), ", ".join(report.tool_names)),
        (t(lang, "title_generated"), report.generated_on),
        (t(lang, "title_data_version"), report.data_version),
        (t(lang, "title_command"), report.command),
        (t(lang, "how_to_cite"), report.citation),
    ]
    for section in report.sections:
        for fact in section.facts:
            rows.append((section.title, f"{fact.text} {cite_text(fact.sources)}".strip()))
    if report.needs_yaml:
        rows.append((t(lang, "sec_needs"), report.needs_yaml))
    for i, (label, value) in enumerate(rows, start=1):
        ws.cell(row=i, column=1, value=neutralise(label)).font = style.header_font
        _put(ws, i, 2, value)
        ws.cell(row=i, column=2).alignment = style.wrap
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 100
    ws.freeze_panes = "A2"


def _sources_sheet(ws: Worksheet, report: Report) -> None:
    from openpyxl.utils import get_column_letter

    style = _styles()
    lang = report.lang
    headers = [t(lang, k) for k in ("col_number", "col_title", "col_url", "col_publisher", "col_commit", "col_checked_on")]
    for j, name in enumerate(headers, start=1):
        c = ws.cell(row=1, column=j, value=name)
        c.font, c.fill = style.header_font, style.header_fill
    for i, s in enumerate(report.sources, start=2):
        _put(ws, i, 1, s.number)
        _put(ws, i, 2, s.title)
        _put(ws, i, 3, Link(s.url, s.url) if s.url else None)
        _put(ws, i, 4, s.publisher)
        _put(ws, i, 5, s.commit)
        _put(ws, i, 6, s.checked_on)
    for j, w in enumerate((6, 60, 70, 30, 42, 12), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"


def _charts_sheet(ws: Worksheet, report: Report) -> None:
    """Each chart of the report as its data (label, value) and a native Excel bar chart beside it."""
    from openpyxl.chart import BarChart as XlBarChart
    from openpyxl.chart import Reference

    header_font = _styles().header_font
    row = 1
    for section in report.sections:
        for chart in section.charts:
            ws.cell(row=row, column=1, value=neutralise(chart.title)).font = header_font
            ws.cell(row=row, column=3, value=cite_text(chart.sources) or None)
            ws.cell(row=row + 1, column=1, value=t(report.lang, "col_tool" if chart.key != "countries" else "col_country"))
            ws.cell(row=row + 1, column=2, value=neutralise(chart.unit))
            for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True), start=row + 2):
                ws.cell(row=i, column=1, value=neutralise(label))
                ws.cell(row=i, column=2, value=value)
            last = row + 1 + len(chart.values)
            bar = XlBarChart()
            bar.type, bar.title, bar.legend = "bar", chart.title, None
            bar.add_data(Reference(ws, min_col=2, min_row=row + 1, max_row=last), titles_from_data=True)
            bar.set_categories(Reference(ws, min_col=1, min_row=row + 2, max_row=last))
            bar.height, bar.width = max(4.0, 0.8 * len(chart.values) + 2), 16.0
            ws.add_chart(bar, f"E{row}")
            row = max(last, row + int(bar.height * 2)) + 3
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 14


def workbook(report: Report) -> Workbook:
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.title = report.title
    wb.properties.creator = t(report.lang, "report_kicker")
    wb.properties.language = report.lang
    taken: set[str] = {SOURCES_SHEET.lower()}   # reserved: citation cells link to it by name
    title_ws = wb.active
    title_ws.title = sheet_title(t(report.lang, "report_kicker"), taken)
    _title_sheet(title_ws, report)
    source_rows = {s.number: i for i, s in enumerate(report.sources, start=2)}
    for sheet in sheets(report):
        ws = wb.create_sheet(sheet_title(sheet.table.caption, taken))
        _table_sheet(ws, sheet.table, report.lang, source_rows)
    if any(section.charts for section in report.sections):
        _charts_sheet(wb.create_sheet(sheet_title(t(report.lang, "sheet_charts"), taken)), report)
    _sources_sheet(wb.create_sheet(SOURCES_SHEET), report)
    return wb


class XlsxExporter:
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def render(self, report: Report, lang: str) -> bytes:
        check_lang(report, lang)
        buffer = io.BytesIO()
        workbook(report).save(buffer)
        return buffer.getvalue()
