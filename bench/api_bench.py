"""Requests per second and p50/p99 latency of the HTTP API at 1, 10 and 50 concurrent clients.

Usage: ``python bench/api_bench.py [--db PATH] [--requests 600] [--concurrency 1,10,50]``. The server runs
as ``observatory serve`` in its own process on 127.0.0.1 (rate limit off); the client is a small asyncio
HTTP/1.1 keep-alive client (one connection per concurrent client), lighter than a full HTTP library so
that it measures the server rather than itself. Without ``--db`` a database is built from ``datasets/``
in a temporary folder. Scenarios: a table page, a named query, a tool document (each served from the
API's response cache after the first request), and a table page that misses the cache every time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SCENARIOS: dict[str, str] = {
    "table page (cached)": "/api/v1/tables/deployments.json?country=FR&_size=100",
    "named query (cached)": "/api/v1/queries/deployments_by_country.json",
    "tool document (cached)": "/api/v1/tools/decidim",
    "table page (uncached)": "/api/v1/tables/deployments.json?_sort=organisation&_size={n}",
}


def _database(db: str | None) -> Path:
    if db:
        return Path(db)
    from observatory.config import load_settings
    from observatory.datasets import build_database

    path = Path(tempfile.mkdtemp()) / "bench.duckdb"
    build_database(path, load_settings().datasets_dir)
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(db: Path, port: int) -> subprocess.Popen:
    entry = Path(sys.executable).parent / "observatory"
    proc = subprocess.Popen([str(entry), "serve", "--db", str(db), "--port", str(port), "--rate", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"the server did not start: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")


class Connection:
    """One keep-alive HTTP/1.1 connection: GET a path, read the whole response, return the status."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _run(port: int, template: str, clients: int, total: int) -> tuple[float, list[float], int]:
    counter = iter(range(total))
    latencies: list[float] = []
    errors = 0

    async def worker() -> None:
        nonlocal errors
        conn = Connection(port)
        try:
            for n in counter:
                path = template.format(n=1 + n % 1000)
                started = time.perf_counter()
                status = await conn.get(path)
                latencies.append(time.perf_counter() - started)
                errors += status != 200
        finally:
            conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return time.perf_counter() - started, latencies, errors


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--requests", type=int, default=600, help="requests per scenario and concurrency")
    parser.add_argument("--concurrency", default="1,10,50")
    args = parser.parse_args()
    db = _database(args.db)
    port = _free_port()
    server = _start_server(db, port)
    try:
        print(f"database {db.name}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start, "
              f"{args.requests} requests each")
        print("| scenario | clients | req/s | p50 ms | p99 ms | non-200 |\n|---|---:|---:|---:|---:|---:|")
        for name, template in SCENARIOS.items():
            asyncio.run(_run(port, template, 1, 20))  # warm-up: the cached scenarios are now in the cache
            for clients in (int(c) for c in args.concurrency.split(",")):
                elapsed, latencies, errors = asyncio.run(_run(port, template, clients, args.requests))
                print(f"| {name} | {clients} | {len(latencies) / elapsed:,.0f} | "
                      f"{_percentile(latencies, 0.5) * 1000:.1f} | {_percentile(latencies, 0.99) * 1000:.1f} | "
                      f"{errors} |", flush=True)
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
