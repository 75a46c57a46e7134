"""Catalogues agree across languages, every key the code uses exists, formats follow the locale,
charts are readable without colour, and the dashboard code keeps its safety rules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboards import charts
from dashboards.components import plain
from dashboards.i18n import LANGS, LOCALES_DIR, catalogue, fmt_date, fmt_number, fmt_percent, t

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
LITERAL_KEY = re.compile(r"""\bt(?:_or)?\(\s*["']([a-z_]+\.[a-zA-Z0-9_.]+)["']""")


def test_both_languages_have_the_same_files_and_keys():
    files = {lang: sorted(p.name for p in (LOCALES_DIR / lang).glob("*.json")) for lang in LANGS}
    assert files["fr"] == files["en"]
    missing = {lang: sorted(set(catalogue(other)) - set(catalogue(lang))) for lang, other in (("fr", "en"), ("en", "fr"))}
    assert missing == {"fr": [], "en": []}


def test_placeholders_match_between_languages():
    fields = re.compile(r"{(\w+)}")
    for key, en in catalogue("en").items():
        assert set(fields.findall(en)) == set(fields.findall(catalogue("fr")[key])), key


def test_every_literal_key_used_in_the_code_exists():
    used = {k for path in DASHBOARDS.rglob("*.py") for k in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))
            if not k.endswith(".")}  # a prefix joined with a code at run time
    assert used, "the scan found the keys"
    for lang in LANGS:
        assert sorted(k for k in used if k not in catalogue(lang)) == [], lang


def test_page_titles_exist_for_every_registered_page():
    from dashboards.streamlit_app import PAGES

    for lang in LANGS:
        assert all(p.title_key in catalogue(lang) for p in PAGES), lang


def test_locale_formats():
    assert fmt_number(1234567, "fr") == "1\u202f234\u202f567"
    assert fmt_number(1234567, "en") == "1,234,567"
    assert fmt_number(0.5, "fr", 2) == "0,50"
    assert fmt_number(None, "en") == "–"
    assert fmt_percent(0.25, "fr") == "25\u00a0%" and fmt_percent(0.1234, "en") == "12.3%"
    assert fmt_date(dt.date(2026, 1, 3), "fr") == "3 janv. 2026"
    assert fmt_date("2026-01-03", "en") == "3 Jan 2026"
    assert t("nav.overview", "fr") == "Vue d'ensemble" and t("nav.overview", "en") == "Overview"
    assert t("no.such_key", "en") == "no.such_key"


def test_collected_text_is_escaped_for_markdown():
    assert plain("<b>x</b> [link](http://e.org) *") == "\\<b\\>x\\</b\\> \\[link\\]\\(http\\://e\\.org\\) \\*"


def test_dashboard_code_never_renders_html_nor_builds_sql():
    for path in DASHBOARDS.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in source, path
        assert ".execute(" not in source, f"{path}: SQL belongs in observatory/queries.py"
        assert "duckdb.connect" not in source, f"{path}: only data.py opens the database, read-only"


@pytest.fixture
def families() -> pd.DataFrame:
    return pd.DataFrame({"family": ["Network copyleft", "Permissive"], "tools": [12, 9]})


@pytest.mark.parametrize("lang,separators", [("fr", ",\u202f"), ("en", ".,")])
def test_bar_chart_has_labels_and_locale_separators(families, lang, separators):
    fig = charts.bar(families, "family", "tools", "Tools by family", {"tools": "Tools"}, lang, pattern="family")
    assert fig.layout.title.text == "Tools by family"
    assert fig.layout.separators == separators
    assert all(trace.texttemplate or trace.text is not None for trace in fig.data), "values are written on bars"
    assert list(fig.data[0].x) == ["Network copyleft"], "each bar is named by its category on the axis"


def test_bar_chart_patterns_groups_that_the_axis_does_not_name():
    """Bars coloured by a group other than their category carry one fill pattern per group (readable without
    colour); bars coloured by their own category are named by the axis and carry none."""
    versions = pd.DataFrame({"version": ["0.27", "0.27", "0.28"], "tool": ["A", "B", "A"], "n": [3, 1, 2]})
    grouped = charts.bar(versions, "version", "n", "Versions", {}, "en", pattern="tool")
    assert len({trace.marker.pattern.shape for trace in grouped.data}) == 2, "each tool has its own fill pattern"
    own = charts.bar(versions, "version", "n", "Versions", {}, "en", pattern="version")
    assert {trace.marker.pattern.shape for trace in own.data} <= {None, ""}


def test_line_chart_labels_each_series_at_its_end():
    df = pd.DataFrame({"year": [2019, 2020, 2019, 2020], "tool": ["A", "A", "B", "B"], "n": [1, 2, 1, 3]})
    fig = charts.line(df, "year", "n", "Over time", {}, "en", series="tool")
    assert {a.text for a in fig.layout.annotations} == {"A", "B"}
    assert len({trace.marker.symbol for trace in fig.data}) == 2


@pytest.fixture
def monthly() -> pd.DataFrame:
    """Fourteen months, Nov 2023 to Dec 2024, as DuckDB returns ``date_trunc('month', ...)::DATE``."""
    months = pd.date_range("2023-11-01", "2024-12-01", freq="MS")
    return pd.DataFrame({"month": months.date, "proposals": range(len(months))})


