"""Page building on a small hand-made database (a table and a view), and the `serve` command's errors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from observatory.api import rows
from observatory.api.errors import BadRequest
from observatory.cli import app


@pytest.fixture
def small(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "small.duckdb"))
    con.execute("CREATE TABLE t (id INTEGER, grp VARCHAR, day DATE)")
    con.execute("INSERT INTO t SELECT i, CASE WHEN i % 3 = 0 THEN NULL ELSE 'g' || (i % 4) END, "
                "DATE '2024-01-01' + i::INTEGER FROM range(53) r(i)")
    con.execute("CREATE VIEW v AS SELECT id, grp FROM t WHERE id % 2 = 0")
    yield con
    con.close()


def _all_pages(con: duckdb.DuckDBPyConnection, name: str, params: list[tuple[str, str]]) -> list[tuple]:
    rel = rows.relation(con, name)
    seen: list[tuple] = []
    cursor = None
    for _ in range(100):
        req = rows.parse_page_request(params + ([("_next", cursor)] if cursor else []), rel)
        page = rows.fetch_page(con, rel, req)
        seen.extend(page.rows)
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize("name", ["t", "v"])
@pytest.mark.parametrize("sort", [[], [("_sort", "grp")], [("_sort_desc", "grp")], [("_sort", "day")]])
def test_every_row_once_for_tables_keyset_and_views_offset(small, name: str, sort: list) -> None:
    if name == "v" and sort == [("_sort", "day")]:
        sort = [("_sort", "id")]
    got = _all_pages(small, name, [("_size", "7"), *sort])
    expected = small.execute(f"SELECT * FROM {name}").fetchall()  # noqa: S608 - fixed test names
    assert sorted(got, key=repr) == sorted(expected, key=repr) and len(got) == len(set(got))
    if sort:
        column = rows.relation(small, name).columns
        position = list(column).index(sort[0][1])
        keys = [r[position] for r in got]
        known = [k for k in keys if k is not None]
        assert known == sorted(known, reverse=sort[0][0] == "_sort_desc")
        assert keys[len(known):] == [None] * (len(keys) - len(known))  # nulls last


def test_filters_are_placeholders_and_identifiers_come_from_the_catalogue(small) -> None:
    rel = rows.relation(small, "t")
    req = rows.parse_page_request([("grp", "g1"), ("grp", "g2"), ("day__gte", "2024-02-01")], rel)
    query = rows.build_query(rel, req)
    assert "g1" not in query.sql and "2024-02-01" not in query.sql
    assert query.params == ["g1", "g2", "2024-02-01"]
    with pytest.raises(BadRequest):
        rows.parse_page_request([('grp" = grp OR "1', "x")], rel)
    with pytest.raises(BadRequest):
        rows.parse_page_request([("_sort", "id; drop table t")], rel)


def test_cursor_of_a_table_is_refused_on_a_view(small) -> None:
    table_cursor = rows.fetch_page(small, rows.relation(small, "t"),
                                   rows.parse_page_request([("_size", "5")], rows.relation(small, "t"))).next_cursor
    view = rows.relation(small, "v")
    with pytest.raises(BadRequest):
        rows.build_query(view, rows.parse_page_request([("_next", table_cursor)], view))


def test_serve_without_a_database_is_one_line_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "missing.duckdb")])
    assert result.exit_code == 2
    assert "database not found" in result.output and "Traceback" not in result.output
