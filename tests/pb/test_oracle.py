"""Identical selections to pabutools 1.2.3 on every shared Pabulib file where pabutools finishes in budget."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from observatory.pb import pabulib
from observatory.pb.config_paths import shared_pabulib_files
from observatory.pb.rules import run_rule
from tests.pb.oracle import oracle_timeout, run_oracle

SAME_SELECTION = ("greedy", "greedy-ratio", "mes", "mes-add1-greedy", "phragmen")
RULES = (*SAME_SELECTION, "max-supports")

pytestmark = [pytest.mark.oracle, pytest.mark.shared]


def _files() -> list[str]:
    manifest = shared_pabulib_files() / ".." / "MANIFEST.csv"
    if not manifest.exists():
        return []
    return [r["file"] for r in csv.DictReader(manifest.open(encoding="utf-8"))]


@pytest.mark.parametrize("file_name", _files() or ["(no shared data)"])
def test_selections_match_pabutools(file_name: str, shared_data: Path) -> None:
    path = shared_data / "pabulib" / "files" / file_name
    election = pabulib.load(path)
    oracle = run_oracle(path, list(RULES))
    over_budget = []
    for rule in RULES:
        expected = oracle[rule]
        if expected.get("timeout"):
            over_budget.append(rule)
            continue
        ours = run_rule(rule, election)
        if rule == "max-supports":  # optimal sets may differ on ties: compare the objective
            assert int(election.approval_counts[[election.index_of[p] for p in ours]].sum()) == expected["objective"]
        else:
            assert sorted(ours) == expected["selected"], f"{rule} differs from pabutools on {file_name}"
    if over_budget:
        pytest.skip(f"pabutools exceeded {oracle_timeout():g} s (PB_ORACLE_TIMEOUT) for {', '.join(over_budget)}; "
                    "the other rules matched")
