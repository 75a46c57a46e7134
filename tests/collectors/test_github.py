"""GitHub collector on recorded REST v3 answers: snapshot fields, pagination, 202, faults, rebuild."""

from __future__ import annotations

from datetime import datetime, timedelta

from collectors import rebuild
from observatory.http import FakeClock
from tests.collectors.helpers import all_text, rows, run, seed_tools
from tests.collectors.replay import Reply


def _snapshots(con):
    cols = [d[0] for d in con.execute("SELECT * FROM repo_snapshots LIMIT 0").description]
    return {r[0]: dict(zip(cols, r, strict=True)) for r in con.execute("SELECT * FROM repo_snapshots").fetchall()}


def test_happy_path_fields(server, con, archive_dir, clock):
    server.load("github")
    seed_tools(con)
    summary = run(con, "github", server.base, archive_dir, clock)
    assert summary.status == "ok", summary.errors
    snaps = _snapshots(con)
    d = snaps["decidim"]
    assert (d["repo"], d["forge"], d["stars"], d["forks"], d["watchers"], d["open_issues"]) == \
        ("decidim/decidim", "github", 1520, 410, 88, 720)
    assert d["licence_spdx"] == "AGPL-3.0" and d["licence_mismatch"] is False
    assert d["latest_release"] == "v0.30.1"                 # the pre-release and the draft are not "latest"
    assert d["latest_release_at"] == datetime(2026, 9, 15, 10, 0)
    assert d["latest_tag"] == "v0.31.0.rc1"
    assert d["releases_last_year"] == 4                     # drafts and releases older than a year excluded
    assert d["contributors"] == 5                           # two pages through Link rel="next", anonymous included
    assert len(d["commit_weeks"]) == 52 and d["commits_last_52w"] == sum(i % 7 + 3 for i in range(52))
    assert server.count("GET", "/repos/decidim/decidim/stats/commit_activity") == 2   # 202, then 200
    assert 3.0 in clock.sleeps
    assert snaps["democracyos"]["archived"] is True
    assert snaps["democracyos"]["licence_mismatch"] is False
    assert snaps["consul"]["release_cadence_days"] == 120.0


def test_licence_mismatch_flagged(server, con, archive_dir, clock):
    server.load("github")
    seed_tools(con, [("democracyos", "https://github.com/DemocracyOS/democracyos", "MIT")])
    run(con, "github", server.base, archive_dir, clock)
    assert _snapshots(con)["democracyos"]["licence_mismatch"] is True


def test_hostile_release_name_stored_as_plain_text(server, con, archive_dir, clock):
    server.load("github")
    seed_tools(con)
    run(con, "github", server.base, archive_dir, clock)
    assert _snapshots(con)["democracyos"]["latest_release"] == "v2.11.0<script>alert(1)</script>"


def test_stats_still_computing_is_skipped_gracefully(server, con, archive_dir, clock):
    server.load("github")
    server.add("GET", "/repos/decidim/decidim/stats/commit_activity", Reply(202, "{}"))
    seed_tools(con)
    summary = run(con, "github", server.base, archive_dir, clock)
    assert summary.status == "ok" and summary.skipped == 1
    d = _snapshots(con)["decidim"]
    assert d["commit_weeks"] is None and d["commits_last_52w"] is None and d["stars"] == 1520


def test_one_repo_failing_does_not_stop_the_others(server, con, archive_dir, clock):
    server.load("github")
    server.add("GET", "/repos/consuldemocracy/consuldemocracy", Reply(500, "boom"))
    server.add("GET", "/repos/DemocracyOS/democracyos", Reply(200, '{"full_name": "Democ', truncate=True))
    seed_tools(con)
    summary = run(con, "github", server.base, archive_dir, clock)
    assert summary.status == "partial" and summary.failed == 2 and summary.fetched == 1
    assert any("consul" in e and "HTTP 500 after 3 attempts" in e for e in summary.errors)
    assert any("democracyos" in e and "truncated" in e for e in summary.errors)
    assert set(_snapshots(con)) == {"decidim"}
    run_row = con.execute("SELECT status, failed, errors FROM collector_runs").fetchone()
    assert run_row[0] == "partial" and run_row[1] == 2 and len(run_row[2]) == 2


def test_failure_keeps_previous_rows_and_rerun_is_idempotent(server, con, archive_dir, clock):
    server.load("github")
    seed_tools(con)
    run(con, "github", server.base, archive_dir, clock)
    run(con, "github", server.base, archive_dir, clock)            # same day: replaces, never duplicates
    assert con.execute("SELECT count(*) FROM repo_snapshots").fetchone()[0] == 3
    before = rows(con, "repo_snapshots", "tool_id")
    later = FakeClock(clock.now() + timedelta(days=1))
    for path in list(server.routes):
        server.routes[path] = [Reply(503, "maintenance")]
    summary = run(con, "github", server.base, archive_dir, later)
    assert summary.status == "failed" and summary.fetched == 0
    assert rows(con, "repo_snapshots", "tool_id") == before


def test_token_never_stored(server, con, archive_dir, clock, monkeypatch):
    secret = "ghp_FAKEtoken0123456789abcdefFAKE"
    monkeypatch.setenv("GITHUB_TOKEN", secret)
    server.load("github")
    server.add("GET", "/repos/consuldemocracy/consuldemocracy", Reply(500, f"echo {secret}"))
    seed_tools(con)
    run(con, "github", server.base, archive_dir, clock)
    assert all(s.headers.get("Authorization") == f"Bearer {secret}" for s in server.seen)
    assert secret not in all_text(con, archive_dir)


def test_rebuild_reproduces_rows_offline(server, con, archive_dir, clock):
    server.load("github")
    seed_tools(con)
    run(con, "github", server.base, archive_dir, clock)
    server.routes["GET", "/repos/consuldemocracy/consuldemocracy"] = [Reply(500, "down")]
    run(con, "github", server.base, archive_dir, FakeClock(clock.now() + timedelta(days=2)))
    live = rows(con, "repo_snapshots", "tool_id, fetched_at")
    assert len(live) == 5
    server.stop()
    summaries = rebuild(con, archive_dir, ["github"])
    assert [s.status for s in summaries] == ["ok", "partial"]
    assert rows(con, "repo_snapshots", "tool_id, fetched_at") == live
