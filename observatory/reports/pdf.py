"""PDF from the report's HTML with WeasyPrint: no browser needed, page numbers and a table of
contents with page references (CSS ``target-counter``), French typography kept as typed.

WeasyPrint is told to fetch nothing: the HTML is self-contained, and a link in collected data must
never make the PDF engine reach the network or the local disk.
"""

from __future__ import annotations

from typing import Any

from observatory.reports.document import Report
from observatory.reports.html import check_lang, render_html


class FetchRefused(ValueError):
    """The report tried to load an external resource; reports are self-contained."""


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise FetchRefused(f"reports load no external resource (refused {url[:80]!r})")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: ~2 s, only paid by PDF exports

    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


class PdfExporter:
    mime = "application/pdf"
    extension = "pdf"

    def render(self, report: Report, lang: str) -> bytes:
        check_lang(report, lang)
        return html_to_pdf(render_html(report, for_print=True))
