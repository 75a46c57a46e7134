"""GitLab collector on recorded v4 answers: fields, pagination, weekly buckets, faults, rebuild."""

from __future__ import annotations

from collectors import rebuild
from tests.collectors.helpers import rows, run, seed_tools
from tests.collectors.replay import Reply

TOOLS = [("belenios", "https://gitlab.inria.fr/belenios/belenios", "AGPL-3.0-or-later"),
         ("decidim", "https://github.com/decidim/decidim", "AGPL-3.0-or-later")]


def test_happy_path(server, con, archive_dir, clock):
    server.load("gitlab")
    seed_tools(con, TOOLS)
    summary = run(con, "gitlab", server.base, archive_dir, clock)
    assert summary.status == "ok" and summary.fetched == 1, summary.errors   # GitHub-hosted tool ignored
    cur = con.execute("SELECT * FROM repo_snapshots")
    cols = [d[0] for d in cur.description]
    snap = dict(zip(cols, cur.fetchone(), strict=True))
    assert (snap["repo"], snap["forge"], snap["stars"], snap["forks"], snap["open_issues"]) == \
        ("belenios/belenios", "gitlab", 41, 12, 57)
    assert snap["watchers"] is None and snap["licence_spdx"] == "AGPL-3.0" and snap["licence_mismatch"] is False
    assert snap["latest_release"] == "3.1"           # the upcoming release is not published yet
    assert snap["releases_last_year"] == 2 and snap["release_cadence_days"] == 183.0
    assert snap["latest_tag"] == "3.1" and snap["contributors"] == 3
    # 9-10 days before the fetch: second-last week
    assert snap["commits_last_52w"] == 4 and len(snap["commit_weeks"]) == 52 and snap["commit_weeks"][50] == 2
    assert str(snap["pushed_at"]) == "2026-11-25 08:41:07.512000"   # converted to UTC


def test_project_500_forever_recorded_as_failed(server, con, archive_dir, clock):
    server.load("gitlab")
    server.add("GET", "/projects/belenios%2Fbelenios?license=true", Reply(500, "oops"))
    seed_tools(con, TOOLS)
    summary = run(con, "gitlab", server.base, archive_dir, clock)
    assert summary.status == "failed" and summary.failed == 1 and "HTTP 500" in summary.errors[0]


def test_wrong_content_type_fails_that_project(server, con, archive_dir, clock):
    server.load("gitlab")
    server.add("GET", "/projects/belenios%2Fbelenios?license=true", Reply(200, "<html>Sign in</html>", content_type="text/html"))
    seed_tools(con, TOOLS)
    summary = run(con, "gitlab", server.base, archive_dir, clock)
    assert summary.failed == 1 and "content type 'text/html'" in summary.errors[0]


def test_rebuild_identical(server, con, archive_dir, clock):
    server.load("gitlab")
    seed_tools(con, TOOLS)
    run(con, "gitlab", server.base, archive_dir, clock)
    live = rows(con, "repo_snapshots", "tool_id")
    server.stop()
    rebuild(con, archive_dir, ["gitlab"])
    assert rows(con, "repo_snapshots", "tool_id") == live
