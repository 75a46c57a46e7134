"""One tool, everything known about it: what it is for, licence and history, features, deployments, sources.

Opened as ``?page=tool&id=<tool_id>`` (every tool name in the dashboard links here); the picker at the
top changes the ``id`` in the URL so the page can be shared.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import components as ui
from dashboards import data, geomap, health_cards, urlstate
from dashboards.i18n import current_lang, fmt_date, fmt_number, fmt_percent, t
from observatory.analytics import licences as lic
from observatory.analytics import tool_runs
from observatory.queries import MissingData


def _pick(tools: pd.DataFrame) -> dict:
    names = dict(zip(tools["tool_id"], tools["name"], strict=True))
    urlstate.bind("tool_id", "id", options=names)
    st.session_state.setdefault("tool_id", next(iter(names)))
    tool_id = st.selectbox(t("tool.pick"), options=list(names), format_func=names.get, key="tool_id")
    return tools[tools["tool_id"] == tool_id].iloc[0].to_dict()


def _identity(tool: dict, lang: str) -> None:
    facts = [(t("tool.maintainer"), tool.get("maintainer")), (t("tool.origin"), tool.get("origin_country")),
             (t("tool.language"), tool.get("programming_language")),
             (t("tool.first_release"), tool.get("first_release_year")),
             (t("common.status_label"), t(f"common.status.{tool.get('status') or 'unknown'}"))]
    shown = [(label, value) for label, value in facts if isinstance(value, str | int | float) and pd.notna(value)]
    for col, (label, value) in zip(st.columns(len(shown)), shown, strict=True):
        col.metric(label, value if isinstance(value, str) else str(int(value)))  # a year, not a quantity
    links = [(t("tool.homepage"), tool.get("homepage")), (t("tool.repository"), tool.get("repo_url"))]
    st.markdown(" · ".join(f"[{label}]({url})" for label, url in links if isinstance(url, str) and url))


def _licence(tool: dict, lang: str) -> None:
    catalogue = lic.catalogue_from_rows(data.query("licences").to_dict("records"))
    st.subheader(t("tool.licence"))
    ui.licence_card(tool, catalogue, lang, with_name=False)
    history = data.query("licence_events", tool_ids=[tool["tool_id"]])
    st.markdown(f"**{t('compare.licence_history')}**")
    if history.empty:
        st.caption(t("tool.no_licence_change"))
        return
    shown = history.assign(date=[fmt_date(d, lang) for d in history["date"]],
                           from_spdx=history["from_spdx"].fillna(t("tool.no_licence_before")))[
        ["date", "from_spdx", "to_spdx", "note", "evidence_url"]]
    ui.table(shown, hide_index=True, key="tool_history", column_config={
        "date": t("common.date"), "from_spdx": t("tool.from_licence"), "to_spdx": t("tool.to_licence"),
        "note": t("tool.note"), "evidence_url": st.column_config.LinkColumn(t("common.source"))})


def _features(tool: dict, lang: str) -> None:
    st.subheader(t("compare.features"))
    claims = data.query("tool_features", tool_ids=[tool["tool_id"]])
    if claims.empty:
        st.caption(t("tool.no_features"))
        return
    shown = claims.assign(feature=claims[f"label_{lang}"].fillna(claims["feature_id"]),
                          evidence=[t(f"common.evidence.{e}") for e in claims["evidence_level"]])
    ui.table(shown[["feature", "evidence", "source_url", "checked_on"]], hide_index=True, key="tool_features",
                 column_config={"feature": t("compare.feature_col"), "evidence": t("tool.evidence"),
                                "source_url": st.column_config.LinkColumn(t("common.source")),
                                "checked_on": st.column_config.DateColumn(t("tool.checked_on"))})


def _optional(name: str, tool_id: str) -> pd.DataFrame:
    """Rows of a per-tool query, empty when the table is not in this database (an older build)."""
    try:
        return data.query(name, tool_ids=[tool_id])
    except MissingData:
        return pd.DataFrame()


def _profile(tool: dict, lang: str) -> None:
    profile = _optional("tool_profiles", tool["tool_id"])
    if profile.empty:
        description = tool.get(f"description_{lang}") or tool.get("description_en")
        if isinstance(description, str):
            st.write(ui.plain(description))
        return
    row = profile.iloc[0]
    st.write(ui.plain(row[f"summary_{lang}"]))
    c1, c2 = st.columns(2)
    c1.markdown(f"**{t('tool.runs_it')}**  \n{ui.plain(row[f'runs_it_{lang}'])}")
    c2.markdown(f"**{t('tool.cost')}**  \n{ui.plain(row[f'cost_{lang}'])}")
    st.caption(t("tool.profile_source", url=row["source_url"]))


def _facts_section(topic: str, table: str, tool_id: str) -> pd.DataFrame | None:
    """Heading ``tool.<topic>`` and the tool's rows of ``table``, or ``tool.no_<topic>`` said in words."""
    st.subheader(t(f"tool.{topic}"))
    rows = _optional(table, tool_id)
    if rows.empty:
        st.caption(t(f"tool.no_{topic}"))
        return None
    return rows


