"""Identical selections to pabutools 1.2.3 on every shared Pabulib file where pabutools finishes in budget.

pabutools runs once per file in a subprocess (all rules, each under ``PB_ORACLE_TIMEOUT`` seconds);
every (file, rule) pair is its own test: passed when the selections are identical, skipped with the
reason when pabutools ran out of time. Files over ``PB_ORACLE_MAX_BYTES`` (default 1,000,000: where
pabutools' parse alone takes seconds and every rule runs out of time) are skipped with that reason to
keep ``tests/pb`` inside its CI budget; ``PB_ORACLE_MAX_BYTES=0 PB_ORACLE_TIMEOUT=0`` is the full run.
"""

from __future__ import annotations

import csv
import os
from functools import cache
from pathlib import Path

import pytest

from observatory.config import load_settings
from observatory.pb import pabulib
from observatory.pb.model import Election
from observatory.pb.rules import run_rule
from tests.pb.oracle import oracle_timeout, run_oracle

# cheapest first, so a file's time budget goes to the rules most likely to finish
RULES = ("greedy-ratio", "greedy", "phragmen", "mes", "max-supports", "mes-add1-greedy")

pytestmark = [pytest.mark.oracle, pytest.mark.shared]


def _files() -> list[str]:
    manifest = load_settings().pabulib_dir.parent / "MANIFEST.csv"
    if not manifest.exists():
        return ["(no shared data)"]
    return [r["file"] for r in csv.DictReader(manifest.open(encoding="utf-8"))]


@cache
def _oracle(path: Path) -> dict[str, dict]:
    return run_oracle(path, list(RULES))


@cache
def _election(path: Path) -> Election:
    return pabulib.load(path)


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("file_name", _files())
def test_selection_matches_pabutools(file_name: str, rule: str, shared_data: Path) -> None:
    path = shared_data / "pabulib" / "files" / file_name
    max_bytes = int(os.environ.get("PB_ORACLE_MAX_BYTES", "1000000"))
    if max_bytes > 0 and path.stat().st_size > max_bytes:
        pytest.skip(f"{path.stat().st_size:,} bytes > PB_ORACLE_MAX_BYTES={max_bytes:,}: pabutools too slow for CI")
    expected = _oracle(path)[rule]
    if expected.get("timeout"):
        pytest.skip(f"pabutools exceeded {oracle_timeout():g} s (PB_ORACLE_TIMEOUT) on {rule}")
    election = _election(path)
    ours = run_rule(rule, election)
    if rule == "max-supports":  # optimal sets may differ on ties: compare the objective
        assert int(election.approval_counts[[election.index_of[p] for p in ours]].sum()) == expected["objective"]
    else:
        assert sorted(ours) == expected["selected"]
