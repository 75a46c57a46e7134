"""A real HTTP server on 127.0.0.1 that replays recorded responses and scripted faults.

Why a real server: the client's retries, timeouts, size limits, redirects and truncated bodies are
exercised through actual sockets, not a mocked transport. Recordings are plain files:
``tests/recordings/<collector>/index.json`` lists ``{method, path, query?, status?, headers?, file?,
body?}`` entries and the body files sit beside it. ``{base}`` in bodies and headers becomes the
server's base URL, so ``Link`` and ``download_url`` values point back at the replay server.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

RECORDINGS = Path(__file__).resolve().parent.parent / "recordings"


@dataclass
class Reply:
    """One scripted answer. Faults: ``delay_s`` (timeouts), ``truncate`` (Content-Length larger than
    the body sent), ``stream_bytes`` (a huge body without Content-Length), ``drop`` (close without answer)."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "application/json; charset=utf-8"
    delay_s: float = 0.0
    truncate: bool = False
    stream_bytes: int = 0
    drop: bool = False


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-body is a scripted fault here (timeouts, truncation), not a server error."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class ReplayServer:
    """``routes[(method, path_with_query)]`` holds a list of replies served in order (last repeats)."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.hits: dict[tuple[str, str], int] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, method: str, path: str, *replies: Reply) -> None:
        self.routes[(method.upper(), path)] = list(replies)

    def add_json(self, path: str, data: object, status: int = 200, headers: dict[str, str] | None = None,
                 method: str = "GET") -> None:
        self.add(method, path, Reply(status=status, body=json.dumps(data), headers=headers or {}))

    def load(self, collector: str, root: Path = RECORDINGS) -> None:
        """Add every entry of ``<root>/<collector>/index.json``."""
        folder = root / collector
        for entry in json.loads((folder / "index.json").read_text(encoding="utf-8")):
            body = (folder / entry["file"]).read_bytes() if "file" in entry else entry.get("body", "").encode()
            path = entry["path"] + (f"?{entry['query']}" if entry.get("query") else "")
            # Entries repeating a method+path are successive answers (e.g. 202 then 200).
            self.routes.setdefault((entry.get("method", "GET").upper(), path), []).append(Reply(
                status=entry.get("status", 200), body=body, headers=entry.get("headers", {}),
                content_type=entry.get("content_type", "application/json; charset=utf-8")))

    def count(self, method: str, path: str) -> int:
        return self.hits.get((method.upper(), path), 0)

    def start(self) -> ReplayServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next(self, method: str, target: str) -> Reply | None:
        with self._lock:
            key = (method, target)
            if key not in self.routes:
                key = (method, urlsplit(target).path)
            replies = self.routes.get(key)
            if not replies:
                return None
            n = self.hits.get(key, 0)
            self.hits[key] = n + 1
            return replies[min(n, len(replies) - 1)]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True   # headers and body go out as separate writes: no 40 ms stalls

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body_in = self.rfile.read(length) if length else b""
                with server._lock:
                    server.seen.append(Seen(self.command, self.path, dict(self.headers.items()), body_in))
                reply = server._next(self.command, self.path)
                if reply is None:
                    reply = Reply(status=404, body=json.dumps({"message": "Not Found"}))
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                if reply.drop:
                    self.close_connection = True
                    return
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                body = body.replace(b"{base}", server.base.encode())
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                for k, v in reply.headers.items():
                    self.send_header(k, v.replace("{base}", server.base))
                if reply.stream_bytes:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"x" * 65536
                    sent = 0
                    try:
                        while sent < reply.stream_bytes:
                            self.wfile.write(chunk)
                            sent += len(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return
                declared = len(body) * 2 + 10 if reply.truncate else len(body)
                self.send_header("Content-Length", str(declared))
                if reply.truncate:
                    self.send_header("Connection", "close")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                if reply.truncate:
                    self.wfile.flush()
                    self.close_connection = True

            do_GET = do_POST = do_HEAD = _serve  # noqa: N815 - stdlib naming

        return Handler


@contextmanager
def replay_server() -> Iterator[ReplayServer]:
    server = ReplayServer().start()
    try:
        yield server
    finally:
        server.stop()
