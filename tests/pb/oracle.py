"""pabutools as the oracle, in a subprocess, with a time budget per rule.

``PB_ORACLE_TIMEOUT`` (seconds per rule call, default 3) keeps the whole ``tests/pb`` run inside its CI
budget; ``0`` removes the limit for a full oracle run. A call over budget comes back as
``{"timeout": True}`` so the test reports it as skipped with that reason, never as passed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def oracle_timeout() -> float:
    return float(os.environ.get("PB_ORACLE_TIMEOUT", "3"))


def run_oracle(path: Path, rules: list[str], seconds: float | None = None) -> dict[str, dict]:
    """``{rule: result}`` from pabutools (``parse`` included); rules over budget carry ``timeout``."""
    seconds = oracle_timeout() if seconds is None else seconds
    proc = subprocess.run([sys.executable, "-m", "tests.pb.oracle_worker", str(path), str(seconds), *rules],
                          cwd=REPO, capture_output=True, text=True, check=True)
    return {r["rule"]: r for r in map(json.loads, proc.stdout.strip().splitlines())}
