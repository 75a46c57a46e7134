"""Fixtures for collector tests: a local replay server, a fake clock, a writable database."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from observatory.http import ClientConfig, FakeClock
from observatory.store import connect_writer
from tests.collectors.replay import ReplayServer, replay_server


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with replay_server() as srv:
        yield srv


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fast_config() -> ClientConfig:
    """Real sockets, fake waits: short socket timeout, politeness of 1 s per host on the fake clock."""
    return ClientConfig(timeout_s=0.3, max_retries=3, backoff_base_s=1.0, politeness_s=1.0,
                        max_bytes=256 * 1024)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = connect_writer(tmp_path / "obs.duckdb")
    yield c
    c.close()


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def recording_importer(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes, str]]:
    """A stand-in for ``observatory.pb.importer`` that records what it is handed (contract test)."""
    received: list[tuple[str, bytes, str]] = []
    module = types.ModuleType("observatory.pb.importer")

    def import_editions(con, files, strict=True):  # noqa: ANN001 - mirrors the importer's signature
        assert strict is False
        received.extend(files)
        return types.SimpleNamespace(files=[])  # an ImportReport with no file results

    module.import_editions = import_editions  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "observatory.pb.importer", module)
    return received
