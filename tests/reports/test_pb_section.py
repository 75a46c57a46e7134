"""PB outcome section on the real PB engine (``observatory.pb``): a tiny hand-written edition imported
with ``import_editions`` (outcomes precomputed at import) and the same edition given as a ``.pb`` file.

Hand computation for the tiny edition (budget 100): greedy takes p1 (3 votes, cost 60), then meets the
2-vote tie p2/p3 in project-id order: p2 (50) no longer fits, p3 (30) does -> {p1, p3}, cost 90.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from observatory.reports import FORMATS, build_report
from observatory.reports.sections.pb import PbEditionError
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


@pytest.fixture(scope="module")
def pb_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from observatory.pb.importer import import_editions
    from observatory.store import writer
    from tests.reports.fixture_db import build_fixture_db

    path = build_fixture_db(tmp_path_factory.mktemp("pb") / "pb.duckdb")
    with writer(path) as con:
        import_editions(con, [("Tiny_2026.pb", TINY_PB.encode(), "https://example.org/pb/Tiny_2026.pb")], strict=True)
    return path


def _edition_id(db: Path) -> str:
    from observatory.pb import api

    con = connect_readonly(db)
    try:
        return str(api.list_editions(con)["edition_id"].iloc[0])
    finally:
        con.close()


def test_edition_from_the_database(pb_db: Path) -> None:
    from observatory.pb import api

    edition = _edition_id(pb_db)
    con = connect_readonly(pb_db)
    try:
        report = build_report(con, ["decidim", "consul-democracy"], "en", pb_edition=edition)
        stored = api.outcomes(con, edition)
    finally:
        con.close()
    sec = report.section("pb")
    table = sec.tables[0]
    assert [row[0] for row in table.rows] == list(stored["rule"])
    greedy = next(row for row in table.rows if row[0] == "greedy")
    assert greedy[1:4] == [2, 90.0, pytest.approx(0.9)]          # hand-computed above
    assert "Gini of satisfaction" in table.columns and "seconds" not in table.columns
    assert f"--pb-edition {edition}" in report.command
    pabulib = next(s for s in report.sources if s.url == "https://example.org/pb/Tiny_2026.pb")
    assert all(pabulib.number in ids for ids in table.row_sources)
    assert "4 voters" in sec.facts[0].text and "3 projects" in sec.facts[0].text
    soup = BeautifulSoup(FORMATS["html"].render(report, "en"), "html.parser")
    assert soup.select_one('section[data-section="pb"] figure svg') is not None
    assert {"pb_editions", "pb_outcomes"} <= {row[0] for row in report.data_tables.rows}   # licence listed


def test_unknown_edition_lists_known_ones(pb_db: Path) -> None:
    edition = _edition_id(pb_db)
    con = connect_readonly(pb_db)
    try:
        with pytest.raises(PbEditionError, match=edition):
            build_report(con, ["decidim"], "en", pb_edition="atlantis_2030")
    finally:
        con.close()


def test_pb_file_is_parsed_and_compared(report_db: Path, tmp_path: Path) -> None:
    pb = tmp_path / "Tiny_2026.pb"
    pb.write_text(TINY_PB, encoding="utf-8")
    con = connect_readonly(report_db)
    try:
        report = build_report(con, ["decidim"], "fr", pb_edition=str(pb))
    finally:
        con.close()
    sec = report.section("pb")
    assert "Tiny_2026.pb" in sec.facts[0].text and "4 votants" in sec.facts[0].text
    assert any(s.title.startswith("Fichier Pabulib Tiny_2026.pb (sha256 ") for s in report.sources)
    rows = {row[0]: row for row in sec.tables[0].rows}
    assert rows["greedy"][1:3] == [2, 90.0]
    assert rows["actual"][1:3] == [2, 90.0]          # the file declares p1 and p3 selected


def test_broken_pb_file_is_a_clear_error(report_db: Path, tmp_path: Path) -> None:
    pb = tmp_path / "Broken.pb"
    pb.write_text(TINY_PB.replace("p2;50;2;Library;0", "p2;fifty;2;Library;0"), encoding="utf-8")
    con = connect_readonly(report_db)
    try:
        with pytest.raises(PbEditionError, match="Broken.pb"):
            build_report(con, ["decidim"], "en", pb_edition=str(pb))
    finally:
        con.close()


@pytest.mark.shared
def test_real_pabulib_file(report_db: Path, shared_data: Path) -> None:
    pb = shared_data / "pabulib" / "files" / "Netherlands_Amsterdam_643.pb"
    con = connect_readonly(report_db)
    try:
        report = build_report(con, ["decidim", "consul-democracy", "loomio", "polis"], "fr", pb_edition=str(pb))
    finally:
        con.close()
    rows = {row[0]: row for row in report.section("pb").tables[0].rows}
    assert {"actual", "greedy", "mes-add1-greedy"} <= set(rows)
    for rule in ("greedy", "mes-add1-greedy"):
        assert 0 < float(rows[rule][3]) <= 1.0            # share of the budget used
