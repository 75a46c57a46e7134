"""`observatory collect / runs / rebuild` end to end against one local replay server."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import collectors
import observatory.runs
from observatory.cli import app
from observatory.http import FakeClock
from observatory.store import connect_writer
from tests.collectors.helpers import all_text, seed_tools
from tests.collectors.replay import RECORDINGS, ReplayServer

# Every registered collector whose recordings the REST replay server plays (GraphQL and git ones have their own tests).
MINE = [name for name in collectors.names() if (RECORDINGS / name / "index.json").is_file()]
PARTIAL = {"pabulib": "the broken .pb file of the recording"}
# Rows a rebuild does not reproduce by design: the runs' own bookkeeping and load times.
BOOKKEEPING = {"collector_runs", "raw_responses", "table_meta"}


def every_table(con) -> dict[str, list[tuple]]:
    """Every base table of the database's own catalogue (information_schema), rows in a fixed order."""
    names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                      "'main' AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
    return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall()  # noqa: S608 - catalogue names
            for t in names if t not in BOOKKEEPING}


def load_all(server: ReplayServer) -> None:
    for name in MINE:
        server.load(name)


def seed_everything(db: Path) -> None:
    con = connect_writer(db)
    seed_tools(con, [
        ("decidim", "https://github.com/decidim/decidim", "AGPL-3.0-or-later"),
        ("consul", "https://github.com/consuldemocracy/consuldemocracy", "AGPL-3.0-only"),
        ("democracyos", "https://github.com/DemocracyOS/democracyos", "GPL-3.0-only"),
        ("openstad", None, "EUPL-1.2"),
        ("openslides", None, "MIT"),
        ("belenios", "https://gitlab.inria.fr/belenios/belenios", "AGPL-3.0-or-later"),
    ])
    con.close()


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI builds its clock inside run_collector: swap the class so politeness waits are not real."""
    monkeypatch.setattr(observatory.runs, "Clock", FakeClock)


def test_collect_runs_rebuild_end_to_end(server, tmp_path, monkeypatch, fake_clock, recording_importer):
    secret_gh, secret_gl = "ghp_E2Efake0000000000000000000000000", "glpat-E2Efake000000000000"
    monkeypatch.setenv("GITHUB_TOKEN", secret_gh)
    monkeypatch.setenv("GITLAB_TOKEN", secret_gl)
    monkeypatch.setenv("OBSERVATORY_ARCHIVE", str(tmp_path / "archive"))
    load_all(server)
    db = tmp_path / "obs.duckdb"
    seed_everything(db)
    con = connect_writer(db)
    seeded = every_table(con)
    con.close()
    runner = CliRunner()
    result = runner.invoke(app, ["collect", *MINE, "--endpoint", server.base, "--db", str(db)])
    assert result.exit_code == 0, result.output
    for name in MINE:
        assert name in result.output
    con = connect_writer(db)
    statuses = dict(con.execute("SELECT collector, status FROM collector_runs").fetchall())
    assert statuses == {name: "partial" if name in PARTIAL else "ok" for name in MINE}
    # probe ran after deployments, so it probed the freshly collected deployment URLs
    assert con.execute("SELECT count(*) FROM deployment_probes").fetchone()[0] >= 5
    live = every_table(con)
    grown = {t for t in live if live[t] != seeded[t]}
    written = {r[0] for r in con.execute("SELECT DISTINCT table_name FROM table_meta WHERE package = 'collectors' "
                                         "AND checked_on IS NOT NULL").fetchall()} - BOOKKEEPING
    assert written and written <= grown, (written, grown)   # every table a collector says it wrote has rows
    fresh = dict(con.execute("SELECT table_name, checked_on FROM table_meta WHERE package = 'collectors'").fetchall())
    # the tables these collectors and the runner declare, among those the collectors' migration registers
    declared = ({t for name in MINE for t in collectors.get(name).tables} | set(observatory.runs.RUNNER_TABLES)) & set(fresh)
    assert declared > set(observatory.runs.RUNNER_TABLES) and all(fresh[t] is not None for t in declared), fresh
    assert secret_gh not in all_text(con, tmp_path / "archive") and secret_gl not in all_text(con, tmp_path / "archive")
    con.close()

    assert "deployments" in runner.invoke(app, ["runs", "--db", str(db)]).output
    server.stop()
    result = runner.invoke(app, ["rebuild", *MINE, "--db", str(db)])
    assert result.exit_code == 0, result.output
    con = connect_writer(db)
    rebuilt = every_table(con)
    assert {t: rebuilt[t] for t in grown} == {t: live[t] for t in grown}
    assert rebuilt == live
    con.close()


def test_unknown_collector_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["collect", "nope", "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code != 0 and "unknown collector" in result.output
