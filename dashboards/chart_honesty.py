"""Charts that do not mislead: the finishing step every dashboard figure goes through.

A chart can be accurate cell by cell and still mislead: a logarithmic axis read as linear, a line drawn
straight across months with no data, a legend entry with no name, a trend drawn from 5 rows out of 643,
a value printed in grey on blue, thirty labels piled on each other. :func:`finish` fixes what can be fixed
on any figure (axis titles, gaps, legends, value-label colours); :func:`with_gaps`, :func:`subset_title`
and :func:`top_labels` are for the builders, which know the data. Colours follow WCAG 2.x: a text colour
is kept only when its contrast ratio with what is behind it is at least :data:`MIN_CONTRAST`.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboards.i18n import fmt_number, t

MIN_CONTRAST = 4.5  # WCAG 2.x level AA for normal text
DARK, LIGHT = "#111111", "#ffffff"
RAW_NAMES = {"nan", "None", "none", "NaN", "<NA>", "NaT", "null"}
LABEL_TOP_N = 8  # a scatter plot names at most this many points; the others are named on hover


# -- colour ---------------------------------------------------------------------------------------------

def _rgb(colour: str) -> tuple[float, float, float]:
    """``#rgb``, ``#rrggbb`` or ``rgb(a)(r, g, b[, a])`` as three 0-255 floats."""
    colour = colour.strip()
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return tuple(float(int(digits[i:i + 2], 16)) for i in (0, 2, 4))  # type: ignore[return-value]
    numbers = re.findall(r"[\d.]+", colour)
    if colour.startswith("rgb") and len(numbers) >= 3:
        return tuple(float(n) for n in numbers[:3])  # type: ignore[return-value]
    raise ValueError(f"unsupported colour {colour!r}")


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0 black … 1 white)."""
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 (same) … 21 (black on white)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(background: str) -> str:
    """Dark or light text, whichever contrasts more with ``background`` (always ≥ 4.5 for these two)."""
    return DARK if contrast_ratio(DARK, background) >= contrast_ratio(LIGHT, background) else LIGHT


def plot_background(fig: go.Figure) -> str:
    """The plot area's colour: the figure's own, else its template's, else plotly's default template's."""
    template = fig.layout.template
    if template is None or template.layout.plot_bgcolor is None:
        template = pio.templates[pio.templates.default]
    return fig.layout.plot_bgcolor or template.layout.plot_bgcolor or "#ffffff"


def trace_colours(fig: go.Figure) -> list[str | list[str]]:
    """Each trace's fill colour: its marker colour, else the colour plotly gives it from the colourway."""
    template = fig.layout.template
    way = fig.layout.colorway or (template.layout.colorway if template is not None else None) \
        or pio.templates[pio.templates.default].layout.colorway
    out: list[str | list[str]] = []
    for index, trace in enumerate(fig.data):
        colour = getattr(getattr(trace, "marker", None), "color", None)
        if isinstance(colour, str):
            out.append(colour)
        elif isinstance(colour, list | tuple) and all(isinstance(c, str) for c in colour):
            out.append(list(colour))
        else:
            out.append(way[index % len(way)])
    return out


# -- data helpers for the builders ----------------------------------------------------------------------

def _period(values: pd.Series) -> str | None:
    """"year" for whole numbers, "month" for first-of-month dates, None for anything else (left as is)."""
    present = values.dropna()
    if present.empty:
        return None
    if pd.api.types.is_integer_dtype(present) or (pd.api.types.is_float_dtype(present)
                                                  and (present == present.round()).all()):
        return "year"
    if present.dtype == object and not all(isinstance(v, dt.date) for v in present):
        return None
    dates = pd.to_datetime(present, errors="coerce")
    if dates.isna().any():
        return None
    dates = dates.dt.tz_localize(None) if dates.dt.tz is not None else dates
    return "month" if ((dates.dt.day == 1) & (dates == dates.dt.normalize())).all() else None


def with_gaps(df: pd.DataFrame, x: str, y: str, series: str | None = None) -> pd.DataFrame:
    """``df`` with a row (``y`` missing) for every year or month without one between the first and last.

    A line chart joins consecutive rows, so a month absent from the data would be bridged by a straight
    line as if it had been measured; with an empty row there plotly leaves a gap. Rows of other kinds of
    x (irregular timestamps, categories) are returned unchanged.
    """
    period = _period(df[x]) if len(df) else None
    if period is None:
        return df
    if period == "year":
        full = pd.Index(range(int(df[x].min()), int(df[x].max()) + 1), name=x)
        keys = df[x].astype(int)
    else:
        dates = pd.to_datetime(df[x])
        dates = dates.dt.tz_localize(None) if dates.dt.tz is not None else dates
        full = pd.Index(pd.date_range(dates.min(), dates.max(), freq="MS"), name=x)
        keys = dates
    groups = [None] if series is None else list(dict.fromkeys(df[series]))
    parts = []
    for group in groups:
        part = df if group is None else df[df[series] == group]
        rows = part.assign(**{x: keys.loc[part.index]}).set_index(x).reindex(full)
        if series is not None:
            rows[series] = group
        parts.append(rows.reset_index())
    out = pd.concat(parts, ignore_index=True)[list(df.columns)]
    if period == "month" and df[x].dtype == object:  # DuckDB DATEs come as datetime.date: keep the kind
        out[x] = [d.date() for d in out[x]]
    return out


