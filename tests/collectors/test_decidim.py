"""Decidim collector on recorded GraphQL answers: mapping, paging, version-dependent fields, faults,
open-data fallback, idempotent re-runs and an identical offline rebuild."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date

import pytest

from collectors import rebuild
from tests.collectors.helpers import rows, run
from tests.collectors.replay import RECORDINGS, Reply
from tests.participation.graphql_replay import GraphQLReplay, graphql_server

OPEN_DATA = RECORDINGS / "decidim" / "open-data"


@pytest.fixture
def gql() -> Iterator[GraphQLReplay]:
    with graphql_server("/api") as srv:
        srv.load_gql("decidim")
        yield srv


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted(OPEN_DATA.glob("*.csv")):
            zf.writestr(path.name, path.read_bytes())
    return buffer.getvalue()


def _scalar(con, sql: str, params: list | None = None):
    row = con.execute(sql, params or []).fetchone()
    return row[0] if row else None


def test_happy_path_fills_every_table(gql, con, archive_dir, clock):
    summary = run(con, "decidim", gql.base, archive_dir, clock)
    assert summary.status == "ok", summary.errors
    host = "127.0.0.1"
    assert con.execute("SELECT platform, platform_version, name FROM instances").fetchall() == \
        [("decidim", "0.27.5", "Demo City Council")]
    assert con.execute("SELECT space_id, slug, title FROM participation_spaces ORDER BY 1").fetchall() == [
        ("Assembly/4", "consell-ciutat", "City Council assembly"),
        ("ParticipatoryProcess/79", "PressupostosParticipatius", "Participatory budgets")]
    proposals = {r[0]: r[1:] for r in con.execute(
        "SELECT proposal_id, state, supports, title, space_id, component_id, platform_version FROM proposals").fetchall()}
    assert len(proposals) == 6                                   # 3 + 2 over two pages, and 1 in the assembly
    # a title is plain text: stored as served (the display escapes it)
    assert proposals["1202"][:3] == ("accepted", 412, "<script>alert('x')</script>Safe school routes")
    assert proposals["1201"][0] == "published" and proposals["1201"][3:] == ("ParticipatoryProcess/79", "12", "0.27.5")
    assert proposals["3101"][1] is None                          # votes hidden: null, not zero
    assert _scalar(con, "SELECT count(*) FROM proposals WHERE instance_id = ?", [host]) == 6
    assert con.execute("SELECT budget_id, total_budget, title FROM budgets ORDER BY 1").fetchall() == [
        ("6", 3_000_000.0, "Eixample"), ("9", 2_500_000.0, "Les Corts")]
    assert con.execute("SELECT project_id, budget_id, cost, selected FROM budget_projects ORDER BY 1").fetchall() == [
        ("601", "6", 1_500_000.0, True), ("602", "6", 950_000.0, True), ("603", "6", 1_200_000.0, False),
        ("901", "9", 2_000_000.0, True)]
    assert con.execute("SELECT result_id, progress, status FROM results ORDER BY 1").fetchall() == [
        ("7001", 100.0, "Completed"), ("7002", 35.5, "In progress")]
    assert con.execute("SELECT meeting_id, attendees_count, start_time::VARCHAR FROM meetings").fetchall() == [
        ("905", 42, "2020-02-20 17:30:00")]                       # stored in UTC
    # paging followed the cursor; 0.27 is not asked for the 0.29 'withdrawn' field
    pages = [p for p in gql.requests_for("Proposals") if p["variables"]["id"] == "12"]
    assert [p["variables"]["after"] for p in pages] == [None, "Mw"]
    assert all(p["variables"]["first"] == 50 for p in pages)
    assert "withdrawn" not in pages[0]["query"]
    assert _scalar(con, "SELECT count(*) FROM table_meta WHERE table_name = 'proposals'") == 1


def test_version_029_asks_withdrawn_and_stores_it(gql, con, archive_dir, clock):
    gql.add_gql("Version", Reply(body=json.dumps({"data": {"decidim": {"version": "0.29.1"}, "organization": {"name": "X"}}})))
    page2 = json.loads((RECORDINGS / "decidim" / "proposals_12_p2.json").read_text())
    page2["data"]["component"]["proposals"]["nodes"][1]["withdrawn"] = True
    gql.add_gql("Proposals", Reply(body=json.dumps(page2)), id="12", after="Mw")
    summary = run(con, "decidim", gql.base, archive_dir, clock)
    assert summary.status == "ok", summary.errors
    assert "withdrawn" in gql.requests_for("Proposals")[0]["query"]
    assert _scalar(con, "SELECT state FROM proposals WHERE proposal_id = '1205'") == "withdrawn"


def test_hidden_version_probes_withdrawn_then_drops_it(gql, con, archive_dir, clock):
    gql.add_gql("Version", Reply(body=json.dumps({"data": {"decidim": {"version": None}, "organization": {"name": "X"}}})))
    refusal = Reply(body=json.dumps({"errors": [{"message": "Field 'withdrawn' doesn't exist on type 'Proposal'"}]}))
    page1 = (RECORDINGS / "decidim" / "proposals_12_p1.json").read_text()
    gql.add_gql("Proposals", refusal, Reply(body=page1), id="12")
    gql.add_gql("Proposals", refusal, Reply(body=(RECORDINGS / "decidim" / "proposals_31.json").read_text()), id="31")
    summary = run(con, "decidim", gql.base, archive_dir, clock)
    assert summary.status == "ok", summary.errors
    queries = [p["query"] for p in gql.requests_for("Proposals") if p["variables"]["id"] == "12"]
    assert "withdrawn" in queries[0] and "withdrawn" not in queries[1]
    assert _scalar(con, "SELECT platform_version FROM instances") is None


def test_429_with_retry_after_then_success(gql, con, archive_dir, clock):
    gql.add_gql("Spaces", Reply(status=429, headers={"Retry-After": "30"}, body="{}"),
                Reply(body=(RECORDINGS / "decidim" / "spaces.json").read_text()))
    summary = run(con, "decidim", gql.base, archive_dir, clock)
    assert summary.status == "ok", summary.errors
    assert _scalar(con, "SELECT count(*) FROM proposals") == 6


def test_500_then_success(gql, con, archive_dir, clock):
    gql.add_gql("Budgets", Reply(status=500, body='{"errors":[{"message":"Internal Server error"}],"data":{}}'),
                Reply(body=(RECORDINGS / "decidim" / "budgets_15.json").read_text()), id="15")
    summary = run(con, "decidim", gql.base, archive_dir, clock)
    assert summary.status == "ok", summary.errors
    assert _scalar(con, "SELECT count(*) FROM budget_projects") == 4


@pytest.mark.parametrize(("operation", "component", "reply", "message"), [
    ("Budgets", "15", Reply(status=500, body='{"errors":[{"message":"Internal Server error"}],"data":{}}'), "HTTP 500"),
    ("Results", "16", Reply(body='{"errors":[{"message":"Query has complexity of 5200, which exceeds max complexity of 5000"}]}'),
     "exceeds max complexity"),
    ("Meetings", "17", Reply(body="{}", delay_s=1.0), "timed out"),
    ("Proposals", "31", Reply(body='{"data": {"component": {"id": "31", "proposals": {"pageInfo"', truncate=True), ""),
    ("Results", "16", Reply(body="<html>maintenance</html>", content_type="text/html"), "content type 'text/html'"),
    ("Meetings", "17", Reply(body="", stream_bytes=400 * 1024), ""),
])
def test_one_failing_component_does_not_stop_the_others(gql, con, archive_dir, clock, operation, component, reply,
                                                        message):
    gql.add_gql(operation, reply, id=component)
    summary = run(con, "decidim", gql.base, archive_dir, clock)
    assert summary.status == "partial" and summary.failed == 1, summary.errors
    assert f"component {component}" in summary.errors[0] and message in summary.errors[0]
    assert _scalar(con, "SELECT count(*) FROM proposals WHERE component_id = '12'") == 5


def test_api_down_falls_back_to_the_open_data_zip(gql, con, archive_dir, clock):
    gql.add_gql("Version", Reply(status=500, body="{}"))
    gql.add("GET", "/open-data/download", Reply(status=302, headers={"Location": "{base}/uploads/open-data.zip"}, body=""))
    gql.add("GET", "/uploads/open-data.zip", Reply(body=_zip(), content_type="application/zip"))
    summary = run(con, "decidim", gql.base, archive_dir, clock)
    assert summary.status == "partial" and "HTTP 500" in summary.errors[0]
    assert con.execute("SELECT project_id, cost, supports, source_url LIKE '%/open-data/download' FROM budget_projects "
                       "ORDER BY 1").fetchall() == [("601", 1_500_000.0, 812, True), ("602", 950_000.0, 640, True)]
    assert con.execute("SELECT proposal_id, title, supports FROM proposals ORDER BY 1").fetchall() == [
        ("1201", "More trees in Plaça del Sol", 37), ("1202", "=Safe school routes", 412)]


def test_open_data_not_ready_keeps_previous_rows(gql, con, archive_dir, clock):
    run(con, "decidim", gql.base, archive_dir, clock)
    before = rows(con, "proposals", "proposal_id")
    gql.add_gql("Version", Reply(status=503, body="{}"))
    gql.add("GET", "/open-data/download", Reply(body="<html>The file is not available yet</html>", content_type="text/html"))
    summary = run(con, "decidim", gql.base, archive_dir, clock)
    assert summary.status == "failed" and summary.failed == 2
    assert rows(con, "proposals", "proposal_id") == before


def test_redirect_loop_on_open_data_is_a_failure(gql, con, archive_dir, clock):
    gql.add_gql("Version", Reply(status=500, body="{}"))
    gql.add("GET", "/open-data/download", Reply(status=302, headers={"Location": "{base}/open-data/download"}, body=""))
    summary = run(con, "decidim", gql.base, archive_dir, clock)
    assert summary.status == "failed" and any("redirect" in e.lower() for e in summary.errors), summary.errors


def test_rerun_is_idempotent_and_rebuild_identical(gql, con, archive_dir, clock):
    run(con, "decidim", gql.base, archive_dir, clock)
    run(con, "decidim", gql.base, archive_dir, clock)
    live = {t: rows(con, t, "1, 2") for t in ("proposals", "budget_projects", "budgets", "results", "meetings",
                                              "participation_spaces", "instances")}
    assert len(live["proposals"]) == 6
    gql.stop()
    rebuild(con, archive_dir, ["decidim"])
    assert {t: rows(con, t, "1, 2") for t in live} == live


def test_rebuild_keeps_imported_rows(gql, con, archive_dir, clock):
    con.execute("INSERT INTO proposals (instance_id, proposal_id, platform, source_url, checked_on) "
                "VALUES ('127.0.0.1', '1', 'decidim', 'file:export/proposals.csv', ?)", [date(2026, 11, 1)])
    run(con, "decidim", gql.base, archive_dir, clock)
    rebuild(con, archive_dir, ["decidim"])
    assert _scalar(con, "SELECT count(*) FROM proposals WHERE source_url LIKE 'file:%'") == 1