def _offers(tool: dict, lang: str) -> None:
    offers = _facts_section("offers", "tool_offers", tool["tool_id"])
    if offers is None:
        return
    unknown = t("tool.not_stated")
    shown = offers.assign(
        kind=[t(f"tool.offer_kind.{k}") for k in offers["kind"]],
        hosting_countries=offers["hosting_countries"].fillna(unknown).str.replace(";", ", "),
        eu_hosting=[unknown if pd.isna(v) else t("tool.yes") if v else t("tool.no") for v in offers["eu_hosting"]],
        price=[fmt_number(v, lang) + " €" if pd.notna(v) else (t("tool.price_on_request") if not pub else unknown)
               for v, pub in zip(offers["price_from_eur_per_year"], offers["price_public"], strict=True)],
        languages_supported=offers["languages_supported"].fillna(unknown).str.replace(";", ", "))
    ui.table(shown[["provider", "kind", "hosting_countries", "eu_hosting", "price", "languages_supported",
                    "source_url"]], hide_index=True, key="tool_offers", column_config={
        "provider": t("tool.provider"), "kind": t("tool.offer_kind"), "hosting_countries": t("tool.hosting_countries"),
        "eu_hosting": t("tool.eu_hosting"), "price": t("tool.price_from"),
        "languages_supported": t("tool.support_languages"),
        "source_url": st.column_config.LinkColumn(t("common.source"))})


def _accessibility(tool: dict, lang: str) -> None:
    statements = _facts_section("accessibility", "tool_accessibility", tool["tool_id"])
    if statements is None:
        return
    shown = statements.assign(conformance=[t(f"tool.conformance.{c}") for c in statements["conformance"]],
                              audited_on=[fmt_date(d, lang) for d in statements["audited_on"]])
    ui.table(shown[["standard", "level", "conformance", "audited_on", "statement_url"]], hide_index=True,
             key="tool_accessibility", column_config={
                 "standard": t("tool.standard"), "level": t("tool.level"), "conformance": t("tool.conformance"),
                 "audited_on": t("tool.audited_on"), "statement_url": st.column_config.LinkColumn(t("tool.statement"))})


def _languages(tool: dict, lang: str) -> None:
    languages = _facts_section("languages", "tool_languages", tool["tool_id"])
    if languages is None:
        return
    from babel import Locale, UnknownLocaleError

    def name(code: str) -> str:
        try:
            return Locale.parse(code.replace("-", "_")).get_display_name(lang) or code
        except (ValueError, UnknownLocaleError):
            return code

    complete = languages[languages["share_translated"] >= 0.9]
    st.write(t("tool.languages_summary", n=len(languages), complete=len(complete)))
    shown = languages.assign(language=[name(c) for c in languages["language_code"]],
                             share=[fmt_percent(v, lang) for v in languages["share_translated"]])
    ui.table(shown[["language", "language_code", "share", "source_url"]], hide_index=True, key="tool_languages",
             column_config={"language": t("tool.language_name"), "language_code": t("tool.language_code"),
                            "share": t("tool.share_translated"),
                            "source_url": st.column_config.LinkColumn(t("common.source"))})


def _deployments(tool: dict, lang: str) -> None:
    st.subheader(t("tool.deployments"))
    deployments = data.query("deployments")
    mine = deployments[(deployments["tool_id"] == tool["tool_id"]) & deployments["removed_on"].isna()]
    if mine.empty:
        st.caption(t("tool.no_deployments"))
        return
    counts = mine.groupby("country").size().rename("deployments").reset_index()
    title = t("tool.map_title", n=fmt_number(len(mine), lang), countries=fmt_number(len(counts), lang))
    ui.country_map_with_table(counts, mine, "tool_map", title, lang)


