"""Overview: the landscape at a glance (licence families, deployments map, activity, freshness)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import chart_honesty, data
from dashboards import components as ui
from dashboards.i18n import current_lang, fmt_date, fmt_number, t
from observatory.analytics import licences as lic


def _glance(named: pd.DataFrame, lang: str) -> None:
    """The two breakdowns as text tables: the first page a visitor opens draws no chart and no data grid (each
    loads megabytes of JavaScript on a fresh start; the map tab and the other pages have the charts)."""
    left, right = st.columns(2)
    with left:
        families = (named.groupby("licence_family")["name"].agg(tools="count", names=lambda s: ", ".join(sorted(s)))
                    .reset_index().sort_values(["tools", "licence_family"], ascending=[False, True]))
        families = ui.translated(families, "licence_family", "common.family")
        st.subheader(t("overview.chart_families"))
        ui.text_table(families, {"licence_family": t("common.licence_family"), "tools": t("common.tools"),
                                 "names": t("overview.names")}, lang)
    with right:
        status = ui.translated(data.query("tools_by_status"), "status", "common.status")
        st.subheader(t("overview.chart_status"))
        ui.text_table(status, {"status": t("common.status_label"), "tools": t("common.tools")}, lang)
    st.caption(t("overview.glance_sources"))


def _map(live: pd.DataFrame, deployments: pd.DataFrame, lang: str) -> None:
    by_country = ui.fetch("deployments_by_country")
    if by_country is None:
        return
    from dashboards import geomap

    on_map = int(by_country.loc[by_country["country"].isin(geomap.shapes()), "deployments"].sum())
    title = chart_honesty.subset_title(t("overview.chart_map"), on_map, len(live), t("common.subset_on_map"), lang)
    fig = data.figure(geomap.country_map, by_country, "deployments", title,
                      {"title": t("common.deployments"), "none": t("common.none")}, t("common.map_hover"))
    alt = t("overview.map_alt", summary=", ".join(f"{c} ({n})" for c, n in zip(
        by_country["country"].head(15), by_country["deployments"].head(15), strict=True)))
    st.caption(alt)
    ui.chart(fig, by_country, "overview_map", alt=alt, sources=ui.sources_of(deployments), note=t("overview.map_note"))


def _tools(named: pd.DataFrame, lang: str) -> None:
    st.subheader(t("overview.tools_table"))
    catalogue_tools = named.assign(page=[ui.tool_page_link(i, lang) for i in named["tool_id"]])
    shown_tools = ui.facets(catalogue_tools, {"licence_family": t("common.licence_family"),
                                              "status": t("common.status_label")}, "overview", lang,
                            value_labels={"licence_family": "common.family", "status": "common.status"})
    ui.table(shown_tools[["name", "page", "licence_spdx", "licence_family", "status", "maintainer",
                          "origin_country"]].assign(
                 licence_family=[t(f"common.family.{f}") for f in shown_tools["licence_family"]],
                 status=[t(f"common.status.{s or 'unknown'}") for s in shown_tools["status"].fillna("unknown")]),
             hide_index=True, key="overview_tools", column_config={
                 "name": t("common.tool"), "page": ui.tool_link_column(), "licence_spdx": t("common.licence"),
                 "licence_family": t("common.licence_family"), "status": t("common.status_label"),
                 "maintainer": t("tool.maintainer"), "origin_country": t("tool.origin")})


def _freshness(lang: str) -> None:
    meta = ui.fetch("table_meta")
    if meta is None:
        return
    counts = data.row_counts()
    shown = meta.assign(
        rows=[fmt_number(counts.get(name), lang) for name in meta["table_name"]],
        checked_on=[fmt_date(v, lang) for v in meta["checked_on"]],
        loaded_at=[fmt_date(v, lang) for v in meta["loaded_at"]],
    )[["table_name", "title", "rows", "licence", "source", "checked_on", "loaded_at"]]
    ui.table(shown, hide_index=True, column_config={
        "table_name": t("data.col_table"), "title": t("data.col_title"), "rows": t("data.col_rows"),
        "licence": t("data.col_licence"), "source": t("data.col_source"),
        "checked_on": t("data.col_checked_on"), "loaded_at": t("data.col_loaded_at")})


def render() -> None:
    lang = current_lang()
    ui.page_header("overview")
    if not ui.page_guard():
        return
    tools = ui.fetch("tools")
    if tools is None:
        return
    deployments = data.query("deployments")
    live = deployments[deployments["removed_on"].isna()]
    c1, c2, c3 = st.columns(3)
    c1.metric(t("overview.metric_tools"), fmt_number(len(tools), lang))
    c2.metric(t("overview.metric_deployments"), fmt_number(len(live), lang))
    c3.metric(t("overview.metric_countries"), fmt_number(live["country"].nunique(), lang))

    catalogue = lic.catalogue_from_rows(data.query("licences").to_dict("records"))
    named = tools.assign(licence_family=lic.families(list(tools["licence_spdx"]), catalogue))
    ui.sections("overview", {
        "glance": (t("overview.tab_glance"), lambda: _glance(named, lang)),
        "map": (t("overview.tab_map"), lambda: _map(live, deployments, lang)),
        "tools": (t("overview.tab_tools"), lambda: _tools(named, lang)),
        "freshness": (t("overview.freshness"), lambda: _freshness(lang)),
    })


render()
