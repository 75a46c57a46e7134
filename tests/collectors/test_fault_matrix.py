"""Every fault of the issue, injected into one source of every collector.

Transient faults (429 with Retry-After, 500 then success) must end exactly like a clean run; the
permanent ones must be recorded as a failure of that one source (never raised), with an error
message naming the fault, while the collector goes on. The probe is the exception by design: an
unreachable site is an observation, stored as a probe row, not a failed source.

The matrix is derived from the collector registry: every registered collector gets every fault, or is
listed in ``NO_HTTP`` with the reason it cannot; a new collector without a target fails the matrix.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import collectors
from observatory.http import ClientConfig, FakeClock
from tests.collectors.helpers import run, seed_tools
from tests.collectors.replay import ReplayServer, Reply
from tests.participation.graphql_replay import GraphQLReplay, graphql_server

# collector -> the route whose answer is replaced by the fault
TARGETS = {
    "github": ("GET", "/repos/consuldemocracy/consuldemocracy"),
    "gitlab": ("GET", "/projects/belenios%2Fbelenios?license=true"),
    "registries": ("GET", "/pypi/pypi/openslides/json"),
    "deployments": ("GET", "/repos/DemocracyOS/democracyos/contents/IMPLEMENTATIONS.md?ref=" + "d" * 40),
    "pabulib": ("GET", "/download/Poland_Testowo_2025.pb"),
    "probe": ("GET", "/www.decidim.barcelona/"),
}
# GraphQL collectors: (endpoint path, (operation, id, after)) of the answer replaced by the fault
GRAPHQL_TARGETS = {
    "consul": ("/graphql", ("Proposals", None, None)),
    "decidim": ("/api", ("Budgets", "15", None)),
}
NO_HTTP = {"git": "reads local clones through the git command, no HTTP: its faults are in test_git.py"}
MATRIX = [name for name in collectors.names() if name not in NO_HTTP]
CONFIG = ClientConfig(timeout_s=0.3, max_retries=1, backoff_base_s=1.0, politeness_s=1.0, max_bytes=64 * 1024)

PERMANENT: dict[str, tuple[list[Reply], tuple[str, ...]]] = {
    "500_forever": ([Reply(500, "oops", content_type="text/plain")], ("HTTP 500",)),
    "timeout": ([Reply(200, "{}", delay_s=0.5)], ("timeout",)),
    "truncated": ([Reply(200, '{"full_name": "consul', truncate=True)], ("truncated",)),
    "malformed": ([Reply(200, '{"full_name": ')], ("not valid JSON", "not a .pb", "unexpected")),
    "wrong_type": ([Reply(200, "<html>Sign in</html>", content_type="text/html")], ("content type", "not a .pb")),
    "oversized": ([Reply(200, stream_bytes=CONFIG.max_bytes * 3, content_type="application/json")], ("exceeds",)),
    "redirect_loop": ([Reply(302, headers={"Location": "{base}/loop"})], ("redirect",)),
}


def _setup(server: ReplayServer, con) -> None:
    for name in TARGETS:  # the REST collectors' recordings (GraphQL ones have their own replay)
        server.load(name)
    seed_tools(con, [
        ("decidim", "https://github.com/decidim/decidim", "AGPL-3.0-or-later"),
        ("consul", "https://github.com/consuldemocracy/consuldemocracy", "AGPL-3.0-only"),
        ("democracyos", None, "GPL-3.0-only"),
        ("openslides", None, "MIT"),
        ("belenios", "https://gitlab.inria.fr/belenios/belenios", "AGPL-3.0-or-later"),
    ])
    con.execute("INSERT INTO deployments (deployment_id, tool_id, organisation, url, source_url, checked_on) VALUES "
                "('d-bcn', 'decidim', 'Barcelona', 'https://www.decidim.barcelona/', 'x', DATE '2026-11-01'), "
                "('d-mad', 'consul', 'Madrid', 'https://decide.madrid.es/', 'x', DATE '2026-11-01')")


def test_every_registered_collector_is_in_the_matrix() -> None:
    assert set(TARGETS) | set(GRAPHQL_TARGETS) | set(NO_HTTP) == set(collectors.names())
    assert not set(NO_HTTP) & (set(TARGETS) | set(GRAPHQL_TARGETS))


class _Site:
    """One collector's replay server and the seam where a fault replaces the recorded answer."""

    def __init__(self, collector: str, server: ReplayServer, con) -> None:
        self.collector = collector
        if collector in GRAPHQL_TARGETS:
            self.server: ReplayServer = self._graphql(collector)
            self.key = GRAPHQL_TARGETS[collector][1]
        elif collector in TARGETS:
            _setup(server, con)
            self.server, self.key = server, TARGETS[collector]
        else:
            pytest.fail(f"collector {collector!r} is registered but has no fault target (add one or say in NO_HTTP why not)")
        for method in ("GET", "POST"):         # a GraphQL client follows a POST's redirect with a POST
            self.server.add(method, "/loop", Reply(302, headers={"Location": "/loop"}))

    def _graphql(self, collector: str) -> GraphQLReplay:
        self._context = graphql_server(GRAPHQL_TARGETS[collector][0])
        server = self._context.__enter__()
        server.load_gql(collector)
        return server

    def close(self) -> None:
        if self.collector in GRAPHQL_TARGETS:
            self._context.__exit__(None, None, None)

    def replace(self, replies: list[Reply]) -> None:
        if isinstance(self.server, GraphQLReplay) and self.collector in GRAPHQL_TARGETS:
            self.server.gql[self.key] = replies
            self.server.gql_hits[self.key] = 0
        else:
            self.server.routes[self.key] = replies
            self.server.hits[self.key] = 0

    def recorded(self) -> list[Reply]:
        if isinstance(self.server, GraphQLReplay) and self.collector in GRAPHQL_TARGETS:
            return self.server.gql[self.key]
        return self.server.routes[self.key]


