"""Deployments collector: lists into `deployments`, additions/removals/reappearances with dates."""

from __future__ import annotations

import json
from datetime import date, timedelta

from collectors import rebuild
from observatory.http import FakeClock
from tests.collectors.helpers import rows, run, seed_tools
from tests.collectors.replay import Reply

TOOLS = [("decidim", "https://github.com/decidim/decidim", "AGPL-3.0-or-later"),
         ("openstad", "https://github.com/openstad/openstad-headless", "EUPL-1.2"),
         ("democracyos", "https://github.com/DemocracyOS/democracyos", "GPL-3.0-only")]
LISTING = "/repos/decidim/decidim.org/contents/data/installations?ref=" + "a" * 40


def _deployments(con):
    cur = con.execute("SELECT * FROM deployments WHERE origin = 'collector:deployments'")
    cols = [d[0] for d in cur.description]
    return {r[0]: dict(zip(cols, r, strict=True)) for r in cur.fetchall()}


def _seed(con):
    seed_tools(con, TOOLS)
    con.execute("INSERT INTO deployments (deployment_id, tool_id, organisation, source_url, checked_on, origin) "
                "VALUES ('curated-1', 'decidim', 'Curated City', 'https://example.org/list', DATE '2026-01-01', 'dataset')")


def test_lists_loaded_with_provenance(server, con, archive_dir, clock):
    server.load("deployments")
    _seed(con)
    summary = run(con, "deployments", server.base, archive_dir, clock)
    assert summary.status == "ok", summary.errors
    deps = _deployments(con)
    bdn = deps["decidim:decidim.org/badalona"]
    assert (bdn["organisation"], bdn["url"], bdn["organisation_type"]) == \
        ("Badalona", "https://participa311-badalona.diba.cat/", "city")
    assert (bdn["longitude"], bdn["latitude"]) == (2.24741, 41.45004)
    assert bdn["source_commit"] == "a" * 40 and bdn["first_seen"] == date(2026, 11, 29)
    assert deps["decidim:decidim.org/helsinki"]["country"] == "FI"
    # publiccode usedBy: names already on decidim.org are not added twice; duplicates collapse
    usedby = {d for d in deps if ":usedby/" in d}
    assert usedby == {"decidim:usedby/schuttrange", "decidim:usedby/touraine",
                      "openstad:usedby/gemeente-amsterdam", "openstad:usedby/provincie-utrecht"}
    dos = deps["democracyos:dos.partidodelared.org"]
    assert (dos["organisation"], dos["country"], dos["country_method"]) == ("Partido de la Red", "AR", "source_text")
    assert deps["democracyos:mujerypoder.democracyos.org"]["url"] == "http://mujerypoder.democracyos.org"
    assert deps["decidim:decidim.org/hostile"]["organisation"] == "<script>alert('owned')</script> Council"
    changes = con.execute("SELECT change, count(*) FROM deployment_changes GROUP BY ALL").fetchall()
    assert changes == [("added", len(deps))]
    curated = con.execute("SELECT organisation FROM deployments WHERE origin = 'dataset'").fetchall()
    assert curated == [("Curated City",)]


def test_removal_and_reappearance_dated(server, con, archive_dir, clock):
    server.load("deployments")
    _seed(con)
    run(con, "deployments", server.base, archive_dir, clock)
    full = json.loads(server.routes[("GET", LISTING)][0].body)
    without = [f for f in full if f["name"] != "helsinki.yml"]
    server.add("GET", LISTING, Reply(200, json.dumps(without)))
    day2 = FakeClock(clock.now() + timedelta(days=7))
    run(con, "deployments", server.base, archive_dir, day2)
    run(con, "deployments", server.base, archive_dir, day2)      # idempotent re-run: no new change rows
    hel = _deployments(con)["decidim:decidim.org/helsinki"]
    assert hel["removed_on"] == date(2026, 12, 6) and hel["first_seen"] == date(2026, 11, 29)
    server.add("GET", LISTING, Reply(200, json.dumps(full)))
    run(con, "deployments", server.base, archive_dir, FakeClock(clock.now() + timedelta(days=14)))
    assert _deployments(con)["decidim:decidim.org/helsinki"]["removed_on"] is None
    history = con.execute("SELECT change, changed_on FROM deployment_changes WHERE deployment_id = "
                          "'decidim:decidim.org/helsinki' ORDER BY changed_on").fetchall()
    assert history == [("added", date(2026, 11, 29)), ("removed", date(2026, 12, 6)),
                       ("reappeared", date(2026, 12, 13))]


def test_failing_source_changes_nothing_and_others_go_on(server, con, archive_dir, clock):
    server.load("deployments")
    _seed(con)
    run(con, "deployments", server.base, archive_dir, clock)
    before = _deployments(con)
    server.add("GET", LISTING, Reply(500, "down"))
    server.add("GET", "/raw/decidim/decidim.org/" + "a" * 40 + "/data/installations/badalona.yml",
               Reply(200, "title: [unclosed", content_type="text/plain"))
    summary = run(con, "deployments", server.base, archive_dir, FakeClock(clock.now() + timedelta(days=1)))
    assert summary.status == "partial" and summary.failed == 1
    after = _deployments(con)
    assert all(after[k]["removed_on"] is None for k in before)          # nothing marked removed
    assert after["democracyos:evoks.hu"]["last_seen"] == date(2026, 11, 30)   # other sources refreshed
    assert set(after) == set(before)        # usedBy names of the failed list are not added as new rows


def test_malformed_installation_file_counts_as_present(server, con, archive_dir, clock):
    server.load("deployments")
    _seed(con)
    run(con, "deployments", server.base, archive_dir, clock)
    server.add("GET", "/raw/decidim/decidim.org/" + "a" * 40 + "/data/installations/badalona.yml",
               Reply(200, "title: [unclosed", content_type="text/plain"))
    summary = run(con, "deployments", server.base, archive_dir, FakeClock(clock.now() + timedelta(days=1)))
    assert summary.failed == 1 and "badalona.yml" in summary.errors[0]
    assert _deployments(con)["decidim:decidim.org/badalona"]["removed_on"] is None


def test_rebuild_identical(server, con, archive_dir, clock):
    server.load("deployments")
    _seed(con)
    run(con, "deployments", server.base, archive_dir, clock)
    full = json.loads(server.routes[("GET", LISTING)][0].body)
    server.add("GET", LISTING, Reply(200, json.dumps([f for f in full if f["name"] != "barcelona.yml"])))
    run(con, "deployments", server.base, archive_dir, FakeClock(clock.now() + timedelta(days=3)))
    live = (rows(con, "deployments", "deployment_id"), rows(con, "deployment_changes", "deployment_id, changed_on"))
    server.stop()
    rebuild(con, archive_dir, ["deployments"])
    assert (rows(con, "deployments", "deployment_id"),
            rows(con, "deployment_changes", "deployment_id, changed_on")) == live
