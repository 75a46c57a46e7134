"""PB engine speed against pabutools 1.2.3 (pabutools capped by a time budget, or its stored add1 times).

Figures: parse + load of Poland_Warszawa_2026.pb; ``mes`` on it; ``mes-add1-greedy`` on every shared
file; all rules on all shared files in one process. Each line prints ours, pabutools' and the ratio
(``> N s`` when pabutools ran out of its budget). Run: ``.venv/bin/python bench/pb_bench.py``
(``--figures parse,mes,add1,all``, ``--repeat N``, ``--pabutools-timeout S``, ``--ours-timeout S``,
``--live-pabutools-add1``); see bench/README.md.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from observatory.config import load_settings  # noqa: E402
from observatory.pb import pabulib  # noqa: E402
from observatory.pb.rules import RULES  # noqa: E402
from tests.pb.pabutools_outcomes import GROUPS, load_store, run_capped  # noqa: E402

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
    """pabutools seconds per rule (``parse`` included), each rule group in a subprocess killed when a rule
    runs past ``cap``; None when over ``cap``."""
    out: dict[str, float | None] = {}
    for group in (g for g in GROUPS if set(g) & set(rules)):
        parse, rows = run_capped(path, group, cap)
        out["parse"] = parse
        out.update({r: None if row.get("unfinished") else row["seconds"] for r, row in rows.items()})
    return out


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
    ap.add_argument("--live-pabutools-add1", action="store_true",
                    help="re-run pabutools' mes-add1-greedy per file instead of reading its stored time")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each parse (best kept)")
    ap.add_argument("--figures", default="parse,mes,add1,all",
                    help="comma-separated figures to run: parse, mes, add1 (mes-add1-greedy per file), all")
    args = ap.parse_args()
    figures = set(args.figures.split(","))
    folder = load_settings().pabulib_dir
    files = sorted(folder.glob("*.pb"), key=lambda p: p.stat().st_size)
    big = folder / LARGEST

    if "parse" in figures:
        print(parse_figure(big, args.repeat))
    if "mes" in figures:
        election = pabulib.load(big)
        ours_mes = timed(lambda: RULES["mes"](election))
        theirs = pabutools(big, ["mes"], args.pabutools_timeout)
        print(line(f"mes on {LARGEST}", ours_mes, theirs.get("mes"), args.pabutools_timeout), flush=True)
    if "add1" in figures:
        add1_figure(files, args)
    if "all" in figures:
        all_rules_figure(files, args)


def parse_figure(big: Path, repeat: int) -> str:
    """Best of ``repeat`` of each, interleaved so that both see the same machine load; pabutools in-process."""
    from pabutools.election import parse_pabulib

    def parse_and_load() -> None:
        e = pabulib.load(big)
        _ = e.approval_groups  # the merged ballots the rules use

    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(timed(parse_and_load))
        theirs.append(timed(lambda: parse_pabulib(str(big))))
    return line(f"parse + load {LARGEST} (best of {repeat})", min(ours), min(theirs), 0)


def add1_figure(files: list[Path], args: argparse.Namespace) -> None:
    """``mes-add1`` and ``mes-add1-greedy`` on every file (fresh election each, so the greedy figure includes
    mes-add1); pabutools' time is the one stored in ``tests/pb/pabutools_outcomes.json`` unless
    ``--live-pabutools-add1`` re-runs it (minutes per large file)."""
    stored = load_store()["files"]
    print(f"\ncompiled kernels of mes-add1 (numba import + load of the on-disk cache, once per process): "
          f"{timed(_warm_kernels):.3f} s")
    print("mes-add1 / mes-add1-greedy per file (pabutools: mes-add1-greedy):")
    times = []
    for path in files:
        ours = {}
        for rule in ("mes-add1", "mes-add1-greedy"):
            e = pabulib.load(path)
            ours[rule] = timed(lambda e=e, rule=rule: RULES[rule](e), args.ours_timeout)
        times.append((max(t if t is not None else np.inf for t in ours.values()), path.name))
        if args.live_pabutools_add1:
            theirs = pabutools(path, ["mes-add1-greedy"], args.pabutools_timeout).get("mes-add1-greedy")
            cap = args.pabutools_timeout
        else:
            row = stored.get(path.name, {}).get("rules", {}).get("mes-add1-greedy")
            if row is None or row.get("not_run"):
                print(f"  {path.name[:44]} add1 {_s(ours['mes-add1'])} ours {_s(ours['mes-add1-greedy'])}   "
                      "pabutools (not run)", flush=True)
                continue
            theirs, cap = (None, row["cap_seconds"]) if row.get("unfinished") else (row["seconds"], 0)
        print(line(f"  {path.name[:44]} add1 {_s(ours['mes-add1'])}", ours["mes-add1-greedy"], theirs, cap),
              flush=True)
    over = [name for t, name in times if t >= 1]
    print(f"files at or over 1 s (ours, either rule): {len(over)} of {len(files)}; slowest five: "
          + ", ".join(f"{name} {t:.3f} s" for t, name in sorted(times, reverse=True)[:5]))


def _warm_kernels() -> None:
    """``mes-add1`` on a five-voter election: loads numba and the compiled kernels (compiles them on the
    first run of a checkout), a one-off cost per process kept out of the per-file figures. The election
    needs a search with full checks, a bisection and an affine proof, so that every kernel is loaded here
    (with a smaller one, the first file that searches compiled the replay kernels inside its figure)."""
    from observatory.pb.pabulib import parse_string

    text = ("META\nkey;value\nnum_projects;4\nnum_votes;5\nbudget;125\nvote_type;approval\nPROJECTS\n"
            "project_id;cost\n1;80\n2;70\n3;60\n4;40\nVOTES\nvoter_id;vote\nv1;1\nv2;1\nv3;4\nv4;3,4\nv5;3,4\n")
    RULES["mes-add1"](parse_string(text, "warm.pb").election)


def _s(t: float | None) -> str:
    return f"{t:6.3f} s" if t is not None else "capped"


def all_rules_figure(files: list[Path], args: argparse.Namespace) -> None:
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
