"""Raw archive: every HTTP outcome a collector saw, so tables can be rebuilt offline.

Bodies are stored once, gzip-compressed, under ``<archive_dir>/<sha[:2]>/<sha>.gz`` (content
addressed, so identical answers cost nothing); the index lives in DuckDB ``raw_responses``.
Index rows are buffered and written by :meth:`RawArchive.flush` in their own transaction, so a
collector whose load step rolls back still keeps the evidence of what it fetched.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from observatory.http import ERROR_KINDS, FetchError, ReplayMissError, Response, redact

# Response headers worth keeping; anything else (cookies, tokens echoed back...) is dropped.
KEPT_HEADERS = ("content-type", "etag", "last-modified", "link", "retry-after", "x-ratelimit-remaining",
                "x-ratelimit-reset", "x-total", "x-total-pages", "x-next-page", "location", "date",
                "x-generator", "server", "x-powered-by")


@dataclass(frozen=True)
class Validators:
    """What a conditional request needs from the last good answer for a URL."""

    etag: str | None
    last_modified: str | None
    sha256: str
    status: int


@dataclass
class _Entry:
    run_id: str
    seq: int
    method: str
    url: str
    body_sha256: str | None
    status: int | None
    headers: dict[str, str]
    fetched_at: datetime
    sha256: str | None
    size: int | None
    final_url: str | None
    redirects: int | None
    elapsed_ms: float | None
    not_modified: bool
    error_kind: str | None
    error: str | None


_COLUMNS = ("run_id", "seq", "method", "url", "body_sha256", "status", "headers", "fetched_at", "sha256",
            "size", "final_url", "redirects", "elapsed_ms", "not_modified", "error_kind", "error")
# Built once from the constant column list above (no outside input reaches these statements).
_INSERT_SQL = (f"INSERT OR REPLACE INTO raw_responses ({', '.join(_COLUMNS)}) "  # noqa: S608
               f"VALUES ({', '.join('?' for _ in _COLUMNS)})")
_REPLAY_SQL = f"SELECT {', '.join(_COLUMNS)} FROM raw_responses WHERE run_id = ? ORDER BY seq"  # noqa: S608


class RawArchive:
    """Content-addressed body store plus the ``raw_responses`` index (see module docstring)."""

    def __init__(self, archive_dir: str | os.PathLike[str], con: duckdb.DuckDBPyConnection) -> None:
        self.dir = Path(archive_dir)
        self.con = con
        self._lock = threading.Lock()
        self._pending: list[_Entry] = []
        self._seq: dict[str, int] = defaultdict(int)
        self._replay: dict[tuple[str, str, str, str | None], list[_Entry]] = {}
        self._replay_pos: dict[tuple[str, str, str, str | None], int] = defaultdict(int)
        self._replay_loaded: set[str] = set()

    # -- bodies -------------------------------------------------------------------------------

    def path_for(self, sha256: str) -> Path:
        return self.dir / sha256[:2] / f"{sha256}.gz"

    def store(self, body: bytes) -> str:
        """Write ``body`` once under its sha256 (atomic rename) and return the hash."""
        sha = hashlib.sha256(body).hexdigest()
        path = self.path_for(sha)
        if path.exists():
            return sha
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                gz.write(body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha

    def load(self, sha256: str) -> bytes:
        path = self.path_for(sha256)
        try:
            return gzip.decompress(path.read_bytes())
        except FileNotFoundError:
            raise FileNotFoundError(f"archived body {sha256} missing from {self.dir}") from None

    # -- index --------------------------------------------------------------------------------

    def _next_seq(self, run_id: str) -> int:
        self._seq[run_id] += 1
        return self._seq[run_id]

    def record(self, run_id: str, method: str, url: str, body_sha256: str | None, resp: Response) -> None:
        """Archive a complete response (its body is stored unless it replayed an older one)."""
        sha = hashlib.sha256(resp.body).hexdigest() if resp.not_modified else self.store(resp.body)
        resp.sha256 = sha
        headers = {k: redact(v) for k, v in resp.headers.items() if k in KEPT_HEADERS}
        with self._lock:
            self._pending.append(_Entry(run_id, self._next_seq(run_id), method, url, body_sha256, resp.status,
                                        headers, resp.fetched_at, sha, len(resp.body), resp.final_url,
                                        resp.redirects, resp.elapsed_ms, resp.not_modified, None, None))

    def record_error(self, run_id: str, method: str, url: str, body_sha256: str | None,
                     fetched_at: datetime, exc: FetchError) -> None:
        """Archive a failure so a replay raises the same error and yields the same rows."""
        with self._lock:
            self._pending.append(_Entry(run_id, self._next_seq(run_id), method, url, body_sha256, exc.status,
                                        {}, fetched_at, None, None, None, None, None, False,
                                        exc.kind, exc.detail))

    def flush(self, con: duckdb.DuckDBPyConnection | None = None) -> int:
        """Write buffered index rows in one transaction; return how many were written."""
        con = con or self.con
        with self._lock:
            pending, self._pending = self._pending, []
        if not pending:
            return 0
        rows = [[getattr(e, c) if c != "headers" else json.dumps(e.headers, sort_keys=True) for c in _COLUMNS]
                for e in pending]
        con.execute("BEGIN TRANSACTION")
        try:
            con.executemany(_INSERT_SQL, rows)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        return len(rows)

    def validators(self, method: str, url: str, body_sha256: str | None) -> Validators | None:
        """ETag / Last-Modified of the newest successful answer for this request, if any."""
        with self._lock:
            for e in reversed(self._pending):
                if (e.method, e.url, e.body_sha256) == (method, url, body_sha256) and e.status == 200 and e.sha256:
                    return _validators_of(e.headers, e.sha256, e.status)
            row = self.con.execute(
                "SELECT headers, sha256, status FROM raw_responses WHERE method = ? AND url = ? "
                "AND body_sha256 IS NOT DISTINCT FROM ? AND status = 200 AND sha256 IS NOT NULL "
                "ORDER BY fetched_at DESC, seq DESC LIMIT 1", [method, url, body_sha256]).fetchone()
        if row is None:
            return None
        return _validators_of(json.loads(row[0]) if row[0] else {}, row[1], row[2])

    # -- replay -------------------------------------------------------------------------------

    def _load_replay(self, run_id: str) -> None:
        rows = self.con.execute(_REPLAY_SQL, [run_id]).fetchall()
        for row in rows:
            values = dict(zip(_COLUMNS, row, strict=True))
            values["headers"] = json.loads(values["headers"]) if values["headers"] else {}
            entry = _Entry(**values)
            self._replay.setdefault((run_id, entry.method, entry.url, entry.body_sha256), []).append(entry)
        self._replay_loaded.add(run_id)

    def replay(self, run_id: str, method: str, url: str, body_sha256: str | None) -> Response:
        """The next archived outcome of this request in ``run_id`` (the last one repeats)."""
        with self._lock:
            if run_id not in self._replay_loaded:
                self._load_replay(run_id)
            key = (run_id, method, url, body_sha256)
            entries = self._replay.get(key)
            if not entries:
                raise ReplayMissError(url, f"no archived response in run {run_id}")
            pos = self._replay_pos[key]
            entry = entries[min(pos, len(entries) - 1)]
            self._replay_pos[key] = pos + 1
        if entry.error_kind:
            cls = ERROR_KINDS.get(entry.error_kind, FetchError)
            raise cls(url, entry.error or "", entry.status)
        assert entry.sha256 is not None and entry.status is not None
        return Response(url=url, status=entry.status, headers=entry.headers, body=self.load(entry.sha256),
                        fetched_at=entry.fetched_at, final_url=entry.final_url or url,
                        redirects=entry.redirects or 0, elapsed_ms=entry.elapsed_ms or 0.0,
                        not_modified=entry.not_modified, sha256=entry.sha256)


def _validators_of(headers: dict[str, str], sha256: str, status: int) -> Validators | None:
    etag, modified = headers.get("etag"), headers.get("last-modified")
    if not etag and not modified:
        return None
    return Validators(etag, modified, sha256, status)
