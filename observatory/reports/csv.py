"""CSV export: a ZIP with one UTF-8 CSV per table of each section, ``sources.csv`` and a README.

CSV is for re-use in other tools, so values are plain: ISO dates, ``true``/``false``, dot decimals,
percentages as fractions, a ``... (URL)`` column beside every linked column. Strings are neutralised
against formula injection exactly as in the XLSX export.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from typing import Any

from observatory.reports.document import Link, Report, Table
from observatory.reports.html import check_lang
from observatory.reports.i18n import t
from observatory.reports.safe import neutralise
from observatory.reports.tabular import flat, link_columns, sheets

ENCODING = "utf-8-sig"   # the BOM lets spreadsheet programs detect UTF-8 (accents) when opening the file


def _plain(value: Any) -> Any:
    value = flat(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))


def table_csv(table: Table, lang: str) -> str:
    linked = link_columns(table)
    header: list[str] = []
    for i, name in enumerate(table.columns):
        header.append(name)
        if i in linked:
            header.append(f"{name} (URL)")
    header.append(t(lang, "col_sources"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(h) for h in header])
    for row, cites in zip(table.rows, table.row_sources, strict=True):
        cells: list[Any] = []
        for i, value in enumerate(row):
            cells.append(_plain(value))
            if i in linked:
                cells.append(neutralise(value.url) if isinstance(value, Link) else "")
        cells.append(" ".join(str(n) for n in cites))
        writer.writerow(cells)
    return out.getvalue()


def sources_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([t(report.lang, k) for k in ("col_number", "col_title", "col_url", "col_publisher", "col_commit",
                                                 "col_checked_on")])
    for s in report.sources:
        writer.writerow([s.number, neutralise(s.title), neutralise(s.url or ""), neutralise(s.publisher or ""),
                         s.commit or "", s.checked_on.isoformat() if s.checked_on else ""])
    return out.getvalue()


def readme(report: Report, files: list[tuple[str, str]]) -> str:
    lang = report.lang
    lines = [report.title, "=" * len(report.title), "",
             f"{t(lang, 'title_tools')}: {', '.join(report.tool_names)}",
             f"{t(lang, 'title_generated')}: {report.generated_on.isoformat()}",
             f"{t(lang, 'title_data_version')}: {report.data_version}",
             f"{t(lang, 'title_command')}: {report.command}", ""]
    lines += [f"- {name}: {caption}" for name, caption in files]
    lines += ["", t(lang, "data_licence_intro"), "", f"{t(lang, 'how_to_cite')}: {report.citation}", ""]
    if report.needs_yaml:
        lines += [t(lang, "sec_needs"), "", report.needs_yaml, ""]
    return "\n".join(lines)


def zip_bytes(report: Report) -> bytes:
    stamp = (report.generated_on.year, report.generated_on.month, report.generated_on.day, 0, 0, 0)
    files: list[tuple[str, str, str]] = []
    for i, sheet in enumerate(sheets(report), start=1):
        files.append((f"{i:02d}_{sheet.stem}.csv", sheet.table.caption, table_csv(sheet.table, report.lang)))
    files.append(("sources.csv", t(report.lang, "sec_sources"), sources_csv(report)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        entries = [("README.txt", readme(report, [(n, c) for n, c, _ in files]))] + [(n, body) for n, _, body in files]
        for name, body in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)   # fixed dates: same data, same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, body.encode(ENCODING if name.endswith(".csv") else "utf-8"))
    return buffer.getvalue()


class CsvZipExporter:
    mime = "application/zip"
    extension = "zip"

    def render(self, report: Report, lang: str) -> bytes:
        check_lang(report, lang)
        return zip_bytes(report)
