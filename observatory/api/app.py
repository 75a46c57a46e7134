"""The read-only HTTP API (FastAPI): tables, named queries, tool documents and guarded SQL under /api/v1.

Every endpoint reads through a :class:`~observatory.api.store_handle.Snapshot` of the published store
and answers JSON (or CSV/Parquet) with the data version as ETag. Errors are JSON ``{"error", "message",
"detail", "status", "lang"}`` with 400 for a client mistake, 404 for an unknown name, 503 when busy.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import duckdb
from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from observatory import __version__, published_queries, queries, sqlguard, tool_document
from observatory.api import encode, rows
from observatory.api.caching import CACHE_CONTROL, DataVersionCache, ResponseCache, etag_for
from observatory.api.errors import ApiError, BadRequest, Busy, NotFound, negotiate
from observatory.api.limits import RateLimit, RequestTimeout
from observatory.api.store_handle import PublishedStore, Snapshot, StoreUnavailable

PREFIX = "/api/v1"
MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


class ErrorBody(BaseModel):
    """Every error: a stable snake_case code, a sentence saying what to do in the asked language (``?lang=``
    or ``Accept-Language``, fr or en), the specific detail as raised, the HTTP status and the language used."""

    error: str
    message: str
    detail: str
    status: int
    lang: str


_ERROR = {"model": ErrorBody}
RESPONSES: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the data version equals If-None-Match"},
    400: {"description": "Bad parameter, unknown column or operator, refused SQL", **_ERROR},
    404: {"description": "Unknown table, query or tool; or its data not collected yet", **_ERROR},
    429: {"description": "Rate limit of this client address reached (see Retry-After)", **_ERROR},
    503: {"description": "Busy (SQL slots full, store being republished) or timed out (see Retry-After)", **_ERROR},
}


@dataclass(frozen=True)
class ApiSettings:
    rate_per_s: float = 20.0  # per client address; 0 turns rate limiting off
    burst: float = 60.0
    max_sql_concurrency: int = 2
    sql_timeout_s: float = 5.0
    sql_max_rows: int = 1000
    request_timeout_s: float = 15.0
    max_page_size: int = rows.MAX_SIZE
    cache_entries: int = 512


def _response(body: bytes, media_type: str, version: str, headers: dict[str, str] | None = None) -> Response:
    return Response(body, media_type=media_type,
                    headers={"ETag": etag_for(version), "Cache-Control": CACHE_CONTROL.decode(), **(headers or {})})


def _json(payload: Any, version: str, headers: dict[str, str] | None = None) -> Response:
    return _response(encode.dumps(payload), MEDIA["json"], version, headers)


def _error(request: Request, exc: ApiError, headers: dict[str, str] | None = None) -> Response:
    """The JSON error body in the language the client asked for (``?lang=``, else ``Accept-Language``)."""
    lang = negotiate(request.query_params.get("lang"), request.headers.get("accept-language"))
    return Response(encode.dumps(exc.body(lang)), status_code=exc.status, media_type=MEDIA["json"],
                    headers={**(headers or {}), "Vary": "Accept-Language", "Content-Language": lang})


def _params(request: Request) -> list[tuple[str, str]]:
    return list(request.query_params.multi_items())


def _next_url(request: Request, token: str | None) -> str | None:
    if token is None:
        return None
    kept = [(k, v) for k, v in _params(request) if k != "_next"] + [("_next", token)]
    return f"{request.url.path}?{urlencode(kept)}"


def create_app(db_path: str | Path, settings: ApiSettings | None = None) -> FastAPI:
    """The ASGI application over the store at ``db_path`` (opened read-only on first request)."""
    settings = settings or ApiSettings()
    store = PublishedStore(db_path)
    sql_slots = threading.BoundedSemaphore(settings.max_sql_concurrency)
    app = FastAPIOffline(
        title="Civic-Tech Observatory API",
        version=__version__,
        description=(
            "Read-only access to the observatory's sourced facts: every public table (JSON, CSV, Parquet) with "
            "Datasette-style filters, the named queries used by the dashboard and reports, one document per tool, "
            "and guarded SQL. Every response carries the data version as `ETag`; send it back as `If-None-Match` "
            "to get 304 while the published store is unchanged."
        ),
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url="/redoc",
    )
    app.state.store = store

    def relations(snap: Snapshot) -> dict[str, rows.Relation]:
        return store.memo(snap, "catalogue", lambda: rows.catalogue(snap.cursor))

    app.state.settings = settings
    response_cache = ResponseCache(settings.cache_entries)
    app.state.cache = response_cache

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return _error(request, exc, {"Retry-After": "1"} if exc.status == 503 else None)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return _error(request, BadRequest("bad_request", problems or "invalid request"))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        error = ApiError(code, str(exc.detail))
        error.status = exc.status_code
        return _error(request, error)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        error = ApiError("internal_error", f"unexpected {type(exc).__name__}; please report it with the URL")
        error.status = 500
        return _error(request, error)

    @app.exception_handler(StoreUnavailable)
    async def _unavailable(request: Request, exc: StoreUnavailable) -> Response:
        return _error(request, Busy("store_unavailable", str(exc)), {"Retry-After": "5"})

    @app.exception_handler(queries.MissingData)
    async def _missing(request: Request, exc: queries.MissingData) -> Response:
        return _error(request, NotFound("not_collected", f"{exc}; run the matching `observatory` command first",
                               tables=exc.tables))

    @app.exception_handler(published_queries.BadParameters)
    async def _bad_params(request: Request, exc: published_queries.BadParameters) -> Response:
        return _error(request, BadRequest("bad_parameter", str(exc)))

    @app.get(PREFIX, summary="Where everything is", tags=["index"], responses=RESPONSES)
    def index() -> Response:
        with store.snapshot() as snap:
            return _json({"api_version": "v1", "data_version": snap.version, "tables": f"{PREFIX}/tables",
                          "queries": f"{PREFIX}/queries", "tools": f"{PREFIX}/tools/{{tool_id}}",
                          "sql": f"{PREFIX}/sql?q=", "openapi": "/openapi.json", "docs": "/docs"}, snap.version)

    @app.get(f"{PREFIX}/tables", summary="Every public table and view, with licence, source, rows and freshness",
             tags=["tables"], responses=RESPONSES)
    def list_tables() -> Response:
        with store.snapshot() as snap:
            known = relations(snap)
            meta = {r["table_name"]: r for r in published_queries.run(snap.cursor, "table_meta", {}, known).records()}
            counts = queries.table_row_counts(snap.cursor, list(known))
            listed = []
            for name, rel in known.items():
                info = meta.get(name, {})
                listed.append({
                    "name": name, "kind": rel.kind, "title": info.get("title"),
                    "description": info.get("description"), "licence": info.get("licence"),
                    "source": info.get("source"), "package": info.get("package"),
                    "checked_on": info.get("checked_on"), "loaded_at": info.get("loaded_at"),
                    "row_count": counts[name], "columns": [{"name": c, "type": t} for c, t in rel.columns.items()],
                    "url": f"{PREFIX}/tables/{name}.json",
                })
            return _json({"data_version": snap.version, "tables": [
                {k: encode.plain(v) for k, v in t.items()} for t in listed]}, snap.version)

    @app.get(f"{PREFIX}/tables/{{name}}.{{fmt}}", summary="Rows of one table or view", tags=["tables"],
             responses=RESPONSES,
             description=(
                 "Filters on any column, Datasette-style: `?country=FR`, `?tool_id=decidim&tool_id=consul-democracy` "
                 "(repeat for several values), or `column__op=value` with op in "
                 f"{', '.join(rows.OPERATORS)}. `_sort=col` or `_sort_desc=col`; `_size` (1 to "
                 f"{rows.MAX_SIZE}, default {rows.DEFAULT_SIZE}, larger values are capped); `_next` is the cursor "
                 "given by the previous page (`next` in JSON, the `Link` header otherwise)."))
    def table_rows(
        request: Request, name: Annotated[str, PathParam(description="table or view", examples=["deployments"])],
        fmt: Literal["json", "csv", "parquet"],
        _sort: Annotated[str | None, Query(description="column to sort by, ascending")] = None,
        _sort_desc: Annotated[str | None, Query(description="column to sort by, descending")] = None,
        _size: Annotated[str | None, Query(description="rows per page")] = None,
        _next: Annotated[str | None, Query(description="cursor of the next page")] = None,
    ) -> Response:
        with store.snapshot() as snap:
            rel = rows.relation(snap.cursor, name, relations(snap))
            req = rows.parse_page_request(_params(request), rel, settings.max_page_size)
            if fmt == "parquet":
                table, token = rows.fetch_arrow_page(snap.cursor, rel, req)
                return _response(encode.to_parquet(table), MEDIA["parquet"], snap.version, _link(request, token))
            page = rows.fetch_page(snap.cursor, rel, req)
        if fmt == "csv":
            return _response(encode.to_csv(page.columns, page.rows), MEDIA["csv"], snap.version,
                             _link(request, page.next_cursor))
        next_url = _next_url(request, page.next_cursor)
        return _json({"table": rel.name, "columns": page.columns, "rows": encode.records(page.columns, page.rows),
                      "row_count": len(page.rows), "size": req.size, "next": page.next_cursor, "next_url": next_url,
                      "data_version": snap.version}, snap.version, _link(request, page.next_cursor))

    @app.get(f"{PREFIX}/queries", summary="The named, parameterised queries", tags=["queries"], responses=RESPONSES)
    def list_queries() -> Response:
        with store.snapshot() as snap:
            return _json({"queries": [dict(e.describe(), url=f"{PREFIX}/queries/{e.name}.json")
                                      for e in published_queries.REGISTRY.values()]}, snap.version)

    @app.get(f"{PREFIX}/queries/{{name}}.{{fmt}}", summary="Run one named query", tags=["queries"],
             responses=RESPONSES,
             description="Parameters as listed by /api/v1/queries; list parameters repeat or use commas "
                         "(`?tool_ids=decidim&tool_ids=consul-democracy` or `?tool_ids=decidim,consul-democracy`).")
    def run_query(request: Request, name: Annotated[str, PathParam(examples=["deployments_by_country"])],
                  fmt: Literal["json", "csv"]) -> Response:
        entry = published_queries.REGISTRY.get(name)
        if entry is None:
            raise NotFound("unknown_query", f"no named query {name!r}; GET {PREFIX}/queries lists them")
        raw: dict[str, list[str]] = {}
        for key, value in _params(request):
            raw.setdefault(key, []).append(value)
        bound = published_queries.bind(entry, raw)
        with store.snapshot() as snap:
            result = published_queries.run(snap.cursor, name, bound, relations(snap))
        columns, data = result.columns, result.rows
        if fmt == "csv":
            return _response(encode.to_csv(columns, data), MEDIA["csv"], snap.version)
        return _json({"query": name, "params": bound, "columns": columns, "rows": encode.records(columns, data),
                      "row_count": len(data), "data_version": snap.version}, snap.version)

    @app.get(f"{PREFIX}/tools/{{tool_id}}", summary="One tool's profile as a single document", tags=["tools"],
             responses=RESPONSES)
    def get_tool(tool_id: Annotated[str, PathParam(examples=["decidim"])]) -> Response:
        with store.snapshot() as snap:
            try:
                document = tool_document.build(snap.cursor, tool_id, relations(snap))
            except tool_document.UnknownTool as exc:
                raise NotFound("unknown_tool", str(exc)) from None
            return _json({**document.to_dict(), "data_version": snap.version}, snap.version)

    @app.get(f"{PREFIX}/sql", summary="One read-only SQL statement (same guard as `observatory sql`)", tags=["sql"],
             responses=RESPONSES,
             description=f"SELECT only; writes, ATTACH, extensions, files and URLs are refused (400). At most "
                         f"{settings.sql_max_rows} rows, {settings.sql_timeout_s:g} s and "
                         f"{settings.max_sql_concurrency} queries at once (503 with Retry-After when full).")
    def run_sql(q: Annotated[str, Query(description="the statement", min_length=1, max_length=20_000,
                                        examples=["select tool_id, count(*) from deployments group by 1"])],
                _size: Annotated[int | None, Query(ge=1, description="rows to return (capped)")] = None) -> Response:
        max_rows = min(_size or settings.sql_max_rows, settings.sql_max_rows)
        if not sql_slots.acquire(blocking=False):
            raise Busy("too_many_queries", f"{settings.max_sql_concurrency} SQL queries are already running")
        try:
            with store.snapshot() as snap:
                try:
                    result = sqlguard.run_readonly_query(snap.cursor, q, max_rows=max_rows,
                                                         timeout_s=settings.sql_timeout_s)
                except sqlguard.RefusedQuery as exc:
                    raise BadRequest("refused", str(exc)) from None
                except duckdb.Error as exc:
                    raise BadRequest("sql_error", str(exc).splitlines()[0]) from None
        finally:
            sql_slots.release()
        return _json({"columns": result.columns, "rows": encode.records(result.columns, result.rows),
                      "row_count": len(result.rows), "truncated": result.truncated, "max_rows": max_rows,
                      "data_version": snap.version}, snap.version)

    # Outermost last: CORS, then the rate limit (cached answers count too), then the cache (a hit skips the
    # rest), then the timeout around the endpoints that do work.
    app.add_middleware(RequestTimeout, seconds=settings.request_timeout_s)
    app.add_middleware(DataVersionCache, store=store, cache=response_cache, prefix=f"{PREFIX}",
                       uncached=(f"{PREFIX}/sql",))
    app.add_middleware(RateLimit, rate=settings.rate_per_s, burst=settings.burst)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"], allow_headers=["If-None-Match"],
                       expose_headers=["ETag", "Link", "Retry-After"])
    return app


def _link(request: Request, token: str | None) -> dict[str, str]:
    url = _next_url(request, token)
    return {"Link": f'<{url}>; rel="next"'} if url else {}
