"""Load Pabulib files into DuckDB with the outcome of every rule precomputed.

One transaction per file (or none when the caller already holds one: the caller then decides);
re-importing an unchanged file (same sha256) is skipped, a changed one replaces its edition. A file
that cannot be read leaves no edition rows, is recorded in ``pb_problems`` as fatal, and never
stops the other files; ``strict=True`` raises on the first defect instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd

from observatory.pb import api
from observatory.pb.model import Election
from observatory.pb.pabulib import PabulibError, Problem, parse_bytes
from observatory.pb.rules import RULES
from observatory.store import transaction as store_transaction

LICENCE = "unspecified — cite Pabulib (Stolicki, Szufa, Talmon, arXiv:2012.06539)"
SOURCE = "Pabulib (pabulib.org; GitHub pabulib/pabulib_files)"
EDITION_TABLES = ("pb_projects", "pb_votes", "pb_voters", "pb_problems", "pb_outcomes", "pb_outcome_groups",
                  "pb_editions")
TABLE_TITLES = {
    "pb_editions": "Participatory-budgeting editions (one per Pabulib file)",
    "pb_projects": "Projects of each edition: cost, approvals, the file's selection",
    "pb_votes": "Ballots, one row per ballot entry",
    "pb_voters": "Voter attributes as published (age, sex, voting method, ...)",
    "pb_problems": "Defects found while importing (file, line, field)",
    "pb_outcomes": "Winners and metrics of every selection rule, per edition",
    "pb_outcome_groups": "Funded share per district / category, per edition and rule",
}
TYPED_VOTER_COLUMNS = ("sex", "neighborhood", "voting_method")


@dataclass
class FileResult:
    file_name: str
    edition_id: str
    status: str  # imported | unchanged | failed
    n_voters: int = 0
    n_projects: int = 0
    n_problems: int = 0
    error: str | None = None
    seconds: float = 0.0


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)

    def by_status(self, status: str) -> list[FileResult]:
        return [f for f in self.files if f.status == status]

    @property
    def ok(self) -> bool:
        return not self.by_status("failed")


def edition_id_of(file_name: str) -> str:
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    return name[:-3] if name.endswith(".pb") else name


def in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the connection already holds an open transaction.

    In auto-commit mode every statement runs in a new transaction, so two probes differ; inside an
    explicit transaction they share its id. (A nested BEGIN would abort the caller's transaction.)
    """
    first = con.execute("SELECT txid_current()").fetchone()
    second = con.execute("SELECT txid_current()").fetchone()
    return first == second


def _none_if_empty(v: str | None) -> str | None:
    return v if v else None


def _to_float(v: str | None) -> float | None:
    try:
        return float(v) if v else None
    except ValueError:
        return None


def _to_int(v: str | None) -> int | None:
    try:
        return int(v) if v and v.strip().lstrip("-").isdigit() else None
    except ValueError:
        return None


def _projects_frame(edition_id: str, e: Election) -> pd.DataFrame:
    cols = e.project_columns
    n = e.n_projects

    def col(*names: str) -> list[str | None]:
        for name in names:
            if name in cols:
                return [_none_if_empty(v) for v in cols[name]]
        return [None] * n

    sel = e.declared_selected
    score = e.score_totals if e.ballots is not None and e.vote_type != "approval" else None
    return pd.DataFrame({
        "edition_id": edition_id, "position": np.arange(n, dtype=np.int32), "project_id": e.project_ids,
        "name": col("name"), "cost": [float(c) for c in e.costs], "cost_exact": [str(c) for c in e.costs],
        "votes": e.approval_counts.astype(np.float64) if e.ballots is not None else [_to_float(v) for v in col("votes")],
        "score": list(score) if score is not None else [_to_float(v) for v in col("score")],
        "category": col("category", "categories"), "target": col("beneficiaries", "target"),
        "district": col("district", "neighborhood", "subunit"),
        "selected": [None if sel is None or sel[i] < 0 else int(sel[i]) for i in range(n)],
        "latitude": [_to_float(v) for v in col("latitude")], "longitude": [_to_float(v) for v in col("longitude")],
        "extra": [json.dumps({c: cols[c][i] for c in cols}, ensure_ascii=False) for i in range(n)],
    })


