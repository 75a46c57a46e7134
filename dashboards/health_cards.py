"""Software health cards read from git (status in words, activity, bus and elephant factors, releases, source).

Shared by the Compare page (one card per chosen tool) and the page of one tool.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, data, health_words
from dashboards import components as ui
from dashboards.i18n import fmt_date, fmt_number, fmt_percent, t


def git_health(tool_ids: list[str], lang: str, key: str) -> None:
    """Health read from each tool's git history (shipped by `observatory build`, refreshed by `collect git`)."""
    st.subheader(t("compare.git_health"))
    rows = ui.fetch("repo_health", tool_ids=tool_ids)
    if rows is None:
        return
    if rows.empty:
        ui.empty_state("observatory collect git --repo URL")
        return
    monthly = ui.fetch("repo_health_monthly", tool_ids=tool_ids)
    cols = st.columns(len(rows))
    for col, row in zip(cols, rows.to_dict("records"), strict=True):
        with col:
            st.markdown(f"**{ui.plain(row['tool'])}** — {health_words.status(row['status'])}")
            st.caption(health_words.reason(row["status_reason"], row["status_params"], lang))
            if row["coverage"] == "full":
                st.caption(t("compare.git_activity", commits=fmt_number(row["commits_12m"], lang),
                             authors=fmt_number(row["authors_total"], lang),
                             last=fmt_date(row["last_commit_at"], lang)))
                st.caption(t("compare.git_factors", bus=fmt_number(row["bus_factor"], lang),
                             elephant=fmt_number(row["elephant_factor"], lang), org=row["top_org"] or "–",
                             share=fmt_percent(row["top_org_share"], lang) if pd.notna(row["top_org_share"]) else "–"))
            st.caption(health_words.release_line(row, lang))
            st.caption(health_words.source_line(row, lang))
            trend = monthly[monthly["tool_id"] == row["tool_id"]].tail(36) if monthly is not None else None
            if trend is not None and len(trend) > 1:
                st.plotly_chart(data.drawable(data.figure(charts.sparkline, trend, "month", "commits", lang)),
                                key=f"{key}_git_spark_{row['tool_id']}",
                                alt=t("compare.git_sparkline_alt", tool=row["tool"]), config={"staticPlot": True})
    st.caption(health_words.thresholds())
    ui.data_expander(rows, f"{key}_git_health")
