"""Reading a large git history: time per 10,000 commits, and an incremental re-run that reads only new commits.

Usage: ``.venv/bin/python bench/git_health_bench.py REPO_GIT_DIR [--tool-id fixmystreet] [--back 200]
[--compare-libraries]``

1. ``gitlog.read_commits`` over the whole history (commits, mailmap, numstat; the slow path for missing blobs
   when the snapshot lacks large files): wall time and CPU time of the git processes, per 10,000 commits.
2. Tags and licence history of the same repository.
3. ``observatory collect git --repo`` end to end into a fresh database, then again: the second run finds the
   head already read and reads no commit; a read from ``--back`` first-parent commits behind HEAD reads only
   the commits since then.
4. ``--compare-libraries``: pygit2 diff stats and tree-only diff on the newest 2,000 commits (when installed).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import collectors  # noqa: E402
from observatory import gitlog, licence_history  # noqa: E402
from observatory.http import FakeClock  # noqa: E402
from observatory.runs import run_collector  # noqa: E402
from observatory.store import connect_writer  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(fn):  # noqa: ANN001, ANN201 - tiny helper
    wall, cpu = time.perf_counter(), children_cpu() + time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, children_cpu() + time.process_time() - cpu


def compare_libraries(git_dir: Path, n: int = 2000) -> None:
    try:
        import pygit2
    except ImportError:
        print("pygit2 not installed: library comparison skipped")
        return
    repo = pygit2.Repository(str(git_dir))
    walk = list(repo.walk(repo.head.target, pygit2.enums.SortMode.TOPOLOGICAL))[:n]
    for label, stats in (("pygit2 tree diff", False), ("pygit2 diff stats", True)):
        start = time.perf_counter()
        for commit in walk:
            if len(commit.parents) != 1:
                continue
            diff = commit.parents[0].tree.diff_to_tree(commit.tree)
            try:
                _ = diff.stats.insertions if stats else len(diff)
            except (KeyError, pygit2.GitError):
                pass
        print(f"{label}: {(time.perf_counter() - start) / len(walk) * 10_000:.1f} s per 10,000 commits")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--tool-id", default="fixmystreet")
    parser.add_argument("--repo-url", default="https://github.com/mysociety/fixmystreet")
    parser.add_argument("--back", type=int, default=200)
    parser.add_argument("--compare-libraries", action="store_true")
    args = parser.parse_args()
    git_dir = gitlog.git_dir_of(args.repo)
    head = gitlog.head_commit(git_dir)
    commits, wall, cpu = timed(lambda: gitlog.read_commits(git_dir, head, "bench"))
    n = len(commits)
    print(f"history: {n} commits read in {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"-> {wall / n * 10_000:.1f} s wall / {cpu / n * 10_000:.1f} s CPU per 10,000 commits")
    tags, wall, _ = timed(lambda: gitlog.read_tags(git_dir))
    print(f"tags: {len(tags)} in {wall:.2f} s")
    changes, wall, _ = timed(lambda: licence_history.licence_changes(git_dir, head))
    print(f"licence history: {len(changes)} changes in {wall:.1f} s")
    base = gitlog.git(git_dir, "rev-parse", f"{head}~{args.back}").strip()
    newer, wall, _ = timed(lambda: gitlog.read_commits(git_dir, head, "bench", [base]))
    print(f"incremental read since HEAD~{args.back}: {len(newer)} commits in {wall:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        con = connect_writer(Path(tmp) / "bench.duckdb")
        con.execute("INSERT INTO tools (tool_id, name, repo_url, licence_spdx, source_url, checked_on) "
                    "VALUES (?, ?, ?, 'MIT', 'https://example.org', '2026-01-01')",
                    [args.tool_id, args.tool_id, args.repo_url])
        for label in ("collect git, first run", "collect git, re-run (same head)"):
            collector = collectors.get("git")(None, [f"{args.tool_id}={args.repo}"])
            summary, wall, _ = timed(lambda c=collector: run_collector(
                con, c, Path(tmp) / "archive", clock=FakeClock(datetime(2026, 12, 3))))
            newest = max((Path(tmp) / "archive").rglob("*.gz"), key=lambda p: p.stat().st_mtime_ns)
            read = len(json.loads(gzip.decompress(newest.read_bytes()))["commits"])
            print(f"{label}: {summary.status} in {wall:.1f} s, {read} commits read")
        con.close()
    if args.compare_libraries:
        compare_libraries(git_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
