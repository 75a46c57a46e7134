"""Load Pabulib files into the PB tables, with every rule's outcome precomputed.

One file = one edition (``edition_id`` = file stem). Re-importing replaces the edition (delete +
insert); an unchanged file (same sha256) is skipped unless ``force``. Each file is parsed and its
rules run *before* anything is written, so a bad file writes nothing. When the caller already holds
a transaction on ``con`` (the Pabulib collector does) no transaction is opened; otherwise each file
gets its own. Ballots go in as Arrow columns (``INSERT ... SELECT``), never row by row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from observatory.pb import pabulib
from observatory.pb.limits import DEFAULT_RULE_TIME_LIMIT_S
from observatory.pb.model import Election
from observatory.pb.rules import RULES

LICENCE = "unspecified — cite Pabulib (Stolicki, Szufa, Talmon, arXiv:2012.06539)"
SOURCE = "https://pabulib.org"
TABLES: dict[str, tuple[str, str]] = {
    "pb_editions": ("PB editions", "One Pabulib file per row: META, budget, counts, sha256."),
    "pb_projects": ("PB projects", "Projects of each edition with cost, votes, category, district, selected."),
    "pb_votes": ("PB ballots", "Ballot entries (voter, project, points, position on the ballot)."),
    "pb_voters": ("PB voters", "Voter attributes where the file has them (age, sex, neighborhood, method)."),
    "pb_problems": ("PB import problems", "Defects found while parsing, with file, line and field."),
    "pb_outcomes": ("PB outcomes", "Every registered rule's selection and metrics per edition."),
    "pb_outcome_groups": ("PB outcomes by group", "Funded share per district and category per rule."),
}
EDITION_TABLES = tuple(TABLES)
VOTER_TYPED = ("sex", "neighborhood", "voting_method")

Item = tuple[str, bytes, str | None]


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
    return PurePath(file_name).stem


def in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """True when ``con`` is inside an explicit transaction (two statements then share one txid).

    Probing with ``BEGIN`` is not an option: a failed BEGIN aborts the caller's transaction.
    """
    first = con.execute("SELECT txid_current()").fetchone()
    second = con.execute("SELECT txid_current()").fetchone()
    return first == second


@contextmanager
def _maybe_transaction(con: duckdb.DuckDBPyConnection, own: bool) -> Iterator[None]:
    if not own:
        yield
        return
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def import_editions(con: duckdb.DuckDBPyConnection, items: Sequence[Item], strict: bool = False,
                    compute_outcomes: bool = True, force: bool = False, transaction: bool | None = None,
                    rules: Sequence[str] | None = None,
                    rule_time_limit_s: float | None = DEFAULT_RULE_TIME_LIMIT_S,
                    outcomes: dict[str, dict[str, Any]] | None = None) -> ImportReport:
    """Import ``(file_name, data, source_url)`` items; see the module docstring for the guarantees.

    Strict: the first bad file raises :class:`~observatory.pb.pabulib.PabulibError` (file, line, field)
    and that file writes nothing. Lenient: defects are stored in ``pb_problems`` and what is sound is
    loaded; a file that cannot be read at all is reported ``failed`` and the others still load.
    ``transaction``: None = detect the caller's, True = one per file, False = the caller's.
    ``outcomes``: ``api.compare`` results already computed elsewhere (e.g. on other processes), by file name.
    """
    own = not in_transaction(con) if transaction is None else transaction
    report = ImportReport()
    for file_name, data, source_url in items:
        start = time.perf_counter()
        result = _import_one(con, file_name, data, source_url, strict, compute_outcomes, force, own,
                             list(RULES) if rules is None else list(rules), rule_time_limit_s,
                             (outcomes or {}).get(file_name))
        result.seconds = time.perf_counter() - start
        report.files.append(result)
    if any(f.status == "imported" for f in report.files):
        with _maybe_transaction(con, own):
            _register_tables(con)
    return report


def _import_one(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, source_url: str | None,
                strict: bool, compute_outcomes: bool, force: bool, own: bool, rules: list[str],
                limit_s: float | None, precomputed: dict[str, Any] | None = None) -> FileResult:
    edition_id = edition_id_of(file_name)
    sha = hashlib.sha256(data).hexdigest()
    if not force:
        known = con.execute("SELECT sha256 FROM pb_editions WHERE edition_id = ?", [edition_id]).fetchone()
        if known is not None and known[0] == sha:
            return FileResult(file_name, edition_id, "unchanged")
    try:
        parsed = pabulib.parse_bytes(data, file_name, strict=strict)
    except pabulib.PabulibError as exc:
        if strict:
            raise
        with _maybe_transaction(con, own):
            _record_failure(con, edition_id, file_name, exc.problem)
        return FileResult(file_name, edition_id, "failed", error=str(exc))
    refusal = _less_complete_than_stored(con, edition_id, file_name, parsed.problems)
    if refusal is not None:
        if strict:
            raise pabulib.PabulibError(refusal)
        with _maybe_transaction(con, own):
            _record_failure(con, edition_id, file_name, refusal)
        return FileResult(file_name, edition_id, "failed", n_problems=len(parsed.problems), error=str(refusal))
    from observatory.pb.api import compare  # pandas: paid only by files that parse and get written

    election = parsed.election
    outcome = precomputed or (compare(election, rules, limit_s) if compute_outcomes else None)
    with _maybe_transaction(con, own):
        _delete_edition(con, edition_id)
        _write_edition(con, edition_id, sha, source_url, election, len(parsed.problems))
        _write_problems(con, edition_id, file_name, parsed.problems)
        if outcome is not None:
            _write_outcomes(con, edition_id, outcome)
    return FileResult(file_name, edition_id, "imported", election.n_voters, election.n_projects, len(parsed.problems))


def _less_complete_than_stored(con: duckdb.DuckDBPyConnection, edition_id: str, file_name: str,
                               problems: list[pabulib.Problem]) -> pabulib.Problem | None:
    """Why this parse must not replace the stored edition, if so: it has more defects than the stored one
    (a truncated copy, ballots that disagree with its own META counts). Replacing would lose good rows."""
    stored = con.execute("SELECT n_problems FROM pb_editions WHERE edition_id = ?", [edition_id]).fetchone()
    if stored is None or len(problems) <= stored[0]:
        return None
    first = problems[0]
    return pabulib.Problem(file_name, first.line, first.field,
                           f"{first.message}; this file parses with {len(problems)} problem(s) where the stored "
                           f"edition {edition_id!r} has {stored[0]}, so the stored edition is kept (fix the file, "
                           "or import it under another file name)")


def _delete_edition(con: duckdb.DuckDBPyConnection, edition_id: str) -> None:
    for table in EDITION_TABLES:
        con.execute(f"DELETE FROM {table} WHERE edition_id = ?", [edition_id])  # noqa: S608 - constant names


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _record_failure(con: duckdb.DuckDBPyConnection, edition_id: str, file_name: str,
                    problem: pabulib.Problem) -> None:
    """A file that could not be read at all: keep the previous edition's rows, log why in pb_problems."""
    con.execute("DELETE FROM pb_problems WHERE edition_id = ? AND fatal", [edition_id])
    con.execute("INSERT INTO pb_problems VALUES (?, ?, ?, ?, ?, TRUE, ?)",
                [edition_id, file_name, problem.line, problem.field, problem.message, _now()])


