"""Time of a full collection run (every collector of this repo's recordings) against the replay server.

Usage: ``.venv/bin/python bench/collect_bench.py [--repeat 3] [--scale 1]``. The clock is fake, so the
politeness gaps (1 s per host for probes) are counted, not waited: the figure is the machinery's own
cost (sockets, parsing, archive, DuckDB), and the politeness a live run would add is printed apart.
``--scale N`` multiplies the deployment list so the probe has N times more sites to visit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import collectors  # noqa: E402
from collectors import rebuild  # noqa: E402
from observatory.http import ClientConfig, FakeClock  # noqa: E402
from observatory.runs import run_collector  # noqa: E402
from observatory.store import connect_writer  # noqa: E402
from tests.collectors.replay import Reply, replay_server  # noqa: E402

NAMES = ["github", "gitlab", "registries", "deployments", "probe", "pabulib"]
TOOLS = [("decidim", "https://github.com/decidim/decidim", "AGPL-3.0-or-later"),
         ("consul", "https://github.com/consuldemocracy/consuldemocracy", "AGPL-3.0-only"),
         ("democracyos", "https://github.com/DemocracyOS/democracyos", "GPL-3.0-only"),
         ("openstad", None, "EUPL-1.2"), ("openslides", None, "MIT"),
         ("belenios", "https://gitlab.inria.fr/belenios/belenios", "AGPL-3.0-or-later")]


def one_run(scale: int) -> tuple[float, float, int, float]:
    with tempfile.TemporaryDirectory() as tmp, replay_server() as server:
        for name in NAMES:
            server.load(name)
        for i in range(scale * 50):
            server.add("GET", f"/site{i}.example.org/", Reply(200, "<html><head><meta name='generator' "
                                                               "content='Decidim 0.28.4'></head></html>",
                                                               content_type="text/html"))
        con = connect_writer(Path(tmp) / "bench.duckdb")
        for tool_id, repo, licence in TOOLS:
            con.execute("INSERT INTO tools (tool_id, name, repo_url, licence_spdx, source_url, checked_on) "
                        "VALUES (?, ?, ?, ?, 'bench', DATE '2026-11-01')", [tool_id, tool_id, repo, licence])
        for i in range(scale * 50):
            con.execute("INSERT INTO deployments (deployment_id, tool_id, organisation, url, source_url, checked_on) "
                        "VALUES (?, 'consul', ?, ?, 'bench', DATE '2026-11-01')",
                        [f"b{i}", f"site {i}", f"https://site{i}.example.org/"])
        clock = FakeClock()
        config = ClientConfig(timeout_s=5, max_retries=1, politeness_s=1.0)
        t0 = time.perf_counter()
        for name in NAMES:
            summary = run_collector(con, collectors.get(name)(server.base), Path(tmp) / "archive",
                                    clock=clock, config=config)
            assert summary.status in ("ok", "partial"), (name, summary.errors)
        live = time.perf_counter() - t0
        requests = len(server.seen)
        t1 = time.perf_counter()
        rebuild(con, Path(tmp) / "archive", NAMES)
        offline = time.perf_counter() - t1
        con.close()
        return live, offline, requests, sum(clock.sleeps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    results = [one_run(args.scale) for _ in range(args.repeat)]
    live = statistics.median(r[0] for r in results)
    offline = statistics.median(r[1] for r in results)
    print(f"collectors: {', '.join(NAMES)}; requests per run: {results[0][2]}; runs: {args.repeat}")
    print(f"full collection (live, replay server): median {live:.2f} s  (min {min(r[0] for r in results):.2f})")
    print(f"rebuild from archive (offline):        median {offline:.2f} s")
    print(f"politeness a live run would add (1 s/host for probes, fake clock): {results[0][3]:.0f} s")


if __name__ == "__main__":
    main()
