"""The HTTP client against real sockets on 127.0.0.1: retries, limits, faults, archive, replay."""

from __future__ import annotations

import gzip
import json
from datetime import UTC
from pathlib import Path

import duckdb
import pytest

from observatory.archive import RawArchive
from observatory.http import (
    ClientConfig,
    ContentTypeError,
    FakeClock,
    HttpClient,
    HttpStatusError,
    MalformedBodyError,
    RedirectLoopError,
    ReplayMissError,
    TimeoutFetchError,
    TooLargeError,
    parse_retry_after,
    strip_secrets,
)
from tests.collectors.replay import ReplayServer, Reply


def _client(con: duckdb.DuckDBPyConnection, archive_dir: Path, clock: FakeClock, config: ClientConfig,
            **kw: object) -> HttpClient:
    return HttpClient(archive=RawArchive(archive_dir, con), run_id="r1", config=config, clock=clock, **kw)


def test_429_with_retry_after_waits_the_given_seconds(server: ReplayServer, con, archive_dir, clock, fast_config):
    server.add("GET", "/x", Reply(429, '{"message":"slow down"}', headers={"Retry-After": "7"}), Reply(200, '{"ok":1}'))
    resp = _client(con, archive_dir, clock, fast_config).get(f"{server.base}/x")
    assert resp.json() == {"ok": 1}
    assert 7.0 in clock.sleeps
    assert server.count("GET", "/x") == 2


def test_500_then_success_retries_with_backoff(server, con, archive_dir, clock):
    server.add("GET", "/x", Reply(500, "oops"), Reply(502, "oops"), Reply(200, '{"ok":2}'))
    cfg = ClientConfig(politeness_s=0, backoff_base_s=1.0)
    resp = _client(con, archive_dir, clock, cfg).get(f"{server.base}/x")
    assert resp.json() == {"ok": 2}
    assert server.count("GET", "/x") == 3
    # two backoffs with jitter: within [base/2, base] then [base, 2*base]
    assert len(clock.sleeps) == 2
    assert 0.5 <= clock.sleeps[0] <= 1.0 and 1.0 <= clock.sleeps[1] <= 2.0


def test_500_forever_gives_up_after_max_retries(server, con, archive_dir, clock, fast_config):
    server.add("GET", "/x", Reply(500, "oops"))
    with pytest.raises(HttpStatusError, match="HTTP 500 after 4 attempts"):
        _client(con, archive_dir, clock, fast_config).get(f"{server.base}/x")
    assert server.count("GET", "/x") == fast_config.max_retries + 1


def test_timeout_is_retried_then_reported(server, con, archive_dir, clock, fast_config):
    cfg = ClientConfig(timeout_s=0.1, max_retries=1, politeness_s=0)
    server.add("GET", "/slow", Reply(200, "{}", delay_s=0.4))
    with pytest.raises(TimeoutFetchError):
        _client(con, archive_dir, clock, cfg).get(f"{server.base}/slow")
    assert server.count("GET", "/slow") == 2


def test_truncated_body_is_malformed(server, con, archive_dir, clock, fast_config):
    server.add("GET", "/t", Reply(200, '{"name": "abc", "more', truncate=True))
    with pytest.raises(MalformedBodyError, match="truncated"):
        _client(con, archive_dir, clock, fast_config).get(f"{server.base}/t")


def test_invalid_json_raises_malformed_not_valueerror(server, con, archive_dir, clock, fast_config):
    server.add("GET", "/j", Reply(200, '{"name": '))
    resp = _client(con, archive_dir, clock, fast_config).get(f"{server.base}/j")
    with pytest.raises(MalformedBodyError, match="not valid JSON"):
        resp.json()


def test_wrong_content_type_is_refused(server, con, archive_dir, clock, fast_config):
    server.add("GET", "/h", Reply(200, "<html>captive portal</html>", content_type="text/html"))
    with pytest.raises(ContentTypeError, match="text/html"):
        _client(con, archive_dir, clock, fast_config).get(f"{server.base}/h", expect=("application/json",))


def test_oversized_body_declared_and_streamed(server, con, archive_dir, clock, fast_config):
    server.add("GET", "/big", Reply(200, "x" * (fast_config.max_bytes + 10)))
    server.add("GET", "/stream", Reply(200, stream_bytes=fast_config.max_bytes * 4, content_type="text/plain"))
    client = _client(con, archive_dir, clock, fast_config)
    with pytest.raises(TooLargeError, match="declared size"):
        client.get(f"{server.base}/big")
    with pytest.raises(TooLargeError, match="exceeds"):
        client.get(f"{server.base}/stream")


def test_redirect_loop_detected_and_redirects_counted(server, con, archive_dir, clock, fast_config):
    server.add("GET", "/a", Reply(302, headers={"Location": "/b"}))
    server.add("GET", "/b", Reply(301, headers={"Location": "{base}/a"}))
    server.add("GET", "/r1", Reply(301, headers={"Location": "/r2"}))
    server.add("GET", "/r2", Reply(200, '{"here":true}'))
    client = _client(con, archive_dir, clock, fast_config)
    with pytest.raises(RedirectLoopError):
        client.get(f"{server.base}/a")
    resp = client.get(f"{server.base}/r1")
    assert resp.redirects == 1 and resp.final_url == f"{server.base}/r2"


def test_politeness_spaces_requests_per_host(server, con, archive_dir, clock, fast_config):
    server.add("GET", "/p", Reply(200, "{}"))
    client = _client(con, archive_dir, clock, fast_config)
    for _ in range(3):
        client.get(f"{server.base}/p", conditional=False)
    assert clock.sleeps == [1.0, 1.0]   # fake clock does not advance between requests otherwise