def _write_problems(con: duckdb.DuckDBPyConnection, edition_id: str, file_name: str,
                    problems: list[pabulib.Problem]) -> None:
    if problems:
        now = _now()
        con.executemany("INSERT INTO pb_problems VALUES (?, ?, ?, ?, ?, FALSE, ?)",
                        [[edition_id, file_name, p.line, p.field, p.message, now] for p in problems])


def _float_or_none(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def _int_or_none(text: str | None) -> int | None:
    value = _float_or_none(text)
    return int(value) if value is not None and value == int(value) else None


def _write_edition(con: duckdb.DuckDBPyConnection, edition_id: str, sha: str, source_url: str | None,
                   election: Election, n_problems: int) -> None:
    meta = election.meta
    now = _now()
    con.execute(
        "INSERT INTO pb_editions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [edition_id, election.file_name, sha, meta.get("country"), meta.get("unit"), meta.get("subunit"),
         meta.get("instance"), election.vote_type, float(election.budget), str(election.budget), meta.get("currency"),
         election.n_voters, election.n_projects, meta.get("rule"), meta.get("description"), source_url,
         now.date(), json.dumps(meta, ensure_ascii=False), list(election.project_columns),
         list(election.ballots.voter_columns) if election.ballots else [], n_problems, now])
    _write_projects(con, edition_id, election)
    if election.ballots is not None:
        _write_voters_and_votes(con, edition_id, election)


