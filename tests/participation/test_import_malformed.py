"""Malformed exports: errors name file, line and field; strict stores nothing; lenient stores the good rows."""

from __future__ import annotations

import zipfile
from pathlib import Path

import duckdb
import pytest

from observatory.errors import BadUsage
from observatory.participation.importer import import_path
from observatory.store import writer

INSTANCE = "demo.example.org"  # Consul CSVs do not name their instance
HEADER = '"id";"title";"description";"cached_votes_up";"created_at";"retired_at"\r\n'
GOOD = '"1";"Uno";"<p>a;b</p>";"3";"01/02/2024";""\r\n'
MULTILINE = '"2";"Dos";"line one\r\nline two";"4";"02/02/2024";""\r\n'
BAD_DATE = '"3";"Tres";"x";"5";"2024/13/45";""\r\n'
BAD_INT = '"4";"Cuatro";"x";"many";"03/02/2024";""\r\n'


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _count(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT count(*) FROM proposals").fetchone()
    return row[0] if row else 0


def test_strict_names_file_line_and_field_and_writes_nothing(tmp_path: Path, tmp_db: Path) -> None:
    path = _write(tmp_path, "proposals.csv", HEADER + GOOD + MULTILINE + BAD_DATE)
    with writer(tmp_db) as con:
        report = import_path(con, path, platform="consul", instance_id=INSTANCE, strict=True)
    assert not report.ok
    # the bad record starts on physical line 5: header 1, good 2, multi-line record 3-4
    assert report.files[0].failed == f"{tmp_path.name}/proposals.csv:5: field 'created_at': unrecognised date '2024/13/45'"
    assert _count(tmp_db) == 0


def test_lenient_skips_bad_rows_and_reports_each(tmp_path: Path, tmp_db: Path) -> None:
    path = _write(tmp_path, "proposals.csv", HEADER + GOOD + BAD_INT + MULTILINE + BAD_DATE)
    with writer(tmp_db) as con:
        report = import_path(con, path, platform="consul", instance_id=INSTANCE)
        bodies = dict(con.execute("SELECT proposal_id, body FROM proposals").fetchall())
    issues = [(i.line, i.field) for i in report.files[0].issues]
    assert issues == [(3, "cached_votes_up"), (6, "created_at")]
    assert bodies == {"1": "a;b", "2": "line one\nline two"}      # HTML stripped, embedded ; and newline kept


def test_row_of_the_wrong_width_is_reported(tmp_path: Path, tmp_db: Path) -> None:
    path = _write(tmp_path, "proposals.csv", HEADER + GOOD + '"9";"short"\r\n')
    with writer(tmp_db) as con:
        report = import_path(con, path, platform="consul", instance_id=INSTANCE)
    assert [(i.line, i.field) for i in report.files[0].issues] == [(3, "*")]
    assert "expected 6 fields" in report.files[0].issues[0].message


def test_unclosed_quote_fails_the_file(tmp_path: Path, tmp_db: Path) -> None:
    path = _write(tmp_path, "proposals.csv", HEADER + GOOD + '"5";"open quote;"x";"1";"01/01/2024";""')
    with writer(tmp_db) as con:
        report = import_path(con, path, platform="consul", instance_id=INSTANCE, strict=True)
    assert report.files[0].failed and "proposals.csv:3" in report.files[0].failed
    assert _count(tmp_db) == 0


def test_unknown_single_file_fails_but_a_folder_skips_it(tmp_path: Path, tmp_db: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    _write(folder, "notes.csv", "a;b\n1;2\n")
    _write(folder, "proposals.csv", HEADER + GOOD)
    with writer(tmp_db) as con:
        single = import_path(con, folder / "notes.csv")
        whole = import_path(con, folder, instance_id=INSTANCE)
    assert not single.ok and "do not look like" in (single.files[0].failed or "")
    assert whole.ok and [f.skipped is not None for f in whole.files] == [True, False]


def test_decidim_zip_with_version_dependent_columns(tmp_path: Path, tmp_db: Path) -> None:
    proposals_029 = ("id;title/en;body/en;state;votes;withdrawn;comments;published_at;url;component/id\n"
                     "7;'=Fix the park;<b>Body</b>;;12;true;0;2024-05-01 10:00:00 UTC;"
                     "https://demo.example.org/processes/p/f/3/proposals/7;3\n"
                     "8;Bike lanes;text;accepted;20;false;1;2024-05-02 10:00:00 UTC;"
                     "https://demo.example.org/processes/p/f/3/proposals/8;3\n")
    archive = tmp_path / "demo.example.org-open-data.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("demo.example.org-open-data-proposals.csv", proposals_029)
        zf.writestr("demo.example.org-open-data-debates.csv", "id;title/en;description/en;comments\n1;a;b;0\n")
    with writer(tmp_db) as con:
        report = import_path(con, archive, platform="decidim", strict=True)
        rows = con.execute("SELECT proposal_id, title, state, supports, platform_version, instance_id "
                           "FROM proposals ORDER BY 1").fetchall()
    assert report.ok
    assert [f.skipped is not None for f in report.files] == [True, False]       # debates: recognised, not stored
    assert rows == [("7", "=Fix the park", "withdrawn", 12, "0.29+ (inferred from columns)", "demo.example.org"),
                    ("8", "Bike lanes", "accepted", 20, "0.29+ (inferred from columns)", "demo.example.org")]


def test_missing_path_is_a_clear_error(tmp_path: Path, tmp_db: Path) -> None:
    with writer(tmp_db) as con, pytest.raises(BadUsage, match="nothing.csv"):
        import_path(con, tmp_path / "nothing.csv")
