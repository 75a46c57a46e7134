"""`observatory validate` checks the catalogue facts that decide a choice: status vocabulary and evidence,
open_source against the licence family, cited sources, and conflict groups in licence events."""

from __future__ import annotations

from pathlib import Path

from observatory import catalogue_checks
from observatory.datapackage import discover_packages
from observatory.datasets import frictionless_issues, validate_datasets
from tests.catalogue.helpers import read, set_cell, write


def issues(datasets: Path) -> list[str]:
    """The catalogue checks alone (fast); the full validate runs them too, as the control test shows."""
    return [str(i) for i in catalogue_checks.run_all(discover_packages(datasets))]


def schema_issues(datasets: Path) -> list[str]:
    return [str(i) for p in discover_packages(datasets) for i in frictionless_issues(p)]


def test_shipped_catalogue_passes_and_validate_runs_the_checks(datasets_copy: Path) -> None:
    """Control: every test below changes one cell of data that validates."""
    assert [str(i) for i in validate_datasets(datasets_copy)] == []
    set_cell(datasets_copy / "catalogue" / "tools.csv", "tool_id", "polis", status_evidence_url="")
    assert any(":status_evidence_url:" in str(i) for i in validate_datasets(datasets_copy))


def test_status_outside_the_vocabulary(datasets_copy: Path) -> None:
    set_cell(datasets_copy / "catalogue" / "tools.csv", "tool_id", "polis", status="maintenance")
    assert any("tools.csv" in i and ":status:" in i and "maintenance" in i for i in issues(datasets_copy))
    assert any(":status:" in i for i in schema_issues(datasets_copy))  # the Table Schema enum agrees


def test_status_without_evidence(datasets_copy: Path) -> None:
    set_cell(datasets_copy / "catalogue" / "tools.csv", "tool_id", "polis", status_evidence_url="")
    found = issues(datasets_copy)
    assert any(":status_evidence_url:" in i and "needs" in i for i in found), found


def test_blank_status_needs_no_evidence(datasets_copy: Path) -> None:
    set_cell(datasets_copy / "catalogue" / "tools.csv", "tool_id", "polis", status="", status_evidence_url="",
             status_checked_on="")
    assert issues(datasets_copy) == []


def test_open_source_tool_with_a_proprietary_licence(datasets_copy: Path) -> None:
    set_cell(datasets_copy / "catalogue" / "tools.csv", "tool_id", "decidim", licence_spdx="LicenseRef-Proprietary")
    assert any("open_source is true" in i for i in issues(datasets_copy))


def test_proprietary_platform_marked_with_a_free_licence(datasets_copy: Path) -> None:
    set_cell(datasets_copy / "catalogue" / "tools.csv", "tool_id", "fluicity", licence_spdx="MIT")
    assert any("open_source is false" in i for i in issues(datasets_copy))


def test_dual_licence_with_one_free_option_is_open_source(datasets_copy: Path) -> None:
    tools = datasets_copy / "catalogue" / "tools.csv"
    go_vocal = next(r for r in read(tools)[1] if r["tool_id"] == "go-vocal")
    assert go_vocal["open_source"] == "true" and " OR LicenseRef-" in go_vocal["licence_spdx"]
    assert issues(datasets_copy) == []


def test_open_source_row_must_cite_licence_and_pin_its_commit(datasets_copy: Path) -> None:
    set_cell(datasets_copy / "catalogue" / "tools.csv", "tool_id", "vocdoni", licence_evidence_url="", source_commit="")
    found = issues(datasets_copy)
    assert any(":licence_evidence_url:" in i for i in found), found
    assert any(":source_commit:" in i and "pin" in i for i in found), found


def test_lone_conflict_id_is_flagged(datasets_copy: Path) -> None:
    events = datasets_copy / "catalogue" / "licence_events.csv"
    header, rows = read(events)
    lone = [r for r in rows if r["conflict"] == "madison-manifest-vs-file"]
    assert len(lone) == 2
    lone[0]["conflict"] = ""
    write(events, header, rows)
    assert any("madison-manifest-vs-file" in i and "one declaration" in i for i in issues(datasets_copy))


def test_licence_event_source_vocabulary(datasets_copy: Path) -> None:
    events = datasets_copy / "catalogue" / "licence_events.csv"
    header, rows = read(events)
    rows[0]["source"] = "guess"
    write(events, header, rows)
    assert any("licence_events.csv" in i and ":source:" in i for i in schema_issues(datasets_copy))
