"""Pure DataFrame → plotly Figure builders (no Streamlit, so they are unit-tested directly).

Readable without colour: bars carry their value as text and a fill pattern per group that is not
already named by the category axis, lines a
marker symbol per series and a label at their last point. Every title and axis label is passed in
already translated; ``lang`` sets the number separators and the month names of date axes. The
"map" is a longitude/latitude scatter with no basemap because plotly's geo basemaps are fetched from
a CDN and the dashboard must work offline. Every figure ends in :func:`chart_honesty.finish` (log axes
said, gaps kept, no nameless legend entry, value labels in a contrasting colour).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from babel.dates import format_date, format_datetime

from dashboards import chart_honesty
from dashboards.i18n import BABEL_LOCALE
from observatory.i18n import PLOTLY_SEPARATORS as SEPARATORS

PATTERNS = ("", "/", "x", ".", "\\", "+", "-", "|")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon")
MAX_DATE_TICKS = 8
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)


def _whole_numbers(fig: go.Figure, values: pd.Series, axis: str = "y") -> None:
    """Counts get whole-number ticks (no "2.5 deployments")."""
    if pd.api.types.is_integer_dtype(values) and len(values) and values.max() <= 10:
        (fig.update_yaxes if axis == "y" else fig.update_xaxes)(dtick=1)


def _as_dates(values: pd.Series) -> pd.Series | None:
    """``values`` as naive timestamps when they are dates/datetimes, else None (numbers, text, years...)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values
    elif values.dtype == object and len(values.dropna()) and all(isinstance(v, dt.date) for v in values.dropna()):
        out = pd.to_datetime(values)
    else:
        return None
    return out.dt.tz_localize(None) if out.dt.tz is not None else out  # plotly draws wall-clock time


