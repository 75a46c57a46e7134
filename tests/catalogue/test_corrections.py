"""`observatory correct`: a disputed fact is recorded with who/when/evidence, re-validated, and applied by build
over the compiled row while the original value stays visible."""

from __future__ import annotations

from pathlib import Path

import duckdb
from typer.testing import CliRunner

from observatory.cli import app
from observatory.datasets import build_database, validate_datasets
from tests.catalogue.helpers import read, row, set_cell

EVIDENCE = "https://github.com/grnet/zeus/blob/3a8cef354206913154dcc4e3920420525a269637/README.md"
runner = CliRunner()


def correct(datasets: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["correct", *args, "--datasets", str(datasets)])
    return result.exit_code, result.output


def test_correction_is_recorded_with_who_when_and_evidence_and_build_applies_it(datasets_copy: Path,
                                                                                 tmp_path: Path) -> None:
    code, out = correct(datasets_copy, "tools:zeus", "--field", "origin_country", "--value", "GR",
                        "--source", EVIDENCE, "--by", "Observatory team", "--note", "GRNET is Greek")
    assert code == 0, out
    assert "corr-0001" in out
    _, records = read(datasets_copy / "corrections" / "corrections.csv")
    assert len(records) == 1
    rec = records[0]
    assert (rec["table_name"], rec["row_id"], rec["field"]) == ("tools", "zeus", "origin_country")
    assert (rec["original_value"], rec["corrected_value"]) == ("", "GR")
    assert rec["corrected_by"] == "Observatory team" and rec["source_url"] == EVIDENCE and rec["corrected_on"]
    # the compiled CSV is untouched: the correction is a layer over it
    assert row(datasets_copy / "catalogue" / "tools.csv", "tool_id", "zeus")["origin_country"] == ""
    assert validate_datasets(datasets_copy) == []

    db = tmp_path / "o.duckdb"
    build_database(db, datasets_copy)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT origin_country FROM tools WHERE tool_id = 'zeus'").fetchone()[0] == "GR"
        # the original (blank, so NULL) stays visible next to the corrected value
        assert con.execute("SELECT original_value, corrected_value, corrected_by FROM corrections").fetchall() == [
            (None, "GR", "Observatory team")]
    finally:
        con.close()


def test_build_without_the_correction_keeps_the_compiled_value(datasets_copy: Path, tmp_path: Path) -> None:
    """Control for the test above: the corrected value in the database comes from the correction alone."""
    db = tmp_path / "o.duckdb"
    build_database(db, datasets_copy)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT origin_country FROM tools WHERE tool_id = 'zeus'").fetchone()[0] is None
    finally:
        con.close()


def test_composite_key_and_typed_column_are_corrected(datasets_copy: Path, tmp_path: Path) -> None:
    code, out = correct(datasets_copy, "licence_events:democracyos|2016-10-06|curated|licence_file",
                        "--field", "from_spdx", "--value", "GPL-3.0-only", "--source", EVIDENCE)
    assert code == 0, out
    code, out = correct(datasets_copy, "tools:zeus", "--field", "status_checked_on", "--value", "2026-11-30",
                        "--source", EVIDENCE)
    assert code == 0, out
    db = tmp_path / "o.duckdb"
    build_database(db, datasets_copy)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT from_spdx FROM licence_events WHERE tool_id = 'democracyos' AND date = "
                           "DATE '2016-10-06' AND declaration_source = 'licence_file'").fetchone()[0] == "GPL-3.0-only"
        assert str(con.execute("SELECT status_checked_on FROM tools WHERE tool_id = 'zeus'").fetchone()[0]) == "2026-11-30"
    finally:
        con.close()


def test_a_value_the_field_refuses_is_not_recorded(datasets_copy: Path) -> None:
    store = datasets_copy / "corrections" / "corrections.csv"
    before = store.read_bytes()
    code, out = correct(datasets_copy, "tools:zeus", "--field", "status", "--value", "dormant", "--source", EVIDENCE)
    assert code == 1
    assert "not recorded" in out
    assert store.read_bytes() == before


def test_usage_mistakes_exit_2_with_one_line(datasets_copy: Path) -> None:
    cases = [
        ("tools:no-such-tool", "status", "active", EVIDENCE, "no row"),
        ("tools:zeus", "tool_id", "zeus2", EVIDENCE, "part of the key"),
        ("tools:zeus", "colour", "red", EVIDENCE, "no field"),
        ("tools:zeus", "status", "active", "not a url", "not an absolute"),
        ("tools:zeus", "status", "inactive", EVIDENCE, "already"),  # the compiled value already
    ]
    for row_id, fld, value, source, expected in cases:
        code, out = correct(datasets_copy, row_id, "--field", fld, "--value", value, "--source", source)
        assert code == 2, (row_id, fld, out)
        assert expected in out
        assert out.strip().startswith("error:") and "Traceback" not in out


def test_a_second_correction_of_the_same_value_is_refused(datasets_copy: Path) -> None:
    assert correct(datasets_copy, "tools:zeus", "--field", "origin_country", "--value", "GR",
                   "--source", EVIDENCE)[0] == 0
    code, out = correct(datasets_copy, "tools:zeus", "--field", "origin_country", "--value", "GB",
                        "--source", EVIDENCE)
    assert code == 2 and "corr-0001" in out


def test_bare_key_is_found_when_unique(datasets_copy: Path) -> None:
    code, out = correct(datasets_copy, "zeus", "--field", "origin_country", "--value", "GR", "--source", EVIDENCE)
    assert code == 0, out
    assert read(datasets_copy / "corrections" / "corrections.csv")[1][0]["table_name"] == "tools"


def test_validate_flags_a_correction_whose_compiled_value_changed(datasets_copy: Path) -> None:
    assert correct(datasets_copy, "tools:zeus", "--field", "origin_country", "--value", "GR",
                   "--source", EVIDENCE)[0] == 0
    set_cell(datasets_copy / "catalogue" / "tools.csv", "tool_id", "zeus", origin_country="CY")
    issues = [str(i) for i in validate_datasets(datasets_copy)]
    assert any("stale" in i and "corrections.csv" in i for i in issues), issues


def test_a_correction_cannot_break_the_catalogue_rules(datasets_copy: Path) -> None:
    """The catalogue checks run on corrected rows: flipping open_source of an AGPL tool is caught."""
    corrections_csv = datasets_copy / "corrections" / "corrections.csv"
    header, _ = read(corrections_csv)
    with corrections_csv.open("a", encoding="utf-8") as fh:
        fh.write(f"corr-0001,tools,decidim,open_source,true,false,{EVIDENCE},someone,2026-12-01,,2026-12-01\n")
    issues = [str(i) for i in validate_datasets(datasets_copy)]
    assert any("tools.csv" in i and "open_source is false" in i for i in issues), issues
    assert header[0] == "correction_id"
