"""Registries collector on recorded RubyGems / npm / PyPI / Docker Hub answers."""

from __future__ import annotations

from datetime import date, datetime

from collectors import rebuild
from collectors.registries import PACKAGES
from observatory.runs import run_collector
from tests.collectors.helpers import rows, run, seed_tools
from tests.collectors.replay import Reply

TOOLS = [("decidim", "https://github.com/decidim/decidim", "AGPL-3.0-or-later"),
         ("openslides", "https://github.com/OpenSlides/OpenSlides", "MIT")]


def _versions(con, registry, package):
    return {r[0]: r[1:] for r in con.execute(
        "SELECT version, released_at, downloads, tool_id FROM package_versions WHERE registry = ? AND package = ?",
        [registry, package]).fetchall()}


def test_happy_path_every_registry(server, con, archive_dir, clock):
    server.load("registries")
    seed_tools(con, TOOLS)
    summary = run(con, "registries", server.base, archive_dir, clock)
    assert summary.status == "ok" and summary.failed == 0, summary.errors
    gems = _versions(con, "rubygems", "decidim-core")
    assert gems["0.31.2"] == (datetime(2026, 2, 26, 10, 12), 1180, "decidim") and len(gems) == 4
    npm = _versions(con, "npm", "@decidim/core")
    assert npm["0.30.7"][0] == datetime(2026, 2, 26, 11, 0) and npm["0.30.7"][1] is None
    pypi = _versions(con, "pypi", "openslides")
    assert pypi["3.3"][0] == datetime(2020, 12, 3, 10, 0) and pypi["0.9-yanked"][0] is None
    docker = _versions(con, "dockerhub", "decidim/decidim")
    assert set(docker) == {"latest", "0.30.6", "0.28.1"}      # two pages through `next`
    total = con.execute("SELECT count(*) FROM package_versions").fetchone()[0]
    assert total == 5 * 4 + 2 + 1 + 3 + 3


def test_since_filters_old_versions(server, con, archive_dir, clock):
    import collectors

    server.load("registries")
    seed_tools(con, TOOLS)
    run_collector(con, collectors.get("registries")(server.base), archive_dir, clock=clock, since=date(2026, 1, 1))
    assert con.execute("SELECT min(released_at) FROM package_versions").fetchone()[0] >= datetime(2026, 1, 1)


def test_unknown_tool_skipped_and_missing_package_failed(server, con, archive_dir, clock):
    server.load("registries")
    server.add("GET", "/rubygems/api/v1/versions/decidim-budgets.json", Reply(404, '{"error":"not found"}'))
    seed_tools(con, TOOLS[:1])
    summary = run(con, "registries", server.base, archive_dir, clock)
    assert summary.skipped == sum(1 for p in PACKAGES if p[0] == "openslides")
    assert summary.failed == 1 and summary.status == "partial"
    assert any("decidim-budgets" in e and "HTTP 404" in e for e in summary.errors)


def test_rerun_idempotent_and_rebuild_identical(server, con, archive_dir, clock):
    server.load("registries")
    seed_tools(con, TOOLS)
    run(con, "registries", server.base, archive_dir, clock)
    first = rows(con, "package_versions", "registry, package, version")
    run(con, "registries", server.base, archive_dir, clock)
    second = rows(con, "package_versions", "registry, package, version")
    assert len(first) == len(second)
    server.stop()
    rebuild(con, archive_dir, ["registries"])
    assert rows(con, "package_versions", "registry, package, version") == second
