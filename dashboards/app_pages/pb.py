"""PB outcomes: for one participatory-budgeting edition, actual winners against the rules' outcomes.

Everything shown is precomputed by ``observatory pb import`` into ``pb_outcomes``; this page never
reruns a rule (MES on 61,668 voters would freeze a rerun). It reads through
``observatory.pb.api`` and takes metric names from its results rather than assuming them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dashboards import chart_honesty, charts, data, urlstate
from dashboards import components as ui
from dashboards.i18n import BABEL_LOCALE, current_lang, fmt_number, fmt_percent, t, t_or
from observatory.queries import MissingData

FILTER_COLUMNS: tuple[str, ...] = ("country", "city", "year", "vote_type")
LABEL_COLUMNS: tuple[str, ...] = ("city", "subunit", "instance", "vote_type")
FACT_COLUMNS: tuple[str, ...] = ("n_voters", "n_projects", "budget")
PROJECT_COLUMNS: tuple[str, ...] = ("project_id", "name", "cost", "votes", "district", "category")
NOT_METRICS: frozenset[str] = frozenset({"edition_id", "rule", "selected", "error", "seconds", "computed_at"})
PREFERRED_METRICS: tuple[str, ...] = ("budget_share", "voters_with_funded_share", "mean_satisfaction_cost",
                                      "mean_satisfaction_count", "gini_satisfaction", "supports", "n_selected")


def _edition_label(row: dict) -> str:
    parts = [str(row[c]) for c in LABEL_COLUMNS if c in row and pd.notna(row[c]) and str(row[c])]
    return f"{' · '.join(parts)} ({row['edition_id']})" if parts else str(row["edition_id"])


def _pick_edition(editions: pd.DataFrame) -> str | None:
    shown = editions
    filters = [c for c in FILTER_COLUMNS if c in editions.columns]
    for col, name in zip(st.columns(max(1, len(filters))), filters, strict=False):
        values = sorted(editions[name].dropna().astype(str).unique())
        urlstate.bind(f"pb_filter_{name}", name, "list", options=values)
        picked = col.multiselect(t(f"pb.filter_{name}"), options=values, key=f"pb_filter_{name}",
                                 placeholder=t("common.placeholder"))
        if picked:
            shown = shown[shown[name].astype(str).isin(picked)]
    if shown.empty:
        st.info(t("pb.no_match"))
        return None
    labels = {r["edition_id"]: _edition_label(r) for r in shown.to_dict("records")}
    urlstate.bind("pb_edition", "edition", options=labels)
    if st.session_state.get("pb_edition") not in labels:
        default, reason = default_edition(shown, current_lang())
        st.session_state["pb_edition"] = default
        st.caption(t("pb.default_edition", reason=reason))
    return st.selectbox(t("pb.edition"), options=list(labels), format_func=labels.get, key="pb_edition")


def default_edition(editions: pd.DataFrame, lang: str) -> tuple[str, str]:
    """The user's country's most recent edition (country of the interface language), else the largest."""
    import pycountry

    territory = BABEL_LOCALE[lang].split("_")[-1]
    country = pycountry.countries.get(alpha_2=territory)
    mine = editions[editions["country"] == country.name] if country is not None else editions.iloc[0:0]
    if not mine.empty:
        latest = mine.sort_values(["year", "n_voters"], ascending=False, na_position="last").iloc[0]
        return str(latest["edition_id"]), t("pb.default_country", country=country.name)
    largest = editions.sort_values("n_voters", ascending=False).iloc[0]
    return str(largest["edition_id"]), t("pb.default_largest")


def rule_name(code: str, lang: str) -> str:
    """A rule in words ("Method of Equal Shares"), its code when a new rule has no name yet."""
    return t_or(f"pb.rule_name.{code}", code, lang)


def _unavailable(error: str) -> str:
    kind = str(error).split(":", 1)[0]
    return {"RuleNotApplicable": "not_applicable", "RuleTimeout": "timeout"}.get(kind, "other")


def _facts(edition: dict, lang: str) -> None:
    shown = [c for c in FACT_COLUMNS if isinstance(edition.get(c), int | float) and pd.notna(edition.get(c))]
    for col, name in zip(st.columns(max(1, len(shown))), shown, strict=False):
        value = fmt_number(edition[name], lang)
        if name == "budget" and isinstance(edition.get("currency"), str):
            value = f"{value} {edition['currency']}"
        col.metric(t(f"pb.fact_{name}"), value)
    if isinstance(edition.get("source_url"), str):
        st.caption(t("pb.source", url=ui.plain(edition["source_url"])))


def _metric_label(name: str, lang: str) -> str:
    return t_or(f"pb.metric_{name}", name, lang)


def _rules(outcomes: pd.DataFrame, lang: str) -> None:
    st.subheader(t("pb.rules"))
    metrics = [c for c in outcomes.columns if c not in NOT_METRICS and pd.api.types.is_numeric_dtype(outcomes[c])
               and not pd.api.types.is_bool_dtype(outcomes[c])]
    metrics.sort(key=lambda m: PREFERRED_METRICS.index(m) if m in PREFERRED_METRICS else len(PREFERRED_METRICS))
    table = outcomes.drop(columns=[c for c in ("selected",) if c in outcomes.columns])
    failed = outcomes[outcomes["error"].notna()] if "error" in outcomes.columns else outcomes.iloc[0:0]
    if metrics:
        urlstate.bind("pb_metric", "metric", options=metrics)
        metric = st.selectbox(t("pb.metric"), options=metrics, key="pb_metric",
                              format_func=lambda m: _metric_label(m, lang))
        label = _metric_label(metric, lang)
        ok = table[table["rule"].isin(set(table["rule"]) - set(failed["rule"]))].astype({metric: float})
        ok = ok.assign(rule=[rule_name(r, lang) for r in ok["rule"]])
        fig = data.figure(charts.bar, ok, "rule", metric, t("pb.chart_rules", metric=label),
                          {"rule": t("pb.rule"), metric: label}, lang, pattern="rule")
        if metric.endswith("_share"):
            fig = data.restyled(fig, {"texttemplate": "%{y:.1%}"}, yaxis={"tickformat": ".0%", "dtick": None})
        ui.chart(fig, table, "pb_rules", alt=t("pb.chart_rules_alt"), note=t("pb.rules_note"))
    else:
        ui.table(table, hide_index=True, key="pb_rules_table")
    for row in failed.to_dict("records"):
        st.caption(t(f"pb.unavailable.{_unavailable(row['error'])}", rule=rule_name(row["rule"], lang)))
    box = ui.lazy_expander(t("pb.rule_explanations"), "pb_rule_explanations")
    if box is None:
        return
    with box:
        for code in outcomes["rule"]:
            st.markdown(f"**{rule_name(code, lang)}** — {t_or(f'pb.rule_explain.{code}', '', lang)}")
        st.caption(t("pb.method_note"))


def _winners(outcomes: pd.DataFrame, edition_id: str, lang: str) -> None:
    if "selected" not in outcomes.columns:
        return
    st.subheader(t("pb.winners"))
    winners = {r: {str(p) for p in s} for r, s in zip(outcomes["rule"], outcomes["selected"], strict=True)
               if isinstance(s, list | tuple | np.ndarray)}  # NULL (NA) when the rule gave no outcome
    rules = list(winners)
    try:
        projects = data.query("pb_projects", edition_id=edition_id)
    except MissingData:
        projects = pd.DataFrame()
    ids = sorted(set().union(*winners.values()) | set(projects.get("project_id", pd.Series(dtype=str)).astype(str)))
    matrix = pd.DataFrame({"project_id": ids})
    for rule in rules:
        matrix[rule_name(rule, lang)] = ["✓" if p in winners[rule] else "" for p in ids]
    matrix[t("pb.funded_by")] = [sum(p in winners[r] for r in rules) for p in ids]
    if not projects.empty and "project_id" in projects.columns:
        keep = [c for c in PROJECT_COLUMNS if c in projects.columns]
        matrix = projects[keep].astype({"project_id": str}).merge(matrix, on="project_id", how="right")
    st.caption(t("pb.winners_note", n=len(rules)))
    ui.table(matrix, hide_index=True, key="pb_matrix",
                 column_config={c: t(f"pb.col_{c}") for c in PROJECT_COLUMNS if c in matrix.columns})
    ui.download_buttons(matrix, f"pb_{edition_id}_winners", "pb_winners")


def _what_changes(outcomes: pd.DataFrame, edition_id: str, lang: str) -> None:
    """Projects one rule funds and another does not, with cost and votes; voters reached by each rule."""
    chosen = outcomes[[isinstance(s, list | tuple | np.ndarray) for s in outcomes["selected"]]]
    if len(chosen) < 2:
        return
    st.subheader(t("pb.changes"))
    st.caption(t("pb.changes_intro"))
    rules = list(chosen["rule"])
    first = "greedy" if "greedy" in rules else rules[0]
    second = "mes-add1-greedy" if "mes-add1-greedy" in rules else rules[-1]
    c1, c2 = st.columns(2)
    urlstate.bind("pb_rule_a", "rule_a", options=rules)
    urlstate.bind("pb_rule_b", "rule_b", options=rules)
    st.session_state.setdefault("pb_rule_a", first)
    st.session_state.setdefault("pb_rule_b", second)
    rule_a = c1.selectbox(t("pb.rule_a"), rules, key="pb_rule_a", format_func=lambda r: rule_name(r, lang))
    rule_b = c2.selectbox(t("pb.rule_b"), rules, key="pb_rule_b", format_func=lambda r: rule_name(r, lang))
    selected = {r: {str(p) for p in s} for r, s in zip(chosen["rule"], chosen["selected"], strict=True)}
    try:
        projects = data.query("pb_projects", edition_id=edition_id).astype({"project_id": str})
    except MissingData:
        projects = pd.DataFrame({"project_id": sorted(selected[rule_a] | selected[rule_b])})
    keep = [c for c in PROJECT_COLUMNS if c in projects.columns]
    only_a, only_b = selected[rule_a] - selected[rule_b], selected[rule_b] - selected[rule_a]
    if not only_a and not only_b:
        st.info(t("pb.same"))
    for col, rule, ids in ((c1, rule_a, only_a), (c2, rule_b, only_b)):
        with col:
            st.markdown(f"**{t('pb.only_in', rule=rule_name(rule, lang), n=len(ids))}**")
            rows = projects[projects["project_id"].isin(ids)][keep]
            ui.table(rows, hide_index=True, key=f"pb_only_{rule}_{col is c1}",
                         column_config={c: t(f"pb.col_{c}") for c in keep})
    if "voters_with_funded_share" in chosen.columns:
        reached = chosen.assign(rule=[rule_name(r, lang) for r in chosen["rule"]]).astype(
            {"voters_with_funded_share": float})
        label = t("pb.metric_voters_with_funded_share")
        fig = data.restyled(data.figure(charts.bar, reached, "rule", "voters_with_funded_share", t("pb.voters_reached"),
                                        {"rule": t("pb.rule"), "voters_with_funded_share": label}, lang, horizontal=True),
                            {"texttemplate": "%{x:.1%}"}, xaxis={"tickformat": ".0%"})
        ui.chart(fig, reached[["rule", "voters_with_funded_share"]], "pb_reached", alt=t("pb.voters_reached_alt"))


def _groups(edition_id: str, lang: str) -> None:
    try:
        groups = data.pb_outcome_groups(edition_id)
    except MissingData:
        return  # an optional section: no empty state when the table is not there
    if groups.empty:
        return
    st.subheader(t("pb.groups"))
    kinds = sorted(groups["group_kind"].unique())
    kind = st.radio(t("pb.group_kind"), options=kinds, horizontal=True, key="pb_group_kind",
                    format_func=lambda k: t_or(f"pb.group_{k}", k, lang))
    chosen = groups[groups["group_kind"] == kind]
    pivot = chosen.pivot_table(index="group_value", columns="rule", values="funded_share", aggfunc="first")
    pivot.index.name, pivot.columns.name = t_or(f"pb.group_{kind}", kind, lang), None
    st.caption(t("pb.groups_note"))
    ui.table(pivot.map(lambda v: fmt_percent(v, lang)), key="pb_groups_table")
    ui.data_expander(chosen, "pb_groups")


def _summary(lang: str) -> None:
    st.subheader(t("pb.summary"))
    summary = ui.fetch(data.pb_summary)
    if summary is None:
        return
    x, y = "extra_budget_share", "extra_supports_share"
    if {x, y} <= set(summary.columns):
        labels = {x: _metric_label(x, lang), y: _metric_label(y, lang)}
        both = int(summary[[x, y]].notna().all(axis=1).sum())
        title = chart_honesty.subset_title(t("pb.chart_summary"), both, len(summary), t("pb.subset_summary"), lang)
        fig = data.restyled(data.figure(charts.scatter, summary.dropna(subset=[x, y]), x, y, title, labels, lang,
                                        text="edition_id"), xaxis={"tickformat": ".0%"}, yaxis={"tickformat": ".0%"})
        ui.chart(fig, summary, "pb_summary", alt=t("pb.chart_summary_alt"), note=t("pb.summary_note"))
    else:
        ui.data_expander(summary, "pb_summary")


def render() -> None:
    lang = current_lang()
    ui.page_header("pb")
    if not ui.page_guard():
        return
    editions = ui.fetch(data.pb_editions)
    if editions is None:
        return
    edition_id = _pick_edition(editions)
    if edition_id is None:
        return
    _facts(editions[editions["edition_id"] == edition_id].iloc[0].to_dict(), lang)
    outcomes = data.pb_outcomes(edition_id)
    if outcomes.empty:
        ui.empty_state("observatory pb import")
        parts = {}
    else:
        parts = {"rules": (t("pb.tab_rules"), lambda: _rules(outcomes, lang)),
                 "changes": (t("pb.tab_changes"), lambda: _what_changes(outcomes, edition_id, lang)),
                 "winners": (t("pb.tab_winners"), lambda: _winners(outcomes, edition_id, lang)),
                 "groups": (t("pb.tab_groups"), lambda: _groups(edition_id, lang))}
    ui.sections("pb", {**parts, "all": (t("pb.tab_all"), lambda: _summary(lang))})


render()
