"""What keeps the API up under load, as plain ASGI middleware (no per-request framework overhead).

- :class:`RateLimit`: a token bucket per client address (``rate`` requests per second, bursts up to
  ``burst``); an empty bucket answers 429 with ``Retry-After``.
- :class:`RequestTimeout`: a request that has not started its answer after ``seconds`` gets 503.
- The cap on concurrent SQL queries is a semaphore in the SQL endpoint (see ``app.py``).
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

from observatory.api.errors import error_body, scope_lang

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def send_json(send: Send, status: int, body: dict[str, object], headers: list[tuple[bytes, bytes]] = ()) -> None:
    payload = orjson.dumps(body)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": payload})


class TokenBuckets:
    """Per-key token buckets; thread-safe and bounded (idle full buckets are forgotten)."""

    def __init__(self, rate: float, burst: float, max_keys: int = 10_000) -> None:
        self.rate, self.burst, self.max_keys = rate, burst, max_keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """0 if a request may go now, else the seconds to wait before the next token."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            if len(self._buckets) > self.max_keys:
                self._forget_idle(now)
            return (1 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, (tokens, last) in self._buckets.items() if tokens + (now - last) * self.rate >= self.burst]
        for key in idle:
            del self._buckets[key]


class RateLimit:
    def __init__(self, app: ASGIApp, rate: float, burst: float) -> None:
        self.app = app
        self.buckets = TokenBuckets(rate, burst) if rate > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.buckets is None or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client") or ("unknown", 0)
        wait = self.buckets.take(str(client[0]))
        if wait:
            retry = str(max(1, math.ceil(wait))).encode()
            await send_json(send, 429, error_body("rate_limited", 429, f"retry in {retry.decode()} s", scope_lang(scope)),
                            [(b"retry-after", retry)])
            return
        await self.app(scope, receive, send)


class RequestTimeout:
    """503 for a request with no answer after ``seconds``.

    Endpoints run in worker threads, which cannot be cancelled; so the request runs as a task, and at the
    deadline the client gets its 503 while the late answer, when it comes, is dropped (the SQL guard's own
    timer stops a runaway query, which frees its thread).
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.seconds:
            await self.app(scope, receive, send)
            return
        started = abandoned = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if abandoned:
                return
            started = True
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        done, _ = await asyncio.wait({task}, timeout=self.seconds)
        if task in done or started:
            await task
            return
        abandoned = True
        task.add_done_callback(_consume_result)
        await send_json(send, 503, error_body("timeout", 503, f"the request took longer than {self.seconds:g} s",
                                              scope_lang(scope)), [(b"retry-after", b"5")])


def _consume_result(task: asyncio.Future) -> None:
    if not task.cancelled():
        task.exception()  # retrieved, so an abandoned request's error is not reported as "never retrieved"