def _write_projects(con: duckdb.DuckDBPyConnection, edition_id: str, election: Election) -> None:
    cols = election.project_columns
    district_col = cols.get("district") or cols.get("subunit")
    rows: list[list[Any]] = []
    for i, pid in enumerate(election.project_ids):
        cell = {c: values[i] for c, values in cols.items()}
        rows.append([edition_id, i, pid, cell.get("name"), float(election.costs[i]), str(election.costs[i]),
                     _float_or_none(cell.get("votes")), _float_or_none(cell.get("score")), cell.get("category"),
                     cell.get("target"), district_col[i] if district_col else None, _int_or_none(cell.get("selected")),
                     _float_or_none(cell.get("latitude")), _float_or_none(cell.get("longitude")),
                     json.dumps(cell, ensure_ascii=False)])
    if rows:
        con.executemany("INSERT INTO pb_projects VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _write_voters_and_votes(con: duckdb.DuckDBPyConnection, edition_id: str, election: Election) -> None:
    """Two Arrow tables registered as views, copied with one INSERT ... SELECT each."""
    b = election.ballots
    assert b is not None
    voter_ids = pa.array(b.voter_ids, type=pa.string())
    lengths = np.diff(b.indptr)
    rows = b.row_of_entry()
    rank = np.arange(len(b.indices), dtype=np.int64) - np.repeat(b.indptr[:-1], lengths)
    votes = pa.table({
        "voter_id": voter_ids.take(pa.array(rows)),
        "project_id": pa.array(election.project_ids, type=pa.string()).take(pa.array(b.indices.astype(np.int64))),
        "points": pa.array(b.points, type=pa.float64()) if b.points is not None else pa.nulls(len(rows), pa.float64()),
        "rank": pa.array(rank.astype(np.int32)),
    })
    extra_cols = [c for c in b.voter_columns if c not in VOTER_TYPED]
    voters_cols: dict[str, Any] = {"position": pa.array(np.arange(b.n_voters, dtype=np.int32)), "voter_id": voter_ids}
    empty = pa.nulls(b.n_voters, pa.string())
    for name in VOTER_TYPED:
        voters_cols[name] = pa.array(b.voter_columns[name], type=pa.string()) if name in b.voter_columns else empty
    for k, name in enumerate(extra_cols):
        voters_cols[f"x{k}"] = pa.array(b.voter_columns[name], type=pa.string())
    voters = pa.table(voters_cols)
    # json_object keys are bound parameters: header names from the file never become SQL text
    pairs = ", ".join(f"?::VARCHAR, x{k}" for k in range(len(extra_cols)))
    extra_sql = f"json_object({pairs})" if extra_cols else "NULL"
    age_sql = f"TRY_CAST(x{extra_cols.index('age')} AS INTEGER)" if "age" in extra_cols else "NULL"
    con.register("_pb_votes_in", votes)
    con.register("_pb_voters_in", voters)
    try:
        sql = (f"INSERT INTO pb_voters SELECT ?, position, voter_id, {age_sql}, NULLIF(sex, ''),"  # noqa: S608
               f" NULLIF(neighborhood, ''), NULLIF(voting_method, ''), {extra_sql} FROM _pb_voters_in")
        con.execute(sql, [edition_id, *extra_cols])  # only generated column names x0..xN are in the text
        con.execute("INSERT INTO pb_votes SELECT ?, voter_id, project_id, points, rank FROM _pb_votes_in", [edition_id])
    finally:
        con.unregister("_pb_votes_in")
        con.unregister("_pb_voters_in")


def _write_outcomes(con: duckdb.DuckDBPyConnection, edition_id: str, outcome: dict[str, Any]) -> None:
    now = _now()
    rows, group_rows = [], []
    for rule, r in outcome["rules"].items():
        rows.append([edition_id, rule, r["selected"], r.get("n_selected"), r.get("cost"), r.get("budget_share"),
                     r.get("supports"), r.get("voters_with_funded_share"), r.get("mean_satisfaction_cost"),
                     r.get("mean_satisfaction_count"), r.get("gini_satisfaction"), r.get("n_changed_vs_greedy"),
                     r["seconds"], r["error"], now])
        group_rows.extend([edition_id, rule, g.kind, g.value, g.funded_cost, g.total_cost, g.funded_share]
                          for g in r.get("groups", []))
    if rows:
        con.executemany("INSERT INTO pb_outcomes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    if group_rows:
        con.executemany("INSERT INTO pb_outcome_groups VALUES (?, ?, ?, ?, ?, ?, ?)", group_rows)


def _register_tables(con: duckdb.DuckDBPyConnection) -> None:
    now = _now()
    for table, (title, description) in TABLES.items():
        con.execute("DELETE FROM table_meta WHERE table_name = ?", [table])
        con.execute("INSERT INTO table_meta VALUES (?, 'pabulib', ?, ?, ?, ?, ?, ?)",
                    [table, title, description, LICENCE, SOURCE, now.date(), now])
