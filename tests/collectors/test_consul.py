"""Consul collector on recorded GraphQL answers: mapping, paging (25 per page), snake/camelCase,
versions without budgets, faults, idempotent re-runs and an identical offline rebuild."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import pytest

from collectors import rebuild
from tests.collectors.helpers import rows, run
from tests.collectors.replay import RECORDINGS, Reply
from tests.participation.graphql_replay import GraphQLReplay, graphql_server


@pytest.fixture
def gql() -> Iterator[GraphQLReplay]:
    with graphql_server("/graphql") as srv:
        srv.load_gql("consul")
        yield srv


def test_happy_path(gql, con, archive_dir, clock):
    summary = run(con, "consul", gql.base, archive_dir, clock)
    assert summary.status == "ok", summary.errors
    props = {r[0]: r[1:] for r in con.execute(
        "SELECT proposal_id, title, supports, state, state_raw, published_at, body, quality_flag, scope FROM proposals"
    ).fetchall()}
    assert set(props) == {"35573", "35574", "35580", "36194"}
    assert props["35573"][:4] == ("Metro accesible Campamento", 15, "published", None)
    assert props["35573"][4] == datetime(2024, 1, 1, 9, 0)         # +0100 stored as UTC
    assert props["35573"][5] == "Ascensor en la estación\n\nCampamento es un barrio donde nuestros mayores no tienen ascensor."
    assert props["35580"][2:4] == ("withdrawn", "duplicated")
    assert props["36194"][6] == "test_entry" and props["35573"][7] == "11"
    assert con.execute("SELECT comment_id, commentable_type, commentable_id, body FROM comments ORDER BY 1").fetchall() == [
        ("17092", "Proposal", "35573", "Pero si esto está ya en el programa y es una prioridad."),
        ("17107", "Proposal", "35574", "<script>alert(1)</script>Muy necesario")]  # plain text: stored as served
    assert con.execute("SELECT budget_id, title FROM budgets").fetchall() == [("12", "Presupuestos participativos 2025")]
    assert con.execute("SELECT project_id, budget_id, cost, selected FROM budget_projects ORDER BY 1").fetchall() == [
        ("5101", None, 120_000.0, None), ("5102", None, 450_000.0, None)]
    requests = gql.requests_for("Proposals")
    assert [r["variables"] for r in requests] == [{"first": 25, "after": None}, {"first": 25, "after": "Mw"}]
    assert "cached_votes_up" in requests[0]["query"]                   # snake_case works on every version


def test_camel_case_answers_are_read(gql, con, archive_dir, clock):
    body = {"data": {"proposals": {"pageInfo": {"hasNextPage": False, "endCursor": "MQ"}, "edges": [{"node": {
        "id": 1, "title": "Camel", "cachedVotesUp": 7, "commentsCount": 1, "publicCreatedAt": "2024-02-01 10:00:00 +0100",
        "retiredAt": None, "publicAuthor": {"id": 5}}}]}}}
    gql.add_gql("Proposals", Reply(body=json.dumps(body)))
    run(con, "consul", gql.base, archive_dir, clock)
    assert con.execute("SELECT supports, comments_count FROM proposals WHERE proposal_id = '1'").fetchall() == [(7, 1)]


def test_version_without_budgets_is_skipped_not_failed(gql, con, archive_dir, clock):
    gql.add_gql("Budgets", Reply(body=json.dumps({"errors": [{"message": "Field 'budgets' doesn't exist on type 'Query'"}]})))
    summary = run(con, "consul", gql.base, archive_dir, clock)
    assert summary.status == "ok" and summary.skipped == 1 and "2.2.1" in summary.errors[0]


def test_depth_limit_error_fails_that_collection_only(gql, con, archive_dir, clock):
    depth = {"errors": [{"message": "Query has depth of 9, which exceeds max depth of 8"}]}
    gql.add_gql("Comments", Reply(body=json.dumps(depth)))
    summary = run(con, "consul", gql.base, archive_dir, clock)
    assert summary.status == "partial" and "max depth" in summary.errors[0]
    assert con.execute("SELECT count(*) FROM proposals").fetchone() == (4,)


@pytest.mark.parametrize(("reply", "message"), [
    (Reply(status=429, headers={"Retry-After": "5"}, body="{}"), None),
    (Reply(status=500, body="{}"), None),
])
def test_transient_errors_then_success(gql, con, archive_dir, clock, reply, message):
    page1 = (RECORDINGS / "consul" / "proposals_p1.json").read_text()
    gql.add_gql("Proposals", reply, Reply(body=page1))
    summary = run(con, "consul", gql.base, archive_dir, clock)
    assert summary.status == "ok", summary.errors
    assert con.execute("SELECT count(*) FROM proposals").fetchone() == (4,)


@pytest.mark.parametrize(("reply", "message"), [
    (Reply(status=500, body="{}"), "HTTP 500"),
    (Reply(body="{}", delay_s=1.0), "timed out"),
    (Reply(body='{"data": {"proposals": {"pageInfo": ', truncate=True), ""),
    (Reply(body="<html>Access Denied</html>", status=200, content_type="text/html"), "content type 'text/html'"),
    (Reply(body="", stream_bytes=400 * 1024), ""),
    (Reply(body='["not", "an", "object"]'), "not an object"),
])
def test_failing_proposals_keep_previous_rows(gql, con, archive_dir, clock, reply, message):
    run(con, "consul", gql.base, archive_dir, clock)
    before = rows(con, "proposals", "proposal_id")
    gql.add_gql("Proposals", reply)
    summary = run(con, "consul", gql.base, archive_dir, clock)
    assert summary.status == "partial" and "proposals" in summary.errors[0] and message in summary.errors[0]
    assert rows(con, "proposals", "proposal_id") == before


def test_rerun_idempotent_and_rebuild_identical(gql, con, archive_dir, clock):
    run(con, "consul", gql.base, archive_dir, clock)
    run(con, "consul", gql.base, archive_dir, clock)
    live = {t: rows(con, t, "1, 2") for t in ("proposals", "comments", "budgets", "budget_projects", "instances")}
    gql.stop()
    rebuild(con, archive_dir, ["consul"])
    assert {t: rows(con, t, "1, 2") for t in live} == live
