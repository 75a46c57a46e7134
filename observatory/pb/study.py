"""Declared PB studies: editions x parameters x rules, run locally or on a Dask cluster, one Parquet dataset.

A study is a YAML file::

    name: budget-sweep
    editions: [files/Poland_Warszawa_2026.pb, "files/Poland_*.pb", files/]  # relative to the YAML's folder
    rules: [greedy, mes, max-supports]          # or: all
    budget_scale: {from: 0.5, to: 2.0, step: 0.25}   # or a list; default [1]
    subsample: {fraction: [1.0, 0.8], seeds: [1, 2, 3]}   # voters kept at random; default no subsampling
    tie_breaking: [id, id-reverse, "random:7"]  # default [id] (pabutools' order)

One *task* is one edition under one parameter combination; it runs every rule of the study and returns
one row per rule. A task carries the file's bytes, so a worker needs only the package (no shared
filesystem). Everything in a row is a function of the task alone (no timings, no clock): the same study
gives the same rows, bit for bit, on one process, on local processes or on a cluster, and rows are
written in task order whatever order they came back in. Rules run without a wall-clock limit by
default for the same reason (the engine's own search limits are counts, not seconds).
"""

from __future__ import annotations

import glob
import hashlib
import itertools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

TIE_BREAKINGS = ("id", "id-reverse", "random:SEED")

SCHEMA = pa.schema([
    ("task_id", pa.string()), ("edition_id", pa.string()), ("country", pa.string()), ("year", pa.int32()),
    ("vote_type", pa.string()), ("n_voters", pa.int64()), ("n_projects", pa.int64()),
    ("budget", pa.float64()), ("budget_exact", pa.string()), ("budget_scale", pa.string()),
    ("subsample", pa.float64()), ("seed", pa.int64()), ("tie_breaking", pa.string()), ("rule", pa.string()),
    ("selected", pa.list_(pa.string())), ("n_selected", pa.int64()), ("cost", pa.float64()),
    ("budget_share", pa.float64()), ("supports", pa.float64()), ("voters_with_funded_share", pa.float64()),
    ("mean_satisfaction_cost", pa.float64()), ("mean_satisfaction_count", pa.float64()),
    ("gini_satisfaction", pa.float64()), ("error", pa.string()),
])


class StudyError(ValueError):
    """The study file is not a valid study (message says what and where)."""


@dataclass(frozen=True)
class Params:
    budget_scale: Fraction = Fraction(1)
    subsample: float = 1.0
    seed: int | None = None
    tie_breaking: str = "id"

    def label(self) -> str:
        return (f"scale={self.budget_scale}|sub={self.subsample:g}|seed={self.seed}|tie={self.tie_breaking}")


@dataclass(frozen=True)
class Task:
    file_name: str
    data: bytes
    params: Params
    rules: tuple[str, ...]
    rule_time_limit_s: float | None = None

    @property
    def task_id(self) -> str:
        return f"{Path(self.file_name).stem}|{self.params.label()}"

    @property
    def key(self) -> str:
        """Dask key: unique per task, so a retried task replaces itself and never doubles."""
        return "pb-study-" + hashlib.sha256(self.task_id.encode()).hexdigest()[:24]


@dataclass
class Study:
    name: str
    files: list[Path]
    rules: tuple[str, ...]
    params: list[Params] = field(default_factory=lambda: [Params()])

    def tasks(self, rule_time_limit_s: float | None = None) -> Iterator[Task]:
        for path in self.files:
            data = path.read_bytes()
            for p in self.params:
                yield Task(path.name, data, p, self.rules, rule_time_limit_s)


# ---- the study file ----------------------------------------------------------------------------------

def _rules(value: Any) -> tuple[str, ...]:
    from observatory.pb.rules import RULES

    if value in (None, "all", ["all"]):
        return tuple(RULES)
    names = [value] if isinstance(value, str) else list(value)
    names = [n.strip() for v in names for n in str(v).split(",") if n.strip()]
    unknown = [n for n in names if n not in RULES]
    if unknown:
        raise StudyError(f"rules: unknown {', '.join(unknown)}; known: {', '.join(RULES)}")
    return tuple(names)


def _decimal(value: Any, where: str) -> Fraction:
    try:
        out = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise StudyError(f"{where}: {value!r} is not a number") from None
    return out


def budget_scales(value: Any) -> list[Fraction]:
    """A list, a single number, or ``{from, to, step}`` (both ends included, exact decimals)."""
    if value is None:
        return [Fraction(1)]
    if isinstance(value, dict):
        start = _decimal(value.get("from"), "budget_scale.from")
        stop = _decimal(value.get("to"), "budget_scale.to")
        step = _decimal(value.get("step"), "budget_scale.step")
        if step <= 0 or stop < start:
            raise StudyError("budget_scale: needs from <= to and step > 0")
        out, k = [], 0
        while start + k * step <= stop:
            out.append(start + k * step)
            k += 1
        scales = out
    else:
        scales = [_decimal(v, "budget_scale") for v in (value if isinstance(value, list) else [value])]
    if any(s <= 0 for s in scales):
        raise StudyError("budget_scale: every scale must be > 0")
    return scales


