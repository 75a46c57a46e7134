"""Helpers shared by the forge collectors (GitHub, GitLab): repo URLs, licences, release cadence."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import duckdb


def parse_repo_url(url: str) -> tuple[str, str] | None:
    """``https://host/owner/sub/repo(.git)`` -> (host, "owner/sub/repo"); None when not a repo URL."""
    parts = urlsplit(url.strip())
    path = parts.path.strip("/").removesuffix(".git")
    if not parts.hostname or path.count("/") < 1:
        return None
    return parts.hostname.lower(), path


def tools_on(con: duckdb.DuckDBPyConnection, host_predicate: str) -> list[tuple[str, str, str, str | None]]:
    """(tool_id, host, path, curated licence) for every tool whose repo host contains ``host_predicate``."""
    rows = con.execute("SELECT tool_id, repo_url, licence_spdx FROM tools WHERE repo_url IS NOT NULL "
                       "ORDER BY tool_id").fetchall()
    out = []
    for tool_id, repo_url, licence in rows:
        parsed = parse_repo_url(repo_url)
        if parsed and host_predicate in parsed[0]:
            out.append((tool_id, parsed[0], parsed[1], licence))
    return out


def _base_spdx(spdx: str) -> str:
    s = spdx.strip().upper()
    for suffix in ("-OR-LATER", "-ONLY", "+"):
        s = s.removesuffix(suffix)
    return s


def licence_mismatch(detected: str | None, curated: str | None) -> bool | None:
    """True when the forge's detected licence differs from the curated one.

    ``AGPL-3.0`` (what GitHub reports) matches ``AGPL-3.0-or-later``/``-only``: forges do not tell
    the version clause apart. Unknown (``NOASSERTION``/none) on either side gives None, not a flag.
    """
    if not detected or not curated or detected.upper() in ("NOASSERTION", "OTHER"):
        return None
    return _base_spdx(detected) != _base_spdx(curated)


def parse_ts(value: Any) -> datetime | None:
    """ISO 8601 (``2024-05-01T10:00:00Z`` / ``+02:00`` / ``.123Z``) -> naive UTC datetime."""
    if not value:
        return None
    dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if dt.tzinfo is not None:
        from datetime import UTC

        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt


def release_stats(dates: list[datetime], as_of: datetime) -> tuple[int, float | None]:
    """Releases in the 365 days before ``as_of`` and the median gap in days between them.

    The median (not the mean) so one long pause does not hide a regular rhythm; None under 2 releases.
    """
    recent = sorted(d for d in dates if as_of - timedelta(days=365) <= d <= as_of)
    if len(recent) < 2:
        return len(recent), None
    gaps = [(b - a).total_seconds() / 86400 for a, b in zip(recent, recent[1:], strict=False)]
    return len(recent), round(statistics.median(gaps), 1)


SNAPSHOT_COLUMNS = ("tool_id", "repo", "forge", "fetched_at", "stars", "forks", "watchers", "open_issues",
                    "default_branch", "licence_spdx", "licence_mismatch", "archived", "created_at", "pushed_at",
                    "latest_release", "latest_release_at", "latest_tag", "releases_last_year",
                    "release_cadence_days", "contributors", "commits_last_52w", "commit_weeks", "run_id",
                    "source_url")
_INSERT = (f"INSERT INTO repo_snapshots ({', '.join(SNAPSHOT_COLUMNS)}) "  # noqa: S608 - constant columns
           f"VALUES ({', '.join('?' for _ in SNAPSHOT_COLUMNS)})")


def save_snapshots(con: duckdb.DuckDBPyConnection, forge: str, snapshots: list[dict[str, Any]]) -> None:
    """One snapshot per tool, forge and day: a same-day re-run replaces it (idempotent)."""
    for snap in snapshots:
        con.execute("DELETE FROM repo_snapshots WHERE tool_id = ? AND forge = ? "
                    "AND CAST(fetched_at AS DATE) = CAST(? AS DATE)", [snap["tool_id"], forge, snap["fetched_at"]])
        con.execute(_INSERT, [snap.get(c) for c in SNAPSHOT_COLUMNS])
