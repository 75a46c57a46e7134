"""XLSX report: open it with openpyxl and check sheets, real cell types, hyperlinks, frozen headers,
column widths and that no hostile text became a formula."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from observatory.reports import render_report
from observatory.store import connect_readonly
from tests.reports.conftest import FOUR_TOOLS
from tests.reports.fixture_db import HOSTILE_LANGUAGE, HOSTILE_MAINTAINER, HOSTILE_NAME, HOSTILE_NOTE


def _workbook(db: Path, tools: list[str], lang: str) -> Workbook:
    con = connect_readonly(db)
    try:
        data = render_report(con, tools, lang, "xlsx")
    finally:
        con.close()
    return load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def wb(report_db: Path) -> Workbook:
    return _workbook(report_db, [*FOUR_TOOLS, "evil-tool"], "en")


def _header(ws) -> list[str]:  # noqa: ANN001
    return [c.value for c in ws[1]]


def _row(ws, first: str) -> list:  # noqa: ANN001
    for row in ws.iter_rows(min_row=2):
        if row[0].value == first:
            return row
    raise AssertionError(f"no row starting with {first!r} in {ws.title}")


def test_one_sheet_per_section_plus_sources(wb: Workbook) -> None:
    assert wb.sheetnames == ["Civic-Tech Observatory", "Summary", "Licences", "Licence history", "Feature matrix",
                             "Software health", "Deployments by country", "Liveness (latest probe of each",
                             "Data licence and how to cite", "Charts", "Sources"]
    for ws in wb.worksheets:
        if ws.title != "Charts":      # one block per chart there, no single header row
            assert ws.freeze_panes == "A2", ws.title


def test_real_cell_types_and_widths(wb: Workbook) -> None:
    summary = wb["Summary"]
    header = _header(summary)
    decidim = _row(summary, "Decidim")
    assert decidim[header.index("First release")].value == 2017
    assert decidim[header.index("Known deployments")].data_type == "n"
    assert decidim[header.index("Known deployments")].value == 8
    assert decidim[header.index("Sources")].value.startswith("[1]")
    licences = wb["Licences"]
    assert _row(licences, "Decidim")[_header(licences).index("OSI approved")].value is True
    health = wb["Software health"]
    pushed = _row(health, "Decidim")[_header(health).index("Last push")]
    assert isinstance(pushed.value, datetime) and pushed.is_date and pushed.number_format == "yyyy-mm-dd"
    live = _row(wb["Liveness (latest probe of each"], "Decidim")
    assert live[3].value == pytest.approx(0.75) and live[3].number_format == "0.0%"
    assert summary.column_dimensions["A"].width > 10
    sources = wb["Sources"]
    assert _header(sources)[:3] == ["No.", "Title", "URL"]
    assert sources["A2"].value == 1 and sources["F2"].is_date


def test_hyperlinks(wb: Workbook) -> None:
    decidim = _row(wb["Summary"], "Decidim")[0]
    assert decidim.hyperlink is not None and decidim.hyperlink.target == "https://decidim.org"
    sources = wb["Sources"]
    assert sources["C2"].hyperlink.target == sources["C2"].value
    assert sources["C2"].value.startswith("https://")
    # the citation cell jumps to its first source's row
    cite = _row(wb["Summary"], "Decidim")[-1]
    assert cite.hyperlink is not None and cite.hyperlink.location == "'Sources'!A2"
    # the hostile tool's javascript: homepage never becomes a link
    evil = _row(wb["Summary"], "'" + HOSTILE_NAME)[0]
    assert evil.hyperlink is None


def test_formula_injection_is_neutralised(wb: Workbook) -> None:
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if isinstance(c.value, str):
                    values.append(c.value)
                    assert not c.value.startswith(("=", "+", "-", "@", "\t", "\r")), (ws.title, c.coordinate, c.value)
    for hostile in (HOSTILE_NAME, HOSTILE_MAINTAINER, HOSTILE_LANGUAGE):
        assert "'" + hostile in values, hostile
    assert any(v.startswith("'" + HOSTILE_NAME) for v in values)
    assert not any(HOSTILE_NOTE == v for v in values)


def test_french_workbook(report_db: Path) -> None:
    wb = _workbook(report_db, FOUR_TOOLS, "fr")
    assert "Synthèse" in wb.sheetnames and "Matrice des fonctionnalités" in wb.sheetnames and wb.sheetnames[-1] == "Sources"
    assert _header(wb["Synthèse"])[0] == "Outil"
    assert wb["Observatoire des civic-tech"]["B1"].value.startswith("Rapport comparatif\u00a0:")


def test_charts_sheet_has_native_bar_charts_over_real_numbers(wb: Workbook) -> None:
    ws = wb["Charts"]
    assert len(ws._charts) == 4          # deployments, features, commits, countries
    title_row = next(c.row for c in ws["A"] if c.value == "Features with evidence per tool")
    rows = list(ws.iter_rows(min_row=title_row + 1, max_row=title_row + 3, max_col=2, values_only=True))
    assert rows == [("Tool", "features"), ("Decidim", 3.0), ("Consul Democracy", 2.0)]
