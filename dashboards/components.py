"""Reusable page pieces: a chart with its data and sources, downloads, and empty states.

Empty states always say which command fills the missing data, so a page never fails because a
collector has not run. Collected text is only ever handed to Streamlit as plain text or dataframe
cells, never as raw HTML.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards import data
from dashboards.i18n import t, t_or
from observatory.queries import QUERIES, MissingData

# Which command fills each table (shown in empty states).
COMMAND_FOR_TABLE: dict[str, str] = {
    **dict.fromkeys(("tools", "licences", "features", "tool_features", "licence_events", "deployments", "sources",
                     "table_meta", "repo_health", "repo_health_monthly"), "observatory build"),
    **dict.fromkeys(("repo_snapshots", "package_versions", "deployment_probes", "collector_runs",
                     "deployment_changes"), "observatory collect"),
    **dict.fromkeys(("instances", "participation_spaces", "proposals", "budgets", "budget_projects", "results",
                     "meetings", "comments", "metric_definitions"), "observatory import any PATH"),
    **dict.fromkeys(("pb_editions", "pb_projects", "pb_outcomes", "pb_votes"), "observatory pb import"),
}


def command_for(tables: Iterable[str]) -> str:
    commands = list(dict.fromkeys(COMMAND_FOR_TABLE.get(t_, "observatory build") for t_ in tables))
    return " ; ".join(commands) if commands else "observatory build"


def empty_state(command: str) -> None:
    st.info(t("common.empty", command=command), icon="ℹ️")


def no_database() -> None:
    st.warning(t("common.no_database", path=str(data.db_path().name)), icon="⚠️")
    st.code("observatory build", language="bash")


def fetch(name: str, **params: object) -> pd.DataFrame | None:
    """A named query's result, or None after showing which command to run (missing DB, table or rows)."""
    try:
        df = data.query(name, **params)
    except data.NoDatabase:
        no_database()
        return None
    except MissingData as exc:
        empty_state(command_for(exc.tables))
        return None
    if df.empty:
        empty_state(command_for(QUERIES[name].tables))
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


def data_expander(df: pd.DataFrame, key: str, sources: list[str] | None = None, note: str | None = None) -> None:
    """The "data and sources" expander: the exact rows behind a figure, their sources, and downloads."""
    with st.expander(t("common.data_and_sources")):
        if note:
            st.caption(note)
        st.dataframe(df, hide_index=True, key=f"df_{key}")
        urls = sources if sources is not None else sources_of(df)
        if urls:
            st.markdown(f"**{t('common.sources')}**")
            st.text("\n".join(urls))
        download_buttons(df, key, key)


def chart(fig: go.Figure, df: pd.DataFrame, key: str, alt: str, sources: list[str] | None = None,
          note: str | None = None) -> None:
    """A chart with its text alternative, then its data and sources."""
    st.plotly_chart(fig, key=f"chart_{key}", alt=alt, config={"displaylogo": False})
    data_expander(df, key, sources, note)


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
