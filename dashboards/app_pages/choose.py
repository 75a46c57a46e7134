"""Choose a tool: a town hall's questions → a ranking over known facts with its coverage, the reasons for and
against each tool with their sources, near-ties, what changes when an answer changes, and "tools like us"."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from babel import Locale

from dashboards import charts, data, urlstate
from dashboards import components as ui
from dashboards.i18n import current_lang, fmt_number, fmt_percent, t, t_or
from observatory import chooser

CHART_TOOLS = 10  # the chart and the open details show the head of the list; a toggle shows the others

LANGUAGE_CHOICES: tuple[str, ...] = ("fr", "en", "es", "ca", "de", "it", "pt", "nl", "pl", "eu", "gl")
COUNTRY_CHOICES: tuple[str, ...] = ("", "FR", "BE", "CH", "LU", "ES", "IT", "DE", "NL", "PT", "PL", "AT", "FI", "SE",
                                    "DK", "IE", "GB", "CA", "US", "BR", "MX", "AR", "UY", "CO", "JP")
NONE = ""  # "not asked" in select boxes
WEIGHTS_KEY = "choose_weights"  # the weights as last set, kept while their sliders are not drawn


def _country_name(code: str, lang: str) -> str:
    return Locale(lang).territories.get(code, code) if code else t("choose.country_none", lang)


def _processes_and_place(features: dict[str, str], lang: str) -> dict[str, object]:
    urlstate.bind("choose_processes", "processes", "list", options=features)
    processes = st.multiselect(t("choose.processes"), options=list(features), format_func=features.get,
                               placeholder=t("common.placeholder"), key="choose_processes",
                               help=t("choose.processes_help"))
    urlstate.bind("choose_country", "country", options=COUNTRY_CHOICES)
    country = st.selectbox(t("choose.country"), options=list(COUNTRY_CHOICES), key="choose_country",
                           format_func=lambda c: _country_name(c, lang))
    urlstate.bind("choose_population", "population", "int")
    population = st.number_input(t("choose.population"), min_value=0, value=None, step=1000, key="choose_population",
                                 help=t("choose.population_help"))
    urlstate.bind("choose_participants", "participants", "int")
    participants = st.number_input(t("choose.participants"), min_value=0, value=None, step=100,
                                   key="choose_participants", help=t("choose.participants_help"))
    return {"processes": processes, "country": country or None, "population": population,
            "expected_participants": participants}


def _hosting_and_money(lang: str, country: str | None) -> dict[str, object]:
    urlstate.bind("choose_hosting", "hosting", options=chooser.HOSTING_CHOICES)
    st.session_state.setdefault("choose_hosting", "either")
    hosting = st.radio(t("choose.hosting"), options=list(chooser.HOSTING_CHOICES), key="choose_hosting",
                       format_func=lambda h: t(f"choose.hosting_{h}", lang), help=t("choose.hosting_help"))
    locations = [d for d in chooser.DATA_LOCATION_CHOICES if d != "country" or country]
    urlstate.bind("choose_location", "data_location", options=locations)
    if st.session_state.get("choose_location") not in locations:
        st.session_state.pop("choose_location", None)
    location = st.radio(t("choose.data_location"), options=locations, key="choose_location",
                        format_func=lambda d: t(f"choose.location_{d}", lang), help=t("choose.data_location_help"))
    urlstate.bind("choose_budget_first", "budget_first_year", "float")
    first = st.number_input(t("choose.budget_first_year"), min_value=0.0, value=None, step=1000.0,
                            key="choose_budget_first", help=t("choose.budget_help"))
    urlstate.bind("choose_budget", "budget", "float")
    yearly = st.number_input(t("choose.budget_per_year"), min_value=0.0, value=None, step=1000.0, key="choose_budget",
                             help=t("choose.budget_help"))
    return {"hosting": hosting, "data_location": location, "budget_first_year": first, "budget_per_year": yearly}


def _access_and_licence(lang: str) -> dict[str, object]:
    urlstate.bind("choose_a11y", "accessibility", options=chooser.ACCESSIBILITY_CHOICES)
    a11y = st.selectbox(t("choose.accessibility"), options=list(chooser.ACCESSIBILITY_CHOICES), key="choose_a11y",
                        format_func=lambda a: t(f"choose.a11y_{a}", lang), help=t("choose.accessibility_help"))
    urlstate.bind("choose_languages", "languages", "list", options=LANGUAGE_CHOICES)
    languages = st.multiselect(t("choose.languages"), options=list(LANGUAGE_CHOICES), key="choose_languages",
                               placeholder=t("common.placeholder"),
                               format_func=lambda c: t(f"choose.lang_{c}", lang), help=t("choose.languages_help"))
    support_options = (NONE, *LANGUAGE_CHOICES)
    urlstate.bind("choose_support", "support_language", options=support_options)
    support = st.selectbox(t("choose.support_language"), options=list(support_options), key="choose_support",
                           format_func=lambda c: t(f"choose.lang_{c or 'none'}", lang))
    urlstate.bind("choose_osi", "osi", "bool")
    urlstate.bind("choose_network", "network_copyleft", "bool")
    st.session_state.setdefault("choose_osi", True)
    st.session_state.setdefault("choose_network", True)
    must_be_open = st.checkbox(t("choose.must_be_osi"), key="choose_osi", help=t("choose.osi_help"))
    network_ok = st.checkbox(t("choose.network_ok"), key="choose_network", help=t("choose.network_help"))
    urlstate.bind("choose_integrations", "integrations", "list", options=chooser.INTEGRATION_CHOICES)
    integrations = st.multiselect(t("choose.integrations"), options=list(chooser.INTEGRATION_CHOICES),
                                  key="choose_integrations", placeholder=t("common.placeholder"),
                                  format_func=lambda i: t(f"choose.integration_{i}", lang))
    return {"accessibility": a11y, "languages": languages, "support_language": support or None,
            "open_source_required": must_be_open, "network_copyleft_ok": network_ok, "integrations": integrations}


def _questionnaire(features: dict[str, str]) -> chooser.Needs:
    lang = current_lang()
    st.subheader(t("choose.needs"))
    c1, c2, c3 = st.columns(3)
    with c1:
        answers = _processes_and_place(features, lang)
    with c2:
        answers |= _hosting_and_money(lang, answers["country"])  # type: ignore[arg-type]
    with c3:
        answers |= _access_and_licence(lang)
    return chooser.Needs(**answers)  # type: ignore[arg-type]


def _weights(lang: str) -> dict[str, float]:
    """The criteria's weights; the sliders are drawn only while their expander is open, so the weights are kept
    in the session apart from the sliders (a slider left undrawn would lose its value)."""
    kept: dict[str, float] = st.session_state.setdefault(WEIGHTS_KEY, chooser.default_weights())
    box = ui.lazy_expander(t("choose.weights"), "choose_weights")
    if box is not None:
        with box:
            st.caption(t("choose.weights_help"))
            cols = st.columns(3)
            for i, c in enumerate(chooser.CRITERIA):
                kept[c] = cols[i % 3].slider(chooser.criterion_label(c, lang), 0.0, 1.0, kept[c], 0.01,
                                             key=f"choose_w_{c}")
    return dict(kept)


def _chart(ranked: pd.DataFrame, weights: dict[str, float], lang: str) -> None:
    """Each bar is the total; its parts are each known criterion's share of the weighted mean."""
    normalised = chooser.normalised(weights)
    shown = [c for c in chooser.CRITERIA if ranked[f"score_{c}"].notna().any() and normalised[c] > 0]
    top = ranked.head(CHART_TOOLS).copy()
    known_weight = sum(top[f"score_{c}"].notna() * normalised[c] for c in shown).replace(0, 1)
    for c in shown:
        top[f"score_{c}"] = top[f"score_{c}"].fillna(0.0) / known_weight
    labels = {c: chooser.criterion_label(c, lang) for c in shown}
    fig = data.figure(charts.stacked_contributions, top, normalised, labels, t("choose.chart_title", n=len(top)),
                                       {"contribution": t("choose.score"), "name": t("common.tool"),
                                        "criterion": t("choose.criterion")}, lang)
    table = ranked[["rank", "name", "score", "coverage", "score_low", "score_high", "tied_with", "unknown_criteria"]]
    ui.chart(fig, table, "choose_ranking", alt=t("choose.chart_alt"),
             sources=sorted({u for s in ranked["sources"] for u in s.split(" ; ") if u}))


