"""Run a collector safely: a ``collector_runs`` row, isolated failure, one load transaction.

Why here and not in each collector: the guarantees (a failing source never aborts the others, the
previous rows survive a failure, the raw archive is kept even when loading fails, rebuild replays
the exact same code offline) must hold for every collector, including third-party ones.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from observatory.archive import RawArchive
from observatory.http import ClientConfig, Clock, HttpClient, ProgressHook, host_of, redact
from observatory.store import transaction

if TYPE_CHECKING:
    from observatory.collector import Collector

ProgressFn = Callable[[str, int], None]   # (collector name, items fetched so far)


@dataclass
class RunSummary:
    run_id: str
    collector: str
    version: str
    status: str
    started_at: datetime
    finished_at: datetime
    fetched: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def new_run_id(name: str, started: datetime) -> str:
    return f"{name}-{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def run_collector(
    con: duckdb.DuckDBPyConnection,
    collector: Collector,
    archive_dir: str | Path,
    *,
    since: date | None = None,
    clock: Clock | None = None,
    config: ClientConfig | None = None,
    progress: ProgressFn | None = None,
    http_progress: ProgressHook | None = None,
) -> RunSummary:
    """Fetch live (archiving every answer), then load in one transaction; always log the run.

    ``http_progress`` hears every request, retry and wait of the HTTP client (for a progress line).
    """
    clock = clock or Clock()
    started = clock.now()
    run_id = new_run_id(collector.name, started)
    con.execute(
        "INSERT INTO collector_runs (run_id, collector, version, started_at, status, endpoint, since) "
        "VALUES (?, ?, ?, ?, 'running', ?, ?)",
        [run_id, collector.name, collector.version, started, collector.endpoint, since])
    archive = RawArchive(archive_dir, con)
    client = _client(collector, archive, run_id, clock, config, "live")
    client.on_progress = http_progress
    summary = _execute(con, collector, client, run_id, started, since, progress)
    archive.flush(con)
    summary.finished_at = clock.now()
    _touch_table_meta(con, collector, summary)
    con.execute(
        "UPDATE collector_runs SET finished_at = ?, status = ?, fetched = ?, skipped = ?, failed = ?, "
        "errors = ? WHERE run_id = ?",
        [summary.finished_at, summary.status, summary.fetched, summary.skipped, summary.failed,
         summary.errors[:200], run_id])
    return summary


# The runner's own tables (each collector declares the tables it writes in its ``tables``).
RUNNER_TABLES: tuple[str, ...] = ("raw_responses", "collector_runs")


def _touch_table_meta(con: duckdb.DuckDBPyConnection, collector: Collector, summary: RunSummary) -> None:
    """Freshness for ``observatory info``: only tables registered by the collectors' migration."""
    tables = list(RUNNER_TABLES)
    if summary.status != "failed":
        tables += list(collector.tables)
    con.execute("UPDATE table_meta SET loaded_at = ?, checked_on = ? WHERE package = 'collectors' "
                "AND list_contains(?, table_name)", [summary.finished_at, summary.finished_at.date(), tables])


def _client(collector: Collector, archive: RawArchive, run_id: str, clock: Clock,
            config: ClientConfig | None, mode: str) -> HttpClient:
    cfg = config or replace(ClientConfig(), politeness_s=collector.politeness_s, **collector.client_overrides)
    tokens = {host_of(collector.endpoint): collector.token_env} if collector.token_env and collector.endpoint else {}
    return HttpClient(archive=archive, run_id=run_id, config=cfg, clock=clock, mode=mode, tokens=tokens)


def _execute(con: duckdb.DuckDBPyConnection, collector: Collector, client: HttpClient, run_id: str,
             started: datetime, since: date | None, progress: ProgressFn | None) -> RunSummary:
    from observatory.collector import RunContext

    ctx = RunContext(collector=collector, run_id=run_id, client=client, con=con, started_at=started, since=since)
    status = "ok"
    try:
        items = []
        for item in collector.fetch(ctx):
            items.append(item)
            if progress:
                progress(collector.name, ctx.fetched)
        with transaction(con):
            collector.load(con, items, ctx)
        if ctx.failed:
            status = "partial" if items else "failed"
    except Exception as exc:   # noqa: BLE001 - one collector failing must never stop the others
        status = "failed"
        ctx.errors.append(redact(f"{type(exc).__name__}: {exc}"))
    return RunSummary(run_id, collector.name, collector.version, status, started, started,
                      ctx.fetched, ctx.skipped, ctx.failed, ctx.errors)


def replay(con: duckdb.DuckDBPyConnection, archive_dir: str | Path, registry: Mapping[str, type[Collector]],
           names: Sequence[str] | None = None, progress: ProgressFn | None = None) -> list[RunSummary]:
    """Re-derive every collected table from the archive alone, replaying runs in their order.

    Each collector's own rows are deleted first, then every recorded run is re-executed with the
    client in replay mode, the original run id and start time: the rows come out identical. ``registry``
    maps collector names to classes (:func:`collectors.registry`): the core never imports the collectors.
    """
    wanted = list(names) if names else list(registry)
    runs = con.execute(
        "SELECT run_id, collector, started_at, endpoint, since FROM collector_runs "
        "WHERE status <> 'running' ORDER BY started_at, run_id").fetchall()
    archive = RawArchive(archive_dir, con)
    with transaction(con):
        for name in wanted:
            _lookup(registry, name)().reset(con)
    out: list[RunSummary] = []
    for run_id, name, started, endpoint, since in runs:
        if name not in wanted:
            continue
        collector = _lookup(registry, name)(endpoint)
        client = _client(collector, archive, run_id, Clock(), None, "replay")
        out.append(_execute(con, collector, client, run_id, started, since, progress))
    return out


def _lookup(registry: Mapping[str, type[Collector]], name: str) -> type[Collector]:
    try:
        return registry[name]
    except KeyError:
        raise KeyError(f"unknown collector {name!r}; known: {', '.join(registry) or 'none'}") from None


def list_runs(con: duckdb.DuckDBPyConnection, limit: int = 50) -> list[tuple[object, ...]]:
    return con.execute(
        "SELECT run_id, collector, version, started_at, finished_at, status, fetched, skipped, failed, "
        "errors FROM collector_runs ORDER BY started_at DESC, run_id DESC LIMIT ?", [limit]).fetchall()
