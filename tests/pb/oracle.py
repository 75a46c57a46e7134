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


# What each compared rule stands for in pabutools, and so how it treats a zero-cost project that has
# supporters (docs/pb.md, "Zero-cost projects"). Cost satisfaction gives such a project satisfaction 0:
# it has no supporters for MES and density 0 (last) for greedy; cardinality satisfaction gives it
# infinite density (first). Our rules follow the same definitions, so selections are compared as they are.
SATISFACTION = {
    "greedy": "Cost_Sat: a free project has density 0 (ordered last, always fits: selected)",
    "greedy-ratio": "Cardinality_Sat: a supported free project has infinite density (first: selected)",
    "mes": "Cost_Sat: a free project gives satisfaction 0, has no supporters, is never bought",
    "mes-add1": "Cost_Sat: as mes; exhaustiveness is checked against the projects MES can buy",
    "mes-add1-greedy": "Cost_Sat: mes-add1, then the greedy completion takes the free project (it fits)",
    "phragmen": "approval: a free project's new load is the supporters' mean load (bought when cheapest)",
    "max-supports": "Cardinality_Sat objective: a supported free project adds approvals (selected)",
}
