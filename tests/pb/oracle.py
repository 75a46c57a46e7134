"""Call pabutools through :mod:`tests.pb.oracle_worker` in a subprocess with a time budget.

``PB_ORACLE_TIMEOUT`` (seconds, default 20) bounds each call; ``0`` or a negative value means no
limit (a full oracle run). A call over budget returns ``None`` so callers can skip with the reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def oracle_timeout() -> float | None:
    value = float(os.environ.get("PB_ORACLE_TIMEOUT", "20"))
    return value if value > 0 else None


def run_oracle(path: Path, rule: str, timeout: float | None = None) -> dict | None:
    """pabutools' result for ``rule`` on ``path``, or None when it exceeded the time budget."""
    try:
        proc = subprocess.run([sys.executable, "-m", "tests.pb.oracle_worker", str(path), rule],
                              cwd=REPO, capture_output=True, text=True, check=True,
                              timeout=timeout if timeout is not None else oracle_timeout())
    except subprocess.TimeoutExpired:
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])
