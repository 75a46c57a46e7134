"""Property-based run of the published OpenAPI schema (schemathesis + hypothesis): no input gives a 5xx,
and every status the API answers is one its schema documents.

Bounded so it stays fast: a few dozen generated requests per operation, no example database.
"""

from __future__ import annotations

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

MAX_EXAMPLES = 25


def test_no_generated_request_gets_a_server_error(api) -> None:
    schema = schemathesis.openapi.from_url(f"{api.base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7
    seen: dict[str, set[int]] = {}

    for operation in operations:
        @hypothesis.settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                             phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @hypothesis.given(case=operation.as_strategy())
        def no_server_error(case: schemathesis.Case) -> None:
            response = case.call_and_validate(base_url=api.base_url, timeout=30,
                                              checks=[not_a_server_error, status_code_conformance])
            seen.setdefault(case.operation.label, set()).add(response.status_code)
            if response.status_code >= 400:
                assert response.json()["error"], "every error is a JSON body with a code"

        no_server_error()
    # The run reached the data, not only the validators: some requests got a 200.
    assert any(200 in statuses for statuses in seen.values())


def test_real_names_with_random_filters_never_get_a_server_error(api, built_db) -> None:
    """Generated requests on real tables and queries: random columns, operators, values, sorts, sizes, cursors."""
    from urllib.parse import quote

    import httpx
    from hypothesis import strategies as st

    from observatory.api.app import MEDIA
    from observatory.api.rows import OPERATORS
    from observatory.published_queries import REGISTRY
    from observatory.store import connect_readonly

    con = connect_readonly(built_db)
    try:
        columns = {t: [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [t]).fetchall()]
            for t in ("tools", "deployments", "tool_features", "table_meta")}
    finally:
        con.close()
    text = st.text(max_size=12)
    table = st.sampled_from(sorted(columns))
    fmt = st.sampled_from(sorted(MEDIA))  # every format the API encodes

    @st.composite
    def table_request(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
        name = draw(table)
        column = st.sampled_from(columns[name] + ["nope"])
        key = st.one_of(column, st.builds(lambda c, op: f"{c}__{op}", column, st.sampled_from([*OPERATORS, "zz"])),
                        st.sampled_from(["_sort", "_sort_desc", "_size", "_next"]))
        value = st.one_of(text, st.integers(-5, 3000).map(str), st.sampled_from(["true", "FR", "2020-01-01", ""]),
                          column)
        return f"/api/v1/tables/{name}.{draw(fmt)}", draw(st.lists(st.tuples(key, value), max_size=4))

    @st.composite
    def query_request(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
        name = draw(st.sampled_from(sorted(REGISTRY)))
        keys = [p.name for p in REGISTRY[name].params] + ["nope"]
        params = draw(st.lists(st.tuples(st.sampled_from(keys), st.one_of(text, st.just("decidim"))), max_size=3))
        return f"/api/v1/queries/{name}.{draw(st.sampled_from(['json', 'csv']))}", params

    tool = st.one_of(st.sampled_from(["decidim", "consul-democracy"]), text).map(
        lambda t: (f"/api/v1/tools/{quote(t, safe='')}", []))
    sql = st.tuples(st.sampled_from(["select ", "select * from ", "with x as (", "pragma ", "copy "]),
                    st.sampled_from(["tools", "deployments where country = ", "1", "read_csv(", "'"]), text).map(
        lambda parts: ("/api/v1/sql", [("q", "".join(parts))]))

    with httpx.Client(base_url=api.base_url, timeout=30) as http:
        @hypothesis.settings(max_examples=120, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @hypothesis.given(request=st.one_of(table_request(), query_request(), tool, sql))
        def no_server_error(request: tuple[str, list[tuple[str, str]]]) -> None:
            url, params = request
            response = http.get(url, params=params)
            assert response.status_code < 500, (url, params, response.status_code, response.text[:300])

        no_server_error()
