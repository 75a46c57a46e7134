"""Unchanged files are skipped at the next import (sha256 in ``participation_files``); changes re-import.

The fixtures are tiny Consul dumps written here, so each test can change one byte and watch what happens.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from observatory.participation import importer
from observatory.participation.cli import register
from observatory.participation.importer import import_path
from observatory.store import user_tables, writer

PROPOSALS_HEADER = '"id";"title";"description";"cached_votes_up";"created_at";"retired_at"\n'
COMMENTS_HEADER = '"id";"commentable_id";"commentable_type";"body";"created_at"\n'
PROPOSALS = PROPOSALS_HEADER + '"1";"Uno";"texto";"3";"01/02/2024";""\n"2";"Dos";"texto";"5";"02/02/2024";""\n'
COMMENTS = COMMENTS_HEADER + '"10";"1";"Proposal";"bien";"03/02/2024"\n'
BAD_ROW = '"3";"Tres";"x";"many";"03/02/2024";""\n'           # cached_votes_up is not a number
INSTANCE = "decide.example.org"


def _export(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "proposals.csv").write_text(PROPOSALS, encoding="utf-8")
    (folder / "comments.csv").write_text(COMMENTS, encoding="utf-8")
    return folder


def _import(db: Path, path: Path, **options: object) -> importer.ImportReport:
    with writer(db) as con:
        return import_path(con, path, platform="consul", instance_id=INSTANCE, **options)  # type: ignore[arg-type]


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (table_meta and participation_files included: they carry import times)."""
    with duckdb.connect(str(db), read_only=True) as con:
        # table names come from the database's own catalogue
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in user_tables(con)}


