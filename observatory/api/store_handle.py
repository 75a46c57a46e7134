"""The API's view of the published store: one read-only connection, reopened when a new file is published.

Writers publish a new database by atomic rename, so the path keeps naming a complete file while its inode
changes. DuckDB caches one database instance per path in a process: a second ``connect`` on the same path
returns the *old* file for as long as any connection to it is open. So a change is handled by draining:
new requests wait (briefly) until the requests still reading the old file finish, the old connection is
closed, and the new file is opened. The data version (the ETag) is a hash of the file's identity (device,
inode, size, modification time) and its schema version, which is different for every published file.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

from observatory import schema
from observatory.store import connect_readonly

FileKey = tuple[int, int, int, int]
T = TypeVar("T")


class StoreUnavailable(RuntimeError):
    """The published store cannot be read right now (missing, locked by a writer, or damaged)."""


@dataclass(frozen=True)
class Snapshot:
    """One request's view: its own cursor on the connection and the data version it reads."""

    cursor: duckdb.DuckDBPyConnection
    version: str


def file_key(path: Path) -> FileKey:
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def data_version(key: FileKey, schema_version: int) -> str:
    """A short, stable hash of one published file (what the API sends as ETag)."""
    text = ":".join(str(part) for part in (*key, schema_version))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


class PublishedStore:
    """Thread-safe access to the current published file; see the module docstring for the reopening rule."""

    def __init__(self, path: str | Path, drain_timeout_s: float = 2.0) -> None:
        self.path = Path(path)
        self.drain_timeout_s = drain_timeout_s
        self._cond = threading.Condition()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._key: FileKey | None = None
        self._version = ""
        self._leases = 0
        self._memo: dict[tuple[str, str], object] = {}
        self.reopens = 0

    def _refresh_locked(self) -> None:
        try:
            key = file_key(self.path)
        except FileNotFoundError as exc:
            if self._con is not None:
                return  # keep serving the last file we had while the path is briefly absent
            raise StoreUnavailable(f"database not found: {self.path.name} (run `observatory build`)") from exc
        if key == self._key and self._con is not None:
            return
        if self._con is not None and not self._cond.wait_for(lambda: self._leases == 0, self.drain_timeout_s):
            return  # long readers still on the old file: keep serving it and try again on the next request
        if self._con is not None:
            self._con.close()
            self._con = None
        try:
            con = connect_readonly(self.path)
            version = schema.current_version(con)
        except (duckdb.Error, OSError) as exc:
            self._key = None
            raise StoreUnavailable(f"cannot open the published store: {exc}") from exc
        self._con, self._key, self._version = con, key, data_version(key, version)
        self._memo = {k: v for k, v in self._memo.items() if k[0] == self._version}
        self.reopens += 1

    def cached_version(self) -> str | None:
        """The data version without locking or waiting, or None when the file changed (call :meth:`version`)."""
        try:
            key = file_key(self.path)
        except OSError:
            return None
        return self._version if key == self._key and self._con is not None else None

    def version(self) -> str:
        """The data version of the file now published (reopening it if it changed)."""
        with self._cond:
            self._refresh_locked()
            return self._version

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """A cursor on the current file, valid for the ``with`` block; the file is not closed under it."""
        with self._cond:
            self._refresh_locked()
            assert self._con is not None
            cursor = self._con.cursor()
            self._leases += 1
            version = self._version
        try:
            yield Snapshot(cursor, version)
        finally:
            cursor.close()
            with self._cond:
                self._leases -= 1
                self._cond.notify_all()

    def memo(self, snap: Snapshot, name: str, compute: Callable[[], T]) -> T:
        """A fact that depends only on the file (its catalogue, say), computed once per data version."""
        key = (snap.version, name)
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def close(self, timeout_s: float = 30.0) -> None:
        """Close the file once the requests still reading it are done (queries stop at their time limit)."""
        with self._cond:
            self._cond.wait_for(lambda: self._leases == 0, timeout_s)
            if self._con is not None:
                self._con.close()
            self._con, self._key = None, None
