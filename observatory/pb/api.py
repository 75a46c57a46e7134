"""Read side of the PB engine, shared by the CLI, the dashboard page and the reports.

Readers get DataFrames built from precomputed tables (bound parameters only); ``compare`` is the one
place rules are run and their outcomes measured, with a time budget per rule so one slow rule
cannot stall an import or a comparison of many files.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from observatory.pb.limits import DEFAULT_RULE_TIME_LIMIT_S
from observatory.pb.metrics import OutcomeMetrics, changes, outcome_metrics
from observatory.pb.model import Ballots, Election
from observatory.pb.rules import RULES

REFERENCE_RULE = "greedy"


class RuleTimeout(Exception):
    """A rule ran past its time budget (its outcome is stored as an error, not as a selection)."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (SIGALRM; only possible in the main thread, else unlimited)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def _expire(signum: int, frame: object) -> None:
        raise RuleTimeout(f"timed out after {seconds:g} s")

    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)  # an enclosing alarm (e.g. pytest-timeout) is kept
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - started), 1e-3))


def run_measured(election: Election, rule: str, limit_s: float | None = DEFAULT_RULE_TIME_LIMIT_S) -> dict[str, Any]:
    """One rule's outcome: selected ids, cost, seconds and metrics, or ``error`` when it gave none."""
    start = time.perf_counter()
    try:
        with time_limit(limit_s):
            positions = [int(i) for i in RULES[rule](election)]
    except Exception as exc:  # noqa: BLE001 - not applicable, timed out or a rule's own bug: stored, never fatal
        failed = dict.fromkeys(OutcomeMetrics.__dataclass_fields__.keys() - {"groups"})
        return {"selected": None, **failed, "seconds": time.perf_counter() - start,
                "error": f"{type(exc).__name__}: {exc}", "groups": []}
    seconds = time.perf_counter() - start
    metrics = outcome_metrics(election, positions)
    return {"selected": [election.project_ids[i] for i in positions], "seconds": seconds, "error": None,
            **metrics.scalars(), "groups": metrics.groups}


def compare(election: Election, rules: list[str] | None = None,
            limit_s: float | None = DEFAULT_RULE_TIME_LIMIT_S) -> dict[str, Any]:
    """Run ``rules`` (default: all registered) on one election; JSON-ready apart from ``groups``.

    Each rule's entry also says which projects it adds or removes against ``greedy`` (what most cities use).
    """
    names = list(RULES) if rules is None else list(rules)
    unknown = [r for r in names if r not in RULES]
    if unknown:
        raise KeyError(f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(RULES)}")
    outcomes = {name: run_measured(election, name, limit_s) for name in names}
    reference = outcomes.get(REFERENCE_RULE) or run_measured(election, REFERENCE_RULE, limit_s)
    for result in outcomes.values():
        if result["selected"] is not None and reference["selected"] is not None:
            diff = changes(reference["selected"], result["selected"])
            result["added_vs_greedy"], result["removed_vs_greedy"] = diff["added"], diff["removed"]
            result["n_changed_vs_greedy"] = len(diff["added"]) + len(diff["removed"])
    return {"file": election.file_name, "vote_type": election.vote_type, "n_voters": election.n_voters,
            "n_projects": election.n_projects, "budget": float(election.budget), "rules": outcomes}


# ---- readers ----------------------------------------------------------------------------------
def list_editions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per imported edition, with ``city`` and ``year`` for filtering."""
    return con.execute(
        "SELECT edition_id, file_name, country, unit AS city, unit, subunit, instance,"
        " TRY_CAST(regexp_extract(instance, '(19|20)[0-9]{2}', 0) AS INTEGER) AS year,"
        " vote_type, budget, currency, n_voters, n_projects, declared_rule, description, source_url,"
        " checked_on, sha256, n_problems, imported_at"
        " FROM pb_editions ORDER BY country, unit, instance, edition_id").df()


def outcomes(con: duckdb.DuckDBPyConnection, edition_id: str) -> pd.DataFrame:
    """Every rule's stored outcome and metrics for one edition (rules that failed carry ``error``)."""
    return con.execute(
        "SELECT edition_id, rule, selected, n_selected, cost, budget_share, supports, voters_with_funded_share,"
        " mean_satisfaction_cost, mean_satisfaction_count, gini_satisfaction, n_changed_vs_greedy, seconds,"
        " error, computed_at FROM pb_outcomes WHERE edition_id = ? ORDER BY rule", [edition_id]).df()


def outcome_groups(con: duckdb.DuckDBPyConnection, edition_id: str) -> pd.DataFrame:
    return con.execute("SELECT * FROM pb_outcome_groups WHERE edition_id = ? ORDER BY rule, group_kind, group_value",
                       [edition_id]).df()


