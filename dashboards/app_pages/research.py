"""Research: listing-order exposure, support concentration and Decidim budgets on imported instance data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import chart_honesty, data, research_figures
from dashboards import components as ui
from dashboards.i18n import current_lang, fmt_number, fmt_percent, t, t_or
from observatory.participation import research
from observatory.participation.analysis.concentration import THRESHOLDS
from observatory.queries import MissingData

IMPORT_COMMAND = "observatory import consul-csv PATH --instance HOST ; observatory import decidim-open-data PATH"


def _has_budgets() -> bool:
    try:
        data.budget_instances()
    except MissingData:
        return False
    return True


def _limits() -> None:
    st.info(t("research.limits"), icon="⚖️")


def _exposure_section(row: pd.Series, lang: str) -> None:
    st.header(t("research.exposure"))
    listing = research.LISTING_DEFAULTS[row["platform"]]
    page_size = st.number_input(t("research.page_size"), min_value=1, max_value=100, value=listing.page_size,
                                key="research_page_size")
    st.caption(t("research.assumption", platform=row["platform"], size=listing.page_size,
                 order=listing.default_order, newest=listing.newest_first_order))
    result = data.computed(research.exposure_analysis, data.proposals(row["instance_id"], row["source_url"]),
                           row["platform"], int(page_size))
    if result.sample_only:
        st.warning(t("research.sample_only", coverage=fmt_percent(result.coverage, lang)), icon="⚠️")
    else:
        for problem in result.problems:
            st.warning(t("research.not_computed", problem=problem), icon="⚠️")
    if result.correlation is not None:
        c = result.correlation
        c1, c2, c3 = st.columns(3)
        sep = " ; " if lang == "fr" else ", "
        c1.metric(t("research.rho"), fmt_number(c.rho, lang, decimals=3))
        c2.metric(t("research.ci"), f"[{fmt_number(c.low, lang, decimals=3)}{sep}{fmt_number(c.high, lang, decimals=3)}]")
        c3.metric(t("research.n_used"), fmt_number(c.n, lang))
        st.caption(t("research.used_rule", days=f"{result.min_age_days:g}", snapshot=str(result.snapshot.date())))
        labels = {"exposure_plus_one": t("research.exposure_axis"), "supports_plus_one": t("research.supports_axis")}
        title = chart_honesty.subset_title(t("research.chart_exposure"), len(result.used), len(result.frame),
                                           t("research.subset_exposure"), lang)
        fig = data.figure(research_figures.exposure_scatter, result.used, result.curve, title, labels,
                                       t("research.fitted"), lang)
        columns = ["proposal_id", "published_at", "day_count", "exposure_days", "censored", "supports", "state"]
        ui.chart(fig, result.frame[columns], "research_exposure", alt=t("research.chart_exposure_alt"),
                 sources=[row["source_url"], *listing.evidence], note=listing.note)
    if result.busy_quiet is not None:
        b = result.busy_quiet
        table = pd.DataFrame({
            t("research.group"): [t("research.busy", n=f"{b.threshold:g}"), t("research.quiet", n=f"{b.threshold:g}")],
            t("research.proposals"): [b.busy_n, b.quiet_n],
            t("research.median_supports"): [b.busy_median_supports, b.quiet_median_supports],
            t("research.median_exposure"): [round(b.busy_median_exposure, 2), round(b.quiet_median_exposure, 2)],
        })
        st.subheader(t("research.busy_quiet"))
        ui.table(table, hide_index=True, key="research_busy_table")
        st.caption(t("research.mann_whitney", p=f"{b.p_value:.3g}"))
        ui.data_expander(table, "research_busy", sources=[row["source_url"]])


def _concentration_section(row: pd.Series, lang: str) -> None:
    st.header(t("research.concentration"))
    proposals = data.proposals(row["instance_id"], row["source_url"])
    summary, bins = research.concentration_analysis(proposals, row["instance_id"])
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("research.gini"), fmt_number(summary.gini, lang, decimals=3))
    c2.metric(t("research.top1"), fmt_percent(summary.top1_share, lang))
    c3.metric(t("research.top10"), fmt_percent(summary.top10_share, lang))
    c4.metric(t("research.total_supports"), fmt_number(summary.total, lang))
    threshold = THRESHOLDS.get(row["instance_id"])
    if threshold is not None:
        st.write(t("research.threshold", n=fmt_number(summary.reached_threshold, lang),
                   threshold=fmt_number(threshold.supports, lang), max=fmt_number(summary.max_supports, lang)))
        st.caption(t("research.threshold_source") + " " + " · ".join(threshold.sources))
    else:
        st.caption(t("research.no_threshold"))
    labels = {"bin": t("research.bin_axis"), "count": t("research.proposals")}
    fig = data.figure(research_figures.support_bins, bins, t("research.chart_bins"), labels, lang)
    ui.chart(fig, bins, "research_bins", alt=t("research.chart_bins_alt"),
             sources=[row["source_url"], *(threshold.sources if threshold else ())])


def _budget_section(lang: str) -> None:
    st.header(t("research.budgets"))
    instances = list(data.budget_instances()["value"]) if _has_budgets() else []
    if not instances:
        ui.empty_state("observatory import decidim-open-data PATH")
        return
    instance_id = st.selectbox(t("research.budget_instance"), instances, key="research_budget_instance")
    projects = data.budget_projects(instance_id)
    per_budget, rules, assumption = data.computed(research.budget_analysis, projects, instance_id)
    labels_by_budget = dict(zip(per_budget["budget_id"].astype(str), per_budget["label"], strict=True))
    projects = projects.assign(label=projects["budget_id"].astype(str).map(labels_by_budget))
    if assumption is not None:
        st.caption(t("research.budget_assumption") + " " + assumption.statement)
    if projects["selected"].isna().all():
        st.warning(t("research.no_selected"), icon="⚠️")
    labels = {"cost": t("research.cost_axis"), "supports": t("research.supports_count"), "selected": t("research.selected")}
    priced = int(projects[["cost", "supports"]].notna().all(axis=1).sum())
    title = chart_honesty.subset_title(t("research.chart_budget"), priced, len(projects), t("research.subset_budget"),
                                       lang)
    fig = data.figure(research_figures.budget_scatter, projects, title, labels, lang)
    ui.chart(fig, projects.drop(columns=["label"]), "research_budget_projects", alt=t("research.chart_budget_alt"),
             sources=sorted(set(projects["source_url"])) + list(assumption.sources if assumption else ()))
    st.subheader(t("research.per_budget"))
    ui.table(per_budget, hide_index=True, key="research_per_budget")
    ui.data_expander(per_budget, "research_per_budget_data",
                     sources=sorted(set(projects["source_url"])) + list(assumption.sources if assumption else ()))
    if rules.empty:
        st.info(t("research.no_totals"), icon="ℹ️")
        return
    rules = rules.assign(label=rules["budget_id"].map(labels_by_budget))
    for rule, reason in sorted(set(rules[["rule", "unavailable"]].dropna().itertuples(index=False))):
        key = "research.needs_ballots" if "ballots" in reason else "research.rule_unavailable"
        st.warning(t(key, rule=rule, reason=reason), icon="⚠️")
    reference = ", ".join(sorted(t_or(f"pb.rule_name.{r}", r, lang) for r in set(rules["reference"].dropna()) - {""}))
    named = rules.assign(rule=[t_or(f"pb.rule_name.{r}", r, lang) for r in rules["rule"]])
    fig = data.figure(research_figures.moved_share, named, t("research.chart_moved", reference=reference or "–"),
                              {"label": t("research.district"), "moved_share": t("research.moved_axis"),
                               "rule": t("research.rule")},
                              lang)
    ui.chart(fig, rules, "research_rules", alt=t("research.chart_moved_alt"),
             sources=list(assumption.sources) if assumption else None, note=t("research.moved_note"))


def render() -> None:
    lang = current_lang()
    ui.page_header("research")
    if not ui.page_guard():
        return
    _limits()
    datasets = data.proposal_datasets().sort_values("proposals", ascending=False, kind="stable").reset_index(drop=True)
    if datasets.empty:
        ui.empty_state(IMPORT_COMMAND)
    else:
        names = {i: f"{r.instance_id} — {r.source_url} ({r.proposals})" for i, r in enumerate(datasets.itertuples())}
        choice = st.selectbox(t("research.dataset"), list(names), format_func=names.get, key="research_dataset")
        row = datasets.iloc[choice]
    parts = {} if datasets.empty else {
        "exposure": (t("research.exposure"), lambda: _exposure_section(row, lang)),
        "concentration": (t("research.concentration"), lambda: _concentration_section(row, lang))}
    ui.sections("research", {**parts, "budgets": (t("research.budgets"), lambda: _budget_section(lang))})


render()
