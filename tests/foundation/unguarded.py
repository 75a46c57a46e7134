"""What the guards' controls share: a file's digest, and a statement run with no guard at all.

A guard's test compares digests before and after a refused statement; its control runs the same statement
here, on a plain writable connection, to show that the comparison can fail.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_unguarded(path: Path, sql: str) -> None:
    """Run ``sql`` on a plain writable connection to ``path`` and checkpoint, so any change reaches the file."""
    con = duckdb.connect(str(path))
    try:
        con.execute(sql)
        con.execute("CHECKPOINT")
    finally:
        con.close()
