"""CSV ZIP report: one CSV per section table, sources.csv, README; neutralised like the XLSX."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from observatory.reports import FORMATS, render_report
from observatory.reports.model import build_report
from observatory.reports.sections import SECTIONS
from observatory.reports.tabular import sheets
from observatory.store import connect_readonly
from tests.reports.conftest import FOUR_TOOLS
from tests.reports.fixture_db import HOSTILE_LANGUAGE, HOSTILE_MAINTAINER, HOSTILE_NAME


def _zip(db: Path, tools: list[str], lang: str) -> zipfile.ZipFile:
    con = connect_readonly(db)
    try:
        data = render_report(con, tools, lang, "csv")
    finally:
        con.close()
    return zipfile.ZipFile(io.BytesIO(data))


def _rows(zf: zipfile.ZipFile, name: str) -> list[list[str]]:
    raw = zf.read(name)
    assert raw.startswith(b"\xef\xbb\xbf")          # UTF-8 BOM so spreadsheets read the accents
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_members_and_readme(report_db: Path) -> None:
    zf = _zip(report_db, FOUR_TOOLS, "en")
    con = connect_readonly(report_db)
    try:
        report = build_report(con, FOUR_TOOLS, "en", fmt="csv")
    finally:
        con.close()
    always = [s.key for s in SECTIONS if s.when is None]     # no PB edition, no needs: the optional ones are off
    assert [s.key for s in report.sections] == always
    stems = [sheet.stem for sheet in sheets(report)]
    assert [s for s in stems if s in always] == always and stems[-1] == "data_licence"
    assert len(stems) == sum(max(1, len(sec.tables)) for sec in report.sections) + 1   # every table has its CSV
    assert zf.namelist() == ["README.txt", *(f"{i:02d}_{stem}.csv" for i, stem in enumerate(stems, start=1)),
                             "sources.csv"]
    readme = zf.read("README.txt").decode("utf-8")
    assert "observatory report --tools decidim,consul-democracy,loomio,polis --lang en --format csv -o report.zip" in readme
    assert "01_summary.csv: Summary" in readme and "How to cite" in readme
    assert FORMATS["csv"].extension == "zip" and FORMATS["csv"].mime == "application/zip"


def test_values_are_plain_and_linked_columns_split(report_db: Path) -> None:
    zf = _zip(report_db, FOUR_TOOLS, "en")
    summary = _rows(zf, "01_summary.csv")
    header = summary[0]
    assert header[:2] == ["Tool", "Tool (URL)"] and header[-1] == "Sources"
    decidim = summary[1]
    assert decidim[:2] == ["Decidim", "https://decidim.org"]
    assert decidim[header.index("Known deployments")] == "8"
    assert decidim[-1].split()[0] == "1"
    live = _rows(zf, "07_liveness.csv")
    assert live[1][3] == "0.75" and live[1][4] == "2026-11-28"
    sources = _rows(zf, "sources.csv")
    assert sources[0][0] == "No." and sources[1][0] == "1" and sources[1][2].startswith("https://")


def test_formula_injection_is_neutralised(report_db: Path) -> None:
    zf = _zip(report_db, [*FOUR_TOOLS, "evil-tool"], "en")
    cells = [c for name in zf.namelist() if name.endswith(".csv") for row in _rows(zf, name) for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    for hostile in (HOSTILE_NAME, HOSTILE_MAINTAINER, HOSTILE_LANGUAGE):
        assert "'" + hostile in cells


def test_french_zip(report_db: Path) -> None:
    zf = _zip(report_db, FOUR_TOOLS, "fr")
    assert _rows(zf, "01_summary.csv")[0][0] == "Outil"
    assert "Comment citer" in zf.read("README.txt").decode("utf-8")