def subset_title(title: str, shown: int, total: int, what: str, lang: str) -> str:
    """``title`` followed by "5 of 643 deployments have a start year" when the chart uses only part of the rows.

    ``what`` is the translated rest of the sentence ("deployments have a start year").
    """
    if total <= 0 or shown >= total:
        return title
    return t("charts.subset", lang, title=title, shown=fmt_number(shown, lang), total=fmt_number(total, lang),
             what=what)


def top_labels(names: pd.Series, weight: pd.Series, n: int = LABEL_TOP_N) -> list[str]:
    """Text for a scatter plot: the ``n`` points of largest ``weight`` keep their name, the others none."""
    keep = set(weight.abs().fillna(-1).sort_values(ascending=False, kind="stable").index[:n])
    return [str(name) if index in keep else "" for index, name in zip(names.index, names, strict=True)]


# -- the finishing step ---------------------------------------------------------------------------------

def _axes(fig: go.Figure) -> list[tuple[str, object]]:
    layout = fig.layout.to_plotly_json()
    names = sorted(k for k in layout if re.fullmatch(r"[xy]axis\d*", k)) or []
    for default in ("xaxis", "yaxis"):
        if default not in names:
            names.append(default)
    return [(name, fig.layout[name]) for name in names]


def _title_log_axes(fig: go.Figure, lang: str) -> None:
    word = t("charts.log_scale", lang)
    for _, axis in _axes(fig):
        if axis.type == "log":
            text = axis.title.text or ""
            if word not in text:
                axis.title.text = f"{text} ({word})" if text else word[:1].upper() + word[1:]


def _clean_legend(fig: go.Figure, lang: str) -> None:
    for trace in fig.data:
        name = trace.name
        if isinstance(name, str) and name.strip() in RAW_NAMES:
            trace.name = t("charts.unknown", lang)  # a group without a value is "unknown", never "nan"
        elif name is None or not str(name).strip():
            trace.showlegend = False


def _stacked(fig: go.Figure) -> bool:
    """True when two bar traces share a category (their bars stack or overlap)."""
    if fig.layout.barmode not in (None, "stack", "relative", "overlay"):
        return False
    seen: set = set()
    for trace in fig.data:
        if trace.type not in ("bar", "histogram"):
            continue
        categories = trace.y if trace.orientation == "h" else trace.x
        values = {str(v) for v in (categories if categories is not None else [])}
        if seen & values:
            return True
        seen |= values
    return False


def _patterned(trace: object) -> bool:
    shape = trace.marker.pattern.shape
    return bool(shape) and not (isinstance(shape, list | tuple) and not any(shape))


def _readable_value_labels(fig: go.Figure) -> None:
    """Value labels outside single bars (on the plot background), inside stacked ones in a contrasting colour.

    Inside a patterned bar the value sits on the bar's colour only when the pattern is overlaid on the fill
    (``fillmode="overlay"``); plotly's default draws the pattern lines on the plot background instead.
    """
    stacked = _stacked(fig)
    background = plot_background(fig)
    for trace, colour in zip(fig.data, trace_colours(fig), strict=True):
        if trace.type not in ("bar", "histogram"):
            continue
        if stacked:
            trace.textposition = "inside"
            trace.insidetextanchor = "middle"
            trace.insidetextfont.color = ([readable_on(c) for c in colour] if isinstance(colour, list)
                                          else readable_on(colour))
            if _patterned(trace):  # plotly draws a pattern *instead of* the fill: put the fill back under it
                trace.marker.pattern.fillmode = "overlay"
                trace.marker.pattern.fgopacity = 0.35
        else:
            trace.textposition = "outside"
            trace.cliponaxis = False
            trace.outsidetextfont.color = readable_on(background)


def _no_bridged_gaps(fig: go.Figure) -> None:
    for trace in fig.data:
        if trace.type in ("scatter", "scattergl") and "lines" in (trace.mode or "lines"):
            trace.connectgaps = False


def finish(fig: go.Figure, lang: str) -> go.Figure:
    """Make ``fig`` honest in place: log axes titled so, gaps kept, no nameless legend, readable values."""
    _title_log_axes(fig, lang)
    _clean_legend(fig, lang)
    _readable_value_labels(fig)
    _no_bridged_gaps(fig)
    return fig
