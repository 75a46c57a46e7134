"""Reusable page pieces: a chart with its data and sources, downloads, and empty states.

Empty states always say which command fills the missing data, so a page never fails because a
collector has not run. Collected text is only ever handed to Streamlit as plain text or dataframe
cells, never as raw HTML.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable
from functools import cache

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboards import chart_honesty, data
from dashboards.i18n import t, t_or
from observatory.analytics import licences as lic
from observatory.queries import QUERIES, MissingData


@cache
def _command_for_table() -> dict[str, str]:
    """Which command fills each table (shown in empty states), all read from declarations: the data packages'
    resources (`observatory build`), each collector's ``tables`` and what the importers and the runner
    declare they write (:func:`observatory.tables.written_by_commands`). No table is named here."""
    import collectors
    from observatory.config import load_settings
    from observatory.tables import curated_tables, written_by_commands

    collected = {table: "observatory collect" for cls in collectors.registry().values() for table in cls.tables}
    curated = dict.fromkeys(curated_tables(load_settings().datasets_dir), "observatory build")
    return {**collected, **written_by_commands(), **curated}


def command_for(tables: Iterable[str]) -> str:
    commands = list(dict.fromkeys(_command_for_table().get(t_, "observatory build") for t_ in tables))
    return " ; ".join(commands) if commands else "observatory build"


def empty_state(command: str) -> None:
    st.info(t("common.empty", command=command), icon="ℹ️")


def no_database() -> None:
    st.warning(t("common.no_database", path=str(data.db_path().name)), icon="⚠️")
    st.code("observatory build", language="bash")


def fetch(source: str | data.Loader, *args: object, **params: object) -> pd.DataFrame | None:
    """Rows of a named query (``fetch("tools")``) or a loader (``fetch(data.pb_outcomes, edition_id)``), or
    None after saying which command fills them (missing database, missing table, no rows)."""
    try:
        df = data.query(source, **params) if isinstance(source, str) else source(*args)
    except data.NoDatabase:
        no_database()
        return None
    except MissingData as exc:
        empty_state(command_for(exc.tables))
        return None
    if df.empty:
        empty_state(command_for(QUERIES[source].tables if isinstance(source, str) else source.tables))
        return None
    return df


def page_guard() -> bool:
    """True when the database exists; otherwise show how to build it (pages then stop early)."""
    try:
        data.connection()
    except data.NoDatabase:
        no_database()
        return False
    return True


def _csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode("utf-8")


def _parquet(df: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _json(df: pd.DataFrame) -> bytes:
    return df.to_json(orient="records", date_format="iso", force_ascii=False).encode("utf-8")


DOWNLOAD_FORMATS: dict[str, tuple[Callable[[pd.DataFrame], bytes], str]] = {
    "csv": (_csv, "text/csv"),
    "parquet": (_parquet, "application/vnd.apache.parquet"),
    "json": (_json, "application/json"),
}


def download_buttons(df: pd.DataFrame | Callable[[], pd.DataFrame], basename: str, key: str,
                     formats: Iterable[str] = ("csv", "parquet", "json")) -> None:
    """One button per format; a callable ``df`` is only evaluated when a button is clicked."""
    cols = st.columns(len(tuple(formats)))
    for col, fmt in zip(cols, formats, strict=True):
        encode, mime = DOWNLOAD_FORMATS[fmt]

        def make(encode: Callable[[pd.DataFrame], bytes] = encode) -> bytes:
            return encode(df() if callable(df) else df)

        col.download_button(t("common.download", fmt=fmt.upper()), data=make, file_name=f"{basename}.{fmt}",
                            mime=mime, key=f"dl_{key}_{fmt}", on_click="ignore")


def sources_of(df: pd.DataFrame) -> list[str]:
    urls: list[str] = []
    for column in ("source_url", "evidence_url"):
        if column in df.columns:
            urls += [u for u in df[column].dropna().astype(str).unique()]
    return sorted(set(urls))


LAZY_ENV = "OBSERVATORY_DASHBOARD_LAZY"  # "0": every tab and expander computed at once (see ``lazy``)
OPEN_PREFIX = "open_"  # the session-state key of a lazy expander's state: OPEN_PREFIX + its key
TAB_PARAM = "tab"  # the URL parameter naming a page's open tab


def lazy() -> bool:
    """Whether closed tabs and expanders are left out of the page (the default).

    Why: content under a closed expander or tab is still sent and mounted (hidden) by the browser, and laying
    it out was most of a page switch's time. ``OBSERVATORY_DASHBOARD_LAZY=0`` draws everything at once, as a
    plain Streamlit page does: for a reader who wants the whole page (printing, a screen reader's page
    search) and for the tests that read every section of a page in one run."""
    return os.environ.get(LAZY_ENV, "1") != "0"


def lazy_expander(label: str, key: str) -> DeltaGenerator | None:
    """An expander whose content is computed and sent only while it is open (None when closed); opening it
    reruns the page. Its state is the widget ``open_<key>`` (tests open one by setting it)."""
    if not lazy():
        return st.expander(label)
    box = st.expander(label, key=f"{OPEN_PREFIX}{key}", on_change="rerun")
    return box if box.open else None


def sections(key: str, parts: dict[str, tuple[str, Callable[[], None]]]) -> str:
    """A page's sections as tabs, only the open one computed: ``parts`` maps a section id to its label and
    the function that draws it. The open tab is in the URL (``?tab=<id>``), so a shared link reopens it.
    Returns the id of the open section."""
    from dashboards import urlstate

    ids = list(parts)
    labels = [label for label, _ in parts.values()]
    if not lazy():
        for box, (_label, draw) in zip(st.tabs(labels), parts.values(), strict=True):
            with box:
                draw()
        return ids[0]
    widget, chosen = f"tabs_{key}", f"tab_{key}"
    from_link = urlstate.url_value(TAB_PARAM) in ids and urlstate._changed_outside(TAB_PARAM)
    urlstate.bind(chosen, TAB_PARAM, options=ids)
    if from_link or (chosen in st.session_state and st.session_state.get(widget) not in labels):
        st.session_state[widget] = labels[ids.index(st.session_state[chosen])]
    boxes = st.tabs(labels, key=widget, on_change="rerun")
    opened = next((i for i, box in zip(ids, boxes, strict=True) if box.open), ids[0])
    st.session_state[chosen] = opened
    with boxes[ids.index(opened)]:
        parts[opened][1]()
    return opened


def data_expander(df: pd.DataFrame, key: str, sources: list[str] | None = None, note: str | None = None) -> None:
    """The "data and sources" expander: the exact rows behind a figure, their sources, and downloads."""
    box = lazy_expander(t("common.data_and_sources"), key)
    if box is None:
        return
    with box:
        if note:
            st.caption(note)
        table(df, hide_index=True, key=f"df_{key}")
        urls = sources if sources is not None else sources_of(df)
        if urls:
            st.markdown(f"**{t('common.sources')}**")
            st.text("\n".join(urls))
        download_buttons(df, key, key)


def chart(fig: go.Figure | dict, df: pd.DataFrame, key: str, alt: str, sources: list[str] | None = None,
          note: str | None = None) -> None:
    """A chart with its text alternative, then its data and sources."""
    st.plotly_chart(data.drawable(fig), key=f"chart_{key}", alt=alt, config={"displaylogo": False})
    data_expander(df, key, sources, note)


def text_table(df: pd.DataFrame, columns: dict[str, str], lang: str) -> None:
    """A small table as Markdown text (cells escaped, numbers through Babel): for a page that must draw fast,
    since a data grid loads about a megabyte of JavaScript the first time one is shown."""
    from dashboards.i18n import fmt_number

    def cell(value: object) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return MISSING
        return fmt_number(value, lang) if pd.api.types.is_number(value) else plain(value)

    rows = [f"| {' | '.join(plain(label) for label in columns.values())} |", f"|{'---|' * len(columns)}"]
    rows += [f"| {' | '.join(cell(row[c]) for c in columns)} |" for row in df.to_dict("records")]
    st.markdown("\n".join(rows))


def page_header(prefix: str) -> None:
    st.title(t(f"{prefix}.title"))
    intro = t(f"{prefix}.intro")
    if intro != f"{prefix}.intro":
        st.write(intro)


_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:"})


def plain(text: object) -> str:
    """Escape Markdown so collected text (names, titles) is displayed literally, never interpreted."""
    return str(text).translate(_MARKDOWN_SPECIALS)


def translated(df: pd.DataFrame, column: str, prefix: str) -> pd.DataFrame:
    """Copy of ``df`` with the coded values of ``column`` replaced by their translation (``prefix.value``)."""
    out = df.copy()
    out[column] = [t_or(f"{prefix}.{v}", str(v)) for v in out[column]]
    return out


def licence_card(tool: dict, catalogue: dict[str, lic.LicenceFacts], lang: str, with_name: bool = True) -> None:
    """A tool's licence, its family and what it obliges a city to do (compare columns, tool page)."""
    expl = lic.explain(str(tool["licence_spdx"]), lang, catalogue)
    if with_name:
        st.subheader(plain(tool["name"]))
    st.markdown(f"**{t('compare.licence_label')}** `{tool['licence_spdx']}`")
    st.markdown(f"{t('compare.family_label')} **{t('common.family.' + expl.family)}**")
    flags = [t("compare.osi_yes") if expl.osi_approved else t("compare.osi_no")]
    if expl.network_clause:
        flags.append(t("compare.network_clause"))
    st.caption(" · ".join(flags))
    st.info(expl.obligations)
    description = tool.get(f"description_{lang}") or tool.get("description_en")
    if with_name and isinstance(description, str):
        st.caption(plain(description))


