"""Probe collector: liveness, redirects, TLS, platform/version detection, faults, politeness."""

from __future__ import annotations

from collectors import rebuild
from observatory.http import ClientConfig, FakeClock
from tests.collectors.helpers import rows, run, seed_tools
from tests.collectors.replay import Reply

DEPLOYMENTS = [
    ("d-bcn", "decidim", "https://www.decidim.barcelona/"),
    ("d-bdn", "decidim", "https://participa311-badalona.diba.cat/"),
    ("d-hel", "decidim", "https://omastadi.hel.fi/"),
    ("d-loop", "democracyos", "http://evoks.hu/"),
    ("d-slow", "democracyos", "http://dos.partidodelared.org"),
    ("d-cop", "democracyos", "http://app.opencop.org/"),
    ("d-json", "democracyos", "http://mujerypoder.democracyos.org"),
    ("d-mad", "consul", "https://decide.madrid.es/"),
]


def _seed(con, deployments=DEPLOYMENTS):
    seed_tools(con, [("decidim", None, "AGPL-3.0-or-later"), ("democracyos", None, "GPL-3.0-only"),
                     ("consul", None, "AGPL-3.0-only")])
    for did, tool, url in deployments:
        con.execute("INSERT INTO deployments (deployment_id, tool_id, organisation, url, source_url, checked_on) "
                    "VALUES (?, ?, ?, ?, 'https://example.org/list', DATE '2026-11-01')", [did, tool, did, url])
    con.execute("INSERT INTO deployments (deployment_id, tool_id, organisation, url, source_url, checked_on, removed_on) "
                "VALUES ('d-gone', 'decidim', 'gone', 'https://gone.example/', 'x', DATE '2026-11-01', DATE '2026-11-02')")


def _script(server):
    server.load("probe")
    server.add("GET", "/omastadi.hel.fi/", Reply(500, "Internal Server Error", content_type="text/html"))
    server.add("GET", "/evoks.hu/", Reply(302, headers={"Location": "/evoks.hu/a"}))
    server.add("GET", "/evoks.hu/a", Reply(302, headers={"Location": "/evoks.hu/"}))
    server.add("GET", "/dos.partidodelared.org/", Reply(200, "<html></html>", content_type="text/html", delay_s=0.5))
    server.add("GET", "/mujerypoder.democracyos.org/", Reply(200, '{"hello": "json"}'))


def _probes(con):
    cur = con.execute("SELECT * FROM deployment_probes")
    cols = [d[0] for d in cur.description]
    return {r[0]: dict(zip(cols, r, strict=True)) for r in cur.fetchall()}


def test_probe_every_case(server, con, archive_dir, clock):
    _script(server)
    _seed(con)
    summary = run(con, "probe", server.base, archive_dir, clock, ClientConfig(timeout_s=0.3, max_retries=1, politeness_s=1.0))
    assert summary.status == "ok" and summary.fetched == len(DEPLOYMENTS), summary.errors
    p = _probes(con)
    assert "d-gone" not in p                                   # removed deployments are not probed
    assert (p["d-bcn"]["reachable"], p["d-bcn"]["status"], p["d-bcn"]["platform"], p["d-bcn"]["platform_version"]) == \
        (True, 200, "decidim", "0.28.4")                       # asset paths + GraphQL version
    bdn = p["d-bdn"]
    assert (bdn["redirects"], bdn["final_url"].endswith("/processes"), bdn["generator"], bdn["platform_version"]) == \
        (1, True, "Decidim 0.27.6", "0.27.6")                  # API hidden: version from the generator meta
    assert (p["d-hel"]["reachable"], p["d-hel"]["status"]) == (False, 500) and "HTTP 500" in p["d-hel"]["error"]
    assert p["d-loop"]["reachable"] is False and p["d-loop"]["error"].startswith("redirect_loop")
    assert p["d-slow"]["reachable"] is False and p["d-slow"]["error"].startswith("timeout")
    assert p["d-cop"]["generator"] == "<script>alert('x')</script> DemocracyOS 2.1"   # stored as text
    assert p["d-cop"]["platform"] == "democracyos"
    assert p["d-json"]["reachable"] is True and p["d-json"]["platform"] is None and summary.skipped == 1
    assert p["d-mad"]["platform"] == "consul"


def test_one_request_per_second_per_host(server, con, archive_dir):
    _script(server)
    _seed(con, DEPLOYMENTS[:1])
    clock = FakeClock()
    run(con, "probe", server.base, archive_dir, clock, ClientConfig(timeout_s=0.3, politeness_s=1.0))
    # page then GraphQL on the same host (127.0.0.1 here): the second waits a full second
    assert clock.sleeps == [1.0]


def test_tls_error_recorded(server, con, archive_dir, clock):
    _script(server)
    _seed(con, DEPLOYMENTS[:1])
    https_base = server.base.replace("http://", "https://")    # TLS handshake against a plain-HTTP port
    run(con, "probe", https_base, archive_dir, clock, ClientConfig(timeout_s=0.5, max_retries=0))
    probe = _probes(con)["d-bcn"]
    assert probe["tls_error"] is True and probe["reachable"] is False and probe["error"].startswith("tls")


def test_rebuild_identical(server, con, archive_dir, clock):
    _script(server)
    _seed(con)
    run(con, "probe", server.base, archive_dir, clock, ClientConfig(timeout_s=0.3, max_retries=1, politeness_s=1.0))
    live = rows(con, "deployment_probes", "deployment_id")
    server.stop()
    rebuild(con, archive_dir, ["probe"])
    assert rows(con, "deployment_probes", "deployment_id") == live