def _voters_frame(edition_id: str, e: Election) -> pd.DataFrame:
    b = e.ballots
    assert b is not None
    cols = b.voter_columns
    n = b.n_voters

    def typed(name: str) -> list[str | None]:
        return [_none_if_empty(v) for v in cols[name]] if name in cols else [None] * n

    others = [c for c in cols if c not in TYPED_VOTER_COLUMNS]
    return pd.DataFrame({
        "edition_id": edition_id, "position": np.arange(n, dtype=np.int32), "voter_id": b.voter_ids,
        "age": pd.array([_to_int(v) for v in cols["age"]] if "age" in cols else [None] * n, dtype="Int32"),
        "sex": typed("sex"), "neighborhood": typed("neighborhood"), "voting_method": typed("voting_method"),
        "extra": [json.dumps({c: cols[c][i] for c in others}, ensure_ascii=False) for i in range(n)],
    })


def _votes_frame(edition_id: str, e: Election) -> pd.DataFrame:
    b = e.ballots
    assert b is not None
    lengths = np.diff(b.indptr)
    voters = np.asarray(b.voter_ids, dtype=object)
    ids = np.asarray(e.project_ids, dtype=object)
    return pd.DataFrame({
        "edition_id": edition_id,
        "voter_id": voters[np.repeat(np.arange(b.n_voters), lengths)],
        "project_id": ids[b.indices],
        "points": b.points if b.points is not None else np.full(len(b.indices), np.nan),
        "rank": (np.arange(len(b.indices)) - np.repeat(b.indptr[:-1], lengths)).astype(np.int32),
    })


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if len(frame):
        con.register("_pb_rows", frame)
        try:
            cols = ", ".join(f'"{c}"' for c in frame.columns)
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _pb_rows")  # noqa: S608 (fixed names)
        finally:
            con.unregister("_pb_rows")


def _problems_frame(edition_id: str, problems: list[Problem], fatal: bool) -> pd.DataFrame:
    return pd.DataFrame({"edition_id": edition_id, "file_name": [p.file for p in problems],
                         "line": [p.line for p in problems], "field": [p.field for p in problems],
                         "message": [p.message for p in problems], "fatal": fatal, "recorded_at": datetime.now()})


def _register_tables(con: duckdb.DuckDBPyConnection, checked_on: date) -> None:
    for table, title in TABLE_TITLES.items():
        con.execute("DELETE FROM table_meta WHERE table_name = ?", [table])
        con.execute("INSERT INTO table_meta VALUES (?, 'pabulib', ?, ?, ?, ?, ?, ?)",
                    [table, title, title, LICENCE, SOURCE, checked_on, datetime.now()])


def _delete_edition(con: duckdb.DuckDBPyConnection, edition_id: str) -> None:
    for table in EDITION_TABLES:
        con.execute(f"DELETE FROM {table} WHERE edition_id = ?", [edition_id])  # noqa: S608 (fixed names)


