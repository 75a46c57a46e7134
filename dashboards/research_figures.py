"""Plotly figures of the research analyses: pure functions of their results, labels passed in translated.

Readable without colour: series differ by marker symbol, bars carry their values as text. They end in the
dashboard's shared finishing step (:func:`dashboards.charts.finish`), so their log axes say so in words.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dashboards.charts import finish
from observatory.participation.analysis.exposure import FittedCurve

SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon", "pentagon", "star-square",
           "hourglass", "bowtie")


def exposure_scatter(used: pd.DataFrame, curve: FittedCurve | None, title: str, labels: dict[str, str],
                     curve_name: str, lang: str) -> go.Figure:
    """Supports against days on page one (log-1p axes), with the fitted curve."""
    plot = used.assign(supports_plus_one=used["supports"] + 1, exposure_plus_one=used["exposure_days"] + 1)
    fig = px.scatter(plot, x="exposure_plus_one", y="supports_plus_one", log_x=True, log_y=True, opacity=0.5,
                     hover_data=["proposal_id", "supports", "exposure_days"], labels=labels)
    if curve is not None:
        fig.add_trace(go.Scatter(x=curve.x + 1, y=curve.y + 1, mode="lines", name=curve_name,
                                 line={"width": 3, "dash": "dash"}))
    return finish(fig, title, lang, height=420)


def support_bins(bins: pd.DataFrame, title: str, labels: dict[str, str], lang: str) -> go.Figure:
    """Proposals per support bin (0, 1, 2-3, 4-7, ...), log count axis."""
    fig = px.bar(bins, x="bin", y="count", text_auto=True, log_y=True, labels=labels)
    fig.update_xaxes(type="category")
    return finish(fig, title, lang, height=420)


def budget_scatter(projects: pd.DataFrame, title: str, labels: dict[str, str], lang: str) -> go.Figure:
    """Cost (log axis) against supports, one marker symbol per budget (district); selected projects outlined."""
    plot = projects.dropna(subset=["cost", "supports"]).copy()
    plot["district"] = plot["label"].astype(str)
    fig = px.scatter(plot, x="cost", y="supports", symbol="district", color="district", symbol_sequence=SYMBOLS,
                     hover_data=["project_id", "title", "selected"], labels=labels, log_x=True)
    if plot["selected"].notna().any():
        chosen = plot[plot["selected"].fillna(False).astype(bool)]
        fig.add_trace(go.Scatter(x=chosen["cost"], y=chosen["supports"], mode="markers", name=labels.get("selected", "selected"),
                                 marker={"size": 14, "color": "rgba(0,0,0,0)", "line": {"width": 2, "color": "black"}}))
    return finish(fig, title, lang, height=480)


def moved_share(rules: pd.DataFrame, title: str, labels: dict[str, str], lang: str) -> go.Figure:
    """Share of each budget a rule would fund differently from the reference, per district."""
    plot = rules.dropna(subset=["moved_share"])
    fig = px.bar(plot, x="label", y="moved_share", color="rule", pattern_shape="rule", barmode="group",
                 text_auto=".0%", labels=labels)
    fig.update_yaxes(tickformat=".0%")
    return finish(fig, title, lang, height=420)
