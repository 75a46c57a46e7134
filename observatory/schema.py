"""The one owner of DDL: numbered, forward-only migrations in ``observatory/migrations``.

Each ``NNNN_name.sql`` file is applied once, in order, inside a transaction, and recorded in
``schema_migrations`` with its checksum, so a database can always tell which schema it has.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def available_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    found: list[Migration] = []
    for path in sorted(directory.glob("*.sql")):
        m = _NAME.match(path.name)
        if not m:
            raise ValueError(f"{path}: migration files must be named NNNN_snake_name.sql")
        found.append(Migration(int(m.group(1)), m.group(2), path))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"two migrations share a number: {versions}")
    return found


def _ensure_bookkeeping(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def migrate(
    con: duckdb.DuckDBPyConnection, target: int | None = None, directory: Path = MIGRATIONS_DIR
) -> list[int]:
    """Apply pending migrations up to ``target`` (all by default); return the versions applied."""
    _ensure_bookkeeping(con)
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied: list[int] = []
    for mig in available_migrations(directory):
        # Any version not yet recorded is applied, in order, so a migration merged late is not skipped.
        if mig.version in done or (target is not None and mig.version > target):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(mig.sql)
            con.execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                [mig.version, mig.name, mig.checksum],
            )
        except Exception as exc:
            con.execute("ROLLBACK")
            raise RuntimeError(f"migration {mig.path.name} failed: {exc}") from exc
        con.execute("COMMIT")
        applied.append(mig.version)
    return applied


def latest_version() -> int:
    migs = available_migrations()
    return migs[-1].version if migs else 0
