"""``mes-add1-greedy`` against pabutools 1.2.3 on every shared file, selections compared, times printed.

pabutools re-runs MES at every unit step, which takes minutes on the large files, so this is a separate
run from ``pb_bench.py``: each file gets ``--cap`` seconds of pabutools (in a subprocess). A file where
pabutools runs out of time is reported as such; ``tests/pb/test_mes_add1.py`` checks those against the
unit-step definition instead. Run: ``.venv/bin/python bench/pb_add1_oracle.py --cap 200``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from observatory.config import load_settings  # noqa: E402
from observatory.pb import pabulib  # noqa: E402
from observatory.pb.rules import run_rule  # noqa: E402

RULE = "mes-add1-greedy"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cap", type=float, default=200.0, help="seconds of pabutools per file")
    args = ap.parse_args()
    files = sorted(load_settings().pabulib_dir.glob("*.pb"), key=lambda p: p.stat().st_size)
    identical = timed_out = 0
    for path in files:
        proc = subprocess.run([sys.executable, "-m", "tests.pb.oracle_worker", str(path), str(args.cap), RULE],
                              cwd=REPO, capture_output=True, text=True, check=True)
        theirs = next(json.loads(line) for line in proc.stdout.splitlines() if f'"{RULE}"' in line)
        if theirs.get("timeout"):
            timed_out += 1
            print(f"{path.name[:60]:60} pabutools > {args.cap:g} s", flush=True)
            continue
        start = time.perf_counter()
        ours = sorted(run_rule(RULE, pabulib.load(path)))
        seconds = time.perf_counter() - start
        same = ours == theirs["selected"]
        identical += same
        print(f"{path.name[:60]:60} pabutools {theirs['seconds']:7.1f} s   ours {seconds:6.2f} s   "
              f"{'identical' if same else 'DIFFERENT'}", flush=True)
    print(f"identical on {identical} of {len(files) - timed_out} files where pabutools finished; "
          f"pabutools over {args.cap:g} s on {timed_out}")


if __name__ == "__main__":
    main()
