"""PB outcome section. ``observatory.pb.api`` is written by the PB helper; until it lands these tests
stand in a small fake API with the documented shapes (``list_editions``/``outcomes`` DataFrames,
``compare`` dict) so the section's own logic — lookup, errors, table, chart, citation — is checked.
The ``.pb`` file path goes through the real parser (``observatory.pb.pabulib``)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from observatory.reports import FORMATS, build_report
from observatory.reports.pb_section import PbEditionError
from observatory.store import connect_readonly

TINY_PB = """META
key;value
description;Tiny test edition
country;Nowhere
unit;Testville
instance;2026
num_projects;3
num_votes;4
budget;100
vote_type;approval
rule;greedy
currency;EUR
PROJECTS
project_id;cost;votes;name;selected
p1;60;3;Park;1
p2;50;2;Library;0
p3;30;2;=cmd|' /C calc'!A0;1
VOTES
voter_id;vote
v1;p1,p3
v2;p1
v3;p1,p2
v4;p2,p3
"""


@pytest.fixture
def fake_api(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    api = types.ModuleType("observatory.pb.api")
    api.list_editions = lambda con: pd.DataFrame([{  # type: ignore[attr-defined]
        "edition_id": "poland_warszawa_2026", "file_name": "Poland_Warszawa_2026.pb", "budget": 24186815.0,
        "currency": "PLN", "n_voters": 61668, "n_projects": 83,
        "source_url": "https://pabulib.org/pb/Poland_Warszawa_2026.pb", "checked_on": pd.Timestamp("2026-11-20")}])
    api.outcomes = lambda con, edition_id: pd.DataFrame([  # type: ignore[attr-defined]
        {"edition_id": edition_id, "rule": "greedy", "selected": ["1", "2", "3"], "cost": 24000000.0,
         "budget_share": 0.9923, "voter_coverage": 0.81, "seconds": 0.02},
        {"edition_id": edition_id, "rule": "mes", "selected": ["1", "4"], "cost": 20000000.0,
         "budget_share": 0.8269, "voter_coverage": 0.88, "seconds": 1.2}])
    calls: list[list[str]] = []

    def compare(election, rules):  # noqa: ANN001, ANN202 - the documented dict shape
        calls.append(list(rules))
        return {"file": election.file_name, "rules": {
            r: {"selected": ["p1", "p3"], "cost": 90.0, "seconds": 0.001, "budget_share": 0.9} for r in rules}}

    api.compare = compare  # type: ignore[attr-defined]
    api.calls = calls  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "observatory.pb.api", api)
    return api


def test_edition_from_the_database(report_db: Path, fake_api: types.ModuleType) -> None:
    con = connect_readonly(report_db)
    try:
        report = build_report(con, ["decidim", "consul-democracy"], "en", pb_edition="poland_warszawa_2026")
    finally:
        con.close()
    sec = report.section("pb")
    table = sec.tables[0]
    assert [row[0] for row in table.rows] == ["greedy", "mes"]
    assert [row[1] for row in table.rows] == [3, 2]               # projects funded
    assert table.rows[0][3] == pytest.approx(24000000 / 24186815)  # share of budget, from cost and budget
    assert "voter_coverage" in table.columns and "seconds" not in table.columns
    assert "--pb-edition poland_warszawa_2026" in report.command
    pabulib = next(s for s in report.sources if s.url == "https://pabulib.org/pb/Poland_Warszawa_2026.pb")
    assert all(pabulib.number in ids for ids in table.row_sources)
    assert "61,668 voters" in sec.facts[0].text
    soup = BeautifulSoup(FORMATS["html"].render(report, "en"), "html.parser")
    assert soup.select_one('section[data-section="pb"] figure svg') is not None


def test_unknown_edition_lists_known_ones(report_db: Path, fake_api: types.ModuleType) -> None:
    con = connect_readonly(report_db)
    try:
        with pytest.raises(PbEditionError, match="poland_warszawa_2026"):
            build_report(con, ["decidim"], "en", pb_edition="atlantis_2030")
    finally:
        con.close()


def test_pb_file_is_parsed_and_compared(report_db: Path, fake_api: types.ModuleType, tmp_path: Path) -> None:
    pb = tmp_path / "Tiny_2026.pb"
    pb.write_text(TINY_PB, encoding="utf-8")
    con = connect_readonly(report_db)
    try:
        report = build_report(con, ["decidim"], "fr", pb_edition=str(pb))
    finally:
        con.close()
    assert fake_api.calls and "greedy" in fake_api.calls[0]
    sec = report.section("pb")
    assert "Tiny_2026.pb" in sec.facts[0].text and "4 votants" in sec.facts[0].text
    assert any(s.title.startswith("Fichier Pabulib Tiny_2026.pb (sha256 ") for s in report.sources)
    assert sec.tables[0].rows[0][2] == 90.0


def test_broken_pb_file_is_a_clear_error(report_db: Path, fake_api: types.ModuleType, tmp_path: Path) -> None:
    pb = tmp_path / "Broken.pb"
    pb.write_text(TINY_PB.replace("p2;50;2;Library;0", "p2;fifty;2;Library;0"), encoding="utf-8")
    con = connect_readonly(report_db)
    try:
        with pytest.raises(PbEditionError, match="Broken.pb"):
            build_report(con, ["decidim"], "en", pb_edition=str(pb))
    finally:
        con.close()
