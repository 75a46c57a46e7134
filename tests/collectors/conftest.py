"""Fixtures for collector tests: a local replay server, a fake clock, a writable database."""

from __future__ import annotations

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
