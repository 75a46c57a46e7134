"""Attacks on the store and the command-line framework, run through the real CLI (see conftest).

Each attack asserts the exit code, exactly one ``error:`` line, no traceback and an unchanged data
fingerprint. Guards come with a control showing that the unguarded path does the harm.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from observatory import store
from tests.reliability.conftest import (
    Workspace,
    assert_ok,
    assert_one_error,
    cli_command,
    fingerprint,
    run_cli,
)

# --- outputs (-o) never destroy the store --------------------------------------------------------------


def test_control_writing_over_the_database_file_destroys_it(workspace: Workspace) -> None:
    """Control for the output guard: what `export -o <db>` used to do (write over it) ruins the store."""
    copy = workspace.root / "victim.duckdb"
    copy.write_bytes(workspace.db.read_bytes())
    with open(copy, "wb") as handle:  # the unguarded path: a plain open() of the target
        handle.write(b"tool_id,name\n")
    with pytest.raises(duckdb.Error):
        fingerprint(copy)


OUTPUT_ATTACKS = [("export tools -o {target}", t) for t in
                  ("{db}", "{db}.wal", "{db}.lock", "{db}.writing", "{archive}/x.csv", "{archive}")] + [
                  ("report --tools decidim -o {target}", t) for t in ("{db}", "{archive}/report.html")]


@pytest.mark.parametrize(("command", "target"), OUTPUT_ATTACKS, ids=[f"{c.split()[0]} {t}" for c, t in OUTPUT_ATTACKS])
def test_outputs_refuse_the_store_and_the_archive(workspace: Workspace, command: str, target: str) -> None:
    before = workspace.fingerprint()
    db_bytes = workspace.db.read_bytes()
    path = target.format(db=workspace.db, archive=workspace.archive)
    args = command.format(target=path).split()
    assert_one_error(workspace.run(*args, "--force"), 2, mentions="refusing")
    assert workspace.db.read_bytes() == db_bytes and workspace.fingerprint() == before
    assert not Path(path).is_file() or Path(path) == workspace.db


@pytest.mark.parametrize("command", ["export tools -o {dir}", "report --tools decidim -o {dir}"])
def test_outputs_refuse_a_folder(workspace: Workspace, command: str) -> None:
    folder = workspace.root / "out"
    folder.mkdir()
    assert_one_error(workspace.run(*command.format(dir=folder).split()), 2, mentions="folder")
    assert list(folder.iterdir()) == []


def test_outputs_keep_an_existing_file_unless_forced(workspace: Workspace) -> None:
    target = workspace.root / "tools.csv"
    target.write_text("precious\n")
    assert_one_error(workspace.run("export", "tools", "-o", str(target)), 2, mentions="--force")
    assert target.read_text() == "precious\n"
    assert_one_error(workspace.run("report", "--tools", "decidim", "-o", str(target)), 2, mentions="--force")
    assert target.read_text() == "precious\n"
    assert_ok(workspace.run("export", "tools", "-o", str(target), "--force"))
    assert target.read_text().startswith('"tool_id"')
    assert json.loads((workspace.root / "tools.csv.meta.json").read_text())["row_count"] > 0
    assert not [p for p in workspace.root.iterdir() if p.name.endswith(".part")]


def test_output_in_an_unwritable_place_is_one_line(workspace: Workspace) -> None:
    assert_one_error(workspace.run("export", "tools", "-o", "/proc/no-such-folder/tools.csv"), 2)


# --- ordinary mistakes end in one line -----------------------------------------------------------------

MISTAKES = [
    # (arguments, exit code, a word the error line must contain)
    (["collect", "github", "--since", "notadate"], 2, "YYYY-MM-DD"),
    (["sql", "select * from no_such_table"], 1, "no_such_table"),
    (["sql", "selec 1"], 2, "parse"),
    (["sql", "select 1", "--format", "xml"], 2, "format"),
    (["sql", "select 1", "--max-rows", "0"], 2, "max-rows"),
    (["sql", "delete from tools"], 2, "read-only"),
    (["export", "no_such_table"], 1, "no_such_table"),
    (["export", "tools", "--format", "xml"], 2, "format"),
    (["report", "--tools", "no-such-tool"], 2, "no-such-tool"),
    (["report", "--tools", "decidim", "--needs", "{root}"], 2, "needs"),
    (["info", "--no-such-option"], 2, "no-such-option"),
    (["no-such-command"], 2, "no-such-command"),
    (["info", "--db", "{root}/missing.duckdb"], 1, "not found"),
    (["sql", "select 1", "--db", "{root}/missing.duckdb"], 1, "not found"),
    (["runs", "--db", "{root}/missing/x.duckdb"], 2, "not found"),
    (["info", "--db", "{root}"], 2, "folder"),
    (["build", "--db", "/proc/no-such-folder/x.duckdb"], 2, "folder"),
    (["collect", "no-such-collector"], 2, "no-such-collector"),
]


@pytest.mark.parametrize(("args", "code", "mentions"), MISTAKES, ids=[" ".join(m[0])[:40] for m in MISTAKES])
def test_ordinary_mistakes_end_in_one_line(workspace: Workspace, args: list[str], code: int, mentions: str) -> None:
    before = workspace.fingerprint()
    run = workspace.run(*(a.format(root=workspace.root) for a in args))
    assert_one_error(run, code, mentions=mentions)
    assert workspace.fingerprint() == before
    assert not (workspace.root / "missing").exists() and not (workspace.root / "missing.duckdb").exists()


def test_debug_shows_the_traceback(workspace: Workspace) -> None:
    run = workspace.run("--debug", "collect", "github", "--since", "notadate")
    assert "Traceback" in run.stderr and run.returncode == 2 and len(run.error_lines()) == 1


def test_an_unexpected_exception_is_one_line_with_a_debug_hint(capsys: pytest.CaptureFixture[str]) -> None:
    import typer

    from observatory import failures

    app = typer.Typer(cls=failures.GuardedGroup)

    @app.command()
    def boom() -> None:
        raise RuntimeError("something nobody planned for")

    @app.command()
    def other() -> None:
        pass

    assert failures.run(app, ["boom"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == ["error: unexpected RuntimeError: something nobody planned for, `observatory boom`, "
                     "re-run with --debug to see the traceback, and report it"]


# --- damage is detected --------------------------------------------------------------------------------


def _counts_answer(path: Path) -> bool:
    """What `info` used to do: count the rows of every table (True when that raises nothing)."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return False
    try:
        return all(con.execute(f'SELECT count(*) FROM "{t}"').fetchone() for t in store.user_tables(con))
    except duckdb.Error:
        return False
    finally:
        con.close()