def _summary_table(ranking: pd.DataFrame, lang: str) -> None:
    shown = ranking[["rank", "name", "score", "coverage", "tied_with", "unknown_criteria", "tool_id"]].copy()
    shown["coverage"] = [fmt_percent(v, lang) for v in shown["coverage"]]
    shown["score"] = [fmt_number(v, lang, 2) if pd.notna(v) else None for v in shown["score"]]
    shown["tool_id"] = [ui.tool_page_link(tid, lang) for tid in shown["tool_id"]]
    shown = shown.replace({"": None})
    ui.table(shown, key="choose_summary", hide_index=True, column_config={"tool_id": ui.tool_link_column()})


def _tool_details(row: dict, reasons: pd.DataFrame, lang: str) -> None:
    if row["excluded"]:
        head = t("choose.excluded")
    elif row["rank"] is None or pd.isna(row["rank"]):
        head = t("choose.unranked")
    else:
        head = f"#{row['rank']}"
    score = fmt_number(row["score"], lang, 2) if pd.notna(row["score"]) else "–"
    title = t("choose.tool_heading", rank=head, name=row["name"], score=score,
              coverage=fmt_percent(row["coverage"], lang))
    box = ui.lazy_expander(title, f"choose_tool_{row['tool_id']}")
    if box is None:
        return
    with box:
        st.markdown(f"[{t('common.open_tool_page')}]({ui.tool_page_link(row['tool_id'], lang)})")
        if row["near_tie"]:
            st.warning(t("choose.near_tie_with", names=row["tied_with"]))
        if reasons.empty:
            st.caption(t("choose.nothing_asked"))
        else:
            ui.table(reasons, key=f"choose_reasons_{row['tool_id']}", hide_index=True,
                     column_config={"source_url": st.column_config.LinkColumn(t("columns.source_url"))})
        st.caption(t("choose.coverage_note", coverage=fmt_percent(row["coverage"], lang),
                     low=fmt_number(row["score_low"], lang, 2), high=fmt_number(row["score_high"], lang, 2)))