@pytest.mark.parametrize("lang,months,not_months", [("fr", {"janv.", "mars"}, {"Jan", "Mar"}),
                                                     ("en", {"Jan", "Mar"}, {"janv.", "mars"})])
def test_date_axis_months_are_written_in_the_chart_language(monthly, lang, months, not_months):
    fig = charts.line(monthly, "month", "proposals", "Per month", {}, lang)
    axis = fig.layout.xaxis
    assert axis.tickmode == "array" and 2 <= len(axis.ticktext) <= charts.MAX_DATE_TICKS
    words = {text.split()[0] for text in axis.ticktext}
    assert months <= words and not words & not_months, axis.ticktext
    assert "janv. 2024" in axis.ticktext if lang == "fr" else "Jan 2024" in axis.ticktext
    ticks = pd.to_datetime(list(axis.tickvals))
    assert ticks.min() >= pd.Timestamp("2023-11-01") and ticks.max() <= pd.Timestamp("2024-12-01")
    assert list(fig.data[0].y) == list(monthly["proposals"]), "data unchanged"
    assert "%{customdata[0]}" in fig.data[0].hovertemplate
    assert fig.data[0].customdata[2][0] == ("janv. 2024" if lang == "fr" else "Jan 2024")


def test_date_axis_of_timestamps_and_sparklines_in_french():
    history = pd.DataFrame({"fetched_at": pd.date_range("2022-02-15 08:00", periods=30, freq="7D", tz="UTC"),
                            "stars": range(30), "tool": ["A", "B"] * 15})
    for fig in (charts.line(history, "fetched_at", "stars", "Stars", {}, "fr", series="tool"),
                charts.sparkline(history, "fetched_at", "stars", "fr")):
        texts = fig.layout.xaxis.ticktext
        assert texts and any(t.startswith(("févr.", "mars", "avr.", "mai", "juin", "juil.")) for t in texts), texts
        ticks = pd.to_datetime(list(fig.layout.xaxis.tickvals))
        assert ticks.min() >= pd.Timestamp("2022-02-15") and ticks.max() <= pd.Timestamp("2022-09-06")


def test_numeric_years_keep_plotly_ticks():
    df = pd.DataFrame({"year": [2019, 2020], "n": [1, 2]})
    assert charts.line(df, "year", "n", "Per year", {}, "fr").layout.xaxis.ticktext is None


def _fetches_plotly_topojson(fig) -> bool:
    """plotly.js fetches its world TopoJSON from a CDN when a geo trace has a location mode or a base
    layer is shown (the ``show<layer>`` flags); the offline map must trigger neither."""
    layout = fig.layout.geo
    layers = ("showland", "showocean", "showlakes", "showrivers", "showcountries", "showsubunits")
    # plotly.js defaults: the geo is visible and shows coastlines; a trace with locations gets a location mode.
    shown = layout.visible is not False and (layout.showcoastlines is not False
                                             or any(getattr(layout, name) for name in layers))
    located = any(getattr(trace, "locationmode", None) or getattr(trace, "locations", None) is not None
                  for trace in fig.data)
    return shown or located


def test_country_map_is_drawn_from_shipped_outlines_without_the_plotly_cdn():
    import plotly.express as px

    from dashboards import geomap

    counts = pd.DataFrame({"country": ["FR", "ES", "BR"], "deployments": [150, 3, 1]})
    fig = geomap.country_map(counts, "deployments", "Map", {"title": "n", "none": "none"}, "%{customdata[0]}")
    assert not _fetches_plotly_topojson(fig)
    control = px.choropleth(counts, locations="country", color="deployments")  # plotly's own way: needs the CDN
    assert _fetches_plotly_topojson(control)
    markers = next(tr for tr in fig.data if tr.name == geomap.MARKER_TRACE)
    assert sorted(c[0] for c in markers.customdata) == ["BR", "ES", "FR"]
    by_bin = {tr.name: tr for tr in fig.data if tr.name != geomap.MARKER_TRACE}
    assert set(by_bin) == {"none", "1", "2–5", "101+"}  # FR in 101+, ES in 2–5, BR in 1, the rest in none
    assert all(tr.fill == "toself" for tr in by_bin.values())


def test_shipped_outlines_cover_the_deployment_countries(built_db):
    import duckdb

    from dashboards import geomap

    con = duckdb.connect(str(built_db), read_only=True)
    try:
        countries = {r[0] for r in con.execute("SELECT DISTINCT country FROM deployments WHERE country IS NOT NULL")
                     .fetchall()}
    finally:
        con.close()
    missing = countries - set(geomap.shapes())
    # 1:110m outlines leave out micro-states; they still count in every table, just not on the map.
    assert len(missing) <= max(3, len(countries) // 10), sorted(missing)


def test_stacked_contributions_split_the_score():
    ranking = pd.DataFrame({"name": ["A"], "score_features": [1.0], "score_adoption": [0.5]})
    fig = charts.stacked_contributions(ranking, {"features": 0.6, "adoption": 0.4},
                                       {"features": "Processes", "adoption": "Adoption"}, "Scores", {}, "en")
    assert sorted(round(float(trace.x[0]), 3) for trace in fig.data) == [0.2, 0.6]