def page_link(url_path: str, lang: str, **params: str) -> str:
    """Relative link to a page with its parameters, keeping the language (for LinkColumn cells)."""
    from urllib.parse import urlencode

    return f"./{url_path}?{urlencode({**params, 'lang': lang, 'page': url_path})}"


def tool_page_link(tool_id: str, lang: str) -> str:
    """Relative link to a tool's page, keeping the language (for LinkColumn cells)."""
    return page_link("tool", lang, id=tool_id)


def tool_link_column() -> st.column_config.LinkColumn:
    return st.column_config.LinkColumn(t("common.tool_page"), display_text=t("common.open_tool_page"))


def _picked_country(event: object) -> str | None:
    """The country of the marker the user clicked (plotly selection event), if any."""
    points = getattr(getattr(event, "selection", None), "points", None) or []
    for point in points:
        custom = point.get("customdata") if isinstance(point, dict) else None
        if custom:
            return str(custom[0])
    return None


def country_map_with_table(counts: pd.DataFrame, rows: pd.DataFrame, key: str, title: str, lang: str) -> None:
    """A shaded world map of ``counts`` (country, deployments); clicking a country filters ``rows`` below."""
    from dashboards import geomap, urlstate  # the map module reads the shipped outlines on first use

    country_key = f"{key}_country"
    options = ["-", *sorted(counts["country"].dropna())]
    urlstate.bind(country_key, "country", options=options)
    on_map = int(rows["country"].isin(geomap.shapes()).sum())
    title = chart_honesty.subset_title(title, on_map, len(rows), t("common.subset_on_map"), lang)
    event = st.plotly_chart(data.drawable(
        data.figure(geomap.country_map, counts, "deployments", title,
                    {"title": t("common.deployments"), "none": t("common.none")},
                    t("common.map_hover"), selected=st.session_state.get(country_key))),
        key=f"chart_{key}", on_select="rerun", selection_mode="points", config={"displaylogo": False})
    clicked = _picked_country(event)
    if clicked in options and st.session_state.get(f"{key}_last_click") != clicked:
        st.session_state[f"{key}_last_click"] = clicked
        st.session_state[country_key] = clicked
    country = st.selectbox(t("common.country_filter"), options=options, key=country_key,
                           format_func=lambda c: t("common.all_countries", lang) if c == "-" else c)
    shown = rows if country in (None, "-") else rows[rows["country"] == country]
    st.caption(t("common.map_shown", n=len(shown), total=len(rows)))
    columns = [c for c in ("organisation", "organisation_type", "country", "region", "started_year", "url",
                           "source_url") if c in shown.columns]
    table(shown[columns], hide_index=True, key=f"df_{key}", column_config={
        "organisation": t("common.organisation"), "organisation_type": t("common.organisation_type"),
        "country": t("common.country"), "region": t("common.region"),
        "started_year": st.column_config.NumberColumn(t("common.year"), format="%d"),
        "url": st.column_config.LinkColumn(t("common.site")),
        "source_url": st.column_config.LinkColumn(t("common.source"))})
    download_buttons(shown, f"{key}_deployments", key)


