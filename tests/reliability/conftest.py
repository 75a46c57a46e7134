"""Harness for attacks on the real command line: a subprocess under a memory cap and a timeout.

Every attack asserts the same four things: the exit code, exactly one ``error:`` line, no traceback,
and that the data is unchanged (a sha256 fingerprint of a canonical dump of every table). The CLI
runs as the user runs it (the installed ``observatory`` script, or ``python -c`` calling its entry
point when the script is absent), with its database and archive in a temporary folder.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

# Address-space cap of every CLI subprocess: far above what an honest command needs (~1 GiB of
# mappings for Python + DuckDB + pyarrow), far below what a runaway query or archive would take.
DEFAULT_MEMORY_CAP_BYTES = 3 * 1024**3
DEFAULT_TIMEOUT_S = 60.0


def cli_command() -> list[str]:
    """The installed console script beside this interpreter, else the entry point through ``-c``."""
    script = Path(sys.executable).with_name("observatory")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from observatory.cli import main; sys.exit(main())"]


@dataclass
class CliRun:
    """What one CLI run left behind: exit code and both streams."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def error_lines(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.startswith("error:")]

    def describe(self) -> str:
        return f"observatory {' '.join(self.args)} -> {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def _limit_memory(cap_bytes: int):  # noqa: ANN202 - a preexec_fn
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap_bytes, cap_bytes))

    return apply


def run_cli(args: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = DEFAULT_TIMEOUT_S, memory_cap: int = DEFAULT_MEMORY_CAP_BYTES,
            stdin: str | None = None) -> CliRun:
    """Run ``observatory ARGS`` in a subprocess with a memory cap; a timeout fails the test."""
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", **(env or {})}
    try:
        proc = subprocess.run(  # noqa: S603 - our own CLI with test arguments
            [*cli_command(), *args], env=full_env, cwd=cwd, capture_output=True, text=True, timeout=timeout,
            input=stdin, preexec_fn=_limit_memory(memory_cap),
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"observatory {' '.join(args)} still running after {timeout:g} s\n"
                    f"stdout: {exc.stdout!r}\nstderr: {exc.stderr!r}")
    return CliRun(args, proc.returncode, proc.stdout, proc.stderr)


def assert_one_error(run: CliRun, code: int, *, mentions: str | None = None) -> str:
    """Exit ``code``, exactly one ``error:`` line (returned), no traceback anywhere."""
    assert "Traceback" not in run.output, run.describe()
    assert run.returncode == code, run.describe()
    lines = run.error_lines()
    assert len(lines) == 1, run.describe()
    if mentions is not None:
        assert mentions.lower() in lines[0].lower(), run.describe()
    return lines[0]


def assert_ok(run: CliRun) -> None:
    """Exit 0, no error line, no traceback."""
    assert run.returncode == 0 and not run.error_lines() and "Traceback" not in run.output, run.describe()


def fingerprint(db_path: Path) -> str:
    """sha256 of a canonical dump of every table: names, column names and types, rows in sorted order.

    Opened read-only with default settings, so it reads any file our writers leave; the order of rows
    in storage does not matter, their content does.
    """
    digest = hashlib.sha256()
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
        for table in tables:
            columns = con.execute(f'DESCRIBE "{table}"').fetchall()
            digest.update(f"table {table}: {[(c[0], c[1]) for c in columns]}\n".encode())
            rows = con.execute(f'SELECT * FROM "{table}"').fetchall()
            for line in sorted(repr(row) for row in rows):
                digest.update(line.encode())
                digest.update(b"\n")
    finally:
        con.close()
    return digest.hexdigest()


@dataclass
class Workspace:
    """A private data home for attacks: the database, its archive folder and an env pointing at them."""

    root: Path
    db: Path

    @property
    def archive(self) -> Path:
        return self.db.parent / "archive"

    @property
    def env(self) -> dict[str, str]:
        return {"OBSERVATORY_DB": str(self.db), "OBSERVATORY_ARCHIVE": str(self.archive),
                "XDG_DATA_HOME": str(self.root / "xdg")}

    def run(self, *args: str, **kwargs: object) -> CliRun:
        env = {**self.env, **(kwargs.pop("env", None) or {})}  # type: ignore[dict-item]
        return run_cli(list(args), env=env, cwd=kwargs.pop("cwd", self.root), **kwargs)  # type: ignore[arg-type]

    def fingerprint(self) -> str:
        return fingerprint(self.db)


@pytest.fixture
def workspace(built_db: Path, tmp_path: Path) -> Workspace:
    """A copy of the database built from ``datasets/``, with an (empty) archive folder beside it."""
    db = tmp_path / "data" / "observatory.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)
    (db.parent / "archive").mkdir()
    return Workspace(tmp_path, db)
