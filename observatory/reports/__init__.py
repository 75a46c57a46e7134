"""Comparative reports (HTML, PDF, XLSX, CSV) built from one :class:`~observatory.reports.document.Report`.

``FORMATS`` is the seam: adding a format means one module with an exporter object (``mime``,
``extension``, ``render(report, lang) -> bytes``) and one line below; adding a section is the same in
:mod:`observatory.reports.sections`. The dashboard calls
:func:`render_report`; the CLI (``observatory report``) lives in :mod:`observatory.reports.cli`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

import duckdb

from observatory.reports.csv import CsvZipExporter
from observatory.reports.document import Report
from observatory.reports.html import HtmlExporter
from observatory.reports.model import UnknownToolError, build_report
from observatory.reports.pdf import PdfExporter
from observatory.reports.xlsx import XlsxExporter

if TYPE_CHECKING:
    from observatory.analytics.chooser import Needs


class Exporter(Protocol):
    mime: str
    extension: str

    def render(self, report: Report, lang: str) -> bytes: ...


FORMATS: dict[str, Exporter] = {
    "html": HtmlExporter(),
    "pdf": PdfExporter(),
    "xlsx": XlsxExporter(),
    "csv": CsvZipExporter(),
}


class UnknownFormatError(ValueError):
    """The requested format is not registered in :data:`FORMATS`."""


def exporter(fmt: str) -> Exporter:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise UnknownFormatError(f"unknown report format {fmt!r}: choose one of {', '.join(FORMATS)}") from None


def render_report(con: duckdb.DuckDBPyConnection, tools: list[str], lang: str, fmt: str,
                  pb_edition: str | None = None, needs: Needs | None = None, **options: Any) -> bytes:
    """Collect the report from ``con`` and lay it out as ``fmt``; ``options`` go to :func:`build_report`
    (``output``, ``needs_path``, ``today``) so the title page shows the exact command that regenerates it."""
    out = exporter(fmt)
    report = build_report(con, tools, lang, fmt=fmt, pb_edition=pb_edition, needs=needs, **options)
    return out.render(report, lang)


__all__: Sequence[str] = ("FORMATS", "Exporter", "Report", "UnknownFormatError", "UnknownToolError", "build_report",
                          "exporter", "render_report")