def _shortlist(ranking: pd.DataFrame, reasons: dict[str, pd.DataFrame], weights: dict[str, float], lang: str) -> None:
    st.subheader(t("choose.shortlist"))
    st.caption(t("choose.unknown_rule", min=fmt_percent(chooser.MIN_COVERAGE, lang)))
    ranked = ranking[ranking["ranked"]]
    if ranked.empty:
        st.warning(t("choose.none_eligible"))
    else:
        _chart(ranked, weights, lang)
        head = ranked.head(CHART_TOOLS)
        ties = head[head["near_tie"]]
        if not ties.empty:
            st.info(t("choose.near_ties", names=", ".join(ties["name"]), gap=fmt_number(chooser.NEAR_TIE, lang, 2)))
    _summary_table(ranking, lang)
    records = ranking.to_dict("records")
    for row in records[:CHART_TOOLS]:
        _tool_details(row, reasons[row["tool_id"]], lang)
    # Drawing every tool's reasons (60 tables) cost seconds in the browser on each rerun: the rest on demand.
    rest = records[CHART_TOOLS:]
    if rest and st.toggle(t("choose.show_all_reasons", n=len(rest)), key="choose_all_reasons"):
        for row in rest:
            _tool_details(row, reasons[row["tool_id"]], lang)


