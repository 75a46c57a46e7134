"""The git collector on a repository with a known history: every metric and licence event, exactly."""

from __future__ import annotations

import gzip
import json
import subprocess
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

import collectors
from collectors import rebuild
from observatory.http import FakeClock
from observatory.runs import run_collector
from tests.collectors.gitrepo_builder import CAROL, RepoBuilder, known_history
from tests.collectors.helpers import seed_tools

AS_OF = datetime(2026, 6, 15, 9, 0, 0)
REPO = "https://github.com/decidim/decidim"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("known") / "example"
    return path, known_history(path)


def collect(con: duckdb.DuckDBPyConnection, archive: Path, *repos: str, when: datetime = AS_OF):
    return run_collector(con, collectors.get("git")(None, repos), archive, clock=FakeClock(when))


@pytest.fixture
def collected(con: duckdb.DuckDBPyConnection, archive_dir: Path, history: tuple[Path, dict[str, str]]):
    seed_tools(con)
    summary = collect(con, archive_dir, f"decidim={history[0]}")
    assert (summary.status, summary.fetched, summary.errors) == ("ok", 1, [])
    return con, history[1]


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    return con.execute(sql, params or []).fetchone()


def test_raw_commits_mailmap_and_no_email(collected, archive_dir: Path) -> None:
    con, ids = collected
    rows = {r[0]: r[1:] for r in con.execute(
        'SELECT "commit", author_key, author_org, files_changed, insertions, deletions, is_merge, committed_at '
        "FROM git_commits WHERE repo = ?", [REPO]).fetchall()}
    assert len(rows) == 11
    assert rows[ids["c2"]][2:6] == (1, 3, 0, False)
    assert rows[ids["c3"]][2:6] == (1, 1, 1, False)
    assert rows[ids["c1"]][2:5] == (4, 6 + 1 + 1 + 1, 0)   # LICENSE, package.json, README, .mailmap
    assert rows[ids["merge"]][2:6] == (None, None, None, True)
    # .mailmap merges Alice's old web-mail address into her city address: one key, the city's domain
    assert rows[ids["c1"]][0] == rows[ids["c3"]][0] == rows[ids["c6"]][0]
    assert rows[ids["c1"]][1] == "city.example"
    assert rows[ids["c2"]][1] is None                   # web-mail: an individual, no organisation
    assert len({r[0] for r in rows.values()}) == 3
    text = json.dumps(con.execute("SELECT * FROM git_commits").fetchall(), default=str)
    bodies = b"".join(gzip.decompress(p.read_bytes()) for p in archive_dir.rglob("*.gz"))
    for secret in ("alice", "bob@", "carol@", "gmail"):
        assert secret not in text and secret.encode() not in bodies


def test_tags_and_releases(collected) -> None:
    con, ids = collected
    tags = con.execute("SELECT tag, \"commit\", tagged_at, is_release FROM git_tags ORDER BY tagged_at").fetchall()
    assert tags == [
        ("v1.0", ids["c3"], datetime(2023, 3, 5, 12), True),
        ("v1.1", ids["c5"], datetime(2024, 2, 11, 12), True),
        ("v2.0-rc1", ids["c6"], datetime(2025, 9, 1, 12), False),
        ("v2.0", ids["merge"], datetime(2025, 10, 6, 12), True),
        ("docs-snapshot", ids["c11"], datetime(2026, 6, 1, 12), False),
    ]


def test_repo_health_every_metric(collected) -> None:
    con, ids = collected
    row = con.execute("SELECT * FROM repo_health WHERE repo = ? AND origin = 'git'", [REPO]).fetchdf().iloc[0]
    assert row["tool_id"] == "decidim" and row["coverage"] == "full" and row["commit_read"] == ids["c11"]
    assert row["read_on"].date() == date(2026, 6, 15)
    assert row["first_commit_at"] == datetime(2023, 1, 10, 12) and row["last_commit_at"] == datetime(2026, 6, 1, 12)
    assert (row["commits_total"], row["authors_total"]) == (10, 3)          # merges are not counted
    # last 12 months: c6 c7 c9 c10 c11; the 12 before: none
    assert (row["commits_12m"], row["commits_prev_12m"]) == (5, 0)
    assert (row["last_release"], row["last_release_at"].date()) == ("v2.0", date(2025, 10, 6))
    assert row["last_release_age_days"] == (date(2026, 6, 15) - date(2025, 10, 6)).days == 252
    assert row["releases_3y"] == 2                                           # v1.1 and v2.0 (v1.0 is older)
    assert row["release_cadence_days"] == (date(2025, 10, 6) - date(2024, 2, 11)).days
    # last 24 months: Alice 2, Bob 2, Carol 1 -> two authors make half; city.example 2 of 3 org commits
    assert (row["bus_factor"], row["elephant_factor"]) == (2, 1)
    assert (row["top_org"], row["top_org_share"]) == ("city.example", 0.4)
    assert (row["status"], row["status_reason"]) == ("slowing", "few_commits")
    assert json.loads(row["status_params"]) == {"commits_12m": 5, "threshold": 12}
    assert row["source_url"] == f"{REPO}/commit/{ids['c11']}"


