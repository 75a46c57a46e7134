"""The tool page lists the instances whose data was imported and the PB editions held where the tool is deployed.

Pabulib files name no platform, so editions are matched by place only, and the page says so.
"""

from __future__ import annotations

import shutil
from urllib.parse import parse_qs, urlparse

import duckdb
import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboards.i18n import t
from observatory.analytics import tool_runs
from tests.dashboards.test_french_pages import APP


def _deployments(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["tool_id", "organisation", "region", "country", "removed_on"])


def _editions(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["edition_id", "country", "unit", "subunit", "year", "vote_type", "n_voters",
                                       "n_projects"])


def test_an_edition_matches_a_deployment_by_country_and_whole_town_name():
    deployments = _deployments([
        ("decidim", "Konsultacje Warszawa", "Masovian Voivodeship", "PL", None),
        ("decidim", "Kassenzahnärztliche Vereinigung", None, "NL", None),  # "Assen" inside a word: no match
        ("decidim", "Toulouse", None, "BE", None),  # right town name, wrong country: no match
        ("decidim", "Gdynia", None, "PL", "2024-01-01"),  # removed deployment: no match
        ("openstad", "Gemeente Amsterdam", None, "NL", None),  # another tool
    ])
    editions = _editions([
        ("Poland_Warszawa_2024", "Poland", "Warszawa", "Ochota", 2024, "approval", 4038, 49),
        ("Netherlands_Assen_2024", "Netherlands", "Assen", None, 2024, "approval", 84, 14),
        ("France_Toulouse_2024", "France", "Toulouse", None, 2024, "approval", 7260, 183),
        ("Poland_Gdynia_2021", "Poland", "Gdynia", None, 2021, "approval", 3168, 12),
        ("Netherlands_Amsterdam_252", "Netherlands", "Amsterdam", None, None, "approval", 8520, 85),
        ("Worldwide_Mechanical_Turk", "Worldwide", "Mechanical Turk", None, None, "approval", 100, 10),
    ])
    near = tool_runs.editions_in_places_of(editions, deployments, "decidim")
    assert list(near["edition_id"]) == ["Poland_Warszawa_2024"]
    assert list(near["matched_deployment"]) == ["Konsultacje Warszawa"]
    assert list(tool_runs.editions_in_places_of(editions, deployments, "openstad")["edition_id"]) == \
        ["Netherlands_Amsterdam_252"]


def test_instances_belong_to_the_tool_their_platform_names():
    instances = pd.DataFrame({"instance_id": ["a", "b", "c"], "platform": ["decidim", "consul", "decidim"]})
    assert list(tool_runs.instances_of(instances, "decidim")["instance_id"]) == ["a", "c"]
    assert list(tool_runs.instances_of(instances, "consul-democracy")["instance_id"]) == ["b"]
    assert tool_runs.instances_of(instances, "openstad").empty


def _link_params(frame: pd.DataFrame, column: str = "page") -> list[dict[str, list[str]]]:
    return [parse_qs(urlparse(str(u)).query) for u in frame[column]]


def test_tool_page_links_instances_and_place_matched_editions(sample_db, tmp_path, monkeypatch):
    db = tmp_path / "runs.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db))
    try:  # an edition in Barcelona, where the sample lists a Decidim deployment
        con.execute("INSERT INTO pb_editions SELECT * REPLACE ('Spain_Barcelona_2025' AS edition_id, 'Spain' AS country,"
                    " 'Barcelona' AS unit) FROM pb_editions WHERE edition_id = 'Testland_Town_2026'")
    finally:
        con.close()
    monkeypatch.setenv("OBSERVATORY_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update({"page": "tool", "id": "decidim", "lang": "fr"})
    at.run()
    assert not at.exception
    assert t("tool.runs_on_it", "fr") in [s.value for s in at.subheader]
    frames = [f.value for f in at.dataframe]
    instances = next(v for v in frames if "base_url" in v.columns)
    assert list(instances["name"]) == ["Decidim Barcelona"]
    assert _link_params(instances) == [{"instance": ["www.decidim.barcelona"], "lang": ["fr"],
                                        "page": ["participation"]}]
    editions = next(v for v in frames if "matched_deployment" in v.columns)
    assert list(editions["unit"]) == ["Barcelona"], "the Testland edition is in no town of a deployment"
    assert _link_params(editions) == [{"edition": ["Spain_Barcelona_2025"], "lang": ["fr"], "page": ["pb-outcomes"]}]
    captions = " ".join(c.value for c in at.caption)
    assert t("tool.pb_no_platform", "fr", n="2") in captions, "the page says editions are matched by place only"
    for link, key, value in ((editions["page"][0], "pb_edition", "Spain_Barcelona_2025"),
                             (instances["page"][0], "participation_instance", "www.decidim.barcelona")):
        opened = AppTest.from_file(APP, default_timeout=90)
        opened.query_params.update({k: v[0] for k, v in parse_qs(urlparse(link).query).items()})
        opened.run()
        assert not opened.exception and opened.selectbox(key=key).value == value, link
