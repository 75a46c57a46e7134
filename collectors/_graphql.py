"""GraphQL over the collectors' HTTP client: one query, and Relay-cursor paging (Decidim and Consul collectors).

Both Decidim (``POST /api``) and Consul (``POST /graphql``) answer ``{"data": ..., "errors": [...]}``;
an answer with errors is a failure of that query (a missing field on an older version, a depth or
complexity limit), reported with the server's own message.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from observatory.http import HttpClient, MalformedBodyError, Response


class GraphQLError(Exception):
    """The server answered, but with GraphQL errors (message kept verbatim for the run log)."""


def query(client: HttpClient, url: str, text: str, operation: str,
          variables: Mapping[str, Any] | None = None) -> tuple[dict[str, Any], Response]:
    payload = {"query": text, "operationName": operation, "variables": dict(variables or {})}
    resp = client.post_json(url, payload)
    try:
        body = resp.json()
    except (ValueError, MalformedBodyError) as exc:
        raise MalformedBodyError(url, f"{operation}: body is not JSON ({exc})", resp.status) from exc
    if not isinstance(body, dict):
        raise MalformedBodyError(url, f"{operation}: JSON body is not an object", resp.status)
    errors = body.get("errors") or []
    if errors:
        messages = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)
        raise GraphQLError(f"{operation}: {messages}")
    data = body.get("data")
    if not isinstance(data, dict):
        raise MalformedBodyError(url, f"{operation}: no 'data' object in the answer", resp.status)
    return data, resp


def dig(data: Any, path: Sequence[str]) -> Any:
    """``data[a][b]...``, or ``None`` when a step is missing or null."""
    for step in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(step)
    return data


def pages(client: HttpClient, url: str, text: str, operation: str, variables: Mapping[str, Any],
          connection: Sequence[str], max_pages: int = 10_000) -> Iterator[tuple[list[dict[str, Any]], Response]]:
    """Follow ``pageInfo { hasNextPage endCursor }``; nodes read from ``nodes`` or ``edges { node }``.

    Stops when the server repeats a cursor (seen on offset cursors when rows move during a crawl).
    """
    after: str | None = None
    seen: set[str] = set()
    for _ in range(max_pages):
        data, resp = query(client, url, text, operation, {**variables, "after": after})
        conn = dig(data, connection)
        if conn is None:
            raise GraphQLError(f"{operation}: {'.'.join(connection)} missing from the answer")
        nodes = conn.get("nodes")
        if nodes is None:
            nodes = [e.get("node") for e in conn.get("edges") or [] if isinstance(e, Mapping)]
        yield [n for n in nodes if isinstance(n, dict)], resp
        info = conn.get("pageInfo") or {}
        after = info.get("endCursor")
        if not info.get("hasNextPage") or not after or after in seen:
            return
        seen.add(after)
