"""PB engine speed against pabutools 1.2.3, in the same run (pabutools capped by a time budget).

Figures: parse + load of Poland_Warszawa_2026.pb; ``mes`` on it; ``mes-add1-greedy`` on every shared
file; all rules on all shared files in one process. Each line prints ours, pabutools' and the ratio
(``> N s`` when pabutools ran out of its budget). Run: ``.venv/bin/python bench/pb_bench.py``
(``--pabutools-timeout S``, ``--ours-timeout S``, ``--skip-pabutools-add1``,
``--pabutools-add1-max-bytes N``).
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from observatory.config import load_settings  # noqa: E402
from observatory.pb import pabulib  # noqa: E402
from observatory.pb.rules import RULES  # noqa: E402

LARGEST = "Poland_Warszawa_2026.pb"


class _Cap(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Cap


def timed(fn, cap: float | None = None) -> float | None:  # noqa: ANN001
    """Seconds taken by ``fn()``, or None when it ran past ``cap``."""
    signal.signal(signal.SIGALRM, _alarm)
    if cap:
        signal.setitimer(signal.ITIMER_REAL, cap)
    start = time.perf_counter()
    try:
        fn()
    except _Cap:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - start


def pabutools(path: Path, rules: list[str], cap: float) -> dict[str, float | None]:
    """pabutools seconds per rule (``parse`` included); None when over ``cap``."""
    proc = subprocess.run([sys.executable, "-m", "tests.pb.oracle_worker", str(path), str(cap), *rules],
                          cwd=REPO, capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in proc.stdout.strip().splitlines()]
    return {r["rule"]: (None if r.get("timeout") else r["seconds"]) for r in rows}


def line(label: str, ours: float | None, theirs: float | None, cap: float) -> str:
    o = f"{ours:8.3f} s" if ours is not None else "    capped"
    t = f"{theirs:8.3f} s" if theirs is not None else f"  > {cap:g} s"
    if ours and theirs:
        ratio = f"{theirs / ours:8.1f}x"
    elif ours and theirs is None:
        ratio = f"> {cap / ours:6.1f}x"
    else:
        ratio = "      n/a"
    return f"{label:60} ours {o}   pabutools {t}   ratio {ratio}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pabutools-timeout", type=float, default=60.0)
    ap.add_argument("--ours-timeout", type=float, default=120.0)
    ap.add_argument("--skip-pabutools-add1", action="store_true")
    ap.add_argument("--pabutools-add1-max-bytes", type=int, default=0,
                    help="run pabutools' mes-add1-greedy only on files up to this size (0: all)")
    args = ap.parse_args()
    folder = load_settings().pabulib_dir
    files = sorted(folder.glob("*.pb"), key=lambda p: p.stat().st_size)
    big = folder / LARGEST

    def parse_and_load() -> None:
        e = pabulib.load(big)
        _ = e.approval_groups  # the merged ballots the rules use

    ours_parse = min(timed(parse_and_load) or 0 for _ in range(3))
    election = pabulib.load(big)
    ours_mes = timed(lambda: RULES["mes"](election))
    theirs = pabutools(big, ["mes"], args.pabutools_timeout)
    print(line(f"parse + load {LARGEST}", ours_parse, theirs["parse"], args.pabutools_timeout))
    print(line(f"mes on {LARGEST}", ours_mes, theirs.get("mes"), args.pabutools_timeout), flush=True)

    print("\nmes-add1-greedy per file:")
    over5 = 0
    for path in files:
        e = pabulib.load(path)
        ours = timed(lambda e=e: RULES["mes-add1-greedy"](e), args.ours_timeout)
        over5 += ours is None or ours >= 5
        too_big = args.pabutools_add1_max_bytes and path.stat().st_size > args.pabutools_add1_max_bytes
        if args.skip_pabutools_add1 or too_big:
            shown = f"{ours:8.3f} s" if ours is not None else f"> {args.ours_timeout:g} s"
            print(f"  {path.name[:58]:58} ours {shown}   pabutools (not run)", flush=True)
            continue
        theirs_add1 = pabutools(path, ["mes-add1-greedy"], args.pabutools_timeout).get("mes-add1-greedy")
        print(line(f"  {path.name[:56]}", ours, theirs_add1, args.pabutools_timeout), flush=True)
    print(f"files at or over 5 s (ours): {over5} of {len(files)}")

    print("\nall rules on all files, one process:")
    total = 0.0
    capped = []
    start = time.perf_counter()
    for path in files:
        e = pabulib.load(path)
        for name, rule in RULES.items():
            def run(rule=rule, e=e) -> None:  # noqa: ANN001
                try:
                    rule(e)
                except ValueError:  # not applicable (e.g. no 'selected' column)
                    pass
            t = timed(run, args.ours_timeout)
            if t is None:
                capped.append(f"{path.name}:{name}")
            else:
                total += t
    print(f"  rules total {total:.1f} s, wall {time.perf_counter() - start:.1f} s (parsing included); "
          f"capped at {args.ours_timeout:g} s: {', '.join(capped) or 'none'}")


if __name__ == "__main__":
    main()
