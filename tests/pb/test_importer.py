"""The PB importer: idempotent, all-or-nothing per file, inside or outside a caller's transaction."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import duckdb
import numpy as np
import pytest

from observatory.pb import api
from observatory.pb.importer import LICENCE, import_editions, in_transaction
from observatory.pb.pabulib import PabulibError, parse_string
from observatory.pb.rules import RULES
from observatory.store import connect_writer
from tests.pb.test_metrics import TINY

NOT_IMPORTED = {"pb_study_results": "written by the study runner from the editions, not by the importer"}


def pb_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The PB tables of the database's own catalogue, so a new ``pb_*`` table is counted without editing tests."""
    return [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                                      "AND table_name LIKE 'pb\\_%' ESCAPE '\\' ORDER BY 1").fetchall()
            if r[0] not in NOT_IMPORTED]


CUMULATIVE = """META
key;value
description;points
country;Testland
unit;Pointsville
instance;2023
num_projects;3
num_votes;3
budget;7.5
vote_type;cumulative
PROJECTS
project_id;cost;name
10;2.5;"Lamp; solar"
2;5;Tree
3;3;Well
VOTES
voter_id;vote;points;age;sex;voting_method
a;10,2;3,2;34;F;paper
b;3;5;;M;online
c;2,10,3;1,1,3;71;F;online
"""

UNKNOWN_PROJECT = TINY.replace("v3;c\n", "v3;c,zz\n")
TRUNCATED = TINY.split("VOTES")[0]


@pytest.fixture
def con(tmp_db: Path) -> duckdb.DuckDBPyConnection:
    c = connect_writer(tmp_db)
    yield c
    c.close()


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in pb_tables(con)}  # noqa: S608


def _item(text: str, name: str = "Testland_Testville_2024.pb") -> tuple[str, bytes, str]:
    return (name, text.encode(), f"https://example.invalid/{name}")


def test_import_writes_every_table_and_all_rules(con: duckdb.DuckDBPyConnection) -> None:
    report = import_editions(con, [_item(TINY), _item(CUMULATIVE, "Testland_Points_2023.pb")])
    assert [f.status for f in report.files] == ["imported", "imported"]
    counts = _counts(con)
    assert all(n for t, n in counts.items() if t != "pb_problems"), counts  # clean files: only no problems
    assert counts["pb_editions"] == 2 and counts["pb_projects"] == 6 and counts["pb_voters"] == 8
    assert counts["pb_votes"] == 2 + 1 + 1 + 2 + 2 + 1 + 3   # ballot entries of both files
    assert counts["pb_outcomes"] == 2 * len(RULES)
    out = api.outcomes(con, "Testland_Testville_2024").set_index("rule")
    assert list(out.loc["greedy", "selected"]) == ["a", "b"] and out.loc["greedy", "cost"] == 10.0
    assert out.loc["actual", "error"] is None or out.loc["actual", "error"] != out.loc["actual", "error"]
    voter = con.execute("SELECT age, sex, voting_method, extra->>'age' FROM pb_voters WHERE voter_id = 'b'").fetchone()
    assert voter == (None, "M", "online", "")
    meta = con.execute("SELECT licence FROM table_meta WHERE table_name = 'pb_votes'").fetchone()
    assert meta == (LICENCE,)


def test_load_edition_round_trips_exactly(con: duckdb.DuckDBPyConnection) -> None:
    import_editions(con, [_item(CUMULATIVE, "Testland_Points_2023.pb")], compute_outcomes=False)
    stored = api.load_edition(con, "Testland_Points_2023")
    parsed = parse_string(CUMULATIVE, "Testland_Points_2023.pb").election
    assert stored.budget == parsed.budget and stored.costs == parsed.costs and stored.project_ids == parsed.project_ids
    assert stored.meta == parsed.meta and stored.project_columns == parsed.project_columns
    assert np.array_equal(stored.ballots.indptr, parsed.ballots.indptr)
    assert np.array_equal(stored.ballots.indices, parsed.ballots.indices)
    assert np.array_equal(stored.ballots.points, parsed.ballots.points)
    assert stored.ballots.voter_columns == parsed.ballots.voter_columns


def test_reimport_is_skipped_when_unchanged_and_replaces_when_changed(con: duckdb.DuckDBPyConnection) -> None:
    import_editions(con, [_item(TINY)])
    before = _counts(con)
    assert import_editions(con, [_item(TINY)]).files[0].status == "unchanged"
    assert import_editions(con, [_item(TINY)], force=True).files[0].status == "imported"
    assert _counts(con) == before                      # replaced, not duplicated
    smaller = TINY.replace("num_votes;5", "num_votes;4").replace("v5;\n", "")
    import_editions(con, [_item(smaller)])
    assert con.execute("SELECT n_voters FROM pb_editions").fetchall() == [(4,)]
    assert _counts(con)["pb_voters"] == 4


def test_strict_failure_names_the_place_and_writes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(PabulibError) as err:
        import_editions(con, [_item(UNKNOWN_PROJECT)], strict=True)
    assert (err.value.file, err.value.line, err.value.field) == ("Testland_Testville_2024.pb", 21, "vote")
    assert set(_counts(con).values()) == {0}


