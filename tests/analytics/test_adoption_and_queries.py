from __future__ import annotations

import pandas as pd
import pytest

from observatory import queries
from observatory.analytics import adoption


def test_deployments_over_time_is_cumulative_per_group():
    df = pd.DataFrame({"tool": ["A", "A", "B"], "started_year": [2018, 2020, 2019], "country": ["FR", "ES", "FR"],
                       "organisation_type": ["municipality"] * 3})
    out = adoption.deployments_over_time(df, "tool").set_index(["year", "tool"])["deployments"]
    assert out[(2018, "A")] == 1 and out[(2019, "A")] == 1 and out[(2020, "A")] == 2
    assert out[(2018, "B")] == 0 and out[(2020, "B")] == 1
    with pytest.raises(ValueError):
        adoption.deployments_over_time(df, "colour")


def test_version_lag_counts_minor_versions_behind_the_newest_seen():
    probes = pd.DataFrame({"tool": ["Decidim"] * 4, "deployment_id": ["a", "b", "c", "d"],
                           "platform_version": ["0.28.1", "v0.27.4", "garbage", None]})
    lag = adoption.version_lag(probes).set_index("deployment_id")
    assert lag.loc["a", "minor_versions_behind"] == 0 and lag.loc["b", "minor_versions_behind"] == 1
    assert "c" not in lag.index and "d" not in lag.index


def test_liveness_share():
    probes = pd.DataFrame({"tool": ["A", "A", "B"], "deployment_id": ["1", "2", "3"], "reachable": [True, False, True]})
    out = adoption.liveness(probes).set_index("tool")
    assert out.loc["A", "share_reachable"] == 0.5 and out.loc["B", "share_reachable"] == 1.0


def test_every_named_query_runs_on_the_sample_database(con):
    import re

    examples = {"tool_ids": ["decidim", "consul"], "instance_id": "www.decidim.barcelona", "edition_id": "none",
                "q": "barcelona", "limit": 5}
    for name, query in queries.QUERIES.items():
        wanted = set(re.findall(r"\$([a-z_]+)", query.sql))
        assert wanted <= set(examples), f"{name}: give the test an example value for {wanted - set(examples)}"
        params = {k: examples[k] for k in wanted}
        try:
            queries.run(con, name, **params)
        except queries.MissingData as exc:  # e.g. PB tables before their migration lands
            assert set(exc.tables) - queries.existing_tables(con)


def test_missing_table_is_reported_as_missing_data(tmp_path):
    import duckdb

    con = duckdb.connect(str(tmp_path / "bare.duckdb"))
    with pytest.raises(queries.MissingData) as info:
        queries.run(con, "tools")
    assert "tools" in info.value.tables


def test_table_rows_binds_the_search_text_and_checks_identifiers(con):
    assert list(queries.table_rows(con, "tools", "name", "DECI")["tool_id"]) == ["decidim"]
    assert queries.table_rows(con, "tools", "name", "'; DROP TABLE tools; --").empty
    assert queries.table_rows(con, "tools", "name", "%").empty  # no LIKE wildcards
    assert len(queries.table_rows(con, "tools", limit=2)) == 2
    with pytest.raises(ValueError, match="unknown column"):
        queries.table_rows(con, "tools", 'name" FROM tools; --', "x")
    with pytest.raises(queries.MissingData):
        queries.table_rows(con, "no_such_table")
    assert queries.table_row_counts(con, ["tools"]) == {"tools": 4}


def test_live_deployments_by_group_sums_the_tail_as_other():
    df = pd.DataFrame({"tool": list("AAABBC"), "removed_on": [None, None, "2024-01-01", None, None, None],
                       "country": list("FFEEDD"), "organisation_type": [None] * 6})
    out = adoption.live_deployments_by(df, "tool", top=1)
    assert list(zip(out["tool"], out["deployments"], strict=True)) == [("A", 2), ("other", 3)]
    assert adoption.live_deployments_by(df, "organisation_type")["organisation_type"].tolist() == ["unknown"]
