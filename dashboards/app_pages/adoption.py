"""Adoption: deployments over time, map, liveness and version lag from probes, software health trends."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboards import chart_honesty, charts, data, health_words, urlstate
from dashboards import components as ui
from dashboards.i18n import current_lang, fmt_number, fmt_percent, t, t_or
from observatory import health
from observatory.analytics import adoption

HEALTH_METRICS: tuple[str, ...] = ("stars", "forks", "open_issues", "contributors", "commits_last_52w",
                                   "releases_last_year")


GROUPING_KEY = "adoption_grouping"  # the grouping last chosen, shared by the two tabs that draw a choice of it


def _grouping(lang: str, tab: str) -> str:
    """How deployments are grouped (tool, country, organisation type): one choice for both tabs, in the URL.
    Each tab draws its own radio (only the open tab is drawn); the choice itself is kept apart, so it follows
    the reader from one tab to the other."""
    key = f"adoption_by_{tab}"
    from_link = urlstate.url_value("by") is not None and urlstate._changed_outside("by")
    urlstate.bind(key, "by", options=adoption.GROUPINGS)
    if GROUPING_KEY in st.session_state and not from_link:
        st.session_state[key] = st.session_state[GROUPING_KEY]

    def chosen() -> None:  # runs before the page, so the shared choice is current when the page reads it
        st.session_state[GROUPING_KEY] = st.session_state[key]

    by = st.radio(t("adoption.group_by"), options=list(adoption.GROUPINGS), horizontal=True, key=key,
                  format_func=lambda g: t(f"adoption.by_{g}", lang), on_change=chosen)
    st.session_state[GROUPING_KEY] = by
    return by


def _live_by(lang: str) -> None:
    deployments = ui.fetch("deployments")
    if deployments is None:
        return
    by = _grouping(lang, "live")
    counts = adoption.live_deployments_by(deployments, by)
    if by == "organisation_type":
        counts = ui.translated(counts, by, "adoption.org")
    labels = {"deployments": t("common.deployments"), by: t(f"adoption.by_{by}")}
    fig = data.figure(charts.bar, counts, by, "deployments", t("adoption.chart_live_by", group=labels[by].lower()),
                      labels, lang, horizontal=True)
    ui.chart(fig, counts, "adoption_live_by", alt=t("adoption.chart_live_by_alt"), sources=ui.sources_of(deployments))


def _over_time(lang: str) -> None:
    deployments = ui.fetch("deployments")
    if deployments is None:
        return
    by = _grouping(lang, "time")
    series = adoption.deployments_over_time(deployments, by)
    if series.empty:
        ui.empty_state("observatory build")
        return
    labels = {"year": t("common.year"), "deployments": t("common.deployments"), by: t(f"adoption.by_{by}")}
    dated = int(deployments["started_year"].notna().sum())
    title = chart_honesty.subset_title(t("adoption.chart_over_time"), dated, len(deployments),
                                       t("adoption.subset_dated"), lang)
    fig = data.figure(charts.line, series, "year", "deployments", title, labels, lang, series=by)
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


def _landscape(lang: str) -> None:
    """Liveliness of every tool with a health row today, and of the landscape month by month."""
    st.subheader(t("adoption.landscape"))
    rows = ui.fetch("repo_health_all")
    if rows is None:
        return
    if rows.empty:
        ui.empty_state("observatory build")
        return
    counts = rows["status"].fillna("unknown").value_counts()
    st.markdown(t("adoption.landscape_now", **{k: fmt_number(int(counts.get(k, 0)), lang) for k in
                                               ("active", "slowing", "dormant", "archived", "unknown")},
                  total=fmt_number(len(rows), lang), partial=fmt_number(int((rows["coverage"] == "partial").sum()),
                                                                        lang)))
    monthly = ui.fetch("repo_health_monthly", tool_ids=None)
    if monthly is not None and not monthly.empty:
        end = max(monthly["month"]).date()
        start = date(end.year - 10, 1, 1)
        series = pd.DataFrame(data.computed(health.landscape_from_monthly, monthly, start, end))
        series = series.assign(status=[health_words.status(s) for s in series["status"]])
        labels = {"month": t("adoption.month"), "tools": t("adoption.tools"), "status": t("adoption.status")}
        fig = data.figure(charts.line, series, "month", "tools", t("adoption.chart_landscape"), labels, lang, series="status")
        ui.chart(fig, series, "adoption_landscape", alt=t("adoption.chart_landscape_alt", start=start.year),
                 sources=ui.sources_of(rows), note=t("adoption.landscape_note"))
    table = rows[["tool", "status", "status_reason", "status_params", "coverage", "source", "source_url",
                  "commit_read", "read_on"]]
    table = table.assign(status=[health_words.status(s) for s in table["status"]],
                         source=[t_or(f"health.source.{s}", str(s), lang) for s in table["source"]],
                         status_reason=[health_words.reason(r, p, lang) for r, p in
                                        zip(table["status_reason"], table["status_params"], strict=True)])
    st.caption(health_words.thresholds(lang))
    ui.data_expander(table.drop(columns=["status_params"]), "adoption_landscape_tools")


def _probes(lang: str) -> None:
    st.subheader(t("adoption.liveness"))
    probes = ui.fetch("latest_probes")
    if probes is None:
        return
    live = adoption.liveness(probes)
    live = live.assign(share_label=[fmt_percent(v, lang) for v in live["share_reachable"]])
    labels = {"tool": t("common.tool"), "share_reachable": t("adoption.share_reachable")}
    fig = data.restyled(data.figure(charts.bar, live, "tool", "share_reachable", t("adoption.chart_liveness"), labels,
                                    lang, pattern="tool"), {"texttemplate": "%{y:.0%}"})
    ui.chart(fig, live, "adoption_liveness", alt=t("adoption.chart_liveness_alt"))
    lag = adoption.version_lag(probes)
    if lag.empty:
        st.caption(t("adoption.no_versions"))
        return
    labels = {"minor_versions_behind": t("adoption.versions_behind"), "tool": t("common.tool"),
              "count": t("adoption.instances_count")}
    title = chart_honesty.subset_title(t("adoption.chart_lag"), len(lag), len(probes), t("adoption.subset_versioned"),
                                       lang)
    fig = data.figure(charts.histogram, lag, "minor_versions_behind", title, labels, lang, color="tool")
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
    fig = data.figure(charts.line, history, "fetched_at", metric, t("adoption.chart_health", metric=labels[metric]), labels, lang,
                      series="tool")
    ui.chart(fig, history, "adoption_health", alt=t("adoption.chart_health_alt"))


def render() -> None:
    lang = current_lang()
    ui.page_header("adoption")
    if not ui.page_guard():
        return
    ui.sections("adoption", {
        "live": (t("adoption.tab_live"), lambda: _live_by(lang)),
        "time": (t("adoption.tab_time"), lambda: _over_time(lang)),
        "map": (t("adoption.tab_map"), lambda: _map(lang)),
        "landscape": (t("adoption.tab_landscape"), lambda: _landscape(lang)),
        "liveness": (t("adoption.tab_liveness"), lambda: _probes(lang)),
        "health": (t("adoption.tab_health"), lambda: _health(lang)),
    })


render()