def _write(con: duckdb.DuckDBPyConnection, edition_id: str, file_name: str, sha: str, source_url: str | None,
           e: Election, problems: list[Problem], outcomes: dict | None, checked_on: date) -> None:
    meta = e.meta
    _delete_edition(con, edition_id)
    con.execute(
        "INSERT INTO pb_editions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [edition_id, file_name, sha, meta.get("country"), meta.get("unit"), meta.get("subunit"),
         meta.get("instance"), e.vote_type, float(e.budget), str(e.budget), meta.get("currency"), e.n_voters,
         e.n_projects, meta.get("rule"), meta.get("description"), source_url, checked_on,
         json.dumps(meta, ensure_ascii=False), list(e.project_columns),
         list(e.ballots.voter_columns) if e.ballots is not None else [], len(problems), datetime.now()])
    _insert(con, "pb_projects", _projects_frame(edition_id, e))
    if e.ballots is not None and e.n_voters:
        _insert(con, "pb_voters", _voters_frame(edition_id, e))
        _insert(con, "pb_votes", _votes_frame(edition_id, e))
    if problems:
        _insert(con, "pb_problems", _problems_frame(edition_id, problems, fatal=False))
    now = datetime.now()
    for rule, r in (outcomes or {}).items():
        con.execute("INSERT INTO pb_outcomes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [edition_id, rule, r["selected"], r.get("n_selected"), r.get("cost"), r.get("budget_share"),
                     r.get("supports"), r.get("voters_with_funded_share"), r.get("mean_satisfaction_cost"),
                     r.get("mean_satisfaction_count"), r.get("gini_satisfaction"), r.get("n_changed_vs_greedy"),
                     r["seconds"], r.get("error"), now])
        groups = r.get("groups") or []
        if groups:
            _insert(con, "pb_outcome_groups", pd.DataFrame({
                "edition_id": edition_id, "rule": rule, "group_kind": [g.kind for g in groups],
                "group_value": [g.value for g in groups], "funded_cost": [g.funded_cost for g in groups],
                "total_cost": [g.total_cost for g in groups], "funded_share": [g.funded_share for g in groups]}))
    _register_tables(con, checked_on)


def import_editions(con: duckdb.DuckDBPyConnection, items: Iterable[tuple[str, bytes, str | None]],
                    strict: bool = False, compute_outcomes: bool = True, rules: Iterable[str] | None = None,
                    force: bool = False, transaction: bool | None = None,
                    rule_time_limit_s: float | None = api.DEFAULT_RULE_TIME_LIMIT_S,
                    checked_on: date | None = None) -> ImportReport:
    """Parse, run the rules and store each ``(file_name, data, source_url)``; all-or-nothing per file."""
    import time

    report = ImportReport()
    checked_on = checked_on or date.today()
    own_transaction = (not in_transaction(con)) if transaction is None else transaction
    rule_names = list(rules) if rules is not None else list(RULES)
    for file_name, data, source_url in items:
        start = time.perf_counter()
        edition_id = edition_id_of(file_name)
        sha = hashlib.sha256(data).hexdigest()
        stored = con.execute("SELECT sha256 FROM pb_editions WHERE edition_id = ?", [edition_id]).fetchone()
        if stored and stored[0] == sha and not force:
            report.files.append(FileResult(file_name, edition_id, "unchanged", seconds=time.perf_counter() - start))
            continue
        try:
            parsed = parse_bytes(data, file_name, strict=strict)
        except PabulibError as exc:
            if strict:
                raise
            _record_failure(con, edition_id, exc.problem, own_transaction)
            report.files.append(FileResult(file_name, edition_id, "failed", n_problems=1, error=str(exc),
                                           seconds=time.perf_counter() - start))
            continue
        e = parsed.election
        outcomes = api.compare(e, rule_names, rule_time_limit_s)["rules"] if compute_outcomes else None
        if own_transaction:
            with store_transaction(con):
                _write(con, edition_id, file_name, sha, source_url, e, parsed.problems, outcomes, checked_on)
        else:
            _write(con, edition_id, file_name, sha, source_url, e, parsed.problems, outcomes, checked_on)
        report.files.append(FileResult(file_name, edition_id, "imported", e.n_voters, e.n_projects,
                                       len(parsed.problems), seconds=time.perf_counter() - start))
    return report


def _record_failure(con: duckdb.DuckDBPyConnection, edition_id: str, problem: Problem, own: bool) -> None:
    """A file that cannot be read: only its fatal problem is recorded; earlier imports stay as they were."""
    frame = _problems_frame(edition_id, [problem], fatal=True)
    if own:
        with store_transaction(con):
            _insert(con, "pb_problems", frame)
    else:
        _insert(con, "pb_problems", frame)
