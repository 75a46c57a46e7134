"""Time each report format for a four-tool comparison.

Usage: ``.venv/bin/python bench/reports_bench.py [--db PATH] [--repeat N]``. Without ``--db`` it builds
a temporary database from ``datasets/`` (``observatory build``); if the datasets do not validate it
falls back to the report tests' fixture database and says so. Prints collect (DB -> Report) time and
render time per format, each the best and median of N runs after one warm-up (the warm-up of PDF also
shows WeasyPrint's one-off import cost).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from observatory.config import load_settings  # noqa: E402
from observatory.reports import FORMATS, build_report  # noqa: E402
from observatory.store import connect_readonly  # noqa: E402

PREFERRED = ["decidim", "consul-democracy", "loomio", "polis", "go-vocal", "openstad"]


def database(tmp: Path) -> tuple[Path, str]:
    from observatory.datasets import DatasetError, build_database

    path = tmp / "bench.duckdb"
    try:
        build_database(path, load_settings().datasets_dir)
        return path, "datasets/ (observatory build)"
    except DatasetError as exc:
        from tests.reports.fixture_db import build_fixture_db

        path.unlink(missing_ok=True)
        return build_fixture_db(tmp / "fixture.duckdb"), f"test fixture (datasets/ did not build: {len(exc.issues)} issue(s))"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", default="fr")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db, origin = (args.db, "given") if args.db else database(Path(tmp))
        con = connect_readonly(db)
        try:
            ids = [r[0] for r in con.execute("SELECT tool_id FROM tools ORDER BY tool_id").fetchall()]
            tools = [t for t in PREFERRED if t in ids][:4] or ids[:4]
            print(f"database: {origin}; tools: {', '.join(tools)}; lang {args.lang}; {args.repeat} run(s) after a warm-up")
            t0 = time.perf_counter()
            report = build_report(con, tools, args.lang)
            collect_first = time.perf_counter() - t0
            collect = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                report = build_report(con, tools, args.lang)
                collect.append(time.perf_counter() - t0)
        finally:
            con.close()
        print(f"{'step':<10}{'first':>10}{'best':>10}{'median':>10}{'size':>12}")
        print(f"{'collect':<10}{collect_first:>9.3f}s{min(collect):>9.3f}s{statistics.median(collect):>9.3f}s{'':>12}")
        for fmt, exporter in FORMATS.items():
            t0 = time.perf_counter()
            data = exporter.render(report, args.lang)
            first = time.perf_counter() - t0
            runs = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                data = exporter.render(report, args.lang)
                runs.append(time.perf_counter() - t0)
            print(f"{fmt:<10}{first:>9.3f}s{min(runs):>9.3f}s{statistics.median(runs):>9.3f}s{len(data):>10,} B")
        print(f"sections {len(report.sections)}, sources {len(report.sources)}")


if __name__ == "__main__":
    main()