def _instances(tool: dict, lang: str) -> None:
    """Collected instance data (proposals, budgets, comments) of this tool, each linked to its participation page."""
    try:
        instances = tool_runs.instances_of(data.query("instances"), tool["tool_id"])
    except MissingData:
        instances = pd.DataFrame()
    st.markdown(f"**{t('tool.instances')}**")
    if instances.empty:
        st.caption(t("tool.no_instances"))
        return
    shown = instances.assign(
        name=instances["name"].fillna(instances["instance_id"]),
        platform_version=instances["platform_version"].fillna(t("tool.not_stated")),
        page=[ui.page_link("participation", lang, instance=i) for i in instances["instance_id"]])
    ui.table(shown[["name", "base_url", "platform_version", "page"]], hide_index=True, key="tool_instances",
             column_config={"name": t("tool.instance"), "base_url": st.column_config.LinkColumn(t("common.site")),
                            "platform_version": t("common.version"),
                            "page": st.column_config.LinkColumn(t("tool.open_page"),
                                                                display_text=t("tool.open_participation"))})


def _pb_editions(tool: dict, lang: str) -> None:
    """PB editions held where the tool is deployed: a place match, said as such (Pabulib names no platform)."""
    st.markdown(f"**{t('tool.pb_editions')}**")
    try:
        editions = data.pb_editions()
    except MissingData:
        editions = pd.DataFrame()
    if editions.empty:
        st.caption(t("tool.no_pb_editions"))
        return
    near = data.computed(tool_runs.editions_in_places_of, editions, data.query("deployments"), tool["tool_id"])
    st.caption(t("tool.pb_no_platform", n=fmt_number(len(editions), lang)))
    if near.empty:
        st.caption(t("tool.pb_no_place_match"))
        return
    shown = near.assign(page=[ui.page_link("pb-outcomes", lang, edition=e) for e in near["edition_id"]],
                        year=[str(int(y)) if pd.notna(y) else None for y in near["year"]],
                        n_voters=[fmt_number(v, lang) for v in near["n_voters"]])
    ui.table(shown[["unit", "subunit", "year", "n_voters", "matched_deployment", "page"]], hide_index=True,
             key="tool_pb_editions", column_config={
                 "unit": t("tool.pb_town"), "subunit": t("tool.pb_district"), "year": t("common.year"),
                 "n_voters": t("tool.pb_voters"), "matched_deployment": t("tool.pb_matched"),
                 "page": st.column_config.LinkColumn(t("tool.open_page"), display_text=t("tool.open_pb"))})


def _runs_on_it(tool: dict, lang: str) -> None:
    st.subheader(t("tool.runs_on_it"))
    _instances(tool, lang)
    _pb_editions(tool, lang)


def _sources(tool: dict) -> None:
    st.text("\n".join(sorted({u for u in (tool.get("source_url"), tool.get("licence_evidence_url"))
                              if isinstance(u, str)})))
    st.caption(t("tool.map_source", source=geomap.source_note()))


def render() -> None:
    lang = current_lang()
    if not ui.page_guard():
        return
    tools = ui.fetch("tools")
    if tools is None:
        return
    tool = _pick(tools)
    st.title(ui.plain(tool["name"]))
    if pd.notna(tool.get("open_source")) and not tool["open_source"]:
        st.warning(t("tool.proprietary"))
    _profile(tool, lang)
    _identity(tool, lang)

    def choosing() -> None:
        _offers(tool, lang)
        _accessibility(tool, lang)
        _languages(tool, lang)

    ui.sections("tool", {
        "licence": (t("tool.tab_licence"), lambda: _licence(tool, lang)),
        "features": (t("tool.tab_features"), lambda: _features(tool, lang)),
        "choosing": (t("tool.tab_choosing"), choosing),
        "health": (t("tool.tab_health"), lambda: health_cards.git_health([tool["tool_id"]], lang, "tool")),
        "deployments": (t("tool.deployments"), lambda: _deployments(tool, lang)),
        "runs": (t("tool.tab_runs"), lambda: _runs_on_it(tool, lang)),
        "sources": (t("common.sources"), lambda: _sources(tool)),
    })


render()
