"""The chooser ranking section (``observatory.analytics.chooser``) inside a report."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory.analytics.chooser import Needs, load_needs
from observatory.reports import build_report
from observatory.store import connect_readonly


@pytest.fixture
def report(report_db: Path):  # noqa: ANN201 - a Report
    needs = Needs(processes=["participatory_budgeting", "proposals"], hosting="either", open_source_required=True)
    con = connect_readonly(report_db)
    try:
        return build_report(con, ["decidim", "polis"], "en", needs=needs)
    finally:
        con.close()


def test_ranking_weights_and_reasons(report) -> None:  # noqa: ANN001
    sec = report.section("chooser")
    ranking, reasons, weights = sec.tables[:3]
    tools = [row[1] for row in ranking.rows]
    assert "Decidim" in tools and "Polis" in tools
    decidim, polis = (next(r for r in ranking.rows if r[1] == name) for name in ("Decidim", "Polis"))
    assert decidim[2] is True and decidim[4] > polis[4]       # in the report; covers both wanted processes
    assert decidim[0] < polis[0]
    assert sum(float(row[1]) for row in weights.rows) == pytest.approx(1.0)
    why = next(r for r in reasons.rows if r[1] == "Decidim")[2]
    assert "all 2 processes" in why
    assert all(ids for ids in ranking.row_sources)


def test_needs_are_reproduced_as_loadable_yaml(report, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "needs.yaml"
    path.write_text(report.needs_yaml, encoding="utf-8")
    assert load_needs(path) == Needs(processes=["participatory_budgeting", "proposals"], hosting="either")
    assert "--needs needs.yaml" in report.command
