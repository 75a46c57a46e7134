"""Instance participation: collected Decidim/Consul figures, each printed beside its definition and platform version."""

from __future__ import annotations

import streamlit as st

from dashboards import charts, data, result_status, urlstate
from dashboards import components as ui
from dashboards.i18n import current_lang, fmt_number, fmt_percent, t

ANSWER_STATES = ("accepted", "rejected", "evaluating")


def _definition(metric_id: str, definitions, lang: str) -> None:
    """Print what a figure means (from metric_definitions) under it; nothing when it is not defined."""
    if definitions is None or definitions.empty:
        return
    row = definitions[definitions["metric_id"] == metric_id]
    if not row.empty:
        st.caption(f"{t('participation.definition')} {ui.plain(row.iloc[0][f'definition_{lang}'])}")


def _versions(df) -> str:
    values = sorted({v for cell in df["platform_versions"].dropna() for v in str(cell).split(", ") if v})
    return ", ".join(values) or "?"


def _proposals(instance_id: str, definitions, lang: str) -> None:
    st.subheader(t("participation.proposals"))
    states = ui.fetch("proposals_by_state", instance_id=instance_id)
    if states is None:
        return
    total = int(states["proposals"].sum())
    accepted = int(states.loc[states["state"] == "accepted", "proposals"].sum())
    c1, c2, c3 = st.columns(3)
    c1.metric(t("participation.total"), fmt_number(total, lang))
    c2.metric(t("participation.supports"), fmt_number(states["supports"].sum(), lang))
    answered = states["state"].isin(ANSWER_STATES).any()  # Consul has no acceptance: show "–", not 0 %
    c3.metric(t("participation.acceptance"), fmt_percent(accepted / total if total and answered else None, lang))
    st.caption(t("participation.version", versions=_versions(states)))
    for metric_id in ("supports", "accepted_proposal"):
        _definition(metric_id, definitions, lang)
    shown = ui.translated(states, "state", "participation.state")
    labels = {"state": t("participation.state_label"), "proposals": t("participation.proposals")}
    fig = data.figure(charts.bar, shown, "state", "proposals", t("participation.chart_states"), labels, lang, pattern="state")
    ui.chart(fig, states, "participation_states", alt=t("participation.chart_states_alt"))
    _definition("proposals_by_state", definitions, lang)


def _monthly(instance_id: str, definitions, lang: str, query: str, column: str, name: str, heading: str) -> None:
    """One instance's count per month (proposals, comments) as a line, then its definition."""
    st.subheader(t(heading))
    rows = ui.fetch(query, instance_id=instance_id)
    if rows is None:
        return
    labels = {"month": t("common.month"), column: t(f"participation.{column}")}
    fig = data.figure(charts.line, rows, "month", column, t(f"participation.chart_{name}"), labels, lang)
    ui.chart(fig, rows, f"participation_{name}", alt=t(f"participation.chart_{name}_alt"))
    _definition(query, definitions, lang)


def _results(instance_id: str, definitions, lang: str) -> None:
    st.subheader(t("participation.results"))
    results = ui.fetch("results_progress", instance_id=instance_id)
    if results is None:
        return
    st.caption(t("participation.version", versions=_versions(results)))
    shown = result_status.worded(results)  # free text from the data: known Decidim statuses translated
    labels = {"status": t("participation.status"), "mean_progress": t("participation.mean_progress")}
    fig = data.figure(charts.bar, shown, "status", "mean_progress", t("participation.chart_results"), labels, lang,
                     pattern="status")
    ui.chart(fig, results, "participation_results", alt=t("participation.chart_results_alt"))
    _definition("results_progress", definitions, lang)


def _budgets(instance_id: str, definitions, lang: str) -> None:
    st.subheader(t("participation.budgets"))
    projects = ui.fetch("budget_projects_by_selection", instance_id=instance_id)
    if projects is None:
        return
    st.caption(t("participation.version", versions=_versions(projects)))
    shown = ui.translated(projects, "selection", "participation.selection")
    labels = {"selection": t("participation.selection_label"), "projects": t("participation.projects")}
    fig = data.figure(charts.bar, shown, "selection", "projects", t("participation.chart_budgets"), labels, lang,
                     pattern="selection")
    ui.chart(fig, projects, "participation_budgets", alt=t("participation.chart_budgets_alt"))
    _definition("budget_projects_by_selection", definitions, lang)


def _meetings(instance_id: str, definitions, lang: str) -> None:
    st.subheader(t("participation.meetings"))
    meetings = ui.fetch("meetings_by_month", instance_id=instance_id)
    if meetings is None:
        return
    labels = {"month": t("common.month"), "meetings": t("participation.meetings")}
    fig = data.figure(charts.line, meetings, "month", "meetings", t("participation.chart_meetings"), labels, lang)
    ui.chart(fig, meetings, "participation_meetings", alt=t("participation.chart_meetings_alt"))
    _definition("meetings_by_month", definitions, lang)


def render() -> None:
    lang = current_lang()
    ui.page_header("participation")
    if not ui.page_guard():
        return
    instances = ui.fetch("instances")
    if instances is None:
        return
    def platform(r: dict) -> str:
        return " ".join(v for v in (r["platform"], r["platform_version"]) if isinstance(v, str) and v)

    names = {r["instance_id"]: f"{r['name'] or r['instance_id']} ({platform(r)})" for r in instances.to_dict("records")}
    urlstate.bind("participation_instance", "instance", options=names)
    instance_id = st.selectbox(t("participation.instance"), options=list(names), format_func=names.get,
                               key="participation_instance")
    definitions = data.query("metric_definitions")
    ui.sections("participation", {
        "proposals": (t("participation.tab_proposals"), lambda: _proposals(instance_id, definitions, lang)),
        "months": (t("participation.tab_months"), lambda: _monthly(
            instance_id, definitions, lang, "proposals_by_month", "proposals", "months", "participation.tab_months")),
        "budgets": (t("participation.tab_budgets"), lambda: _budgets(instance_id, definitions, lang)),
        "results": (t("participation.tab_results"), lambda: _results(instance_id, definitions, lang)),
        "comments": (t("participation.tab_comments"), lambda: _monthly(
            instance_id, definitions, lang, "comments_by_month", "comments", "comments", "participation.comments")),
        "meetings": (t("participation.tab_meetings"), lambda: _meetings(instance_id, definitions, lang)),
        "definitions": (t("participation.definitions"),
                        lambda: ui.table(definitions, hide_index=True, key="participation_definitions")),
    })


render()
