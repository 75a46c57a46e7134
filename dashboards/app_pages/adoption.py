"""Adoption: deployments over time, map, liveness and version lag from probes, software health trends."""

from __future__ import annotations

import streamlit as st

from dashboards import charts, urlstate
from dashboards import components as ui
from dashboards.i18n import current_lang, fmt_number, fmt_percent, t
from observatory.analytics import adoption

HEALTH_METRICS: tuple[str, ...] = ("stars", "forks", "open_issues", "contributors", "commits_last_52w",
                                   "releases_last_year")


def _over_time(deployments, lang: str) -> None:
    urlstate.bind("adoption_by", "by", options=adoption.GROUPINGS)
    by = st.radio(t("adoption.group_by"), options=list(adoption.GROUPINGS), horizontal=True, key="adoption_by",
                  format_func=lambda g: t(f"adoption.by_{g}", lang))
    counts = adoption.live_deployments_by(deployments, by)
    if by == "organisation_type":
        counts = ui.translated(counts, by, "adoption.org")
    labels = {"deployments": t("common.deployments"), by: t(f"adoption.by_{by}")}
    fig = charts.bar(counts, by, "deployments", t("adoption.chart_live_by", group=labels[by].lower()), labels, lang,
                     horizontal=True)
    ui.chart(fig, counts, "adoption_live_by", alt=t("adoption.chart_live_by_alt"), sources=ui.sources_of(deployments))
    series = adoption.deployments_over_time(deployments, by)
    if series.empty:
        ui.empty_state("observatory build")
        return
    labels = {"year": t("common.year"), "deployments": t("common.deployments"), by: t(f"adoption.by_{by}")}
    dated = int(deployments["started_year"].notna().sum())
    title = t("adoption.chart_over_time_subset", dated=fmt_number(dated, lang), total=fmt_number(len(deployments), lang))
    fig = charts.line(series, "year", "deployments", title, labels, lang, series=by)
    st.caption(t("adoption.coverage", dated=fmt_number(dated, lang), total=fmt_number(len(deployments), lang)))
    ui.chart(fig, series, "adoption_over_time", alt=t("adoption.chart_over_time_alt"),
             sources=ui.sources_of(deployments), note=t("adoption.over_time_note"))


def _map(lang: str) -> None:
    st.subheader(t("adoption.where"))
    deployments = ui.fetch("deployments")
    if deployments is None:
        return
    live = deployments[deployments["removed_on"].isna()]
    shown = ui.facets(live, {"tool": t("common.tool"), "country": t("common.country"),
                             "organisation_type": t("common.organisation_type")}, "adoption", lang,
                      value_labels={"organisation_type": "adoption.org"})
    counts = shown.groupby("country").size().rename("deployments").reset_index()
    title = t("adoption.map_title", n=fmt_number(len(shown), lang), countries=fmt_number(len(counts), lang))
    ui.country_map_with_table(counts, shown, "adoption_map", title, lang)


def _probes(lang: str) -> None:
    st.subheader(t("adoption.liveness"))
    probes = ui.fetch("latest_probes")
    if probes is None:
        return
    live = adoption.liveness(probes)
    live = live.assign(share_label=[fmt_percent(v, lang) for v in live["share_reachable"]])
    labels = {"tool": t("common.tool"), "share_reachable": t("adoption.share_reachable")}
    fig = charts.bar(live, "tool", "share_reachable", t("adoption.chart_liveness"), labels, lang, pattern="tool")
    fig.update_traces(texttemplate="%{y:.0%}")
    ui.chart(fig, live, "adoption_liveness", alt=t("adoption.chart_liveness_alt"))
    lag = adoption.version_lag(probes)
    if lag.empty:
        st.caption(t("adoption.no_versions"))
        return
    labels = {"minor_versions_behind": t("adoption.versions_behind"), "tool": t("common.tool")}
    fig = charts.histogram(lag, "minor_versions_behind", t("adoption.chart_lag"), labels, lang, color="tool")
    ui.chart(fig, lag, "adoption_lag", alt=t("adoption.chart_lag_alt"), note=t("adoption.lag_note"))


def _health(lang: str) -> None:
    st.subheader(t("adoption.health"))
    history = ui.fetch("all_snapshot_history")
    if history is None:
        return
    urlstate.bind("adoption_metric", "metric", options=HEALTH_METRICS)
    metric = st.selectbox(t("adoption.metric"), options=list(HEALTH_METRICS), key="adoption_metric",
                          format_func=lambda m: t(f"adoption.metric_{m}", lang))
    labels = {"fetched_at": t("common.date"), metric: t(f"adoption.metric_{metric}"), "tool": t("common.tool")}
    fig = charts.line(history, "fetched_at", metric, t("adoption.chart_health", metric=labels[metric]), labels, lang,
                      series="tool")
    ui.chart(fig, history, "adoption_health", alt=t("adoption.chart_health_alt"))


def render() -> None:
    lang = current_lang()
    ui.page_header("adoption")
    if not ui.page_guard():
        return
    deployments = ui.fetch("deployments")
    if deployments is not None:
        _over_time(deployments, lang)
        _map(lang)
    _probes(lang)
    _health(lang)


render()
