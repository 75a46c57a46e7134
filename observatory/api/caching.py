"""ETag, 304 and a small response cache, all keyed by the data version of the published store.

Every answer is a function of (data version, URL), so a 200 is cached under that pair and a client that
sends ``If-None-Match`` with the current version gets 304 before anything runs. A newly published store
has a new version, so stale entries are never served; they just age out of the LRU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import anyio

from observatory.api.limits import ASGIApp, Message, Receive, Scope, Send
from observatory.api.store_handle import PublishedStore, StoreUnavailable

CACHE_CONTROL = b"public, no-cache"  # may be stored, but revalidated (cheap: 304) so a new publish shows at once


def etag_for(version: str) -> str:
    return f'"{version}"'


def etag_matches(header: str, version: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag_for(version) in tags


class ResponseCache:
    def __init__(self, max_entries: int = 512, max_body: int = 2_000_000) -> None:
        self.max_entries, self.max_body = max_entries, max_body
        self._entries: OrderedDict[tuple[str, str, bytes], tuple[int, list, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0

    def get(self, key: tuple[str, str, bytes]) -> tuple[int, list, bytes] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            return found

    def put(self, key: tuple[str, str, bytes], value: tuple[int, list, bytes]) -> None:
        if len(value[2]) > self.max_body:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


class DataVersionCache:
    """304 on a matching ``If-None-Match``; cached 200s for the paths under ``prefix`` except ``uncached``."""

    def __init__(self, app: ASGIApp, store: PublishedStore, cache: ResponseCache, prefix: str = "/api/",
                 uncached: tuple[str, ...] = ()) -> None:
        self.app, self.store, self.cache = app, store, cache
        self.prefix, self.uncached = prefix, uncached

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] != "GET" or not path.startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        version = self.store.cached_version()
        if version is None:
            try:
                version = await anyio.to_thread.run_sync(self.store.version)
            except StoreUnavailable:
                await self.app(scope, receive, send)  # the endpoint answers 503 with the reason
                return
        etag = etag_for(version).encode()
        headers = dict(scope["headers"])
        if_none_match = headers.get(b"if-none-match")
        if if_none_match and etag_matches(if_none_match.decode("latin-1"), version):
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", etag), (b"cache-control", CACHE_CONTROL)]})
            await send({"type": "http.response.body", "body": b""})
            return
        if path in self.uncached:
            await self.app(scope, receive, send)
            return
        key = (version, path, scope.get("query_string", b""))
        hit = self.cache.get(key)
        if hit is not None:
            status, response_headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": response_headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        response_headers = list(start.get("headers", []))
        if start.get("status") == 200 and (b"etag", etag) in [(k.lower(), v) for k, v in response_headers]:
            self.cache.put(key, (200, response_headers, b"".join(chunks)))
