"""Compare tools: two to four tools side by side (licence and obligations, features, health, deployments)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, data, health_cards, urlstate
from dashboards import components as ui
from dashboards.i18n import current_lang, fmt_date, fmt_number, t
from observatory.analytics import licences as lic


def _features(tool_ids: list[str], names: dict[str, str], lang: str) -> None:
    st.subheader(t("compare.features"))
    claims = ui.fetch("tool_features", tool_ids=tool_ids)
    if claims is None:
        return
    label = f"label_{lang}"
    claims = claims.assign(feature=claims[label].fillna(claims["feature_id"]),
                           evidence=[t(f"common.evidence.{e}") for e in claims["evidence_level"]])
    matrix = claims.pivot_table(index="feature", columns="tool", values="evidence", aggfunc="first").fillna("—")
    matrix = matrix.reindex(columns=[names[i] for i in tool_ids if names[i] in matrix.columns])
    matrix.index.name, matrix.columns.name = t("compare.feature_col"), None
    ui.table(matrix, key="compare_matrix")
    st.caption(t("compare.features_note"))
    long = claims[["tool", "feature", "evidence", "source_url", "source_commit", "note", "checked_on"]]
    box = ui.lazy_expander(t("common.data_and_sources"), "compare_features")
    if box is None:
        return
    with box:
        ui.table(long, hide_index=True, key="compare_claims",
                     column_config={"source_url": st.column_config.LinkColumn(t("common.source"))})
        ui.download_buttons(long, "tool_features", "compare_features")


def _health(tool_ids: list[str], lang: str) -> None:
    st.subheader(t("compare.health"))
    latest = ui.fetch("latest_snapshots", tool_ids=tool_ids)
    if latest is None:
        return
    history = data.query("snapshot_history", tool_ids=tool_ids)
    cols = st.columns(len(latest))
    for col, row in zip(cols, latest.to_dict("records"), strict=True):
        with col:
            st.markdown(f"**{ui.plain(row['tool'])}** — `{ui.plain(row['repo'])}`")
            st.metric(t("compare.stars"), fmt_number(row["stars"], lang))
            st.caption(t("compare.health_line", contributors=fmt_number(row["contributors"], lang),
                         commits=fmt_number(row["commits_last_52w"], lang),
                         releases=fmt_number(row["releases_last_year"], lang),
                         release=row["latest_release"] or "–", date=fmt_date(row["fetched_at"], lang)))
            if row.get("archived"):
                st.warning(t("compare.archived"))
            if row.get("licence_mismatch"):
                st.warning(t("compare.licence_mismatch", spdx=row["licence_spdx"]))
            trend = history[history["tool_id"] == row["tool_id"]]
            if len(trend) > 1:
                st.plotly_chart(data.drawable(data.figure(charts.sparkline, trend, "fetched_at", "stars", lang)),
                                key=f"spark_{row['tool_id']}",
                                alt=t("compare.sparkline_alt", tool=row["tool"]), config={"staticPlot": True})
    ui.data_expander(latest, "compare_health")


def _deployments(tool_ids: list[str], lang: str) -> None:
    st.subheader(t("compare.deployments"))
    per_tool = data.query("deployments_by_tool")
    per_tool = per_tool[per_tool["tool_id"].isin(tool_ids)]
    if per_tool.empty or per_tool["deployments"].sum() == 0:
        ui.empty_state("observatory build")
    else:
        labels = {"tool": t("common.tool"), "deployments": t("common.deployments")}
        fig = data.figure(charts.bar, per_tool, "tool", "deployments", t("compare.chart_deployments"), labels, lang,
                          pattern="tool")
        ui.chart(fig, per_tool, "compare_deployments", alt=t("compare.chart_deployments_alt"))
    versions = ui.fetch("platform_versions", tool_ids=tool_ids)
    if versions is None:
        return
    versions = versions.assign(platform_version=versions["platform_version"].fillna(t("compare.version_unknown")))
    labels = {"platform_version": t("common.version"), "instances": t("common.instances"), "tool": t("common.tool")}
    fig = data.figure(charts.bar, versions, "platform_version", "instances", t("compare.chart_versions"), labels, lang,
                     pattern="tool")
    ui.chart(fig, versions, "compare_versions", alt=t("compare.chart_versions_alt"))


def _reports(tool_ids: list[str], lang: str) -> None:
    formats = data.report_formats()
    if not formats:
        return
    st.subheader(t("common.export_report"))
    cols = st.columns(len(formats))
    for col, (fmt, spec) in zip(cols, formats.items(), strict=True):
        col.download_button(t("common.report_button", fmt=fmt.upper()),
                            data=lambda fmt=fmt: data.report(tool_ids, lang, fmt),
                            file_name=f"comparison.{getattr(spec, 'extension', fmt).lstrip('.')}",
                            mime=getattr(spec, "mime", None), key=f"compare_report_{fmt}", on_click="ignore")


def _all_health(tool_ids: list[str], lang: str) -> None:
    health_cards.git_health(tool_ids, lang, "compare")
    _health(tool_ids, lang)


def _summary_and_reports(chosen: list[str], rows: list[dict], lang: str) -> None:
    summary = pd.DataFrame(rows)[["tool_id", "name", "licence_spdx", "licence_family", "status", "source_url"]]
    ui.data_expander(summary, "compare_tools")
    _reports(chosen, lang)


def _licences(chosen: list[str], rows: list[dict], lang: str) -> None:
    catalogue = lic.catalogue_from_rows(data.query("licences").to_dict("records"))
    for col, tool in zip(st.columns(len(rows)), rows, strict=True):
        with col:
            ui.licence_card(tool, catalogue, lang)
    history = data.query("licence_events", tool_ids=chosen)
    st.subheader(t("compare.licence_history"))
    if history.empty:
        st.caption(t("compare.no_licence_change"))
    else:
        shown = history.assign(date=[fmt_date(d, lang) for d in history["date"]],
                               source=[t(f"compare.event_source.{s}") for s in history["source"]])
        ui.table(shown[["tool", "date", "from_spdx", "to_spdx", "source", "declaration_source", "note",
                            "evidence_url"]], hide_index=True, key="compare_history",
                     column_config={"evidence_url": st.column_config.LinkColumn(t("common.source"))})
        conflicts = ui.fetch("licence_event_conflicts", tool_ids=chosen)
        if conflicts is not None and not conflicts.empty:
            st.caption(t("compare.licence_conflicts", count=fmt_number(len(conflicts), lang)))
            ui.data_expander(conflicts.assign(kind=[t(f"compare.conflict.{k}") for k in conflicts["kind"]]),
                             "compare_licence_conflicts")



def render() -> None:
    lang = current_lang()
    ui.page_header("compare")
    if not ui.page_guard():
        return
    tools = ui.fetch("tools")
    if tools is None:
        return
    names = dict(zip(tools["tool_id"], tools["name"], strict=True))
    most_deployed = [i for i in data.query("deployments_by_tool")["tool_id"] if i in names][:2]
    urlstate.bind("compare_tools", "tools", "list", options=names)
    chosen = st.multiselect(t("compare.pick"), options=list(names), default=most_deployed or list(names)[:2],
                            placeholder=t("common.placeholder"), max_selections=4,
                            format_func=lambda i: names[i], key="compare_tools", help=t("compare.pick_help"))
    if len(chosen) < 2:
        st.info(t("compare.pick_more"))
        return
    rows = tools.set_index("tool_id").loc[chosen].reset_index().to_dict("records")
    ui.sections("compare", {
        "licences": (t("compare.tab_licences"), lambda: _licences(chosen, rows, lang)),
        "features": (t("compare.features"), lambda: _features(chosen, names, lang)),
        "health": (t("compare.tab_health"), lambda: _all_health(chosen, lang)),
        "deployments": (t("compare.tab_deployments"), lambda: _deployments(chosen, lang)),
        "reports": (t("compare.tab_reports"), lambda: _summary_and_reports(chosen, rows, lang)),
    })


render()
