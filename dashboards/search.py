"""The sidebar search: tools, features, deployments (organisation, place) and PB editions, as links.

Every hit is a link to the page that shows it with its state in the URL (a tool's page, the chooser
with the feature ticked, a tool's page filtered to the deployment's country, the PB page on the edition).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import data, urlstate
from dashboards.i18n import t
from observatory.queries import MissingData

HITS_PER_KIND = 6
MIN_CHARS = 2


def _safe(loader, *args: object, **params: object) -> pd.DataFrame:
    try:
        return loader(*args, **params)
    except (MissingData, data.NoDatabase):
        return pd.DataFrame()


def _pb_editions(q: str) -> pd.DataFrame:
    editions = _safe(data.pb_editions)
    if editions.empty:
        return editions
    text = editions[["edition_id", "unit", "subunit", "instance", "country"]].fillna("").astype(str).agg(" ".join, axis=1)
    return editions[text.str.contains(q, case=False, regex=False)].head(HITS_PER_KIND)


def hits(q: str, lang: str) -> list[tuple[str, str, dict[str, str]]]:
    """(label, page url_path, query parameters) for every hit, grouped by kind."""
    found: list[tuple[str, str, dict[str, str]]] = []
    for row in _safe(data.query, "search_tools", q=q, limit=HITS_PER_KIND).to_dict("records"):
        found.append((t("search.hit_tool", name=row["name"]), "tool", {"id": row["tool_id"], "lang": lang}))
    for row in _safe(data.query, "search_features", q=q, limit=HITS_PER_KIND).to_dict("records"):
        found.append((t("search.hit_feature", name=row[f"label_{lang}"] or row["feature_id"]), "choose",
                      {"processes": row["feature_id"], "lang": lang}))
    for row in _safe(data.query, "search_deployments", q=q, limit=HITS_PER_KIND).to_dict("records"):
        place = " · ".join(str(v) for v in (row["region"], row["country"]) if isinstance(v, str) and v)
        found.append((t("search.hit_deployment", organisation=row["organisation"], tool=row["tool"], place=place),
                      "tool", {"id": row["tool_id"], "country": row["country"] or "", "tab": "deployments",
                                "lang": lang}))
    for row in _pb_editions(q).to_dict("records"):
        found.append((t("search.hit_edition", name=row["edition_id"]), "pb-outcomes",
                      {"edition": row["edition_id"], "lang": lang}))
    return found


def sidebar_search(pages: dict[str, st.Page], lang: str) -> None:
    urlstate.bind("search_q", "search")
    q = st.sidebar.text_input(t("search.label"), key="search_q", placeholder=t("search.placeholder"),
                              help=t("search.help")).strip()
    if len(q) < MIN_CHARS:
        return
    found = hits(q, lang)
    if not found:
        st.sidebar.caption(t("search.none", q=q))
        return
    for label, page, params in found:
        st.sidebar.page_link(pages[page], label=label, query_params={k: v for k, v in params.items() if v})