def _localise_dates(fig: go.Figure, values: pd.Series, lang: str) -> None:
    """Date x axis with tick and hover labels written by Babel in ``lang`` ("janv. 2024" / "Jan 2024").

    Plotly translates month names only through its locale bundles, fetched from a CDN, and the
    dashboard must work offline, so French charts would otherwise read "Jan 2024". At most
    ``MAX_DATE_TICKS`` ticks fall on month (or year) boundaries; data points are unchanged.
    """
    dates = _as_dates(values)
    if dates is None or dates.dropna().empty:
        return
    dates = dates.dropna()
    locale = BABEL_LOCALE.get(lang, BABEL_LOCALE["en"])
    first, last = dates.min(), dates.max()
    months = (last.year - first.year) * 12 + last.month - first.month
    step = next((m for m in MONTH_STEPS if months // m + 1 <= MAX_DATE_TICKS), MONTH_STEPS[-1])
    ticks = [d for d in pd.date_range(first.replace(day=1).normalize(), last, freq="MS")
             if d >= first and ((d.year * 12 + d.month - 1) % step == 0)]
    if step >= 12:
        text = [format_date(d, format="y", locale=locale) for d in ticks]
    else:
        text = [format_date(d, format="MMM y", locale=locale) for d in ticks]
    monthly = bool((dates == dates.dt.normalize()).all() and (dates.dt.day == 1).all())
    if len(ticks) < 2 and not monthly:  # about a month of daily data: label (up to 8 of) the days themselves
        days = sorted(dates.dt.normalize().unique())
        ticks = [pd.Timestamp(d) for d in days[:: -(-len(days) // MAX_DATE_TICKS)]]
        text = [format_date(d, format="d MMM y", locale=locale) for d in ticks]
    fig.update_xaxes(tickmode="array", tickvals=[d.to_pydatetime() for d in ticks], ticktext=text)
    timed = bool((dates != dates.dt.normalize()).any())
    for trace in fig.data:  # hover: the same date, written by Babel, in place of plotly's English one
        if trace.type != "scatter" or trace.x is None or trace.customdata is not None:
            continue
        xs = pd.to_datetime(pd.Series(list(trace.x)))
        xs = xs.dt.tz_localize(None) if xs.dt.tz is not None else xs
        trace.customdata = [[""] if pd.isna(x) else
                            [format_datetime(x, format="d MMM y HH:mm", locale=locale) if timed else
                             format_date(x, format="MMM y" if monthly else "medium", locale=locale)] for x in xs]
        trace.hovertemplate = (trace.hovertemplate or "%{x}<br>%{y}<extra></extra>").replace("%{x}", "%{customdata[0]}")


def finish(fig: go.Figure, title: str, lang: str, height: int = 380) -> go.Figure:
    """Title, locale separators and size, then the honesty pass shared by every chart."""
    fig.update_layout(title=title, separators=SEPARATORS.get(lang, SEPARATORS["en"]), height=height,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10}, legend_title_text="")
    return chart_honesty.finish(fig, lang)


def bar(df: pd.DataFrame, x: str, y: str, title: str, labels: dict[str, str], lang: str,
        pattern: str | None = None, horizontal: bool = False, barmode: str = "relative") -> go.Figure:
    """Bar chart with the value printed on each bar and, when ``pattern`` is given, one colour per group, and
    one fill pattern per group when the groups are not the bars' own categories.

    Why not always a pattern: when ``pattern`` is the category axis, each bar is already named by its axis
    label, so a pattern tells a reader without colour nothing more, and each patterned chart cost the
    browser about a quarter of a second to draw (bench/README.md, dashboard)."""
    args = {"x": y, "y": x, "orientation": "h"} if horizontal else {"x": x, "y": y}
    shapes = {} if pattern in (None, x) else {"pattern_shape": pattern, "pattern_shape_sequence": PATTERNS}
    fig = px.bar(df, **args, color=pattern, **shapes, labels=labels, text_auto=True, barmode=barmode)
    _whole_numbers(fig, df[y], "x" if horizontal else "y")
    if horizontal:
        fig.update_yaxes(autorange="reversed", type="category")
    return finish(fig, title, lang)


def line(df: pd.DataFrame, x: str, y: str, title: str, labels: dict[str, str], lang: str,
         series: str | None = None, height: int = 380) -> go.Figure:
    """Lines with a marker symbol per series and the series name written at its last point.

    Years or months missing between the first and last row are drawn as gaps, never bridged.
    """
    whole = pd.api.types.is_integer_dtype(df[y])
    df = chart_honesty.with_gaps(df, x, y, series)
    fig = px.line(df, x=x, y=y, color=series, symbol=series, symbol_sequence=SYMBOLS, markers=True, labels=labels)
    _whole_numbers(fig, df[y].dropna().astype(int) if whole else df[y])
    _localise_dates(fig, df[x], lang)
    if series is not None and not df.empty:
        last = df.dropna(subset=[y]).sort_values(x).groupby(series, sort=False).tail(1)
        for row in last.itertuples(index=False):
            fig.add_annotation(x=getattr(row, x), y=getattr(row, y), text=str(getattr(row, series)),
                               showarrow=False, xanchor="left", xshift=6)
    return finish(fig, title, lang, height)


def sparkline(df: pd.DataFrame, x: str, y: str, lang: str) -> go.Figure:
    """A tiny trend line without axes, with its last value written next to it (gaps kept)."""
    df = chart_honesty.with_gaps(df, x, y)
    fig = go.Figure(go.Scatter(x=df[x], y=df[y], mode="lines+markers", line={"width": 2}))
    if not df.dropna(subset=[y]).empty:
        last = df.dropna(subset=[y]).iloc[-1]
        value = int(last[y]) if float(last[y]).is_integer() else last[y]
        fig.add_annotation(x=last[x], y=last[y], text=str(value), showarrow=False, xanchor="left", xshift=6)
    _localise_dates(fig, df[x], lang)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=90, margin={"l": 0, "r": 40, "t": 0, "b": 0}, showlegend=False,
                      separators=SEPARATORS.get(lang, SEPARATORS["en"]))
    return chart_honesty.finish(fig, lang)


def stacked_contributions(ranking: pd.DataFrame, weights: dict[str, float], criteria_labels: dict[str, str],
                          title: str, labels: dict[str, str], lang: str) -> go.Figure:
    """One horizontal bar per tool, split into each criterion's weighted contribution (patterned)."""
    long = []
    for row in ranking.to_dict("records"):
        for criterion, label in criteria_labels.items():
            long.append({"name": row["name"], "criterion": label,
                         "contribution": round(weights[criterion] * float(row[f"score_{criterion}"]), 3)})
    df = pd.DataFrame(long, columns=["name", "criterion", "contribution"])
    fig = px.bar(df, x="contribution", y="name", color="criterion", pattern_shape="criterion",
                 pattern_shape_sequence=PATTERNS, orientation="h", labels=labels, text_auto=".2f")
    fig.update_yaxes(autorange="reversed", type="category")
    return finish(fig, title, lang, height=max(250, 60 * max(1, len(ranking)) + 100))


def histogram(df: pd.DataFrame, x: str, title: str, labels: dict[str, str], lang: str,
              color: str | None = None) -> go.Figure:
    """Counts of ``x``; ``labels["count"]`` names the count axis (plotly would write the English "count")."""
    fig = px.histogram(df, x=x, color=color, pattern_shape=color, pattern_shape_sequence=PATTERNS,
                       labels=labels, text_auto=True, barmode="group")
    fig.update_yaxes(title_text=labels["count"])
    _localise_dates(fig, df[x], lang)
    return finish(fig, title, lang)


def scatter(df: pd.DataFrame, x: str, y: str, title: str, labels: dict[str, str], lang: str,
            text: str | None = None, symbol: str | None = None,
            label_top: int = chart_honesty.LABEL_TOP_N) -> go.Figure:
    """Points named on hover; only the ``label_top`` points farthest from the origin carry their name as text,
    so labels do not pile up on each other."""
    if text:
        distance = df[x].astype(float).abs() + df[y].astype(float).abs()
        df = df.assign(point_label=chart_honesty.top_labels(df[text], distance, label_top))
    fig = px.scatter(df, x=x, y=y, text="point_label" if text else None, symbol=symbol, color=symbol,
                     symbol_sequence=SYMBOLS, labels=labels, hover_name=text)
    if text:
        fig.update_traces(textposition="top center")
    _localise_dates(fig, df[x], lang)
    return finish(fig, title, lang)