def _damage_middle(path: Path) -> None:
    """Garbage inside the file where counting rows still answers (the damage a row count cannot see).

    Tries offsets from the middle outwards on a copy, keeps the first one counting survives; fails when the
    file has no such place (then the control below would prove nothing).
    """
    size, pristine = path.stat().st_size, path.read_bytes()
    garbage = bytes((i * 7919 + 13) % 251 for i in range(300_000))  # fixed, so a failure can be replayed
    for fraction in (0.5, 0.6, 0.4, 0.7, 0.3, 0.8, 0.2, 0.9):
        offset = int(size * fraction)
        path.write_bytes(pristine[:offset] + garbage + pristine[offset + len(garbage):])
        if _counts_answer(path):
            return
    raise AssertionError("no offset where counting rows survives the damage")


def test_control_a_damaged_file_still_answers_simple_questions(workspace: Workspace) -> None:
    """Control for the damage check: counting rows (what `info` used to do) does not notice garbage."""
    _damage_middle(workspace.db)
    assert _counts_answer(workspace.db)


@pytest.mark.parametrize("damage", ["garbage in the middle", "truncated", "not a database"])
def test_info_reports_a_damaged_file(workspace: Workspace, damage: str) -> None:
    if damage == "garbage in the middle":
        _damage_middle(workspace.db)
    elif damage == "truncated":
        data = workspace.db.read_bytes()
        workspace.db.write_bytes(data[: len(data) // 3])
    else:
        workspace.db.write_text("tool_id,name\ndecidim,Decidim\n")
    damaged = workspace.db.read_bytes()
    line = assert_one_error(workspace.run("info"), 3, mentions="damaged")
    assert "observatory build" in line
    assert workspace.db.read_bytes() == damaged  # reported, never "repaired" behind the user's back


def test_build_refuses_to_overwrite_a_file_that_is_not_a_database(workspace: Workspace) -> None:
    victim = workspace.root / "notes.txt"
    victim.write_text("my notes\n")
    assert_one_error(workspace.run("build", "--db", str(victim)), 3, mentions="damaged")
    assert victim.read_text() == "my notes\n"


# --- bounded SQL ---------------------------------------------------------------------------------------


def test_sql_single_long_expression_is_stopped_on_time(workspace: Workspace) -> None:
    started = time.monotonic()
    run = workspace.run("sql", "select repeat('x', 1000000000)", "--timeout", "2")
    assert_one_error(run, 1, mentions="stopped after 2 s")
    assert time.monotonic() - started < 30  # before: past its limit (71 s for a 60 s limit), ~4 GB


def test_sql_result_is_capped_in_bytes(workspace: Workspace) -> None:
    run = workspace.run("sql", "select repeat('x', 1000000) as big from range(100)", "--format", "csv")
    assert run.returncode == 0 and "Traceback" not in run.output, run.describe()
    assert "50 MB" in run.stderr and len(run.stdout) < 60 * 1024**2


def test_sql_memory_hungry_query_is_refused(workspace: Workspace) -> None:
    run = workspace.run("sql", "select list(range(300000000))")
    assert_one_error(run, 1, mentions="memory")


# --- collectors fail fast -------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_collect_against_nothing_listening_fails_fast(workspace: Workspace) -> None:
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    run = workspace.run("collect", "decidim", "pabulib", "--endpoint", endpoint)
    elapsed = time.monotonic() - started
    assert_one_error(run, 1, mentions="failed")
    assert "requests" in run.stderr and "retries" in run.stderr  # progress while it works
    assert elapsed < 30, f"{elapsed:.0f} s"  # before: retried every request with backoff (~3 min for all)


# --- validate = build succeeds --------------------------------------------------------------------------


def _datasets_with_type_mismatch(root: Path) -> Path:
    import shutil

    from observatory.config import load_settings

    target = root / "datasets"
    shutil.copytree(load_settings().datasets_dir, target, ignore=shutil.ignore_patterns("scripts", "*.md"))
    descriptor_path = target / "catalogue" / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text())
    for resource in descriptor["resources"]:
        for fld in resource["schema"]["fields"]:
            if resource["name"] == "tools" and fld["name"] == "first_release_year":
                fld["type"] = "string"  # the Table Schema now lets text through; the DDL says INTEGER
                fld.pop("constraints", None)
    descriptor_path.write_text(json.dumps(descriptor, indent=1))
    tools = target / "catalogue" / "tools.csv"
    lines = tools.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    column = header.index("first_release_year")
    import csv
    import io

    rows = list(csv.reader(io.StringIO("".join(lines))))
    rows[1][column] = "2015a"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    tools.write_text(buffer.getvalue(), encoding="utf-8")
    return target


def test_validate_catches_a_type_the_ddl_refuses_and_build_leaves_nothing(workspace: Workspace) -> None:
    datasets = _datasets_with_type_mismatch(workspace.root)
    # control: loading these rows into the real tables fails (the harm validate must foresee)
    from observatory.datapackage import DatasetError, discover_packages
    from observatory.datasets import load_packages

    con = store.connect_writer(":memory:")
    with pytest.raises(DatasetError, match="first_release_year|2015a|INT"):
        with store.transaction(con):
            load_packages(con, discover_packages(datasets))
    con.close()
    run = workspace.run("validate", "--datasets", str(datasets))
    assert_one_error(run, 1)
    assert "tools.csv:2:first_release_year" in run.stderr
    new_db = workspace.root / "fresh" / "new.duckdb"
    run = workspace.run("build", "--datasets", str(datasets), "--db", str(new_db))
    assert_one_error(run, 1, mentions="nothing was written")
    assert not new_db.exists() and not store.working_path(new_db).exists()


# --- writers never block readers, never half-write ------------------------------------------------------


def _popen_cli(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([*cli_command(), *args], env={**os.environ, **env}, stdout=subprocess.PIPE,  # noqa: S603
                            stderr=subprocess.PIPE, text=True)


READER_LOOP = """
import sys, time
from pathlib import Path
from observatory.store import connect_readonly
db, stop = Path(sys.argv[1]), Path(sys.argv[2])
while not stop.exists():
    try:
        con = connect_readonly(db)
        try:
            print("ok", con.execute("SELECT count(*) FROM tools").fetchone()[0], flush=True)
        finally:
            con.close()
    except Exception as exc:
        print("fail", repr(exc), flush=True)
    time.sleep(0.05)
"""


def test_readers_keep_answering_while_build_writes(workspace: Workspace) -> None:
    before = workspace.fingerprint()
    stop = workspace.root / "stop-reading"
    old_reader = store.connect_readonly(workspace.db)  # opened before the writer starts, kept open
    reader = subprocess.Popen([sys.executable, "-c", READER_LOOP, str(workspace.db), str(stop)],  # noqa: S603
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    writer = _popen_cli(["build"], workspace.env)
    cli_reader = run_cli(["sql", "select count(*) from deployments", "--format", "csv"], env=workspace.env)
    _, err = writer.communicate(timeout=120)
    stop.touch()
    lines = reader.communicate(timeout=30)[0].splitlines()
    assert writer.returncode == 0, err
    assert_ok(cli_reader)
    assert len(lines) >= 3 and all(line.startswith("ok ") and int(line.split()[1]) > 0 for line in lines), lines
    assert old_reader.execute("SELECT count(*) FROM tools").fetchone()[0] > 0  # its old file, still whole
    old_reader.close()
    assert workspace.fingerprint() == before  # same datasets: the same rows, published whole


def test_a_killed_writer_leaves_the_previous_store_intact(workspace: Workspace) -> None:
    before = workspace.fingerprint()
    working = store.working_path(workspace.db)
    writer = _popen_cli(["build"], workspace.env)
    deadline = time.monotonic() + 90
    while not working.exists() and writer.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert writer.poll() is None, "the writer finished before it could be killed"
    writer.send_signal(signal.SIGKILL)
    writer.communicate()
    assert working.exists()  # the kill left its working copy behind...
    assert workspace.fingerprint() == before
    assert_ok(workspace.run("info"))
    with store.writer(workspace.db):  # ...which the next writer removes before making its own
        pass
    assert not working.exists() and workspace.fingerprint() == before


def test_a_second_writer_refuses_naming_the_first(workspace: Workspace) -> None:
    before = workspace.fingerprint()
    with store.store_lock(workspace.db):
        run = workspace.run("rebuild", env={"OBSERVATORY_LOCK_WAIT": "0.5"})
        reader = workspace.run("sql", "select count(*) from tools")  # readers are not held up by writers
    line = assert_one_error(run, 3, mentions="another writer")
    assert f"pid {os.getpid()}" in line
    assert_ok(reader)
    assert workspace.fingerprint() == before


def test_a_failing_writer_publishes_nothing(workspace: Workspace) -> None:
    before = workspace.fingerprint()
    with pytest.raises(RuntimeError), store.writer(workspace.db) as con:
        con.execute("DELETE FROM tools")
        raise RuntimeError("the import failed half-way")
    assert workspace.fingerprint() == before
    assert not store.working_path(workspace.db).exists()



def test_the_dashboard_sees_a_published_store(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB gives a new connection to a path the database it already holds open (the old file):
    the dashboard must let go of the old one when a writer publishes."""
    import streamlit as st

    from dashboards import data

    monkeypatch.setenv("OBSERVATORY_DB", str(workspace.db))
    st.cache_resource.clear()
    try:
        before = data.connection().execute("SELECT count(*) FROM tools").fetchone()[0]
        # control: a second plain read-only connection opened while the first is open sees the old file
        held = store.connect_readonly(workspace.db)
        with store.writer(workspace.db) as con:
            con.execute("DELETE FROM tools WHERE tool_id = 'decidim'")
        stale = store.connect_readonly(workspace.db)
        assert stale.execute("SELECT count(*) FROM tools").fetchone()[0] == before
        stale.close()
        held.close()
        assert data.connection().execute("SELECT count(*) FROM tools").fetchone()[0] == before - 1
    finally:
        st.cache_resource.clear()