def _subsamples(value: Any) -> list[tuple[float, int | None]]:
    if value is None:
        return [(1.0, None)]
    if not isinstance(value, dict):
        raise StudyError("subsample: expected {fraction: [...], seeds: [...]}")
    fractions = value.get("fraction", [1.0])
    fractions = fractions if isinstance(fractions, list) else [fractions]
    seeds = value.get("seeds", [0])
    seeds = seeds if isinstance(seeds, list) else [seeds]
    out: list[tuple[float, int | None]] = []
    for f in fractions:
        f = float(f)
        if not 0 < f <= 1:
            raise StudyError(f"subsample.fraction: {f} is not in (0, 1]")
        out.extend([(1.0, None)] if f == 1 else [(f, int(s)) for s in seeds])
    return out


def _tie_breakings(value: Any) -> list[str]:
    names = ["id"] if value is None else ([value] if isinstance(value, str) else [str(v) for v in value])
    for n in names:
        if n not in ("id", "id-reverse") and not re.fullmatch(r"random:\d+", n):
            raise StudyError(f"tie_breaking: {n!r}; known: {', '.join(TIE_BREAKINGS)}")
    return names


def _edition_files(entries: Any, base: Path) -> list[Path]:
    if not entries:
        raise StudyError("editions: at least one file, glob or folder")
    found: dict[Path, None] = {}
    for entry in entries if isinstance(entries, list) else [entries]:
        pattern = str(entry) if Path(str(entry)).is_absolute() else str(base / str(entry))
        matches = [Path(m) for m in sorted(glob.glob(pattern))]
        if not matches:
            raise StudyError(f"editions: nothing matches {entry!r}")
        for m in matches:
            found.update((p, None) for p in (sorted(m.rglob("*.pb")) if m.is_dir() else [m]))
    return list(found)


def load_study(path: Path) -> Study:
    import yaml

    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise StudyError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(spec, dict):
        raise StudyError(f"{path}: a study is a mapping (name, editions, rules, ...)")
    known = {"name", "editions", "rules", "budget_scale", "subsample", "tie_breaking"}
    if extra := set(spec) - known:
        raise StudyError(f"{path}: unknown key(s) {', '.join(sorted(extra))}; known: {', '.join(sorted(known))}")
    params = [Params(s, f, seed, t) for s, (f, seed), t in itertools.product(
        budget_scales(spec.get("budget_scale")), _subsamples(spec.get("subsample")),
        _tie_breakings(spec.get("tie_breaking")))]
    return Study(name=str(spec.get("name") or path.stem), files=_edition_files(spec.get("editions"), path.parent),
                 rules=_rules(spec.get("rules")), params=params)


def whole_library(paths: Iterable[Path], rules: Any = "all") -> Study:
    """Every rule on every edition once (``observatory pb study all``)."""
    files: dict[Path, None] = {}
    for p in paths:
        files.update((f, None) for f in (sorted(p.rglob("*.pb")) if p.is_dir() else [p]))
    return Study(name="all", files=list(files), rules=_rules(rules))


# ---- one task ----------------------------------------------------------------------------------------

def _variant(election: Any, params: Params) -> Any:
    """The election under the parameters: budget scaled, voters subsampled, tie-breaking order set."""
    from observatory.pb.model import Ballots

    election.budget = election.budget * params.budget_scale
    b = election.ballots
    if params.subsample < 1 and b is not None:
        rng = np.random.default_rng(params.seed)
        keep = np.sort(rng.choice(b.n_voters, size=max(1, round(b.n_voters * params.subsample)), replace=False))
        lengths = np.diff(b.indptr)[keep]
        entries = np.concatenate([np.arange(b.indptr[v], b.indptr[v + 1]) for v in keep]) if len(keep) else \
            np.zeros(0, dtype=np.int64)
        election.ballots = Ballots(
            voter_ids=[b.voter_ids[v] for v in keep], indptr=np.concatenate(([0], np.cumsum(lengths))),
            indices=b.indices[entries], points=None if b.points is None else b.points[entries],
            voter_columns={k: [col[v] for v in keep] for k, col in b.voter_columns.items()})
    if params.tie_breaking != "id":
        n = election.n_projects
        by_id = np.argsort(election.lexico_rank, kind="stable")  # positions in id order
        if params.tie_breaking == "id-reverse":
            order = by_id[::-1]
        else:
            order = np.random.default_rng(int(params.tie_breaking.split(":")[1])).permutation(n)
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        election.__dict__["lexico_rank"] = rank  # the rules break ties on this order
    return election


def _year(election: Any) -> int | None:
    for text in (election.meta.get("instance", ""), election.meta.get("date_begin", ""), election.file_name):
        m = re.search(r"(19|20)\d{2}", str(text))
        if m:
            return int(m.group(0))
    return None