def _proposals(db: Path) -> dict[str, tuple[str, int]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT proposal_id, title, supports FROM proposals").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def _stored_sha(db: Path, label: str) -> str | None:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT sha256 FROM participation_files WHERE source_label = ?", [label]).fetchone()
    return row[0] if row else None


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _no_parsing(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("an unchanged file was parsed again")


def test_second_import_skips_unchanged_files_and_leaves_every_table_identical(
        tmp_path: Path, tmp_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _export(tmp_path)
    first = _import(tmp_db, folder)
    assert first.ok and [f.unchanged for f in first.files] == [False, False]
    assert _stored_sha(tmp_db, "export/proposals.csv") == _sha(folder / "proposals.csv")
    before = _snapshot(tmp_db)
    assert len(before["proposals"]) == 2 and len(before["comments"]) == 1

    monkeypatch.setattr(importer, "parse_source", _no_parsing)
    second = _import(tmp_db, folder)
    assert second.ok
    assert [(f.label, f.unchanged, f.written) for f in second.files] == [
        ("export/comments.csv", True, {}), ("export/proposals.csv", True, {})]
    assert [(f.kind, f.instance_id) for f in second.files] == [("consul/comments", INSTANCE),
                                                              ("consul/proposals", INSTANCE)]
    # not even table_meta.loaded_at or participation_files.imported_at moved
    assert _snapshot(tmp_db) == before


def test_force_reimports_an_unchanged_file(tmp_path: Path, tmp_db: Path) -> None:
    folder = _export(tmp_path)
    _import(tmp_db, folder)
    with duckdb.connect(str(tmp_db), read_only=True) as con:
        (first_time,) = con.execute("SELECT imported_at FROM participation_files "
                                    "WHERE source_label = 'export/proposals.csv'").fetchone()
    forced = _import(tmp_db, folder, force=True)
    assert [(f.unchanged, f.rows_read) for f in forced.files] == [(False, 1), (False, 2)]
    assert forced.files[1].written == {"instances": 1, "proposals": 2}
    with duckdb.connect(str(tmp_db), read_only=True) as con:
        (second_time,) = con.execute("SELECT imported_at FROM participation_files "
                                     "WHERE source_label = 'export/proposals.csv'").fetchone()
    assert second_time > first_time
    assert _proposals(tmp_db) == {"1": ("Uno", 3), "2": ("Dos", 5)}


def test_modified_file_is_reimported_and_its_rows_replaced(tmp_path: Path, tmp_db: Path) -> None:
    folder = _export(tmp_path)
    _import(tmp_db, folder)
    path = folder / "proposals.csv"
    path.write_text(PROPOSALS.replace('"Dos";"texto";"5"', '"Dos bis";"texto";"8"')
                    + '"4";"Cuatro";"texto";"1";"04/02/2024";""\n', encoding="utf-8")
    report = _import(tmp_db, folder)
    assert [(f.label, f.unchanged) for f in report.files] == [("export/comments.csv", True),
                                                               ("export/proposals.csv", False)]
    assert report.files[1].written == {"instances": 1, "proposals": 3}
    assert _proposals(tmp_db) == {"1": ("Uno", 3), "2": ("Dos bis", 8), "4": ("Cuatro", 1)}
    assert _stored_sha(tmp_db, "export/proposals.csv") == _sha(path)
    # and the new version is now the one that is skipped
    assert [f.unchanged for f in _import(tmp_db, folder).files] == [True, True]


@pytest.mark.parametrize("strict", [True, False])
def test_failing_modified_file_keeps_previous_rows_and_sha_and_is_retried(
        tmp_path: Path, tmp_db: Path, strict: bool) -> None:
    folder = _export(tmp_path)
    path = folder / "proposals.csv"
    _import(tmp_db, path)
    good_sha, good_rows = _sha(path), _snapshot(tmp_db)
    # strict fails on the bad number; lenient fails on the unclosed quote, which spoils the whole file
    bad = PROPOSALS + (BAD_ROW if strict else '"5";"open quote;"x";"1";"01/01/2024";""')
    path.write_text(bad, encoding="utf-8")
    for _attempt in range(2):       # the failure is not remembered as "imported": the next run tries again
        report = _import(tmp_db, path, strict=strict)
        assert not report.ok and not report.files[0].unchanged
        expected = ("export/proposals.csv:4: field 'cached_votes_up'" if strict
                    else "export/proposals.csv:4: field '*'")
        assert (report.files[0].failed or "").startswith(expected)
        assert _stored_sha(tmp_db, "export/proposals.csv") == good_sha
        assert _snapshot(tmp_db) == good_rows
    path.write_text(PROPOSALS.replace('"Uno"', '"Uno fixed"'), encoding="utf-8")
    fixed = _import(tmp_db, path, strict=strict)
    assert fixed.ok and not fixed.files[0].unchanged
    assert _proposals(tmp_db)["1"] == ("Uno fixed", 3)
    assert _stored_sha(tmp_db, "export/proposals.csv") == _sha(path)


def test_a_failed_write_rolls_back_rows_and_sha_together(
        tmp_path: Path, tmp_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _export(tmp_path)
    path = folder / "proposals.csv"
    _import(tmp_db, path)
    good_sha, good_rows = _sha(path), _snapshot(tmp_db)
    path.write_text(PROPOSALS.replace('"Uno"', '"Uno changed"'), encoding="utf-8")

    def broken_register(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")     # after the rows were written, before the commit

    monkeypatch.setattr(importer, "register_tables", broken_register)
    with pytest.raises(RuntimeError, match="disk full"):
        _import(tmp_db, path)
    assert _stored_sha(tmp_db, "export/proposals.csv") == good_sha
    assert _snapshot(tmp_db) == good_rows
    monkeypatch.undo()
    assert not _import(tmp_db, path).files[0].unchanged
    assert _proposals(tmp_db)["1"] == ("Uno changed", 3)


def test_new_importer_code_or_other_options_reimport(
        tmp_path: Path, tmp_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _export(tmp_path)
    path = folder / "proposals.csv"
    _import(tmp_db, path)
    assert _import(tmp_db, path).files[0].unchanged
    monkeypatch.setattr(importer, "importer_version", lambda: "parsing-changed")
    assert not _import(tmp_db, path).files[0].unchanged
    assert _import(tmp_db, path).files[0].unchanged
    with writer(tmp_db) as con:       # another instance means other rows: imported, not skipped
        other = import_path(con, path, platform="consul", instance_id="other.example.org")
        assert not other.files[0].unchanged
        assert con.execute("SELECT count(*) FROM proposals WHERE instance_id = 'other.example.org'").fetchone() == (2,)
        assert not import_path(con, path, instance_id="other.example.org").files[0].unchanged  # any platform


def test_importer_version_covers_the_mapping_modules() -> None:
    version = importer.importer_version()
    assert len(version) == 16 and version == importer.importer_version()
    # a change in a column mapping must re-import: check the walk reached the mapping modules
    importer.importer_version.cache_clear()
    try:
        real_read = Path.read_bytes
        read: list[str] = []

        def spy(self: Path) -> bytes:
            read.append(self.name)
            return real_read(self)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(Path, "read_bytes", spy)
            importer.importer_version()
        assert {"consul_map.py", "decidim_map.py", "csvread.py", "formats.py", "importer.py", "text.py"} <= set(read)
        assert "cli.py" not in read and "research.py" not in read
    finally:
        importer.importer_version.cache_clear()


def test_strict_run_rechecks_a_file_imported_leniently_with_bad_rows(tmp_path: Path, tmp_db: Path) -> None:
    folder = _export(tmp_path)
    path = folder / "proposals.csv"
    path.write_text(PROPOSALS + BAD_ROW, encoding="utf-8")
    lenient = _import(tmp_db, path)
    assert lenient.ok and [(i.line, i.field) for i in lenient.files[0].issues] == [(4, "cached_votes_up")]
    again = _import(tmp_db, path)
    assert again.files[0].unchanged and again.files[0].previous_bad_rows == 1
    rows = _snapshot(tmp_db)
    strict = _import(tmp_db, path, strict=True)   # as before the skip existed: the bad row fails the file
    assert not strict.ok and not strict.files[0].unchanged
    assert (strict.files[0].failed or "").startswith("export/proposals.csv:4: field 'cached_votes_up'")
    assert _snapshot(tmp_db) == rows


def test_cli_says_unchanged_skipped_and_force_reimports(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    folder = _export(tmp_path)
    db = tmp_path / "cli.duckdb"
    runner = CliRunner()
    args = ["import", "any", str(folder), "--db", str(db), "--instance", INSTANCE]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "unchanged" not in first.output and first.output.count("│ ok ") == 2
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "2 file(s) unchanged since their last import, skipped" in second.output
    assert "│ ok " not in second.output
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "unchanged" not in forced.output and forced.output.count("│ ok ") == 2   # both files imported again


def test_a_file_whose_rows_were_deleted_or_overwritten_is_imported_again(tmp_path: Path, tmp_db: Path) -> None:
    folder = _export(tmp_path)
    _import(tmp_db, folder)
    with duckdb.connect(str(tmp_db)) as con:
        con.execute("DELETE FROM proposals WHERE proposal_id = '2'")     # e.g. a collector's reset
    report = _import(tmp_db, folder)
    assert [(f.label, f.unchanged) for f in report.files] == [("export/comments.csv", True),
                                                               ("export/proposals.csv", False)]
    assert _proposals(tmp_db) == {"1": ("Uno", 3), "2": ("Dos", 5)}
    # another file holding the same keys took the rows over: importing the unchanged file again gives
    # what importing everything again would give (the files' order decides), not the other file's values
    other = tmp_path / "other"
    other.mkdir()
    (other / "proposals_copy.csv").write_text(PROPOSALS.replace('"Uno"', '"Uno copy"'), encoding="utf-8")
    _import(tmp_db, other)
    assert _proposals(tmp_db)["1"] == ("Uno copy", 3)
    again = _import(tmp_db, folder)
    assert [f.unchanged for f in again.files] == [True, False]
    assert _proposals(tmp_db)["1"] == ("Uno", 3)
