"""Every endpoint of the live API against a database built from datasets/: content, filters, formats, errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest

from observatory.store import connect_readonly, user_tables

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def truth(built_db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = connect_readonly(built_db)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_index_points_to_every_endpoint(client: httpx.Client) -> None:
    body = client.get("/api/v1").json()
    assert body["tables"] == "/api/v1/tables" and body["queries"] == "/api/v1/queries"
    assert body["data_version"]


def test_tables_lists_every_public_table_with_meta_and_exact_counts(client: httpx.Client, built_db: Path) -> None:
    response = client.get("/api/v1/tables")
    assert response.status_code == 200
    listed = {t["name"]: t for t in response.json()["tables"]}
    con = connect_readonly(built_db)
    try:
        expected = user_tables(con)
        counts = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in expected}
    finally:
        con.close()
    assert sorted(listed) == sorted(expected)
    assert "schema_migrations" not in listed
    assert {name: t["row_count"] for name, t in listed.items()} == counts
    tools = listed["tools"]
    assert tools["licence"] and tools["source"] and ISO_DATE.match(tools["checked_on"])
    assert {"name": "tool_id", "type": "VARCHAR"} in tools["columns"]


def test_filter_on_one_column(client: httpx.Client, built_db: Path) -> None:
    body = client.get("/api/v1/tables/deployments.json", params={"country": "FR", "_size": 1000}).json()
    expected = truth(built_db, "SELECT count(*) FROM deployments WHERE country = 'FR'")[0][0]
    assert expected > 0 and body["row_count"] == expected
    assert {r["country"] for r in body["rows"]} == {"FR"}


def test_repeated_filter_means_any_of(client: httpx.Client, built_db: Path) -> None:
    params = [("tool_id", "decidim"), ("tool_id", "consul-democracy"), ("_size", "1000")]
    rows = client.get("/api/v1/tables/deployments.json", params=params).json()["rows"]
    expected = truth(built_db, "SELECT count(*) FROM deployments WHERE tool_id IN ('decidim', 'consul-democracy')")
    assert len(rows) == expected[0][0]
    assert {r["tool_id"] for r in rows} == {"decidim", "consul-democracy"}


def test_licence_filter_and_operators(client: httpx.Client, built_db: Path) -> None:
    rows = client.get("/api/v1/tables/tools.json", params={"licence_spdx": "AGPL-3.0-or-later"}).json()["rows"]
    assert rows and all(r["licence_spdx"] == "AGPL-3.0-or-later" for r in rows)
    later = client.get("/api/v1/tables/tools.json", params={"first_release_year__gte": "2015"}).json()["rows"]
    assert later and all(r["first_release_year"] >= 2015 for r in later)
    expected = truth(built_db, "SELECT count(*) FROM tools WHERE first_release_year >= 2015")[0][0]
    assert len(later) == expected
    named = client.get("/api/v1/tables/tools.json", params={"name__contains": "DECID"}).json()["rows"]
    assert [r["tool_id"] for r in named] == ["decidim"]
    missing = client.get("/api/v1/tables/tools.json", params={"homepage__isnull": "true"}).json()["rows"]
    assert all(r["homepage"] is None for r in missing)


def test_values_are_bound_not_interpolated(client: httpx.Client) -> None:
    """A value that would break out of a quoted string is just a value that matches nothing."""
    injected = "FR' OR '1'='1"
    body = client.get("/api/v1/tables/deployments.json", params={"country": injected}).json()
    assert body["rows"] == []
    control = client.get("/api/v1/tables/deployments.json", params={"_size": 5}).json()
    assert control["rows"], "the control shows the table is not empty"


def test_unknown_column_table_operator_and_format(client: httpx.Client) -> None:
    cases = {
        "/api/v1/tables/tools.json?not_a_column=1": (400, "unknown_column"),
        "/api/v1/tables/tools.json?name__near=x": (400, "unknown_operator"),
        "/api/v1/tables/tools.json?_sort=nope": (400, "unknown_column"),
        "/api/v1/tables/tools.json?_shape=array": (400, "unknown_parameter"),
        "/api/v1/tables/tools.json?first_release_year=abc": (400, "bad_value"),
        "/api/v1/tables/tools.json?_size=0": (400, "bad_size"),
        "/api/v1/tables/tools.json?_next=garbage": (400, "bad_cursor"),
        "/api/v1/tables/no_such_table.json": (404, "unknown_table"),
        '/api/v1/tables/tools";drop table tools;--.json': (404, "unknown_table"),
        "/api/v1/tables/tools.xml": (400, "bad_request"),
        "/api/v1/nowhere": (404, "not_found"),
    }
    for url, (status, code) in cases.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert response.headers["content-type"] == "application/json", url
        assert response.json()["error"] == code, url


def _walk(client: httpx.Client, url: str, params: dict) -> tuple[list[dict], int]:
    rows, pages = [], 0
    page = client.get(url, params=params).json()
    while True:
        rows.extend(page["rows"])
        pages += 1
        if not page["next"]:
            return rows, pages
        assert page["row_count"] == page["size"]
        page = client.get(page["next_url"]).json()


def test_cursor_pagination_visits_every_row_once_in_sort_order(client: httpx.Client, built_db: Path) -> None:
    rows, pages = _walk(client, "/api/v1/tables/deployments.json", {"_size": 97, "_sort": "country"})
    total = truth(built_db, "SELECT count(*) FROM deployments")[0][0]
    assert len(rows) == total and pages == -(-total // 97)
    assert len({r["deployment_id"] for r in rows}) == total
    countries = [r["country"] for r in rows]
    known = [c for c in countries if c is not None]
    assert known == sorted(known) and countries[: len(known)] == known  # nulls last


def test_descending_pages_with_a_filter(client: httpx.Client, built_db: Path) -> None:
    rows, _ = _walk(client, "/api/v1/tables/deployments.json",
                    {"_size": 40, "_sort_desc": "started_year", "tool_id": "decidim"})
    expected = truth(built_db, "SELECT count(*) FROM deployments WHERE tool_id = 'decidim'")[0][0]
    assert len(rows) == expected and len({r["deployment_id"] for r in rows}) == expected
    years = [r["started_year"] for r in rows if r["started_year"] is not None]
    assert years == sorted(years, reverse=True)


def test_size_is_capped(client: httpx.Client, built_db: Path) -> None:
    body = client.get("/api/v1/tables/deployments.json", params={"_size": 50_000}).json()
    total = truth(built_db, "SELECT count(*) FROM deployments")[0][0]
    assert body["size"] == 1000 and body["row_count"] == min(total, 1000)
    big = client.get("/api/v1/sql", params={"q": "select * from range(5000)", "_size": 50_000}).json()
    assert big["max_rows"] == 1000 and big["row_count"] == 1000 and big["truncated"]


def test_csv_has_header_rows_and_a_next_link(client: httpx.Client) -> None:
    response = client.get("/api/v1/tables/deployments.csv", params={"_size": 10, "country": "FR"})
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert len(table) == 10 and {r["country"] for r in table} == {"FR"}
    assert ISO_DATE.match(table[0]["checked_on"])
    link = response.headers["link"]
    assert link.endswith('rel="next"') and "_next=" in link
    following = client.get(link[link.index("<") + 1 : link.index(">")])
    assert following.status_code == 200 and list(csv.DictReader(io.StringIO(following.text)))[0] != table[0]


def test_parquet_page_matches_json_page(client: httpx.Client) -> None:
    params = {"_size": 25, "tool_id": "decidim", "_sort": "organisation"}
    response = client.get("/api/v1/tables/deployments.parquet", params=params)
    assert response.status_code == 200 and response.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(response.content))
    as_json = client.get("/api/v1/tables/deployments.json", params=params).json()
    assert table.column("deployment_id").to_pylist() == [r["deployment_id"] for r in as_json["rows"]]
    assert "__api_rowid" not in table.column_names
    assert isinstance(table.column("checked_on")[0].as_py(), dt.date)


ISSUE_QUERIES = {  # the named queries the issue asks for, each with real parameters
    "compare_tools": {"tool_ids": "decidim,consul-democracy"},
    "rank_tools": {"processes": "participatory_budgeting", "languages": "fr", "hosting": "self_host"},
    "pb_outcomes": {"edition_id": "no-such-edition"},
    "deployments_by_country": {},
    "licence_events": {"tool_ids": "your-priorities,polis"},
}


def test_queries_lists_the_named_queries_with_their_parameters(client: httpx.Client) -> None:
    listed = {q["name"]: q for q in client.get("/api/v1/queries").json()["queries"]}
    assert set(ISSUE_QUERIES) <= set(listed)
    assert [p["name"] for p in listed["tool_features"]["params"]] == ["tool_ids"]
    assert {p["name"] for p in listed["rank_tools"]["params"]} >= {"processes", "hosting", "languages"}


def test_each_issue_query_runs(client: httpx.Client, built_db: Path) -> None:
    for name, params in ISSUE_QUERIES.items():
        response = client.get(f"/api/v1/queries/{name}.json", params=params)
        if name == "pb_outcomes" and response.status_code == 404:  # PB tables absent: said, not a crash
            assert response.json()["error"] == "not_collected"
            continue
        assert response.status_code == 200, (name, response.text)
    compared = client.get("/api/v1/queries/compare_tools.json", params=ISSUE_QUERIES["compare_tools"]).json()
    assert [r["tool_id"] for r in compared["rows"]] == ["decidim", "consul-democracy"]
    by_country = client.get("/api/v1/queries/deployments_by_country.json").json()["rows"]
    expected = truth(built_db, "SELECT count(*) FROM deployments WHERE removed_on IS NULL AND country = 'FR'")
    assert next(r for r in by_country if r["country"] == "FR")["deployments"] == expected[0][0]
    history = client.get("/api/v1/queries/licence_events.json", params=ISSUE_QUERIES["licence_events"]).json()["rows"]
    expected = truth(built_db, "SELECT count(*) FROM licence_events WHERE tool_id IN ('your-priorities', 'polis')")
    assert len(history) == expected[0][0] > 0 and all(ISO_DATE.match(r["date"]) for r in history)
    ranked = client.get("/api/v1/queries/rank_tools.json", params=ISSUE_QUERIES["rank_tools"]).json()["rows"]
    assert ranked[0]["rank"] == 1 and ranked[0]["explanation"] and ranked[0]["sources"].startswith("http")


def test_query_csv_and_errors(client: httpx.Client) -> None:
    response = client.get("/api/v1/queries/deployments_by_country.csv")
    assert response.text.splitlines()[0] == "country,deployments,tools,latitude,longitude"
    assert client.get("/api/v1/queries/tool_features.json").json()["error"] == "bad_parameter"
    assert client.get("/api/v1/queries/tools.json?tool_ids=x").json()["error"] == "bad_parameter"
    assert client.get("/api/v1/queries/rank_tools.json?hosting=cloud").status_code == 400
    assert client.get("/api/v1/queries/rank_tools.json?must_be_osi=perhaps").status_code == 400
    assert client.get("/api/v1/queries/nope.json").status_code == 404
    assert client.get("/api/v1/queries/tools.parquet").status_code == 400
    # A row limit is a bounded whole number, defaulting to 20 (was a 500 from the database's conversion).
    for limit in ("decidim", "2.5", "0", "100000"):
        refused = client.get("/api/v1/queries/search_deployments.json", params={"q": "a", "limit": limit})
        assert (refused.status_code, refused.json()["error"]) == (400, "bad_parameter"), limit
    assert len(client.get("/api/v1/queries/search_deployments.json?q=a&limit=3").json()["rows"]) == 3
    assert len(client.get("/api/v1/queries/search_deployments.json?q=a").json()["rows"]) == 20


def test_tool_document(client: httpx.Client, built_db: Path) -> None:
    doc = client.get("/api/v1/tools/decidim").json()
    assert doc["tool_id"] == "decidim" and doc["licence"]["family"] == "network_copyleft"
    assert doc["licence"]["obligations_en"] and doc["licence"]["obligations_fr"]
    assert ISO_DATE.match(doc["tool"]["checked_on"])
    features = doc["sections"]["features"]
    expected = truth(built_db, "SELECT count(*) FROM tool_features WHERE tool_id = 'decidim'")[0][0]
    assert features["available"] and len(features["rows"]) == expected
    deployments = truth(built_db, "SELECT count(*) FROM deployments WHERE tool_id = 'decidim'")[0][0]
    assert len(doc["sections"]["deployments"]["rows"]) == deployments
    assert doc["tool"]["source_url"] in doc["sources"]
    assert client.get("/api/v1/tools/no-such-tool").json()["error"] == "unknown_tool"


def test_sql_runs_one_select(client: httpx.Client, built_db: Path) -> None:
    body = client.get("/api/v1/sql", params={"q": "select tool_id, checked_on from tools order by 1"}).json()
    expected = truth(built_db, "SELECT count(*) FROM tools")[0][0]
    assert body["row_count"] == expected and not body["truncated"]
    assert ISO_DATE.match(body["rows"][0]["checked_on"])
    capped = client.get("/api/v1/sql", params={"q": "select * from range(5000)", "_size": 10}).json()
    assert capped["row_count"] == 10 and capped["truncated"]


REFUSED = [
    "delete from tools",
    "insert into tools (tool_id) values ('x')",
    "create table pwned as select 1",
    "drop table tools",
    "attach 'other.duckdb' as o",
    "copy tools to 'leak.csv'",
    "select * from read_csv('/etc/passwd')",
    "select * from '/etc/passwd'",
    "select * from read_parquet('https://example.org/x.parquet')",
    "install httpfs",
    "select 1; select 2",
]


def test_sql_refuses_writes_files_and_urls(client: httpx.Client, api, tmp_path: Path) -> None:
    before = api.db_path.read_bytes()
    for statement in REFUSED:
        response = client.get("/api/v1/sql", params={"q": statement})
        assert response.status_code == 400, statement
        assert response.json()["error"] == "refused", statement
    assert api.db_path.read_bytes() == before
    assert not (Path.cwd() / "leak.csv").exists()


def test_control_unguarded_connection_does_the_harm(built_db: Path, tmp_path: Path) -> None:
    """What the guard prevents: on a plain connection the same statements write and read files."""
    import duckdb

    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(built_db.read_bytes())
    con = duckdb.connect(str(copy))
    try:
        con.execute("delete from tools")
        con.execute(f"copy (select 1 as x) to '{tmp_path / 'leak.csv'}'")
        assert con.execute("select count(*) from tools").fetchone()[0] == 0
    finally:
        con.close()
    assert (tmp_path / "leak.csv").exists()


def test_etag_304_cache_control_and_cors(client: httpx.Client) -> None:
    first = client.get("/api/v1/tables/tools.json", headers={"Origin": "https://example.org"})
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{20}"', etag)
    assert first.headers["cache-control"] == "public, no-cache"
    assert first.headers["access-control-allow-origin"] == "*"
    assert "etag" in first.headers["access-control-expose-headers"].lower()
    for url in ("/api/v1/tables/tools.json", "/api/v1/tables", "/api/v1/queries", "/api/v1/tools/decidim",
                "/api/v1/queries/deployments_by_country.json", "/api/v1/sql?q=select%201"):
        assert client.get(url).headers["etag"] == etag, url  # one data version for the whole store
        not_modified = client.get(url, headers={"If-None-Match": etag})
        assert not_modified.status_code == 304 and not_modified.content == b"", url
        assert not_modified.headers["etag"] == etag
    other = client.get("/api/v1/tables/tools.json", headers={"If-None-Match": '"0000"'})
    assert other.status_code == 200 and other.json() == first.json()


def test_openapi_and_docs_are_served_without_a_cdn(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/v1/tables", "/api/v1/tables/{name}.{fmt}", "/api/v1/queries", "/api/v1/queries/{name}.{fmt}",
            "/api/v1/tools/{tool_id}", "/api/v1/sql"} <= paths
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text.lower()
    script = re.search(r'src="([^"]+\.js)"', docs.text).group(1)
    assert client.get(script).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/tables/tools.json", "/api/v1/sql?q=select%201"])
def test_post_is_not_allowed(client: httpx.Client, url: str) -> None:
    response = client.post(url)
    assert response.status_code == 405 and response.json()["error"] == "method_not_allowed"
