"""DuckDB connections: readers open the published file; a writer works on a copy and publishes it.

The concurrency model ("writers never block readers and never half-write"):

- **Readers** (dashboards, reports, ``observatory sql``) open the *published* file read-only with the
  same locked configuration (DuckDB refuses two connections to one file with different configurations
  in one process, and the lock stops any query from reaching files, URLs or extensions).
- **A writer** (:func:`writer`) takes ``<db>.lock`` (``flock``, with its pid and command written in it),
  copies the published file to ``<db>.writing``, works on the copy, CHECKPOINTs it and publishes it with
  one atomic ``os.replace``. A reader that had the old file open keeps its old inode and keeps
  answering; a reader that opens after the rename sees the new file. A writer that fails or is killed
  never touches the published file; its copy is removed by the next writer.
- A second writer waits up to ``OBSERVATORY_LOCK_WAIT`` seconds (default 10) for the lock, then refuses
  with :class:`~observatory.errors.StoreBusy` naming the process that holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from observatory import schema
from observatory.errors import BadUsage, StoreBusy, StoreDamaged
from observatory.messages import say

# Verified on duckdb 1.4/2.0: with these settings COPY/EXPORT/ATTACH, read_csv & co, INSTALL/LOAD and
# scans of Python variables fail, and no SET can undo them (lock_configuration).
LOCKED_CONFIG: dict[str, Any] = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "threads": 2,
    "memory_limit": "1GB",  # readers answer questions; a query that needs more is refused
    "lock_configuration": True,
}

LOCK_SUFFIX = ".lock"
WORKING_SUFFIX = ".writing"
DEFAULT_LOCK_WAIT_S = 10.0
REBUILD_HINT = "rebuild it: move it aside, then run `observatory build` (and `observatory rebuild` for collected tables)"


def companion_files(path: str | Path) -> list[Path]:
    """Files that belong to the store at ``path``: the database, its WAL, lock and working copy."""
    path = Path(path)
    working = working_path(path)
    return [path, wal_path(path), lock_path(path), working, wal_path(working)]


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + LOCK_SUFFIX)


def working_path(path: Path) -> Path:
    return path.with_name(path.name + WORKING_SUFFIX)


def store_error(exc: BaseException, path: str | Path) -> StoreBusy | StoreDamaged | None:
    """The user-facing error for a DuckDB failure on the store file, or None when it is not one."""
    text = str(exc)
    lowered = text.lower()
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    if "could not set lock" in lowered or "conflicting lock" in lowered:
        return StoreBusy(say("cli.store.locked", detail=first), str(path), say("cli.todo.close_writer"))
    damaged_signs = ("not a valid duckdb database", "checksum", "corrupt", "failed to read", "could not read",
                     "invalid block", "block size", "too small", "truncated", "deserializ",
                     "unsupported database version", "storage version")
    if isinstance(exc, duckdb.SerializationException | duckdb.InternalException) or any(
            sign in lowered for sign in damaged_signs):
        return StoreDamaged(say("cli.store.damaged", detail=first), str(path), REBUILD_HINT)
    return None


def _check_store_path(path: Path) -> None:
    if path.is_dir():
        raise BadUsage(say("cli.store.path_is_folder"), str(path), say("cli.todo.give_db_file"))


def connect_readonly(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open the published database read-only with the locked configuration."""
    path = Path(path)
    _check_store_path(path)
    if not path.exists():
        raise FileNotFoundError(f"database not found: {path} (run `observatory build` first)")
    try:
        return duckdb.connect(str(path), read_only=True, config=dict(LOCKED_CONFIG))
    except duckdb.Error as exc:
        mapped = store_error(exc, path)
        if mapped is not None:
            raise mapped from exc
        raise


