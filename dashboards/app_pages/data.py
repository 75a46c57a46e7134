"""Data: every table with row counts, licence, source and freshness; filtered downloads; a read-only SQL console."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import components as ui
from dashboards import data, urlstate
from dashboards.i18n import current_lang, fmt_date, fmt_number, t
from observatory.sqlguard import RefusedQuery

PREVIEW_ROWS = 1000
CONSOLE_MAX_ROWS = 10_000
CONSOLE_MAX_SECONDS = 30


def _catalogue(lang: str) -> None:
    counts = data.row_counts()
    meta = data.query("table_meta").set_index("table_name") if "table_meta" in counts else pd.DataFrame()
    rows = []
    for name in sorted(counts):
        info = meta.loc[name] if name in meta.index else {}
        rows.append({"table_name": name, "rows": counts[name], "title": info.get("title"),
                     "licence": info.get("licence"), "source": info.get("source"),
                     "checked_on": fmt_date(info.get("checked_on"), lang),
                     "loaded_at": fmt_date(info.get("loaded_at"), lang)})
    table = pd.DataFrame(rows)
    # Row counts written by Babel in the interface language (a "localized" column follows the browser's locale).
    shown = table.assign(rows=[fmt_number(n, lang) for n in table["rows"]]) if len(table) else table
    ui.table(shown, hide_index=True, key="data_catalogue", column_config={
        "table_name": t("data.col_table"), "rows": t("data.col_rows"),
        "title": t("data.col_title"), "licence": t("data.col_licence"), "source": t("data.col_source"),
        "checked_on": t("data.col_checked_on"), "loaded_at": t("data.col_loaded_at")})
    ui.download_buttons(table, "tables", "data_catalogue", formats=("csv",))


def _browser(lang: str) -> None:
    st.subheader(t("data.browse"))
    tables = data.tables()
    urlstate.bind("data_table", "table", options=tables)
    table = st.selectbox(t("data.table"), options=tables, key="data_table",
                         index=tables.index("tools") if "tools" in tables else 0)
    c1, c2 = st.columns(2)
    urlstate.bind("data_column", "column", options=["-"] + data.columns(table))
    urlstate.bind("data_contains", "contains")
    column = c1.selectbox(t("data.column"), options=["-"] + data.columns(table), key="data_column",
                          format_func=lambda c: t("data.any_column", lang) if c == "-" else c)
    contains = c2.text_input(t("data.contains"), key="data_contains", help=t("data.contains_help"),
                             disabled=column == "-")
    column = None if column == "-" else column
    rows = data.table_rows(table, column, contains, limit=PREVIEW_ROWS + 1)
    st.caption(t("data.preview", shown=fmt_number(min(len(rows), PREVIEW_ROWS), lang))
               + (" " + t("data.preview_more") if len(rows) > PREVIEW_ROWS else ""))
    ui.table(rows.head(PREVIEW_ROWS), hide_index=True, key="data_preview")
    st.caption(t("data.download_all"))
    ui.download_buttons(lambda: data.table_rows(table, column, contains), f"{table}_filtered", "data_rows")


def _console() -> None:
    st.subheader(t("data.console"))
    st.caption(t("data.console_help", rows=CONSOLE_MAX_ROWS, seconds=CONSOLE_MAX_SECONDS))
    urlstate.bind("data_sql", "q")
    with st.form("data_console_form"):
        sql = st.text_area(t("data.sql"), value="SELECT tool_id, name, licence_spdx FROM tools", key="data_sql",
                           height=120)
        max_rows = st.number_input(t("data.max_rows"), min_value=1, max_value=CONSOLE_MAX_ROWS, value=1000,
                                   key="data_max_rows")
        submitted = st.form_submit_button(t("data.run"))
    if not submitted:
        return
    try:
        result = data.console_query(sql, int(max_rows), CONSOLE_MAX_SECONDS)
    except RefusedQuery as exc:
        st.error(t("data.refused", reason=str(exc)))
        return
    except Exception as exc:  # noqa: BLE001 - any DuckDB error is the user's query, shown as text
        st.error(t("data.failed", reason=str(exc)))
        return
    frame = pd.DataFrame(result.rows, columns=result.columns)
    if result.truncated:
        st.warning(t("data.truncated", rows=int(max_rows)))
    ui.table(frame, hide_index=True, key="data_console_result")
    ui.download_buttons(frame, "query", "data_console")


def render() -> None:
    lang = current_lang()
    ui.page_header("data")
    if not ui.page_guard():
        return
    ui.sections("data", {"catalogue": (t("data.tab_catalogue"), lambda: _catalogue(lang)),
                         "browse": (t("data.tab_browse"), lambda: _browser(lang)),
                         "console": (t("data.tab_console"), _console)})


render()