def test_rate_limit_reset_is_awaited(server, con, archive_dir, clock, fast_config):
    reset = int(clock.now().replace(tzinfo=UTC).timestamp()) + 30
    server.add("GET", "/rl", Reply(200, "{}", headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}))
    cfg = ClientConfig(politeness_s=0)
    _client(con, archive_dir, clock, cfg).get(f"{server.base}/rl")
    assert clock.sleeps and 30 <= clock.sleeps[-1] <= 32


def test_user_agent_and_token_only_to_its_host(server, con, archive_dir, clock, fast_config, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_FAKE_SECRET_123456")
    host = server.base.split("//")[1]
    server.add("GET", "/hop", Reply(302, headers={"Location": f"http://localhost:{host.split(':')[1]}/land"}))
    server.add("GET", "/land", Reply(200, "{}"))
    client = _client(con, archive_dir, clock, fast_config, tokens={host: "GITHUB_TOKEN"})
    client.get(f"{server.base}/hop")
    first, second = server.seen[0], server.seen[1]
    assert first.headers["Authorization"] == "Bearer ghp_FAKE_SECRET_123456"
    assert "civic-tech-observatory" in first.headers["User-Agent"]
    assert "Authorization" not in second.headers   # redirect to another host drops the token


def test_conditional_request_replays_archived_body_on_304(server, con, archive_dir, clock, fast_config):
    server.add("GET", "/c", Reply(200, '{"v":1}', headers={"ETag": '"abc"'}), Reply(304, b"", content_type=None))
    archive = RawArchive(archive_dir, con)
    c1 = HttpClient(archive=archive, run_id="r1", config=fast_config, clock=clock)
    assert c1.get(f"{server.base}/c").json() == {"v": 1}
    archive.flush()
    c2 = HttpClient(archive=RawArchive(archive_dir, con), run_id="r2", config=fast_config, clock=clock)
    resp = c2.get(f"{server.base}/c")
    assert server.seen[-1].headers["If-None-Match"] == '"abc"'
    assert resp.not_modified and resp.json() == {"v": 1} and resp.status == 200


def test_archive_layout_and_replay_without_network(server, con, archive_dir, clock, fast_config):
    server.add("GET", "/d", Reply(200, '{"d":[1,2]}'))
    server.add("GET", "/dead", Reply(500, "x"))
    archive = RawArchive(archive_dir, con)
    client = HttpClient(archive=archive, run_id="r1", config=fast_config, clock=clock)
    resp = client.get(f"{server.base}/d")
    with pytest.raises(HttpStatusError):
        client.get(f"{server.base}/dead")
    assert archive.flush() == 2
    path = archive_dir / resp.sha256[:2] / f"{resp.sha256}.gz"
    assert gzip.decompress(path.read_bytes()) == b'{"d":[1,2]}'
    row = con.execute("SELECT status, size, url FROM raw_responses WHERE sha256 = ?", [resp.sha256]).fetchone()
    assert row == (200, 11, f"{server.base}/d")
    server.stop()   # replay must not need the network
    replayer = HttpClient(archive=RawArchive(archive_dir, con), run_id="r1", mode="replay", clock=clock)
    assert replayer.get(f"{server.base}/d").json() == {"d": [1, 2]}
    with pytest.raises(HttpStatusError, match="HTTP 500"):
        replayer.get(f"{server.base}/dead")
    with pytest.raises(ReplayMissError):
        replayer.get(f"{server.base}/never")


def test_secrets_stripped_from_urls_and_errors(monkeypatch):
    monkeypatch.setenv("GITLAB_TOKEN", "glpat-VERYSECRET99")
    url = "https://user:pw@gitlab.example/api/v4/projects/1?private_token=glpat-VERYSECRET99&page=2"
    assert strip_secrets(url) == "https://gitlab.example/api/v4/projects/1?page=2"
    assert "VERYSECRET" not in str(HttpStatusError(url, "bad glpat-VERYSECRET99"))


def test_retry_after_http_date():
    from datetime import datetime

    now = datetime(2026, 11, 29, 12, 0, 0)
    assert parse_retry_after("Sun, 29 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("12", now) == 12.0
    assert parse_retry_after("soon", now) is None


def test_headers_archived_are_whitelisted(server, con, archive_dir, clock, fast_config):
    server.add("GET", "/k", Reply(200, "{}", headers={"Set-Cookie": "session=abc", "ETag": '"e"'}))
    archive = RawArchive(archive_dir, con)
    HttpClient(archive=archive, run_id="r1", config=fast_config, clock=clock).get(f"{server.base}/k")
    archive.flush()
    headers = json.loads(con.execute("SELECT headers FROM raw_responses").fetchone()[0])
    assert "set-cookie" not in headers and headers["etag"] == '"e"'


def test_a_redirect_body_is_bounded_too(server, con, archive_dir, clock, fast_config):
    """requests reads a redirect's body itself before following it; the client's hop hook bounds that read."""
    server.add("GET", "/huge-hop", Reply(302, headers={"Location": "/r2"}, stream_bytes=fast_config.max_bytes * 4,
                                         content_type="text/plain"))
    server.add("GET", "/r2", Reply(200, '{"here":true}'))
    with pytest.raises(TooLargeError, match="exceeds"):
        _client(con, archive_dir, clock, fast_config).get(f"{server.base}/huge-hop")
    assert server.count("GET", "/r2") == 0
