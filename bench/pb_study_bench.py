"""Whole-Pabulib study: every rule on every edition, on 1 and 2 local processes and on a LocalCluster.

    .venv/bin/python bench/pb_study_bench.py PATH_TO_PB_FILES [--rules all] [--limit N] [--cluster-workers 2]

Prints wall time per run, the scaling ratio (1 process / N), and checks that the three runs give the same
table (bit for bit). ``--limit`` keeps the N first files (by name) for a shorter run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from observatory.pb import study as st


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--rules", default="all")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--cluster-workers", type=int, default=2)
    ap.add_argument("--skip-one", action="store_true", help="skip the 1-process run")
    args = ap.parse_args()
    spec = st.whole_library([args.path], args.rules)
    if args.limit:
        spec.files = spec.files[: args.limit]
    tasks = list(spec.tasks())
    print(f"{len(tasks)} editions x {len(spec.rules)} rules")
    tables, times = {}, {}
    runs = [("local 2 processes", lambda: st.run_local(tasks, 2))]
    if not args.skip_one:
        runs.insert(0, ("local 1 process", lambda: st.run_local(tasks, 1)))
    for name, run in runs:
        t0 = time.perf_counter()
        tables[name] = st.to_table(tasks, run())
        times[name] = time.perf_counter() - t0
        print(f"{name}: {times[name]:.1f} s", flush=True)
    from distributed import LocalCluster

    with LocalCluster(n_workers=args.cluster_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        name = f"LocalCluster {args.cluster_workers} workers"
        t0 = time.perf_counter()
        tables[name] = st.to_table(tasks, st.run_dask(tasks, cluster.scheduler_address))
        times[name] = time.perf_counter() - t0
        print(f"{name}: {times[name]:.1f} s (cluster start excluded)", flush=True)
    first = next(iter(tables.values()))
    print("identical tables:", all(t.equals(first) for t in tables.values()))
    if "local 1 process" in times:
        for name, t in times.items():
            print(f"scaling {name}: {times['local 1 process'] / t:.2f}x")
    errors = sum(1 for e in first.column("error").to_pylist() if e)
    print(f"rows {first.num_rows}, rule errors {errors}")


if __name__ == "__main__":
    main()
