"""A replay server that answers GraphQL POSTs by operation name and variables (not only by path).

Every GraphQL query goes to one URL, so the path-keyed routes of ``tests/collectors/replay.py`` cannot
tell them apart; this subclass looks at the request body's ``operationName`` and ``id``/``after``
variables. Recordings: ``tests/recordings/<collector>/graphql.json`` entries
``{operation, id?, after?, file}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from tests.collectors.replay import RECORDINGS, ReplayServer, Reply

GqlKey = tuple[str, str | None, str | None]


class GraphQLReplay(ReplayServer):
    def __init__(self, graphql_path: str) -> None:
        super().__init__()
        self.graphql_path = graphql_path
        self.gql: dict[GqlKey, list[Reply]] = {}
        self.gql_hits: dict[GqlKey, int] = {}

    def add_gql(self, operation: str, *replies: Reply, id: str | None = None, after: str | None = None) -> None:  # noqa: A002
        self.gql[(operation, id, after)] = list(replies)

    def load_gql(self, collector: str, root: Path = RECORDINGS) -> None:
        folder = root / collector
        for entry in json.loads((folder / "graphql.json").read_text(encoding="utf-8")):
            body = (folder / entry["file"]).read_bytes()
            self.add_gql(entry["operation"], Reply(body=body), id=entry.get("id"), after=entry.get("after"))

    def requests_for(self, operation: str) -> list[dict]:
        out = []
        for seen in self.seen:
            if seen.method == "POST" and seen.body:
                payload = json.loads(seen.body)
                if payload.get("operationName") == operation:
                    out.append(payload)
        return out

    def _next(self, method: str, target: str) -> Reply | None:
        if method != "POST" or urlsplit(target).path != self.graphql_path:
            return super()._next(method, target)
        with self._lock:
            try:
                payload = json.loads(self.seen[-1].body or b"{}")
            except ValueError:
                return Reply(status=400, body=json.dumps({"message": "invalid JSON"}))
            variables = payload.get("variables") or {}
            key: GqlKey = (payload.get("operationName"), variables.get("id"), variables.get("after"))
            if key not in self.gql:
                key = (key[0], None, None) if (key[0], None, None) in self.gql else key
            replies = self.gql.get(key)
            if not replies:
                return Reply(status=200, body=json.dumps({"errors": [{"message": f"no recording for {key}"}]}))
            n = self.gql_hits.get(key, 0)
            self.gql_hits[key] = n + 1
            return replies[min(n, len(replies) - 1)]


@contextmanager
def graphql_server(graphql_path: str) -> Iterator[GraphQLReplay]:
    server = GraphQLReplay(graphql_path).start()
    try:
        yield server  # type: ignore[misc]
    finally:
        server.stop()