@pytest.fixture
def site(request, server, con) -> Iterator[_Site]:
    made = _Site(request.param, server, con)
    yield made
    made.close()


@pytest.mark.parametrize("site", MATRIX, indirect=True)
@pytest.mark.parametrize("fault", ["429_retry_after", "500_then_ok"])
def test_transient_faults_end_like_a_clean_run(site, con, archive_dir, fault, recording_importer):
    clean = run(con, site.collector, site.server.base, archive_dir, FakeClock(), CONFIG)
    first = (Reply(429, "{}", headers={"Retry-After": "5"}) if fault == "429_retry_after"
             else Reply(500, "oops", content_type="text/plain"))
    site.replace([first, *site.recorded()])
    clock = FakeClock()
    again = run(con, site.collector, site.server.base, archive_dir, clock, CONFIG)
    assert (again.status, again.fetched, again.failed) == (clean.status, clean.fetched, clean.failed), again.errors
    if fault == "429_retry_after":
        assert 5.0 in clock.sleeps


@pytest.mark.parametrize("site", MATRIX, indirect=True)
@pytest.mark.parametrize("fault", list(PERMANENT))
def test_permanent_faults_fail_one_source_only(site, con, archive_dir, fault, recording_importer):
    replies, expected = PERMANENT[fault]
    site.replace(list(replies))
    summary = run(con, site.collector, site.server.base, archive_dir, FakeClock(), CONFIG)
    if site.collector == "probe":
        probe = con.execute("SELECT reachable, error FROM deployment_probes WHERE deployment_id = 'd-bcn'").fetchone()
        other = con.execute("SELECT reachable FROM deployment_probes WHERE deployment_id = 'd-mad'").fetchone()
        assert summary.status == "ok" and other == (True,)
        if fault in ("malformed", "truncated") and probe[0]:
            return      # an HTML reader takes any text; a cut body is still reported when the socket says so
        assert probe[0] is False or fault == "wrong_type", probe
        return
    assert summary.failed >= 1 and summary.status in ("partial", "failed")
    assert any(any(e in err for e in expected) for err in summary.errors), summary.errors
    if site.collector not in ("gitlab",):        # gitlab has a single project in the recording
        assert summary.fetched >= 1          # the other sources of the same collector went on


def test_control_a_collector_without_target_fails_the_matrix(server, con) -> None:
    """Control: a registered collector with no fault target and no reason is reported, not skipped."""
    with pytest.raises(pytest.fail.Exception, match="no fault target"):
        _Site("planted", server, con)
