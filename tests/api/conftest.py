"""A live API on 127.0.0.1 (uvicorn in a thread, free port) over a database built from datasets/."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from observatory.api.app import ApiSettings, create_app


@dataclass
class LiveServer:
    base_url: str
    db_path: Path
    server: uvicorn.Server
    thread: threading.Thread

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30, **kwargs)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.server_app_store().close()

    def server_app_store(self):  # the PublishedStore behind the app, to close its file at the end
        return self.server.config.app.state.store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db_path: Path, settings: ApiSettings) -> LiveServer:
    port = free_port()
    config = uvicorn.Config(create_app(db_path, settings), host="127.0.0.1", port=port, log_level="warning",
                            lifespan="off", timeout_keep_alive=300)
    # A long keep-alive: with uvicorn's 5 s, a test client that pauses (hypothesis shrinking under load) can
    # send on a connection the server is closing and read "connection reset" — a client race, not an API fault.
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    return LiveServer(f"http://127.0.0.1:{port}", db_path, server, thread)


def served_copy(built_db: Path, folder: Path, name: str = "served.duckdb") -> Path:
    """A private copy: DuckDB shares one instance per path in a process, so each server gets its own file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    shutil.copyfile(built_db, path)
    return path


@pytest.fixture(scope="session")
def api(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The API with rate limiting off (tests of the limiter start their own server)."""
    db = served_copy(built_db, tmp_path_factory.mktemp("api"))
    live = start_server(db, ApiSettings(rate_per_s=0, sql_timeout_s=2.0))
    yield live
    live.stop()


@pytest.fixture
def client(api: LiveServer) -> Iterator[httpx.Client]:
    with api.client() as http:
        yield http
