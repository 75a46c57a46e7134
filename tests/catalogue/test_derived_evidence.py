"""The "every claim cites its source" check reads which tables and fields to check from the packages' schemas
(it used to name two tables by hand, so a correction could blank the source of any other table)."""

from __future__ import annotations

import csv
from pathlib import Path

from observatory import catalogue_checks
from observatory.datapackage import discover_packages

HEADER = ["correction_id", "table_name", "row_id", "field", "original_value", "corrected_value", "source_url",
          "corrected_by", "corrected_on", "note", "checked_on"]


def _blank(datasets: Path, table: str, row_id: str, field: str) -> None:
    path = datasets / "corrections" / "corrections.csv"
    with path.open("a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(["corr-9999", table, row_id, field, "x", "", "https://example.org/why", "test",
                                 "2026-11-20", "", "2026-11-20"])


def _flagged(datasets: Path) -> set[tuple[str, str | None]]:
    return {(i.file.rsplit("/", 1)[-1], i.field) for i in catalogue_checks.check_evidence(discover_packages(datasets))
            if "cite its source" in i.message}


def test_a_correction_blanking_a_required_source_is_caught_in_any_table(datasets_copy: Path) -> None:
    with (datasets_copy / "corrections" / "corrections.csv").open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == HEADER
    assert _flagged(datasets_copy) == set()          # control: the shipped data passes
    _blank(datasets_copy, "tools", "zeus", "source_url")
    assert ("tools.csv", "source_url") in _flagged(datasets_copy)   # tools was not in the hand-written list
