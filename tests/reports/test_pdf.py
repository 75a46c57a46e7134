"""PDF report (WeasyPrint): extract the text with pypdf and look for tools, licences, sources,
page numbers, the table of contents and French typography."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from observatory.reports import render_report
from observatory.reports.sections import SECTIONS
from observatory.store import connect_readonly
from tests.reports.conftest import FOUR_TOOLS


def _pdf(db: Path, lang: str) -> PdfReader:
    con = connect_readonly(db)
    try:
        data = render_report(con, [*FOUR_TOOLS, "evil-tool"], lang, "pdf")
    finally:
        con.close()
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


@pytest.fixture(scope="module")
def fr_pdf(report_db: Path) -> PdfReader:
    return _pdf(report_db, "fr")


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _words(text: str) -> str:
    """Table cells wrap: compare with line breaks and runs of plain spaces folded (NBSPs are kept)."""
    return re.sub(r"[ \n]+", " ", text)


def test_tools_licences_and_sources_are_in_the_text(fr_pdf: PdfReader) -> None:
    text = _words(_text(fr_pdf))
    for needle in ("Decidim", "Consul Democracy", "Loomio", "Polis", "AGPL-3.0-or-later", "MIT",
                   "copyleft réseau", "permissive", "=HYPERLINK(\"http://evil.example/x\",\"click\")"):
        assert needle in text, needle
    for n in (1, 2, 3):
        assert f"[{n}" in text          # citations in the body ...
    flat = _text(fr_pdf).replace("\n", "")
    assert "[1] decidim/decidim · README.md @ abc1234" in flat     # ... and the numbered source list
    assert "https://github.com/decidim/decidim/blob/abc1234def/README.md" in flat


def test_page_numbers_and_table_of_contents(fr_pdf: PdfReader) -> None:
    n = len(fr_pdf.pages)
    assert n >= 3
    assert f"Page 1 sur {n}" in fr_pdf.pages[0].extract_text()
    assert f"Page {n} sur {n}" in fr_pdf.pages[-1].extract_text()
    first = fr_pdf.pages[0].extract_text()
    assert "Sommaire" in first
    # each table-of-contents line ends with the page its section starts on
    toc_lines = [line for line in first.splitlines() if "....." in line]
    assert len(toc_lines) == len([s for s in SECTIONS if s.when is None]) + 2   # + sources, data licence
    entries = [re.match(r"^(?:\d+\.\s*)?(.+?)\s*\.{3,}\s*(\d+)$", line.strip()) for line in toc_lines]
    assert all(entries), toc_lines
    pages = {m.group(1): int(m.group(2)) for m in entries if m}
    assert pages["Synthèse"] == 2
    sources_page = pages["Sources"]
    assert "Sources" in fr_pdf.pages[sources_page - 1].extract_text()
    # and the PDF outline (bookmarks) lists the sections too
    def flatten(items: list) -> list[str]:
        return [t for item in items for t in (flatten(item) if isinstance(item, list) else [item.title])]

    titles = flatten(fr_pdf.outline)
    assert "Synthèse" in titles and "Sources" in titles


def test_french_typography_survives(fr_pdf: PdfReader) -> None:
    text = _text(fr_pdf)
    assert "Rapport comparatif\u00a0:" in text
    assert "Version des données" in text and "Généré le" in text      # accents
    assert "«\u00a0code\u00a0»" in text
    assert "\ufb01" not in text and "\ufb00" not in text and "\ufb02" not in text   # no ligature glyphs


def test_english_pdf(report_db: Path) -> None:
    text = _words(_text(_pdf(report_db, "en")))
    assert "Comparative report: Decidim" in text
    assert "Page 1 of" in text and "network copyleft" in text
    assert "\u00a0:" not in text
