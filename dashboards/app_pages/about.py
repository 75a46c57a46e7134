"""About / method: definitions, sources, how to cite, how to correct a fact."""

from __future__ import annotations

import streamlit as st

from dashboards import components as ui
from dashboards import data
from dashboards.i18n import current_lang, t
from observatory.analytics.licences import FAMILY_ORDER, obligations


def render() -> None:
    lang = current_lang()
    ui.page_header("about")
    st.header(t("about.definitions"))
    for family in FAMILY_ORDER:
        st.markdown(f"**{t('common.family.' + family)}** — {obligations(family, lang)}")
    st.markdown(t("about.evidence"))
    st.markdown(t("about.method"))
    st.header(t("about.sources"))
    try:
        sources = data.query("sources")
    except data.NoDatabase:
        ui.no_database()
        sources = None
    if sources is not None:
        if sources.empty:
            ui.empty_state("observatory build")
        else:
            ui.table(sources, hide_index=True, key="about_sources",
                         column_config={"url": st.column_config.LinkColumn(t("common.source"))})
    st.header(t("about.cite"))
    st.code(t("about.citation"), language=None)
    st.header(t("about.correct"))
    st.markdown(t("about.correct_text"))


render()
