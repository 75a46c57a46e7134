"""Time each dashboard page's render with AppTest (first load, then warm reruns) and print a table.

Usage: ``python bench/dashboard_bench.py [--db PATH] [--repeat 5]``. Without ``--db`` the database
named by OBSERVATORY_DB is used, else one is built from ``datasets/`` in a temporary folder. When the
PB tables hold the Warszawa 2026 edition, the PB page is also timed with that edition selected.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

APP = REPO / "dashboards" / "streamlit_app.py"
WARSZAWA_HINTS = ("warszawa", "2026")


def _database(db: str | None) -> Path:
    if db or os.environ.get("OBSERVATORY_DB"):
        return Path(db or os.environ["OBSERVATORY_DB"])
    from observatory.config import load_settings
    from observatory.datasets import build_database

    path = Path(tempfile.mkdtemp()) / "bench.duckdb"
    build_database(path, load_settings().datasets_dir)
    return path


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _warszawa_edition(db: Path) -> str | None:
    from observatory.store import connect_readonly

    con = connect_readonly(db)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "pb_editions" not in tables:
            return None
        ids = [r[0] for r in con.execute("SELECT edition_id FROM pb_editions").fetchall()]
    finally:
        con.close()
    matches = [i for i in ids if all(h in str(i).lower() for h in WARSZAWA_HINTS)]
    return sorted(matches)[0] if matches else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database file (default: OBSERVATORY_DB, else built from datasets/)")
    parser.add_argument("--repeat", type=int, default=5, help="warm reruns per page")
    args = parser.parse_args()
    db = _database(args.db)
    os.environ["OBSERVATORY_DB"] = str(db)

    from streamlit.testing.v1 import AppTest

    from dashboards.streamlit_app import available_pages

    rows: list[tuple[str, float, float, float]] = []
    at = AppTest.from_file(str(APP), default_timeout=300)
    start_cold = _timed(at.run)
    for spec in available_pages():
        first = _timed(lambda spec=spec: at.switch_page(spec.file).run())
        if at.exception:
            raise SystemExit(f"{spec.file}: {[e.message for e in at.exception]}")
        warm = [_timed(at.run) for _ in range(args.repeat)]
        rows.append((spec.url_path, first, statistics.median(warm), max(warm)))
    edition = _warszawa_edition(db)
    if edition:
        at.switch_page("app_pages/pb.py").run()
        first = _timed(lambda: at.selectbox(key="pb_edition").set_value(edition).run())
        warm = [_timed(at.run) for _ in range(args.repeat)]
        rows.append((f"pb-outcomes [{edition}]", first, statistics.median(warm), max(warm)))

    print(f"database: {db.name} ({db.stat().st_size / 1e6:.1f} MB); app cold start {start_cold:.2f} s; "
          f"{args.repeat} warm reruns per page")
    print(f"{'page':<40} {'first load s':>12} {'warm median s':>14} {'warm max s':>11}")
    for name, first, median, worst in rows:
        print(f"{name:<40} {first:>12.3f} {median:>14.3f} {worst:>11.3f}")
    if not edition:
        print("PB: no Warszawa 2026 edition in pb_editions (run `observatory pb import` first)")


if __name__ == "__main__":
    main()