def run_task(task: Task, cpu_seconds: dict[str, float] | None = None) -> list[dict[str, Any]]:
    """Rows of one task (one per rule), computed from the task alone. ``cpu_seconds``, when given, receives
    the CPU time of the parse and of each rule with its metrics (for ``bench/pb_study_bench.py``; never
    in a row)."""
    from observatory.pb import pabulib
    from observatory.pb.api import run_measured

    clock = _CpuClock(cpu_seconds)
    base = {"task_id": task.task_id, "edition_id": Path(task.file_name).stem, "budget_scale": str(task.params.budget_scale),
            "subsample": task.params.subsample, "seed": task.params.seed, "tie_breaking": task.params.tie_breaking}
    try:
        election = _variant(pabulib.parse_bytes(task.data, task.file_name, strict=False).election, task.params)
    except Exception as exc:  # noqa: BLE001 - an unreadable file is a row with its error, never a lost task
        return [{**base, "rule": rule, "error": f"{type(exc).__name__}: {exc}"} for rule in task.rules]
    clock.lap("parse")
    base |= {"country": election.meta.get("country") or None, "year": _year(election),
             "vote_type": election.vote_type, "n_voters": election.n_voters, "n_projects": election.n_projects,
             "budget": float(election.budget), "budget_exact": str(election.budget)}
    rows = []
    for rule in task.rules:
        r = run_measured(election, rule, task.rule_time_limit_s)
        rows.append({**base, "rule": rule, **{k: r.get(k) for k in SCHEMA.names if k in r and k != "seconds"},
                     "error": r["error"]})
        clock.lap(rule)
    return rows


class _CpuClock:
    """CPU seconds of this process between laps (the machine's load does not count), when asked for."""

    def __init__(self, into: dict[str, float] | None) -> None:
        self.into, self.last = into, time.process_time()

    def lap(self, name: str) -> None:
        if self.into is not None:
            now = time.process_time()
            self.into[name] = self.into.get(name, 0.0) + now - self.last
            self.last = now


def run_task_timed(task: Task) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """The task's rows and the CPU seconds of its parse and rules (what the study bench breaks down)."""
    seconds: dict[str, float] = {}
    return run_task(task, seconds), seconds


# ---- running -----------------------------------------------------------------------------------------

Progress = Callable[[Task, list[dict[str, Any]]], None]


def largest_first(tasks: list[Task]) -> list[Task]:
    """The order to hand tasks out in: biggest file first, so that the few long editions start at once and
    the many small ones fill the gaps, instead of one long edition running alone at the end. (Rows are
    written in task order whatever the order of running.)"""
    return sorted(tasks, key=lambda t: -len(t.data))


def run_local(tasks: list[Task], workers: int = 1, on_result: Progress | None = None) -> dict[str, list[dict]]:
    """Tasks on ``workers`` local processes (1: in this process), largest first."""
    results: dict[str, list[dict]] = {}
    if workers <= 1:
        for t in tasks:
            results[t.task_id] = run_task(t)
            if on_result:
                on_result(t, results[t.task_id])
        return results
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(run_task, t): t for t in largest_first(tasks)}
        for fut in as_completed(futures):
            t = futures[fut]
            results[t.task_id] = fut.result()
            if on_result:
                on_result(t, results[t.task_id])
    return results


def run_dask(tasks: list[Task], scheduler: str, on_result: Progress | None = None,
             retries: int = 3) -> dict[str, list[dict]]:
    """Tasks on an existing dask.distributed cluster, one task per edition x parameter.

    A task whose worker dies is re-run by the scheduler on another worker; results are keyed by task id,
    so a task that ran twice is still one set of rows, and a missing task is an error, never a gap.
    """
    from distributed import Client, as_completed

    results: dict[str, list[dict]] = {}
    with Client(scheduler, timeout="30s") as client:
        by_key = {t.key: t for t in tasks}
        futures = [client.submit(run_task, t, key=t.key, retries=retries, pure=False, priority=-k)
                   for k, t in enumerate(largest_first(tasks))]
        for fut in as_completed(futures):
            t = by_key[fut.key]
            results[t.task_id] = fut.result()
            if on_result:
                on_result(t, results[t.task_id])
    missing = [t.task_id for t in tasks if t.task_id not in results]
    if missing:
        raise RuntimeError(f"{len(missing)} task(s) without results: {missing[:3]}")
    return results


def to_table(tasks: list[Task], results: dict[str, list[dict]]) -> pa.Table:
    """Rows in task order, then rule order: the same table whatever order the tasks finished in."""
    rows = [row for t in tasks for row in results[t.task_id]]
    return pa.Table.from_pylist([{k: row.get(k) for k in SCHEMA.names} for row in rows], schema=SCHEMA)


def write_parquet(table: pa.Table, out: Path, partition: bool = False) -> Path:
    """One Parquet file (``results.parquet``) or a dataset partitioned by country and year."""
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    if not partition:
        path = out / "results.parquet"
        pq.write_table(table, path)
        return path
    part = table.set_column(table.schema.get_field_index("country"), "country",
                            pa.array([c or "unknown" for c in table.column("country").to_pylist()], pa.string()))
    ds.write_dataset(part, out, format="parquet", partitioning=["country", "year"], partitioning_flavor="hive",
                     existing_data_behavior="delete_matching", basename_template="part-{i}.parquet")
    return out
