"""Datasette-style pages of one table or view: column filters, sort, size and an opaque ``_next`` cursor.

Identifiers placed in SQL text (table and column names) are only ever names read from the database's own
catalogue, checked before use and quoted; every value a client sends travels as a bound parameter.
Pages of base tables use keyset pagination on (sort column, ``rowid``), so a deep page costs as little as
the first one; views have no ``rowid`` and page by offset.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

import duckdb
import orjson

from observatory.api.errors import BadRequest, NotFound

DEFAULT_SIZE = 100
MAX_SIZE = 1000
MAX_VALUES_PER_FILTER = 100
RESERVED = ("_sort", "_sort_desc", "_size", "_next")
ROWID = "__api_rowid"
# column__op=value; a bare column=value is "exact" (repeat it for several values: IN).
OPERATORS: dict[str, str] = {
    "exact": "{col} IN ({marks})",
    "not": "{col} NOT IN ({marks})",
    "contains": "contains(lower(CAST({col} AS VARCHAR)), lower(?))",
    "gt": "{col} > ?",
    "gte": "{col} >= ?",
    "lt": "{col} < ?",
    "lte": "{col} <= ?",
    "isnull": "({col} IS NULL) = ?",
}
_NESTED_TYPES = ("[]", "STRUCT", "MAP", "UNION", "[")


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str  # "table" | "view"
    columns: dict[str, str]  # name -> DuckDB type, in order


def catalogue(cur: duckdb.DuckDBPyConnection) -> dict[str, Relation]:
    """Every public table and view with its columns (bookkeeping tables left out, as in store.user_tables)."""
    rows = cur.execute(
        "SELECT c.table_name, t.table_type, c.column_name, c.data_type FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
        "WHERE c.table_schema = 'main' AND c.table_name NOT IN ('schema_migrations') "
        "ORDER BY c.table_name, c.ordinal_position"
    ).fetchall()
    found: dict[str, Relation] = {}
    for table, table_type, column, data_type in rows:
        rel = found.setdefault(table, Relation(table, "view" if table_type == "VIEW" else "table", {}))
        rel.columns[column] = data_type
    return found


def relation(cur: duckdb.DuckDBPyConnection, name: str, known: dict[str, Relation] | None = None) -> Relation:
    rel = (catalogue(cur) if known is None else known).get(name)
    if rel is None:
        raise NotFound("unknown_table", f"no table or view named {name!r}; GET /api/v1/tables lists them")
    return rel


@dataclass
class PageRequest:
    filters: list[tuple[str, str, list[str]]] = field(default_factory=list)
    sort: str | None = None
    descending: bool = False
    size: int = DEFAULT_SIZE
    cursor: str | None = None


def _split_filter(key: str, columns: dict[str, str]) -> tuple[str, str]:
    if key in columns:
        return key, "exact"
    column, sep, op = key.rpartition("__")
    if sep and column in columns and op in OPERATORS:
        return column, op
    if sep and column in columns:
        raise BadRequest("unknown_operator", f"unknown filter operator {op!r}; use one of {', '.join(OPERATORS)}")
    raise BadRequest("unknown_column", f"unknown column {key!r}; columns: {', '.join(columns)}")


def parse_page_request(params: list[tuple[str, str]], rel: Relation, max_size: int = MAX_SIZE) -> PageRequest:
    """Read ``?col=v&col__op=v&_sort=&_sort_desc=&_size=&_next=``; anything unknown is a 400."""
    req = PageRequest()
    grouped: dict[tuple[str, str], list[str]] = {}
    for key, value in params:
        if key.startswith("_"):
            if key not in RESERVED:
                raise BadRequest("unknown_parameter", f"unknown parameter {key!r}; reserved: {', '.join(RESERVED)}")
            if key in ("_sort", "_sort_desc"):
                if value not in rel.columns:
                    raise BadRequest("unknown_column", f"cannot sort by {value!r}: no such column in {rel.name!r}")
                if any(marker in rel.columns[value] for marker in _NESTED_TYPES):
                    raise BadRequest("unsortable_column", f"cannot sort by {value!r}: its type is nested")
                req.sort, req.descending = value, key == "_sort_desc"
            elif key == "_size":
                req.size = parse_size(value, max_size)
            else:
                req.cursor = value
            continue
        grouped.setdefault(_split_filter(key, rel.columns), []).append(value)
    for (column, op), values in grouped.items():
        if len(values) > MAX_VALUES_PER_FILTER:
            raise BadRequest("too_many_values", f"at most {MAX_VALUES_PER_FILTER} values per filter")
        if op == "isnull":
            if values[-1].lower() not in ("true", "false", "1", "0"):
                raise BadRequest("bad_value", f"{column}__isnull takes true or false")
            values = [str(values[-1].lower() in ("true", "1")).lower()]
        req.filters.append((column, op, values))
    return req


def parse_size(value: str, max_size: int = MAX_SIZE) -> int:
    try:
        size = int(value)
    except ValueError:
        raise BadRequest("bad_size", f"_size must be a whole number from 1 to {max_size}") from None
    if size < 1:
        raise BadRequest("bad_size", f"_size must be a whole number from 1 to {max_size}")
    return min(size, max_size)  # capped, not refused: the response says how many rows it holds


def encode_cursor(state: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(state, default=str)).decode().rstrip("=")


def decode_cursor(token: str) -> dict[str, object]:
    try:
        state = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise BadRequest("bad_cursor", "_next is not a cursor this API gave out") from None
    if not isinstance(state, dict) or not (("k" in state and isinstance(state["k"], list) and len(state["k"]) == 2
                                            and isinstance(state["k"][1], int)) or isinstance(state.get("o"), int)):
        raise BadRequest("bad_cursor", "_next is not a cursor this API gave out")
    return state


@dataclass(frozen=True)
class PageQuery:
    sql: str
    params: list[object]
    keyset: bool


def build_query(rel: Relation, req: PageRequest) -> PageQuery:
    """SELECT for one page (size + 1 rows, to know whether another page follows)."""
    keyset = rel.kind == "table"
    select = f"SELECT rowid AS {quote(ROWID)}, * FROM {quote(rel.name)}" if keyset else f"SELECT * FROM {quote(rel.name)}"  # noqa: S608 - catalogue names
    where: list[str] = []
    params: list[object] = []
    for column, op, values in req.filters:
        marks = ", ".join("?" for _ in values)
        where.append(OPERATORS[op].format(col=quote(column), marks=marks))
        params.extend(values if op in ("exact", "not") else values[-1:])
    state = decode_cursor(req.cursor) if req.cursor else None
    direction = "DESC" if req.descending else "ASC"
    offset = 0
    if keyset:
        order = f"{quote(req.sort)} {direction} NULLS LAST, rowid" if req.sort else "rowid"
        if state is not None:
            if "k" not in state:
                raise BadRequest("bad_cursor", "_next does not belong to this table")
            value, last_rowid = state["k"]  # type: ignore[misc]
            if req.sort is None:
                where.append("rowid > ?")
                params.append(last_rowid)
            elif value is None:
                where.append(f"({quote(req.sort)} IS NULL AND rowid > ?)")
                params.append(last_rowid)
            else:
                cmp = "<" if req.descending else ">"
                col = quote(req.sort)
                where.append(f"({col} {cmp} ? OR ({col} = ? AND rowid > ?) OR {col} IS NULL)")
                params.extend([value, value, last_rowid])
    else:
        positions = ", ".join(str(i + 1) for i in range(len(rel.columns)))  # a total order, so offsets are stable
        order = f"{quote(req.sort)} {direction} NULLS LAST, {positions}" if req.sort else positions
        if state is not None:
            if "o" not in state:
                raise BadRequest("bad_cursor", "_next does not belong to this view")
            offset = int(state["o"])  # type: ignore[arg-type]
            if offset < 0:
                raise BadRequest("bad_cursor", "_next is not a cursor this API gave out")
    sql = select + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY {order} LIMIT {req.size + 1}"
    if offset:
        sql += f" OFFSET {offset}"
    return PageQuery(sql, params, keyset)


@dataclass
class Page:
    columns: list[str]
    rows: list[tuple]
    next_cursor: str | None


def run_query(cur: duckdb.DuckDBPyConnection, query: PageQuery, arrow: bool = False) -> Any:
    """Execute (rows, or an Arrow table), turning a value that does not fit its column (``?year=abc``) into a 400."""
    try:
        if arrow:
            return cur.sql(query.sql, params=query.params).to_arrow_table()
        return cur.execute(query.sql, query.params)
    except (duckdb.ConversionException, duckdb.BinderException, duckdb.InvalidInputException) as exc:
        message = str(exc).splitlines()[0]
        raise BadRequest("bad_value", f"a filter or cursor value does not fit its column: {message}") from None


def next_cursor(rel: Relation, req: PageRequest, columns: list[str], last: tuple | None, more: bool) -> str | None:
    if not more or last is None:
        return None
    if rel.kind == "table":
        sort_value = last[columns.index(req.sort)] if req.sort else None
        return encode_cursor({"k": [sort_value, last[0]]})
    offset = (int(decode_cursor(req.cursor)["o"]) if req.cursor else 0) + req.size  # type: ignore[arg-type]
    return encode_cursor({"o": offset})


def fetch_page(cur: duckdb.DuckDBPyConnection, rel: Relation, req: PageRequest) -> Page:
    query = build_query(rel, req)
    result = run_query(cur, query)
    columns = [d[0] for d in result.description or []]
    rows = result.fetchall()
    more = len(rows) > req.size
    rows = rows[: req.size]
    token = next_cursor(rel, req, columns, rows[-1] if rows else None, more)
    if query.keyset:
        columns, rows = columns[1:], [r[1:] for r in rows]
    return Page(columns, rows, token)


def fetch_arrow_page(cur: duckdb.DuckDBPyConnection, rel: Relation, req: PageRequest) -> tuple[object, str | None]:
    """The same page as an Arrow table (for Parquet), with its ``_next`` cursor."""
    query = build_query(rel, req)
    table = run_query(cur, query, arrow=True)
    more = table.num_rows > req.size
    table = table.slice(0, req.size)
    token = None
    if more and table.num_rows:
        last = tuple(col[-1].as_py() for col in table.columns)
        token = next_cursor(rel, req, table.column_names, last, more)
    if query.keyset:
        table = table.drop_columns([ROWID])
    return table, token
