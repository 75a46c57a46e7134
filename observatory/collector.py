"""The collector seam: one module in ``collectors/``, one :class:`Collector` subclass, two methods.

How to write a collector
------------------------
1. Add ``collectors/<name>.py`` with a subclass of :class:`Collector` setting ``name`` (the module
   name: it is the CLI argument and the ``collector_runs.collector`` value), ``version`` (bump it when
   the parsing changes), ``default_endpoint`` (the real service's base URL; ``--endpoint`` overrides
   it, tests point it at the local replay server) and ``tables`` (the tables it fills).
2. ``fetch(ctx)`` does all network work through ``ctx.client`` (never ``requests`` directly: the
   client retries, rate-limits, archives and can replay offline) and yields :class:`Item` envelopes
   built with ``ctx.item(...)``. It must not write to the database. When one source fails (one
   repository, one URL), call ``ctx.fail(source, exc)`` and go on; ``ctx.skip(source, why)`` for
   sources deliberately left out. Read inputs (tools, deployments) with ``ctx.query``.
3. ``load(con, items, ctx)`` writes the rows; it runs inside one transaction, so a failure leaves
   the previous rows intact. Make it idempotent (delete-then-insert on a natural key) and take every
   timestamp from the items / ``ctx.started_at``, never from the wall clock, so that
   ``observatory rebuild`` (same code, client in replay mode) reproduces identical rows.
4. If the tables are shared with other writers, override ``reset(con)`` so it deletes only your
   rows (rebuild calls it before replaying every run).

Registration is automatic: :mod:`collectors` discovers every module of that package that defines a
``Collector`` subclass with a ``name``. The contract lives here, in the core, so the runner
(:mod:`observatory.runs`) depends on it and never on the ``collectors`` package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

import duckdb

from observatory.http import HttpClient, Response, redact


@dataclass(frozen=True)
class Item:
    """Envelope of one collected thing (Perceval style): provenance around a raw payload."""

    collector: str
    version: str
    category: str           # what kind of thing: "repository", "package", "probe", ...
    key: str                # stable natural key within the category (e.g. tool_id, URL)
    origin: str             # the URL it was read from (secrets stripped)
    fetched_at: datetime
    data: dict[str, Any]
    archive_sha256: str | None = None

    @property
    def uuid(self) -> str:
        """Deterministic id: the same thing collected twice gets the same uuid."""
        return hashlib.sha1(f"{self.collector}:{self.category}:{self.key}".encode()).hexdigest()


@dataclass
class RunContext:
    """What a collector sees during one run: the client, read access, counters, run metadata."""

    collector: Collector
    run_id: str
    client: HttpClient
    con: duckdb.DuckDBPyConnection
    started_at: datetime
    since: date | None = None
    fetched: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def today(self) -> date:
        return self.started_at.date()

    def item(self, category: str, key: str, origin: str, data: dict[str, Any],
             response: Response | None = None) -> Item:
        """Build an envelope and count it as fetched."""
        self.fetched += 1
        return Item(self.collector.name, self.collector.version, category, key, origin,
                    response.fetched_at if response else self.started_at, data,
                    response.sha256 if response else None)

    def fail(self, source: str, exc: BaseException | str) -> None:
        """Record one failed source; the run goes on with the others."""
        self.failed += 1
        self.errors.append(redact(f"{source}: {exc}"))

    def skip(self, source: str, reason: str) -> None:
        self.skipped += 1
        if len(self.errors) < 200:
            self.errors.append(redact(f"skipped {source}: {reason}"))

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Read inputs (tools, deployments) from the database; collectors never write here."""
        return self.con.execute(sql, list(params)).fetchall()


class Collector:
    """Base class; see the module docstring for the contract."""

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    default_endpoint: ClassVar[str] = ""
    tables: ClassVar[tuple[str, ...]] = ()
    politeness_s: ClassVar[float] = 0.2      # gap between two requests to one host
    token_env: ClassVar[str | None] = None   # env var whose token is sent to the endpoint's host only
    client_overrides: ClassVar[dict[str, Any]] = {}   # ClientConfig fields (timeouts, retries, sizes)
    description: ClassVar[str] = ""
    takes_repos: ClassVar[bool] = False      # accepts ``--repo`` (repositories to read instead of the catalogue's)

    def __init__(self, endpoint: str | None = None, repos: Sequence[str] = ()) -> None:
        self.endpoint = (endpoint or self.default_endpoint).rstrip("/")
        self.repos = list(repos)

    def fetch(self, ctx: RunContext) -> Iterable[Item]:
        raise NotImplementedError

    def load(self, con: duckdb.DuckDBPyConnection, items: list[Item], ctx: RunContext) -> None:
        raise NotImplementedError

    def reset(self, con: duckdb.DuckDBPyConnection) -> None:
        """Delete every row this collector owns (before a rebuild replays all its runs)."""
        for table in self.tables:
            con.execute(f'DELETE FROM "{table}"')  # noqa: S608 - table names are class constants
