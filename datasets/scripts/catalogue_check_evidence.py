"""Check that every GitHub permalink cited by the catalogue points at a path that exists at its commit.

Why: `code` evidence in `tool_features.csv` and the licence evidence in `tools.csv` are claims about a file at a
pinned commit. With local git snapshots of the repositories, this script re-checks each claim offline, so a
reviewer (or a refresh) can trust the permalinks without opening them one by one.

Usage:  python datasets/scripts/catalogue_check_evidence.py --snapshots DIR [--catalogue datasets/catalogue]

A repository ``owner/name`` is looked up in DIR as ``owner+name/repo``, ``owner+name``, ``owner/name`` or ``name``
(a bare git directory or a clone). Prints one line per checked permalink (``ok``, ``MISSING`` or ``no snapshot``)
and exits 1 when any path is missing.
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
from pathlib import Path

PERMALINK = re.compile(r"^https://github\.com/([^/]+)/([^/]+)/(?:blob|tree|commit)/([0-9a-f]{40})(?:/([^#]*))?")
CHECKED_COLUMNS = {"tools.csv": ("licence_evidence_url", "source_url", "status_evidence_url"),
                   "tool_features.csv": ("source_url",), "licence_events.csv": ("evidence_url", "source_url")}


def find_snapshot(root: Path, owner: str, name: str) -> Path | None:
    """The git directory of ``owner/name`` under ``root``, in any of the usual layouts."""
    for candidate in (root / f"{owner}+{name}" / "repo", root / f"{owner}+{name}", root / owner / name, root / name):
        if (candidate / ".git").is_dir():
            return candidate / ".git"
        if (candidate / "HEAD").is_file() or candidate.is_dir() and (candidate / "objects").is_dir():
            return candidate
    return None


def path_exists(git_dir: Path, commit: str, path: str) -> bool:
    """True when ``path`` (or the commit itself, for an empty path) exists in the snapshot."""
    spec = f"{commit}:{path}" if path else commit
    done = subprocess.run(["git", "--git-dir", str(git_dir), "cat-file", "-e", spec], capture_output=True)
    return done.returncode == 0


def cited_permalinks(catalogue: Path) -> list[tuple[str, int, str, str]]:
    """(file, CSV row number, column, url) for every GitHub permalink the catalogue cites.

    A ``/commit/SHA`` link (status and licence-event evidence) is checked for the commit alone.
    """
    found = []
    for file_name, columns in CHECKED_COLUMNS.items():
        with (catalogue / file_name).open(newline="", encoding="utf-8") as fh:
            for row_number, row in enumerate(csv.DictReader(fh), start=2):
                for column in columns:
                    url = row.get(column) or ""
                    if column in row and PERMALINK.match(url):
                        found.append((file_name, row_number, column, url))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=Path, required=True, help="folder holding the git snapshots")
    parser.add_argument("--catalogue", type=Path, default=Path(__file__).resolve().parents[1] / "catalogue")
    args = parser.parse_args(argv)
    missing = 0
    for file_name, row_number, column, url in cited_permalinks(args.catalogue):
        owner, name, commit, path = PERMALINK.match(url).groups()  # type: ignore[union-attr]
        git_dir = find_snapshot(args.snapshots, owner, name)
        if git_dir is None:
            status = "no snapshot"
        elif path_exists(git_dir, commit, (path or "").rstrip("/")):
            status = "ok"
        else:
            status, missing = "MISSING", missing + 1
        print(f"{file_name}:{row_number}:{column}: {status} {url}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
