"""Choose a tool: a needs questionnaire → ranked shortlist with adjustable weights, explanations, sensitivity."""

from __future__ import annotations

import streamlit as st

from dashboards import charts, data, urlstate
from dashboards import components as ui
from dashboards.i18n import current_lang, fmt_number, t
from observatory.analytics import chooser

CHART_TOOLS = 10  # the chart shows the head of the list; the expanders below list every tool
LANGUAGE_CHOICES: tuple[str, ...] = ("fr", "en", "es", "ca", "de", "it", "pt", "nl", "pl", "eu", "gl")


def _questionnaire(features: dict[str, str]) -> chooser.Needs:
    lang = current_lang()
    st.subheader(t("choose.needs"))
    c1, c2 = st.columns(2)
    with c1:
        urlstate.bind("choose_processes", "processes", "list", options=features)
        processes = st.multiselect(t("choose.processes"), options=list(features), format_func=features.get,
                                   placeholder=t("common.placeholder"),
                                   key="choose_processes", help=t("choose.processes_help"))
        urlstate.bind("choose_hosting", "hosting", options=chooser.HOSTING_CHOICES)
        hosting = st.radio(t("choose.hosting"), options=list(chooser.HOSTING_CHOICES), index=2,
                           format_func=lambda h: t(f"choose.hosting_{h}", lang), key="choose_hosting",
                           help=t("choose.hosting_help"))
        urlstate.bind("choose_languages", "languages", "list", options=LANGUAGE_CHOICES)
        languages = st.multiselect(t("choose.languages"), options=list(LANGUAGE_CHOICES), key="choose_languages",
                                   placeholder=t("common.placeholder"),
                                   format_func=lambda c: t(f"choose.lang_{c}", lang), help=t("choose.languages_help"))
    with c2:
        urlstate.bind("choose_osi", "osi", "bool")
        urlstate.bind("choose_network", "network_copyleft", "bool")
        urlstate.bind("choose_budget", "budget", "float")
        must_be_osi = st.checkbox(t("choose.must_be_osi"), value=True, key="choose_osi", help=t("choose.osi_help"))
        network_ok = st.checkbox(t("choose.network_ok"), value=True, key="choose_network",
                                 help=t("choose.network_help"))
        budget = st.number_input(t("choose.budget"), min_value=0.0, value=None, step=1000.0, key="choose_budget",
                                 help=t("choose.budget_help"))
    return chooser.Needs(processes=processes, hosting=hosting, languages=languages, must_be_osi=must_be_osi,
                         network_copyleft_ok=network_ok, budget=budget)


def _weights() -> dict[str, float]:
    defaults = chooser.default_weights()
    with st.expander(t("choose.weights")):
        st.caption(t("choose.weights_help"))
        cols = st.columns(3)
        return {c: cols[i % 3].slider(chooser.criterion_label(c, current_lang()), 0.0, 1.0, defaults[c], 0.05,
                                      key=f"choose_w_{c}")
                for i, c in enumerate(chooser.CRITERIA)}


def _shortlist(ranking, weights: dict[str, float], lang: str) -> None:
    st.subheader(t("choose.shortlist"))
    eligible = ranking[~ranking["excluded"]]
    if eligible.empty:
        st.warning(t("choose.none_eligible"))
    else:
        total = sum(weights.values()) or 1.0
        normalised = {c: w / total for c, w in weights.items()}
        labels = {c: chooser.criterion_label(c, lang) for c in chooser.CRITERIA}
        top = eligible.head(CHART_TOOLS)
        fig = charts.stacked_contributions(top, normalised, labels, t("choose.chart_title", n=len(top)),
                                           {"contribution": t("choose.score"), "name": t("common.tool"),
                                            "criterion": t("choose.criterion")}, lang)
        ui.chart(fig, eligible.drop(columns=["explanation"]), "choose_ranking", alt=t("choose.chart_alt"),
                 sources=sorted({u for s in eligible["sources"] for u in s.split(" ; ")}))
    for row in ranking.to_dict("records"):
        rank = t("choose.excluded") if row["excluded"] else f"#{row['rank']}"
        with st.expander(f"{rank} — {row['name']} ({fmt_number(row['score'], lang, 2)})"):
            st.text(row["explanation"])
            st.caption(t("common.sources"))
            st.text(row["sources"].replace(" ; ", "\n"))


def _sensitivity(needs: chooser.Needs, weights: dict[str, float], lang: str) -> None:
    st.subheader(t("choose.sensitivity"))
    table = data.sensitivity(needs, weights)
    movers = table[table["leader_changes"]]
    if movers.empty:
        st.write(t("choose.stable"))
    else:
        for row in movers.to_dict("records"):
            st.write(t("choose.leader_change", criterion=chooser.criterion_label(row["criterion"], lang),
                       factor=fmt_number(row["factor"], lang, 1), after=row["top_after"]))
    shown = table.assign(criterion=[chooser.criterion_label(c, lang) for c in table["criterion"]])
    ui.data_expander(shown, "choose_sensitivity", sources=[], note=t("choose.sensitivity_note"))


def _reports(ranking, needs: chooser.Needs, lang: str) -> None:
    formats = data.report_formats()
    if not formats or ranking.empty:
        return
    st.subheader(t("common.export_report"))
    tools = list(ranking.loc[~ranking["excluded"], "tool_id"].head(4))
    for col, (fmt, spec) in zip(st.columns(len(formats)), formats.items(), strict=True):
        col.download_button(t("common.report_button", fmt=fmt.upper()),
                            data=lambda fmt=fmt: data.report(tools, lang, fmt, needs=needs),
                            file_name=f"shortlist.{getattr(spec, 'extension', fmt).lstrip('.')}",
                            mime=getattr(spec, "mime", None), key=f"choose_report_{fmt}", on_click="ignore")


def render() -> None:
    lang = current_lang()
    ui.page_header("choose")
    if not ui.page_guard():
        return
    tools = ui.fetch("tools")
    if tools is None:
        return
    feature_rows = data.query("features")
    features = dict(zip(feature_rows["feature_id"], feature_rows[f"label_{lang}"], strict=True))
    needs = _questionnaire(features)
    weights = _weights()
    ranking = data.ranking(needs, weights, lang)
    _shortlist(ranking, weights, lang)
    _sensitivity(needs, weights, lang)
    _reports(ranking, needs, lang)


render()