def test_monthly_rows(collected) -> None:
    con, _ = collected
    months = {r[0]: r[1:] for r in con.execute(
        "SELECT month, commits, active_authors, new_authors, stopped_authors, releases FROM repo_health_monthly "
        "WHERE repo = ? AND origin = 'git'", [REPO]).fetchall()}
    assert len(months) == 42 and min(months) == date(2023, 1, 1) and max(months) == date(2026, 6, 1)
    assert months[date(2023, 1, 1)] == (2, 2, 2, 1, 0)      # Bob's next commit is in 2025: he stopped
    assert months[date(2023, 3, 1)] == (1, 1, 0, 1, 1)      # Alice then pauses for 2.5 years; v1.0
    assert months[date(2024, 2, 1)] == (2, 1, 1, 1, 1)      # Carol arrives, v1.1, next commit in 2026
    assert months[date(2024, 5, 1)] == (0, 0, 0, 0, 0)
    assert months[date(2025, 5, 1)] == (0, 0, 0, 0, 0)      # its next 12 months ended on 2026-05-31
    assert months[date(2025, 6, 1)] == (0, 0, 0, None, 0)   # not over on 2026-06-15: unknown
    assert months[date(2025, 9, 1)] == (1, 1, 0, None, 0)   # v2.0-rc1 is not a release
    assert months[date(2025, 10, 1)] == (1, 1, 0, None, 1)  # the side-branch commit; the merge is not counted
    assert months[date(2026, 6, 1)] == (1, 1, 0, None, 0)
    assert sum(m[0] for m in months.values()) == 10


def test_licence_history_and_events(collected) -> None:
    con, ids = collected
    changes = con.execute('SELECT "commit", path, kind, stated_before, stated_after FROM git_licence_changes '
                          "ORDER BY committed_at, path").fetchall()
    assert changes == [
        (ids["c1"], "LICENSE", "licence_file", None, "MIT"),
        (ids["c1"], "package.json", "manifest", None, "MIT"),
        (ids["c6"], "LICENSE", "licence_file", "MIT", "AGPL-3.0-or-later"),
    ]
    events = con.execute("SELECT date, from_spdx, to_spdx, declaration_source, evidence_url FROM licence_events "
                         "WHERE source = 'git' ORDER BY date, declaration_source").fetchall()
    assert events == [
        (date(2023, 1, 10), None, "MIT", "licence_file", f"{REPO}/commit/{ids['c1']}"),
        (date(2023, 1, 10), None, "MIT", "manifest", f"{REPO}/commit/{ids['c1']}"),
        (date(2025, 9, 1), "MIT", "AGPL-3.0-or-later", "licence_file", f"{REPO}/commit/{ids['c6']}"),
    ]
    # The manifest still says MIT after the relicensing: git and the (empty) curated list disagree everywhere
    kinds = con.execute("SELECT kind, to_spdx FROM licence_event_conflicts ORDER BY date, to_spdx").fetchall()
    assert kinds == [("git_first_not_curated", "MIT"), ("git_first_not_curated", "MIT"),
                     ("git_change_not_curated", "AGPL-3.0-or-later")]
    con.execute("INSERT INTO licence_events (tool_id, date, from_spdx, to_spdx, evidence_url, source_url, checked_on, "
                "source, declaration_source) VALUES ('decidim', '2025-09-03', 'MIT', 'AGPL-3.0-or-later', 'https://x.org',"
                " 'https://x.org', '2026-06-15', 'curated', 'licence_file'), ('decidim', '2019-01-01', NULL, 'MIT', "
                "'https://x.org', 'https://x.org', '2026-06-15', 'curated', 'manifest')")
    kinds = con.execute("SELECT kind, date, to_spdx FROM licence_event_conflicts ORDER BY date, kind").fetchall()
    assert kinds == [("curated_not_in_git", date(2019, 1, 1), "MIT"),
                     ("git_first_not_curated", date(2023, 1, 10), "MIT"),
                     ("git_first_not_curated", date(2023, 1, 10), "MIT")]