def test_lenient_keeps_what_is_sound_and_records_problems(con: duckdb.DuckDBPyConnection) -> None:
    report = import_editions(con, [_item(UNKNOWN_PROJECT)], strict=False)
    assert report.files[0].status == "imported" and report.files[0].n_problems == 1
    problem = con.execute("SELECT file_name, line, field, fatal FROM pb_problems").fetchall()
    assert problem == [("Testland_Testville_2024.pb", 21, "vote", False)]
    assert con.execute("SELECT count(*) FROM pb_votes WHERE voter_id = 'v3'").fetchone() == (1,)   # c kept, zz dropped


def test_a_broken_file_does_not_stop_the_others(con: duckdb.DuckDBPyConnection) -> None:
    report = import_editions(con, [_item(TRUNCATED, "Broken_2020.pb"), _item(TINY)], strict=False)
    assert [f.status for f in report.files] == ["failed", "imported"] and not report.ok
    assert con.execute("SELECT edition_id FROM pb_editions").fetchall() == [("Testland_Testville_2024",)]
    assert con.execute("SELECT edition_id, field, fatal FROM pb_problems").fetchall() == [("Broken_2020", "VOTES", True)]


def test_inside_a_callers_transaction_it_opens_none(con: duckdb.DuckDBPyConnection) -> None:
    assert not in_transaction(con)
    con.execute("BEGIN TRANSACTION")
    assert in_transaction(con)
    import_editions(con, [_item(TINY)])
    assert in_transaction(con)                         # the caller's transaction is still open
    con.execute("ROLLBACK")
    assert set(_counts(con).values()) == {0}           # the caller decides: rolled back, nothing stays
    con.execute("BEGIN TRANSACTION")
    import_editions(con, [_item(TINY)])
    con.execute("COMMIT")
    assert _counts(con)["pb_editions"] == 1


def test_a_slow_rule_is_given_up_and_recorded(con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch) -> None:
    def stalls(election: object) -> list[int]:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            pass
        return []

    monkeypatch.setitem(RULES, "stalls", stalls)
    import_editions(con, [_item(TINY)], rules=["greedy", "stalls"], rule_time_limit_s=0.2)
    rows = dict(con.execute("SELECT rule, error FROM pb_outcomes").fetchall())
    assert rows["greedy"] is None and "timed out" in rows["stalls"]


def test_real_files_load_with_the_declared_counts(con: duckdb.DuckDBPyConnection, shared_data: Path) -> None:
    folder = shared_data / "pabulib"
    manifest = {r["file"]: r for r in csv.DictReader((folder / "MANIFEST.csv").open(encoding="utf-8"))}
    files = sorted((folder / "files").glob("*.pb"), key=lambda p: p.stat().st_size)[:4]
    report = import_editions(con, [(p.name, p.read_bytes(), None) for p in files],
                             rules=["greedy", "max-budget", "max-supports", "actual"])
    assert report.ok
    for p in files:
        row = con.execute("SELECT n_voters, n_projects, vote_type FROM pb_editions WHERE file_name = ?",
                          [p.name]).fetchone()
        m = manifest[p.name]
        assert row == (int(m["num_votes"]), int(m["num_projects"]), m["vote_type"])
    greedy = con.execute("SELECT min(budget_share), max(budget_share) FROM pb_outcomes WHERE rule = 'greedy'").fetchone()
    assert 0 < greedy[0] <= greedy[1] <= 1


def test_a_rule_that_crashes_is_recorded_and_the_rest_still_load(con: duckdb.DuckDBPyConnection,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def crashes(election: object) -> list[int]:
        raise ZeroDivisionError("solver bug")

    monkeypatch.setitem(RULES, "crashes", crashes)
    report = import_editions(con, [_item(TINY), _item(CUMULATIVE, "Testland_Points_2023.pb")],
                             rules=["crashes", "greedy"])
    assert report.ok and len(report.by_status("imported")) == 2
    errors = con.execute("SELECT DISTINCT error FROM pb_outcomes WHERE rule = 'crashes'").fetchall()
    assert errors == [("ZeroDivisionError: solver bug",)]
    assert con.execute("SELECT count(*) FROM pb_outcomes WHERE rule = 'greedy' AND error IS NULL").fetchone() == (2,)


def test_count_only_elections_compare_with_null_voter_metrics() -> None:
    from observatory.pb.model import Election

    e = Election.from_counts(["x", "y", "z"], [3, 4, 5], [10, 7, 1], budget=8)
    result = api.compare(e, ["greedy", "max-supports", "mes"])
    assert result["rules"]["greedy"]["selected"] == ["x", "y"] and result["rules"]["greedy"]["supports"] == 17
    assert result["rules"]["greedy"]["mean_satisfaction_cost"] is None
    assert result["rules"]["mes"]["selected"] is None and "NeedsBallots" in result["rules"]["mes"]["error"]


def test_the_time_limit_keeps_an_enclosing_alarm() -> None:
    import signal

    outer, _ = signal.getitimer(signal.ITIMER_REAL)   # pytest-timeout's own alarm when it uses signals
    if not outer:
        signal.setitimer(signal.ITIMER_REAL, outer := 100.0)
    try:
        with api.time_limit(outer / 10):
            pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert outer * 0.9 < left <= outer
    finally:
        if outer == 100.0:
            signal.setitimer(signal.ITIMER_REAL, 0)