def load_edition(con: duckdb.DuckDBPyConnection, edition_id: str) -> Election:
    """Rebuild the election exactly as parsed (exact costs and budget, ballot order kept) from the tables."""
    head = con.execute("SELECT file_name, meta, vote_type, budget_exact, project_columns, voter_columns"
                       " FROM pb_editions WHERE edition_id = ?", [edition_id]).fetchone()
    if head is None:
        raise KeyError(f"unknown PB edition {edition_id!r}")
    file_name, meta_json, vote_type, budget_exact, project_cols, voter_cols = head
    projects = con.execute("SELECT project_id, cost_exact, extra FROM pb_projects WHERE edition_id = ?"
                           " ORDER BY position", [edition_id]).fetchall()
    project_ids = [p[0] for p in projects]
    extras = [json.loads(p[2]) if p[2] else {} for p in projects]
    columns = {c: [str(e.get(c, "")) for e in extras] for c in (project_cols or [])}
    voters = con.execute("SELECT voter_id, extra, sex, neighborhood, voting_method FROM pb_voters"
                         " WHERE edition_id = ? ORDER BY position", [edition_id]).fetchall()
    vcols: dict[str, list[str]] = {c: [] for c in (voter_cols or [])}
    for _, extra, *typed in voters:
        row = json.loads(extra) if extra else {}
        row.update({k: v for k, v in zip(("sex", "neighborhood", "voting_method"), typed, strict=True) if v is not None})
        for c in vcols:
            vcols[c].append(str(row.get(c, "")))
    entries = con.execute(
        "SELECT v.position AS voter_pos, p.position AS project_pos, b.points FROM pb_votes b"
        " JOIN pb_voters v ON v.edition_id = b.edition_id AND v.voter_id = b.voter_id"
        " JOIN pb_projects p ON p.edition_id = b.edition_id AND p.project_id = b.project_id"
        " WHERE b.edition_id = ? ORDER BY v.position, b.rank", [edition_id]).fetchnumpy()
    rows = np.asarray(entries["voter_pos"], dtype=np.int64)
    indptr = np.zeros(len(voters) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(voters)), out=indptr[1:])
    has_points = vote_type in ("cumulative", "scoring")
    points = np.asarray(entries["points"], dtype=np.float64) if has_points else None
    ballots = Ballots(voter_ids=[v[0] for v in voters], indptr=indptr,
                      indices=np.asarray(entries["project_pos"], dtype=np.int32), points=points, voter_columns=vcols)
    return Election(file_name=file_name, meta=json.loads(meta_json) if meta_json else {}, vote_type=vote_type,
                    budget=Fraction(budget_exact), project_ids=project_ids,
                    costs=[Fraction(p[1]) for p in projects], project_columns=columns, ballots=ballots)


def cross_edition_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per approval edition: how much more budget and how many more supports the optima reach than greedy.

    ``extra_budget_share`` is (max-budget cost − greedy cost) / budget; ``extra_supports_share`` is
    (max-supports supports − greedy supports) / greedy supports. Where an optimum gave no outcome (solver
    time limit), its columns are NULL; editions without greedy or without any optimum are left out.
    """
    return con.execute("""
        WITH o AS (
            SELECT edition_id,
                   max(cost) FILTER (WHERE rule = 'greedy') AS greedy_cost,
                   max(supports) FILTER (WHERE rule = 'greedy') AS greedy_supports,
                   max(cost) FILTER (WHERE rule = 'max-budget') AS max_budget_cost,
                   max(supports) FILTER (WHERE rule = 'max-budget') AS max_budget_supports,
                   max(cost) FILTER (WHERE rule = 'max-supports') AS max_supports_cost,
                   max(supports) FILTER (WHERE rule = 'max-supports') AS max_supports_supports
            FROM pb_outcomes WHERE error IS NULL AND rule IN ('greedy', 'max-budget', 'max-supports')
            GROUP BY edition_id)
        SELECT e.edition_id,
               (o.max_budget_cost - o.greedy_cost) / e.budget AS extra_budget_share,
               (o.max_supports_supports - o.greedy_supports) / nullif(o.greedy_supports, 0) AS extra_supports_share,
               e.n_voters, e.n_projects, e.budget, e.currency,
               o.greedy_cost / e.budget AS greedy_budget_share,
               o.max_budget_cost / e.budget AS max_budget_budget_share,
               o.max_budget_cost - o.greedy_cost AS extra_budget,
               o.greedy_supports, o.max_supports_supports,
               o.max_supports_supports - o.greedy_supports AS extra_supports,
               o.max_supports_cost / e.budget AS max_supports_budget_share
        FROM pb_editions e JOIN o USING (edition_id)
        WHERE e.vote_type = 'approval' AND o.greedy_cost IS NOT NULL
              AND (o.max_budget_cost IS NOT NULL OR o.max_supports_supports IS NOT NULL)
        ORDER BY e.edition_id""").df()
