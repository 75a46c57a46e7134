"""PB outcomes: for one participatory-budgeting edition, actual winners against the rules' outcomes.

Everything shown is precomputed by ``observatory pb`` into ``pb_outcomes``; this page never reruns a
rule (MES on 61,668 voters would freeze a rerun). The PB helper's ``observatory.pb.api`` is used
when installed; column names are read from its results rather than assumed.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, data
from dashboards import components as ui
from dashboards.i18n import current_lang, fmt_number, t, t_or
from observatory.queries import MissingData

FILTER_COLUMNS: tuple[str, ...] = ("country", "city", "year", "vote_type")
LABEL_COLUMNS: tuple[str, ...] = ("city", "unit", "subunit", "instance", "year", "description", "file_name")
FACT_COLUMNS: tuple[str, ...] = ("n_voters", "n_projects", "budget")


def _edition_label(row: dict) -> str:
    parts = [str(row[c]) for c in LABEL_COLUMNS if c in row and pd.notna(row[c]) and str(row[c])]
    return " · ".join(parts) or str(row["edition_id"])


def _pick_edition(editions: pd.DataFrame) -> str | None:
    shown = editions
    filters = [c for c in FILTER_COLUMNS if c in editions.columns]
    for col, name in zip(st.columns(max(1, len(filters))), filters, strict=False):
        values = sorted(editions[name].dropna().astype(str).unique())
        picked = col.multiselect(t(f"pb.filter_{name}"), options=values, key=f"pb_filter_{name}",
                                 placeholder=t("common.placeholder"))
        if picked:
            shown = shown[shown[name].astype(str).isin(picked)]
    if shown.empty:
        st.info(t("pb.no_match"))
        return None
    labels = {r["edition_id"]: _edition_label(r) for r in shown.to_dict("records")}
    return st.selectbox(t("pb.edition"), options=list(labels), format_func=labels.get, key="pb_edition")


def _facts(edition: dict, lang: str) -> None:
    shown = [c for c in FACT_COLUMNS if isinstance(edition.get(c), int | float) and pd.notna(edition.get(c))]
    for col, name in zip(st.columns(max(1, len(shown))), shown, strict=False):
        value = fmt_number(edition[name], lang)
        if name == "budget" and isinstance(edition.get("currency"), str):
            value = f"{value} {edition['currency']}"
        col.metric(t(f"pb.fact_{name}"), value)
    if isinstance(edition.get("source_url"), str):
        st.caption(f"{t('common.source')} : {ui.plain(edition['source_url'])}" if lang == "fr"
                   else f"{t('common.source')}: {ui.plain(edition['source_url'])}")


def _rules(outcomes: pd.DataFrame, lang: str) -> None:
    metrics = [c for c in outcomes.columns if c not in ("edition_id", "rule")
               and pd.api.types.is_numeric_dtype(outcomes[c]) and not pd.api.types.is_bool_dtype(outcomes[c])]
    table = outcomes.drop(columns=[c for c in ("selected",) if c in outcomes.columns])
    if metrics:
        metric = st.selectbox(t("pb.metric"), options=metrics, key="pb_metric",
                              format_func=lambda m: t_or(f"pb.metric_{m}", m, lang))
        labels = {"rule": t("pb.rule"), metric: t_or(f"pb.metric_{metric}", metric)}
        fig = charts.bar(table, "rule", metric, t("pb.chart_rules", metric=labels[metric]), labels, lang, pattern="rule")
        ui.chart(fig, table, "pb_rules", alt=t("pb.chart_rules_alt"), note=t("pb.rules_note"))
    else:
        st.dataframe(table, hide_index=True, key="pb_rules_table")


def _winners(outcomes: pd.DataFrame, edition_id: str, lang: str) -> None:
    if "selected" not in outcomes.columns:
        return
    st.subheader(t("pb.winners"))
    rules = list(outcomes["rule"])
    winners = {r: set(s if s is not None else []) for r, s in zip(rules, outcomes["selected"], strict=True)}
    try:
        projects = data.query("pb_projects", edition_id=edition_id)
    except MissingData:
        projects = pd.DataFrame()
    ids = sorted(set().union(*winners.values()) | set(projects.get("project_id", pd.Series(dtype=str)).astype(str)))
    matrix = pd.DataFrame({"project_id": ids})
    for rule in rules:
        matrix[rule] = ["✓" if p in winners[rule] else "" for p in ids]
    if not projects.empty and "project_id" in projects.columns:
        keep = [c for c in ("project_id", "name", "title", "cost", "district", "category", "categories", "votes")
                if c in projects.columns]
        matrix = projects[keep].astype({"project_id": str}).merge(matrix, on="project_id", how="right")
    group = st.selectbox(t("pb.group_by"), options=["-"] + [c for c in ("district", "category", "categories")
                                                          if c in matrix.columns],
                         key="pb_group", format_func=lambda g: t("pb.no_grouping", lang) if g == "-" else g)
    if group != "-":
        summary = matrix.groupby(matrix[group].astype(str))[rules].agg(lambda col: int((col == "✓").sum()))
        st.dataframe(summary, key="pb_group_table")
    st.dataframe(matrix, hide_index=True, key="pb_matrix")
    ui.download_buttons(matrix, f"pb_{edition_id}_winners", "pb_winners")


def _summary(lang: str) -> None:
    st.subheader(t("pb.summary"))
    try:
        summary = data.pb("cross_edition_summary")
    except MissingData as exc:
        ui.empty_state(ui.command_for(exc.tables))
        return
    if summary.empty:
        ui.empty_state("observatory pb import")
        return
    numeric = [c for c in summary.columns if pd.api.types.is_numeric_dtype(summary[c])
               and not pd.api.types.is_bool_dtype(summary[c])]
    if len(numeric) >= 2:
        x, y = numeric[0], numeric[1]
        fig = charts.scatter(summary, x, y, t("pb.chart_summary"), {}, lang,
                             text="edition_id" if "edition_id" in summary.columns and len(summary) <= 30 else None)
        ui.chart(fig, summary, "pb_summary", alt=t("pb.chart_summary_alt"))
    else:
        ui.data_expander(summary, "pb_summary")


def render() -> None:
    lang = current_lang()
    ui.page_header("pb")
    if not ui.page_guard():
        return
    try:
        editions = data.pb("list_editions")
    except MissingData as exc:
        ui.empty_state(ui.command_for(exc.tables))
        return
    if editions.empty:
        ui.empty_state("observatory pb import")
        return
    edition_id = _pick_edition(editions)
    if edition_id is None:
        return
    edition = editions[editions["edition_id"] == edition_id].iloc[0].to_dict()
    _facts(edition, lang)
    outcomes = data.pb("outcomes", edition_id)
    budget = edition.get("budget")
    if not outcomes.empty and "cost" in outcomes.columns and isinstance(budget, int | float) and budget > 0:
        outcomes = outcomes.assign(budget_used_share=outcomes["cost"].astype(float) / float(budget))
    if outcomes.empty:
        ui.empty_state("observatory pb compare")
    else:
        _rules(outcomes, lang)
        _winners(outcomes, edition_id, lang)
    _summary(lang)


render()
