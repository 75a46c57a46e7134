"""The API across an atomic publish of a new store, and the limits that keep it up under load."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import duckdb
import httpx

from observatory.api.app import ApiSettings
from observatory.api.limits import TokenBuckets
from tests.api.conftest import served_copy, start_server

SLOW_SQL = "select count(*) from range(1000000000) a, range(1000) b where a.range * b.range % 7 = 3"


def _count_fr(http: httpx.Client) -> int:
    return http.get("/api/v1/tables/deployments.json", params={"country": "FR", "_size": 1000}).json()["row_count"]


def test_new_published_file_is_served_with_a_new_etag(built_db: Path, tmp_path: Path) -> None:
    served = served_copy(built_db, tmp_path / "live")
    live = start_server(served, ApiSettings(rate_per_s=0))
    statuses: list[int] = []
    stop = threading.Event()

    def hammer() -> None:  # readers keep coming while the writer publishes
        with live.client() as http:
            while not stop.is_set():
                statuses.append(http.get("/api/v1/tables/deployments.json", params={"_size": 5}).status_code)

    try:
        with live.client() as http:
            before = http.get("/api/v1/tables")
            old_etag = before.headers["etag"]
            assert _count_fr(http) > 0
            # A writer builds the next store beside it, then publishes it by atomic rename.
            staging = served_copy(built_db, tmp_path / "live", "next.duckdb")
            con = duckdb.connect(str(staging))
            con.execute("DELETE FROM deployments WHERE country = 'FR'")
            con.close()
            readers = [threading.Thread(target=hammer) for _ in range(3)]
            for reader in readers:
                reader.start()
            time.sleep(0.3)
            os.replace(staging, served)
            time.sleep(0.5)
            stop.set()
            for reader in readers:
                reader.join(10)
            after = http.get("/api/v1/tables")
            assert after.headers["etag"] != old_etag
            assert _count_fr(http) == 0
            assert http.get("/api/v1/tables", headers={"If-None-Match": old_etag}).status_code == 200
            assert http.get("/api/v1/tables", headers={"If-None-Match": after.headers["etag"]}).status_code == 304
        assert statuses and set(statuses) == {200}, "every request during the publish was answered"
        assert live.server_app_store().reopens == 2
    finally:
        stop.set()
        live.stop()


def test_token_buckets_are_per_client_and_refill() -> None:
    buckets = TokenBuckets(rate=2, burst=3)
    assert [buckets.take("a", now=0.0) for _ in range(3)] == [0, 0, 0]
    assert buckets.take("a", now=0.0) == 0.5  # empty: wait for the next token
    assert buckets.take("b", now=0.0) == 0  # another address has its own bucket
    assert buckets.take("a", now=0.6) == 0  # refilled


def test_rate_limit_answers_429_with_retry_after(built_db: Path, tmp_path: Path, api) -> None:
    live = start_server(served_copy(built_db, tmp_path), ApiSettings(rate_per_s=1, burst=3))
    try:
        with live.client() as http:
            codes = [http.get("/api/v1/queries").status_code for _ in range(5)]
            assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
            refused = http.get("/api/v1/queries")
            assert refused.json()["error"] == "rate_limited" and int(refused.headers["retry-after"]) >= 1
            assert refused.headers.get("content-type") == "application/json"
        with api.client() as control:  # control: the same burst on a server without the limit
            assert {control.get("/api/v1/queries").status_code for _ in range(8)} == {200}
    finally:
        live.stop()


def test_sql_concurrency_cap_and_time_limit(built_db: Path, tmp_path: Path) -> None:
    live = start_server(served_copy(built_db, tmp_path), ApiSettings(rate_per_s=0, max_sql_concurrency=1,
                                                                      sql_timeout_s=1.5))
    try:
        slow: dict[str, httpx.Response] = {}

        def run_slow() -> None:
            with live.client() as http:
                slow["response"] = http.get("/api/v1/sql", params={"q": SLOW_SQL})

        worker = threading.Thread(target=run_slow)
        worker.start()
        time.sleep(0.5)
        with live.client() as http:
            busy = http.get("/api/v1/sql", params={"q": "select 1"})
            assert busy.status_code == 503 and busy.json()["error"] == "too_many_queries"
            assert busy.headers["retry-after"] == "1"
            worker.join(30)
            stopped = slow["response"]
            assert stopped.status_code == 400 and "stopped after 1.5 s" in stopped.json()["detail"]
            assert http.get("/api/v1/sql", params={"q": "select 1"}).status_code == 200  # the slot is free again
    finally:
        live.stop()


def test_request_timeout_answers_503(built_db: Path, tmp_path: Path) -> None:
    live = start_server(served_copy(built_db, tmp_path), ApiSettings(rate_per_s=0, request_timeout_s=0.5,
                                                                      sql_timeout_s=2))
    try:
        with live.client() as http:
            started = time.monotonic()
            response = http.get("/api/v1/sql", params={"q": SLOW_SQL})
            assert response.status_code == 503 and response.json()["error"] == "timeout"
            assert time.monotonic() - started < 1.8
    finally:
        live.stop()
