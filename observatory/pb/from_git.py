"""Import a local clone of the Pabulib files repository (``pabulib/pabulib_files``) at its commit.

Every ``.pb`` file tracked at ``HEAD`` is imported with every rule's outcome; a tracked file missing from
the work tree (e.g. a clone whose largest blobs were not fetched) is recorded as a fatal problem of its
edition, never skipped silently. Each row's ``source_url`` names the repository, the commit and the path,
so any figure derived from it can be traced to the exact file version. Re-runs are incremental: a file
whose sha256 is already stored is not parsed again. Rules run on local processes (one file per task);
the store is written by this process only.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from observatory.errors import BadUsage
from observatory.pb.importer import edition_id_of, import_editions
from observatory.pb.limits import DEFAULT_RULE_TIME_LIMIT_S


@dataclass
class GitImport:
    commit: str
    repository: str
    listed: int = 0
    imported: int = 0
    unchanged: int = 0
    failed: int = 0
    missing: list[str] = field(default_factory=list)


def _git(path: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        raise BadUsage(f"not a git clone ({(getattr(exc, 'stderr', '') or str(exc)).strip()})", str(path),
                       "give the folder of a clone of pabulib/pabulib_files") from None


def repository_name(path: Path) -> str:
    """``owner/name`` from the origin URL when it is one (GitHub form), else the folder's name."""
    try:
        url = _git(path, "remote", "get-url", "origin").strip()
    except BadUsage:
        url = ""
    m = re.search(r"[:/]([\w.-]+)/([\w.-]+?)(?:\.git)?/?$", url)
    if m and ("github.com" in url or m.group(1) == "pabulib"):
        return f"{m.group(1)}/{m.group(2)}"
    if m and m.group(1).endswith("pabulib_files"):
        return "pabulib/pabulib_files"
    return "pabulib/pabulib_files" if "pabulib" in url else path.resolve().name


def _compare(file_name: str, data: bytes, rules: list[str] | None, limit_s: float | None) -> dict[str, Any] | None:
    """Outcomes of one file on a worker process; None when it does not parse (the importer records why)."""
    from observatory.pb import pabulib
    from observatory.pb.api import compare

    try:
        election = pabulib.parse_bytes(data, file_name, strict=False).election
    except pabulib.PabulibError:
        return None
    return compare(election, rules, limit_s)


def import_clone(con: duckdb.DuckDBPyConnection, path: Path, workers: int = 2, rules: list[str] | None = None,
                 rule_time_limit_s: float | None = DEFAULT_RULE_TIME_LIMIT_S, force: bool = False,
                 on_file: Callable[[str, str], None] | None = None) -> GitImport:
    """Import every ``.pb`` file tracked at the clone's HEAD; see the module docstring."""
    commit = _git(path, "rev-parse", "HEAD").strip()
    report = GitImport(commit=commit, repository=repository_name(path))
    tracked = [line for line in _git(path, "ls-tree", "-r", "-z", "--name-only", "HEAD").split("\0") if line.endswith(".pb")]
    report.listed = len(tracked)
    known = dict(con.execute("SELECT edition_id, sha256 FROM pb_editions").fetchall())
    todo: list[tuple[str, bytes, str]] = []
    for rel in tracked:
        file_name = Path(rel).name
        url = f"https://github.com/{report.repository}/blob/{commit}/{rel}"
        full = path / rel
        if not full.is_file():
            report.missing.append(rel)
            _record_missing(con, file_name, rel, commit)
            if on_file:
                on_file(file_name, "missing")
            continue
        data = full.read_bytes()
        if not force and known.get(edition_id_of(file_name)) == hashlib.sha256(data).hexdigest():
            report.unchanged += 1
            if on_file:
                on_file(file_name, "unchanged")
            continue
        todo.append((file_name, data, url))
    todo.sort(key=lambda item: -len(item[1]))  # largest first: the slowest files do not finish last
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(_compare, name, data, rules, rule_time_limit_s): (name, data, url)
                   for name, data, url in todo}
        for fut in as_completed(futures):
            name, data, url = futures[fut]
            outcome = fut.result()
            result = import_editions(con, [(name, data, url)], strict=False, force=True, transaction=True,
                                     rules=rules, rule_time_limit_s=rule_time_limit_s,
                                     outcomes={name: outcome} if outcome else None).files[0]
            report.imported += result.status == "imported"
            report.failed += result.status == "failed"
            if on_file:
                on_file(name, result.status)
    return report


def _record_missing(con: duckdb.DuckDBPyConnection, file_name: str, rel: str, commit: str) -> None:
    from observatory.pb.importer import _record_failure
    from observatory.problems import Problem

    con.execute("BEGIN TRANSACTION")
    try:
        _record_failure(con, edition_id_of(file_name), file_name, Problem(
            file_name, 0, "file", f"tracked at commit {commit} as {rel} but absent from the clone's work tree"))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