def facets(df: pd.DataFrame, columns: dict[str, str], key: str, lang: str,
           value_labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Multi-select facets with counts ("Decidim (515)"); each count applies the other facets' choices.

    ``columns`` maps a column to its label; ``value_labels`` maps a column to a catalogue prefix that
    translates its coded values (``common.status`` for ``status``). Choices live in the URL.
    """
    from dashboards import urlstate

    value_labels = value_labels or {}
    keys = {c: f"{key}_facet_{c}" for c in columns}
    for column, widget in keys.items():
        urlstate.bind(widget, column, "list", options=sorted(df[column].dropna().astype(str).unique()))

    def chosen_except(skip: str | None) -> pd.DataFrame:
        out = df
        for column, widget in keys.items():
            picked = st.session_state.get(widget) or []
            if column != skip and picked:
                out = out[out[column].astype(str).isin(picked)]
        return out

    for col, (column, label) in zip(st.columns(len(columns)), columns.items(), strict=True):
        counts = chosen_except(column)[column].dropna().astype(str).value_counts()
        options = sorted(df[column].dropna().astype(str).unique(), key=lambda v: (-counts.get(v, 0), v))
        prefix = value_labels.get(column)

        def label_of(value: str, counts: pd.Series = counts, prefix: str | None = prefix) -> str:
            name = t_or(f"{prefix}.{value}", value, lang) if prefix else value
            return f"{name} ({counts.get(value, 0)})"

        col.multiselect(label, options=options, key=keys[column], format_func=label_of,
                        placeholder=t("common.placeholder", lang))
    return chosen_except(None)


MISSING = "–"  # what an unknown value looks like in every table (never "None" or "nan")


def table(df: pd.DataFrame, key: str | None = None, column_config: dict | None = None, **kwargs: object) -> None:
    """``st.dataframe`` with human column headers and a dash for unknown values.

    A column without a label of its own takes ``columns.<name>`` from the catalogue, so no table shows a
    snake_case identifier as a header; identifiers without an entry keep their name (and the French-page
    test points them out).
    """
    config: dict = dict(column_config or {})
    for column in df.columns:
        if column not in config:
            label = t_or(f"columns.{column}", "")
            if label:
                config[column] = label
    st.dataframe(df, key=key, column_config=config, placeholder=MISSING, **kwargs)
