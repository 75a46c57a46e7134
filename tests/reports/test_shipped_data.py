"""A four-tool report on the database built from the shipped ``datasets/`` (fixture ``built_db``)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup
from openpyxl import load_workbook

from observatory.reports import build_report, exporter
from observatory.store import connect_readonly

WANTED = ["decidim", "consul-democracy", "loomio", "polis"]


def test_report_on_shipped_datasets(built_db: Path) -> None:
    con = connect_readonly(built_db)
    try:
        ids = {r[0] for r in con.execute("SELECT tool_id FROM tools").fetchall()}
        tools = [t for t in WANTED if t in ids]
        assert len(tools) == 4, f"the shipped catalogue should have {WANTED}, has {sorted(ids)}"
        report = build_report(con, tools, "en")
        n_deployments = con.execute("SELECT count(*) FROM deployments WHERE list_contains(?, tool_id) "
                                    "AND removed_on IS NULL", [tools]).fetchone()[0]
    finally:
        con.close()
    soup = BeautifulSoup(exporter("html").render(report, "en"), "html.parser")
    summary = soup.select_one('table[data-table="summary"]').get_text(" ", strip=True)
    for name in report.tool_names:
        assert name in summary
    cited = {a["href"] for a in soup.select('a[href^="#src-"]')}
    assert cited == {f"#src-{s.number}" for s in report.sources}
    # the adoption table adds up to the deployments in the database
    adoption = report.section("adoption").tables[0]
    assert sum(row[-1] for row in adoption.rows) == n_deployments
    wb = load_workbook(io.BytesIO(exporter("xlsx").render(report, "en")))
    assert wb.sheetnames[-1] == "Sources" and wb["Sources"].max_row == len(report.sources) + 1
    names = zipfile.ZipFile(io.BytesIO(exporter("csv").render(report, "en"))).namelist()
    assert "README.txt" in names and "sources.csv" in names