def _answer_sensitivity(table: pd.DataFrame) -> None:
    st.subheader(t("choose.answer_sensitivity"))
    movers = table[table["top_changes"]]
    if movers.empty:
        st.write(t("choose.answers_stable"))
    else:
        st.write(t("choose.answers_moving", n=len(movers), total=len(table)))
    shown = table[["change", "top_after", "entered", "left", "leader_changes"]].replace({"": None})
    shown["leader_changes"] = [t("choose.yes") if v else t("choose.no") for v in shown["leader_changes"]]
    st.caption(t("choose.top_now", names=table["top_before"].iloc[0] if len(table) else "–"))
    ui.table(shown, key="choose_answer_sensitivity", hide_index=True)


def _weight_sensitivity(table: pd.DataFrame, lang: str) -> None:
    st.subheader(t("choose.sensitivity"))
    movers = table[table["leader_changes"]]
    if movers.empty:
        st.write(t("choose.stable"))
    else:
        for row in movers.to_dict("records"):
            st.write(t("choose.leader_change", criterion=chooser.criterion_label(row["criterion"], lang),
                       factor=fmt_number(row["factor"], lang, 1), after=row["top_after"]))
    shown = table.assign(criterion=[chooser.criterion_label(c, lang) for c in table["criterion"]])
    ui.data_expander(shown, "choose_sensitivity", sources=[], note=t("choose.sensitivity_note"))


def _like_us(needs: chooser.Needs, near: pd.DataFrame, lang: str) -> None:
    st.subheader(t("choose.like_us"))
    if not (needs.country or needs.population or needs.processes):
        st.caption(t("choose.like_us_empty"))
        return
    if near.empty:
        st.caption(t("choose.like_us_none"))
        return
    st.caption(t("choose.like_us_help"))
    shown = near.assign(tool_id=[ui.tool_page_link(tid, lang) for tid in near["tool_id"]],
                        organisation_type=[t_or(f"adoption.org.{v}", v, lang) if v else None
                                           for v in near["organisation_type"]],
                        similarity=[fmt_percent(v, lang) for v in near["similarity"]])
    ui.table(shown, key="choose_like_us", hide_index=True,
             column_config={"tool_id": ui.tool_link_column(), "url": st.column_config.LinkColumn(t("columns.url")),
                            "source_url": st.column_config.LinkColumn(t("columns.source_url"))})


def _reports(ranking: pd.DataFrame, needs: chooser.Needs, lang: str) -> None:
    formats = data.report_formats()
    if not formats or ranking.empty:
        return
    st.subheader(t("common.export_report"))
    tools = list(ranking.loc[ranking["ranked"], "tool_id"].head(4))
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
    labels = dict(zip(feature_rows["feature_id"], feature_rows[f"label_{lang}"], strict=True))
    features = {f: labels[f] for f in chooser.PROCESS_CHOICES if f in labels}
    needs = _questionnaire(features)
    weights = _weights(lang)
    view = data.chooser_view(needs, weights, lang)  # cached per database version, language, answers, weights

    def shortlist() -> None:
        _shortlist(view.ranking, view.reasons, weights, lang)
        _reports(view.ranking, needs, lang)

    def sensitivity() -> None:
        _answer_sensitivity(view.answer_sensitivity)
        _weight_sensitivity(view.weight_sensitivity, lang)

    ui.sections("choose", {"shortlist": (t("choose.tab_shortlist"), shortlist),
                           "sensitivity": (t("choose.tab_sensitivity"), sensitivity),
                           "like_us": (t("choose.tab_like_us"), lambda: _like_us(needs, view.like_us, lang))})


render()