def connect_writer(path: str | Path, migrate: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a database file *directly* and bring its schema up to date.

    Only for files no reader sees yet: ``:memory:``, a writer's working copy, test fixtures. Commands
    write the published store through :func:`writer`.
    """
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    if migrate:
        try:
            schema.migrate(con)
        except BaseException:
            con.close()
            raise
    return con


def _lock_wait_s() -> float:
    try:
        return max(0.0, float(os.environ.get("OBSERVATORY_LOCK_WAIT", DEFAULT_LOCK_WAIT_S)))
    except ValueError:
        return DEFAULT_LOCK_WAIT_S


def _holder(lock_file: Path) -> str:
    try:
        text = lock_file.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    return text or "another process"


@contextmanager
def store_lock(path: Path, wait_s: float | None = None) -> Iterator[None]:
    """Hold ``<db>.lock`` exclusively (pid and command written in it); refuse with StoreBusy after ``wait_s``."""
    lock_file = lock_path(path)
    wait_s = _lock_wait_s() if wait_s is None else wait_s
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise BadUsage(f"cannot create the store's lock file ({exc.strerror})", str(lock_file),
                       "check that the database folder exists and is writable") from exc
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(say("cli.store.writer_holds", holder=_holder(lock_file)), str(path),
                                    say("cli.todo.wait_writer")) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}: {' '.join(['observatory', *sys.argv[1:]])[:300]}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _remove(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextmanager
def writer(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated connection on a working copy of the store, published atomically when the block succeeds.

    On any exception (or a kill) the published file is untouched and the working copy is dropped.
    """
    if str(path) == ":memory:":
        con = connect_writer(path)
        try:
            yield con
        finally:
            con.close()
        return
    path = Path(path)
    _check_store_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadUsage(f"cannot create the database folder ({exc.strerror})", str(path.parent),
                       "give --db a path in a writable folder") from exc
    working = working_path(path)
    with store_lock(path):
        _remove(working, wal_path(working))  # left by a writer that was killed
        if path.exists():
            shutil.copyfile(path, working)
            if wal_path(path).exists():  # a WAL from a direct writer: carried over, replayed by DuckDB
                shutil.copyfile(wal_path(path), wal_path(working))
        try:
            con = connect_writer(working)
        except duckdb.Error as exc:
            _remove(working, wal_path(working))
            mapped = store_error(exc, path)
            raise (mapped or exc) from exc
        published = False
        try:
            yield con
            con.execute("CHECKPOINT")
            con.close()
            with open(working, "rb+") as handle:
                os.fsync(handle.fileno())
            _remove(wal_path(path))  # its content is in the copy; a stale WAL must not meet the new file
            os.replace(working, path)
            _fsync_dir(path.parent)
            published = True
        finally:
            if not published:
                with contextlib.suppress(Exception):
                    con.close()
                _remove(working, wal_path(working))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any exception (then re-raise)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def user_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables and views of the main schema, bookkeeping tables excluded, sorted by name."""
    cur = con.cursor()  # its own cursor: readers share one connection across threads
    try:
        rows = cur.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_name NOT IN ('schema_migrations') ORDER BY table_name"
        ).fetchall()
    finally:
        cur.close()
    return [r[0] for r in rows]


def verify(con: duckdb.DuckDBPyConnection, path: str | Path) -> dict[str, int]:
    """Read every block of every table (DuckDB checks each block's checksum); rows per table, or StoreDamaged.

    ``count(*)`` alone answers from metadata, so every column is hashed: that reads all their blocks.
    """
    counts: dict[str, int] = {}
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
        for table in tables:
            counts[table] = con.execute(
                f'SELECT count(*) FROM "{table}" WHERE hash(COLUMNS(*)) IS NOT NULL').fetchone()[0]
    except duckdb.Error as exc:
        mapped = store_error(exc, path)
        if isinstance(mapped, StoreDamaged):
            raise mapped from exc
        raise StoreDamaged(f"the database file cannot be read back ({str(exc).strip().splitlines()[0]})",
                           str(path), REBUILD_HINT) from exc
    return counts