def test_incremental_run_reads_only_new_commits_and_rebuild_replays(collected, archive_dir: Path,
                                                                     history: tuple[Path, dict[str, str]],
                                                                     tmp_path: Path) -> None:
    con, ids = collected
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(history[0]), str(clone)], check=True)
    builder = RepoBuilder.__new__(RepoBuilder)
    builder.path = clone
    new = builder.commit(CAROL, "2026-06-20", {"f.txt": "f\n"})
    summary = collect(con, archive_dir, f"decidim=file://{clone}", when=datetime(2026, 6, 30, 9))
    assert summary.status == "ok", summary.errors
    payloads = [json.loads(gzip.decompress(p.read_bytes())) for p in archive_dir.rglob("*.gz")]
    latest = next(p for p in payloads if p["head"] == new)
    assert latest["base"] == ids["c11"] and [c[0] for c in latest["commits"]] == [new]
    assert one(con, "SELECT count(*) FROM git_commits")[0] == 12
    assert one(con, "SELECT commits_total, commits_12m, commit_read FROM repo_health WHERE origin = 'git'") == (
        11, 6, new)
    before = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()  # noqa: S608
              for t in ("git_commits", "repo_health", "repo_health_monthly", "git_licence_changes")}
    summaries = rebuild(con, archive_dir, ["git"])
    assert [s.status for s in summaries] == ["ok", "ok"]
    assert before["git_commits"]
    for table, rows in before.items():
        assert con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() == rows, table  # noqa: S608


def test_unknown_repository_fails_alone(con: duckdb.DuckDBPyConnection, archive_dir: Path,
                                        history: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    seed_tools(con)
    summary = collect(con, archive_dir, str(history[0]), str(tmp_path / "nothing-here"), f"decidim={history[0]}")
    assert (summary.status, summary.fetched, summary.failed) == ("partial", 1, 2)
    assert "TOOL_ID=PATH_OR_URL" in summary.errors[0] and "not a git repository" in summary.errors[1]


def test_cli_collect_git_repo_and_refuses_repo_for_other_collectors(tmp_path: Path,
                                                                     history: tuple[Path, dict[str, str]]) -> None:
    from typer.testing import CliRunner

    from observatory.cli import app
    from observatory.store import connect_writer

    db = tmp_path / "cli.duckdb"
    con = connect_writer(db)
    seed_tools(con)
    con.close()
    runner = CliRunner()
    result = runner.invoke(app, ["collect", "git", "--repo", f"decidim={history[0]}", "--db", str(db)])
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT tool_id, coverage, commits_total FROM repo_health").fetchall() == [
        ("decidim", "full", 10)]
    con.close()
    refused = runner.invoke(app, ["collect", "github", "--repo", str(history[0]), "--db", str(db)])
    assert refused.exit_code == 2 and "--repo" in refused.output


def test_since_rewrites_only_recent_months(collected, archive_dir: Path, history: tuple[Path, dict[str, str]]) -> None:
    con, _ = collected
    con.execute("UPDATE repo_health_monthly SET commits = -1 WHERE origin = 'git'")   # marks the first run's rows
    summary = run_collector(con, collectors.get("git")(None, [f"decidim={history[0]}"]), archive_dir,
                            clock=FakeClock(AS_OF), since=date(2026, 1, 15))
    assert summary.status == "ok"
    rows = dict(con.execute("SELECT month, commits FROM repo_health_monthly WHERE origin = 'git'").fetchall())
    assert len(rows) == 42
    assert {m for m, c in rows.items() if c != -1} == {date(2026, m, 1) for m in range(1, 7)}
    assert rows[date(2026, 5, 1)] == 2 and rows[date(2025, 12, 1)] == -1
