"""Whole-Pabulib study: every rule on every edition, its wall time, where the time goes, and its scaling.

    .venv/bin/python bench/pb_study_bench.py PATH_TO_PB_FILES --mode cli [--rules all]
    .venv/bin/python bench/pb_study_bench.py PATH_TO_PB_FILES --mode breakdown [--workers 2] [--csv OUT.csv]
    .venv/bin/python bench/pb_study_bench.py PATH_TO_PB_FILES [--mode scaling] [--limit N] [--cluster-workers 2]

``cli`` times the one command ``observatory pb study all --rules all PATH`` (Parquet and DuckDB written to a
temporary folder): wall time, the CPU time of the command and its worker processes, and the machine's load
average before and after (the 2 cores are shared). ``breakdown`` runs the same tasks on ``--workers``
processes and reports the CPU seconds of each rule (with its metrics) and of the parse, summed over the
editions, the total without ``mes-add1``/``mes-add1-greedy``, and the editions that cost most.
``scaling`` runs the study on 1 and 2 local processes and on a LocalCluster, prints the scaling ratio
(1 process / N) and checks that the runs give the same table (bit for bit). ``--limit`` keeps the N first
files (by name) for a shorter run; ``--every N`` every N-th file by size (largest first), a sample of the sizes.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from observatory.pb import study as st

COMPLETION = ("mes-add1", "mes-add1-greedy")  # made faster in observatory/pb/rules/mes*.py separately


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--mode", choices=("cli", "breakdown", "scaling"), default="scaling")
    ap.add_argument("--rules", default="all")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--every", type=int, default=1,
                    help="keep every N-th file in order of size (a sample spanning small to large editions)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--csv", type=Path, help="breakdown: one row per edition and stage (CPU seconds)")
    ap.add_argument("--cluster-workers", type=int, default=2)
    ap.add_argument("--skip-one", action="store_true", help="scaling: skip the 1-process run")
    args = ap.parse_args()
    if args.mode == "cli":
        cli(args)
        return
    spec = st.whole_library([args.path], args.rules)
    if args.limit:
        spec.files = spec.files[: args.limit]
    if args.every > 1:
        spec.files = sorted(spec.files, key=lambda p: -p.stat().st_size)[:: args.every]
    tasks = list(spec.tasks())
    print(f"{len(tasks)} editions x {len(spec.rules)} rules")
    if args.mode == "breakdown":
        breakdown(tasks, args.workers, args.csv)
    else:
        scaling(tasks, args)


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def cli(args: argparse.Namespace) -> None:
    """The user's command, as a user runs it (``--limit`` does not apply)."""
    exe = Path(sys.executable).with_name("observatory")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(exe), "pb", "study", "all", "--rules", args.rules, str(args.path), "--out", f"{tmp}/out",
               "--db", f"{tmp}/study.duckdb", "--workers", str(args.workers)]
        print("command:", " ".join(cmd[:6] + [str(args.path)] + ["--workers", str(args.workers)]))
        print("before:", _load(), flush=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        print("after: ", _load())
        print(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
        user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
        print(f"wall {wall:.1f} s, CPU {user:.1f} s user + {system:.1f} s system "
              f"({(user + system) / wall:.2f} cores busy on average), exit {done.returncode}")


def breakdown(tasks: list[st.Task], workers: int, csv_path: Path | None) -> None:
    """CPU seconds per stage (parse, each rule with its metrics) per edition, largest editions first."""
    per_task: dict[str, dict[str, float]] = {}
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(st.run_task_timed, t): t for t in sorted(tasks, key=lambda t: -len(t.data))}
        for fut in as_completed(futures):
            per_task[futures[fut].file_name] = fut.result()[1]
    wall = time.perf_counter() - t0
    stages = ["parse", *tasks[0].rules]
    totals = {s: sum(sec.get(s, 0.0) for sec in per_task.values()) for s in stages}
    cpu = sum(totals.values())
    print(f"wall {wall:.1f} s on {workers} processes, {cpu:.1f} CPU s in tasks; {_load()}")
    print("CPU seconds per stage, summed over the editions:")
    for s in sorted(stages, key=lambda s: -totals[s]):
        slowest = max(per_task, key=lambda f: per_task[f].get(s, 0.0))
        print(f"  {s:16} {totals[s]:8.1f} s  {100 * totals[s] / cpu:5.1f} %   slowest: {slowest} "
              f"{per_task[slowest].get(s, 0.0):.2f} s")
    rest = cpu - sum(totals.get(s, 0.0) for s in COMPLETION)
    print(f"without {' and '.join(COMPLETION)}: {rest:.1f} CPU s; with them: {cpu:.1f} CPU s")
    by_file = sorted(per_task, key=lambda f: -sum(per_task[f].values()))
    print("editions that cost most (CPU s, the three largest stages):")
    for f in by_file[:10]:
        sec = per_task[f]
        top = ", ".join(f"{s} {sec[s]:.1f}" for s in sorted(sec, key=lambda s: -sec[s])[:3])
        print(f"  {f[:56]:56} {sum(sec.values()):7.1f}  ({top})")
    if csv_path:
        with csv_path.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["file", "bytes", *stages])
            sizes = {t.file_name: len(t.data) for t in tasks}
            for f in by_file:
                out.writerow([f, sizes[f], *(f"{per_task[f].get(s, 0.0):.4f}" for s in stages)])


def scaling(tasks: list[st.Task], args: argparse.Namespace) -> None:
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
