"""pabutools 1.2.3's outcomes on the shared Pabulib files, computed once and stored in ``pabutools_outcomes.json``.

Why: running pabutools live in the tests made the oracle's coverage depend on machine load (dozens of
skips for time budgets) and cost CI minutes. The store holds, per file, its sha256 and, per rule, the
selected project ids, the objective (``max-supports``) and the seconds pabutools took; ``test_oracle``
compares every file on every rule against it with no time budget, and re-runs a few cheap pairs live to
show the store is genuine.

Regenerate (one process at a time; resumable, pairs already stored for the same sha256 are kept)::

    nice -n 10 .venv/bin/python -m tests.pb.pabutools_outcomes --cap 300 [--force] [--only FILE ...]
                                                               [--retry-unfinished]

Each (file, rule group) runs in its own subprocess with no time limit inside pabutools; the parent kills
it when a rule runs past ``--cap`` seconds and records that the rule did not finish within the cap. For
those pairs of ``mes-add1`` and ``mes-add1-greedy`` the store holds instead the outcome of our unit-step
definition (``tests/pb/add1_reference.py``: MES re-run at every whole unit of per-voter budget, which is
what pabutools does), marked as such. ``mes-add1`` comes from the same pabutools run as
``mes-add1-greedy`` (the greedy completion starts from it), so it costs nothing extra.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STORE = Path(__file__).with_name("pabutools_outcomes.json")
COMMAND = "nice -n 10 .venv/bin/python -m tests.pb.pabutools_outcomes --cap 300"

RULES = ("greedy-ratio", "greedy", "phragmen", "mes", "max-supports", "mes-add1", "mes-add1-greedy")
# rules run together in one pabutools call (the greedy completion starts from mes-add1's outcome)
GROUPS = (("greedy-ratio",), ("greedy",), ("phragmen",), ("mes",), ("max-supports",),
          ("mes-add1", "mes-add1-greedy"))
# rough cost per byte of file, to run the cheapest pairs first
_WEIGHT = {"greedy-ratio": 1, "greedy": 1, "phragmen": 3, "mes": 5, "max-supports": 5, "mes-add1": 200}
REFERENCE_RULES = ("mes-add1", "mes-add1-greedy")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_store(path: Path = STORE) -> dict:
    if not path.exists():
        return {"files": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def save_store(store: dict, path: Path = STORE) -> None:
    """One line per (file, rule), so a regeneration's diff reads pair by pair."""
    head = {k: v for k, v in store.items() if k != "files"}
    lines = ["{", *[f" {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()], ' "files": {']
    files = sorted(store["files"].items())
    for n, (name, entry) in enumerate(files):
        facts = {k: v for k, v in entry.items() if k != "rules"}
        lines.append(f"  {json.dumps(name)}: {{")
        lines += [f"   {json.dumps(k)}: {json.dumps(v)}," for k, v in facts.items()]
        rules = sorted(entry["rules"].items(), key=lambda kv: RULES.index(kv[0]))
        lines.append('   "rules": {')
        lines += [f"    {json.dumps(r)}: {json.dumps(row)}{',' if i < len(rules) - 1 else ''}"
                  for i, (r, row) in enumerate(rules)]
        lines.append("   }")
        lines.append("  }" + ("," if n < len(files) - 1 else ""))
    lines += [" }", "}"]
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


# ---------------------------------------------------------------- pabutools, in this process


def parse(path: Path):  # noqa: ANN201
    """pabutools' instance and profile; non-approval profiles become their approval projection
    (a listed project counts as approved), which is what our rules run on."""
    from pabutools.election import ApprovalBallot, ApprovalProfile, parse_pabulib

    instance, profile = parse_pabulib(str(path))
    if not isinstance(profile, ApprovalProfile):
        profile = ApprovalProfile([ApprovalBallot(set(b)) for b in profile])
    return instance, profile


def run_group(group: tuple[str, ...], instance, profile) -> Iterator[dict]:  # noqa: ANN001
    """One stored row per rule of ``group``, each yielded as soon as pabutools returns it."""
    from pabutools.election import Cardinality_Sat, Cost_Sat
    from pabutools.rules import (
        greedy_utilitarian_welfare,
        max_additive_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    def row(rule: str, chosen, seconds: float, objective: int | None = None) -> dict:  # noqa: ANN001
        return {"rule": rule, "selected": sorted(str(p.name) for p in chosen), "objective": objective,
                "seconds": round(seconds, 4)}

    start = time.perf_counter()
    rule = group[0]
    if rule == "greedy":
        yield row(rule, greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat), time.perf_counter() - start)
    elif rule == "greedy-ratio":
        chosen = greedy_utilitarian_welfare(instance, profile, sat_class=Cardinality_Sat)
        yield row(rule, chosen, time.perf_counter() - start)
    elif rule == "mes":
        yield row(rule, method_of_equal_shares(instance, profile, sat_class=Cost_Sat), time.perf_counter() - start)
    elif rule == "phragmen":
        yield row(rule, sequential_phragmen(instance, profile), time.perf_counter() - start)
    elif rule == "max-supports":
        chosen = max_additive_utilitarian_welfare(instance, profile, sat_class=Cardinality_Sat)
        yield row(rule, chosen, time.perf_counter() - start, sum(profile.approval_score(p) for p in chosen))
    elif rule == "mes-add1":
        first = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
        yield row("mes-add1", first, time.perf_counter() - start)
        if "mes-add1-greedy" in group:
            chosen = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat, initial_budget_allocation=first)
            yield row("mes-add1-greedy", chosen, time.perf_counter() - start)
    else:
        raise ValueError(f"unknown rule group {group}")


def _worker(path: str, rules: list[str]) -> None:
    """Subprocess entry: prints ``parse`` then one JSON line per rule as each finishes (no time limit here)."""
    import pabutools.election  # noqa: F401  (import time is neither parse nor rule time)
    import pabutools.rules  # noqa: F401

    start = time.perf_counter()
    instance, profile = parse(Path(path))
    print(json.dumps({"rule": "parse", "seconds": round(time.perf_counter() - start, 4)}), flush=True)
    for group in GROUPS:
        if group[0] in rules:
            for row in run_group(group, instance, profile):
                print(json.dumps(row), flush=True)


# ---------------------------------------------------------------- the generator


def run_capped(path: Path, group: tuple[str, ...], cap: float) -> tuple[float | None, dict[str, dict]]:
    """pabutools' parse seconds and rows for ``group``; a rule still running ``cap`` s after the previous
    line is killed and recorded as unfinished (the parse itself is not capped)."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.pb.pabutools_outcomes", "--worker", str(path), group[0]],
                            cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    rows: dict[str, dict] = {}
    parse_seconds = None
    deadline = None
    pending = list(group)
    try:
        while pending:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([proc.stdout], [], [], timeout)
            if not ready:
                for rule in pending:
                    rows[rule] = {"rule": rule, "unfinished": True, "cap_seconds": cap}
                break
            text = proc.stdout.readline()
            if not text:
                raise RuntimeError(f"pabutools worker ended early on {path.name} {group} (exit {proc.wait()})")
            got = json.loads(text)
            if got["rule"] == "parse":
                parse_seconds = got["seconds"]
            else:
                rows[got["rule"]] = got
                pending.remove(got["rule"])
            deadline = time.monotonic() + cap
    finally:
        proc.kill()
        proc.wait()
    return parse_seconds, rows


def _references(path: Path, why: str) -> dict[str, dict]:
    """Our unit-step definition of ``mes-add1`` and its greedy completion (one loop for both), for pairs
    pabutools did not finish or has not run."""
    from observatory.pb import pabulib
    from observatory.pb.rules.greedy import greedy_fill
    from tests.pb.add1_reference import add1_by_unit_steps

    election = pabulib.load(path)
    start = time.perf_counter()
    chosen, steps = add1_by_unit_steps(election)
    seconds = round(time.perf_counter() - start, 4)
    completed = greedy_fill(election, election.approval_counts, initial=chosen)
    source = f"unit-step definition (tests/pb/add1_reference.py), {why}"
    return {rule: {"selected": sorted(election.project_ids[i] for i in sel), "mes_runs": steps,
                   "seconds": seconds, "source": source}
            for rule, sel in (("mes-add1", chosen), ("mes-add1-greedy", completed))}


def _pairs(files: list[Path]) -> list[tuple[Path, tuple[str, ...]]]:
    pairs = [(p, g) for p in files for g in GROUPS]
    return sorted(pairs, key=lambda pg: pg[0].stat().st_size * _WEIGHT[pg[1][0]])


def generate(folder: Path, cap: float, force: bool, only: list[str], store_path: Path = STORE,
             retry_unfinished: bool = False) -> None:
    import importlib.metadata

    store = load_store(store_path)
    store["pabutools_version"] = importlib.metadata.version("pabutools")
    store["command"] = COMMAND
    store["cap_seconds"] = cap
    files = sorted(p for p in folder.glob("*.pb") if not only or p.name in only)
    for path in files:
        digest = sha256(path)
        entry = store["files"].get(path.name)
        if force or entry is None or entry["sha256"] != digest:
            store["files"][path.name] = {"sha256": digest, "bytes": path.stat().st_size, "rules": {}}
    save_store(store, store_path)
    for path, group in _pairs(files):
        entry = store["files"][path.name]
        done = [entry["rules"].get(r) for r in group]
        if all(row is not None and not row.get("not_run") and not (retry_unfinished and row.get("unfinished"))
               for row in done):
            continue
        started = time.monotonic()
        parse_seconds, rows = run_capped(path, group, cap)
        entry["pabutools_parse_seconds"] = parse_seconds
        unfinished = [r for r, got in rows.items() if got.get("unfinished") and r in REFERENCE_RULES]
        references = _references(path, "pabutools did not finish") if unfinished else {}
        for rule, got in rows.items():
            got.pop("rule")
            if rule in unfinished:
                got["reference"] = references[rule]
            entry["rules"][rule] = got
        save_store(store, store_path)
        print(f"{path.name[:55]:55} {'+'.join(group):26} {time.monotonic() - started:8.1f} s "
              f"{'UNFINISHED' if any(r.get('unfinished') for r in rows.values()) else ''}", flush=True)


def fill_references(folder: Path, store_path: Path = STORE) -> None:
    """For ``mes-add1`` pairs pabutools has not been run on yet, store the unit-step definition's outcome,
    marked as such (``"not_run": true``), so the tests compare them now; a later run replaces them."""
    store = load_store(store_path)
    for name, entry in sorted(store["files"].items(), key=lambda kv: kv[1]["bytes"]):
        missing = [r for r in REFERENCE_RULES if r not in entry["rules"]]
        if not missing:
            continue
        started = time.monotonic()
        references = _references(folder / name, "pabutools not run on this pair yet")
        for rule in missing:
            entry["rules"][rule] = {"not_run": True, "reference": references[rule]}
        save_store(store, store_path)
        print(f"{name[:55]:55} references {time.monotonic() - started:8.1f} s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cap", type=float, default=300.0, help="seconds pabutools may take per rule")
    ap.add_argument("--force", action="store_true", help="recompute pairs already stored")
    ap.add_argument("--only", nargs="*", default=[], help="file names to (re)compute")
    ap.add_argument("--references-for-missing", action="store_true",
                    help="store the unit-step definition's outcome for mes-add1 pairs pabutools has not run yet")
    ap.add_argument("--retry-unfinished", action="store_true", help="run again the pairs that hit the cap")
    ap.add_argument("--store", type=Path, default=STORE, help="the JSON file to update")
    ap.add_argument("--worker", nargs=2, metavar=("FILE", "RULE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        path, rule = args.worker
        group = next(g for g in GROUPS if g[0] == rule)
        _worker(path, list(group))
        return
    sys.path.insert(0, str(REPO))
    from observatory.config import load_settings

    if args.references_for_missing:
        fill_references(load_settings().pabulib_dir, args.store)
        return
    generate(load_settings().pabulib_dir, args.cap, args.force, args.only, args.store, args.retry_unfinished)


if __name__ == "__main__":
    os.chdir(REPO)
    main()
