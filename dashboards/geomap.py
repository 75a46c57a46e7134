"""The offline world map: countries shaded by a count, drawn from the shipped Natural Earth outlines.

Plotly's own geo basemaps and choropleths fetch a TopoJSON file from a CDN the offline dashboard cannot
reach (plotly.js fetches it whenever a trace has a ``locationmode`` or a base layer is shown). This map
therefore draws the countries itself as filled ``scattergeo`` rings, with every base layer off, and puts
one selectable marker on each counted country so a click can filter a table.
"""

from __future__ import annotations

import json
import textwrap
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

GEOJSON = Path(__file__).resolve().parents[1] / "datasets" / "geo" / "countries-110m.geojson"
# Sequential blues, light to dark, readable on white; the first colour is "no deployment".
BIN_COLOURS = ("#eceff1", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
BIN_EDGES = (1, 2, 6, 21, 101)  # lower bounds of bins 1..5: 1 | 2-5 | 6-20 | 21-100 | 101+
TITLE_CHARS = 90  # a title line that fits the narrowest map (a tool page's, ~800 px)
MARKER_TRACE = "countries"  # name of the selectable trace (its customdata is the country code)


@cache
def shapes() -> dict[str, dict]:
    """Country code -> {name, rings, centroid, lon, lat}; areas without an ISO code keep their name as key.

    ``lon``/``lat`` are every ring of the country end to end, each followed by NaN (plotly starts a new
    polygon there), as float arrays: plotly validates a list of ten thousand floats in about a second on
    a loaded machine, the same numbers as an array in a few milliseconds.
    """
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    out: dict[str, dict] = {}
    for feature in data["features"]:
        polygons = feature["geometry"]["coordinates"]
        rings = [polygon[0] for polygon in polygons]  # outer rings; holes are too small to see at 1:110m
        largest = max(rings, key=len)
        centroid = (sum(p[0] for p in largest) / len(largest), sum(p[1] for p in largest) / len(largest))
        lon = [x for ring in rings for x in [*(p[0] for p in ring), np.nan]]
        lat = [y for ring in rings for y in [*(p[1] for p in ring), np.nan]]
        out[feature["id"] or feature["properties"]["name"]] = {
            "name": feature["properties"]["name"], "rings": rings, "centroid": centroid,
            "lon": np.array(lon, dtype=np.float32), "lat": np.array(lat, dtype=np.float32)}
    return out


def source_note() -> str:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))["source"]


def _bin(count: float) -> int:
    return sum(count >= edge for edge in BIN_EDGES)


def bin_labels(lang_labels: dict[str, str]) -> list[str]:
    """Legend labels of the bins, e.g. "none", "1", "2–5" … (the caller passes the word for none)."""
    edges = (*BIN_EDGES, None)
    labels = [lang_labels["none"]]
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        labels.append(str(low) if high == low + 1 else f"{low}–{high - 1}" if high else f"{low}+")
    return labels


def country_map(counts: pd.DataFrame, value: str, title: str, legend: dict[str, str], hover: str,
                selected: str | None = None) -> go.Figure:
    """Countries shaded by ``counts[value]`` (column ``country``: ISO alpha-2); ``hover`` formats one marker."""
    by_country = dict(zip(counts["country"], counts[value], strict=True))
    world = shapes()
    labels = bin_labels(legend)
    traces = []
    for index, colour in enumerate(BIN_COLOURS):
        members = [shape for code, shape in world.items() if _bin(by_country.get(code, 0)) == index]
        if members:
            traces.append(go.Scattergeo(
                lon=np.concatenate([m["lon"] for m in members]), lat=np.concatenate([m["lat"] for m in members]),
                mode="lines", fill="toself", fillcolor=colour,
                line={"width": 0.6, "color": "#ffffff" if index == 0 else "#5f6b73"}, name=labels[index],
                hoverinfo="skip"))
    located = [(code, n) for code, n in by_country.items() if code in world and n]
    traces.append(go.Scattergeo(
        lon=[world[c]["centroid"][0] for c, _ in located], lat=[world[c]["centroid"][1] for c, _ in located],
        customdata=[[c, world[c]["name"], n] for c, n in located], mode="markers", name=MARKER_TRACE,
        marker={"size": [12 if c == selected else 7 for c, _ in located], "color": "#111111",
                "line": {"width": 1, "color": "#ffffff"}, "symbol": "circle"},
        hovertemplate=hover + "<extra></extra>", showlegend=False))
    fig = go.Figure(data=traces)
    fig.update_geos(visible=False, projection_type="natural earth", lataxis_range=[-58, 84])
    lines = textwrap.wrap(title, TITLE_CHARS) or [""]  # plotly never wraps a title: a long one is cut at the edge
    fig.update_layout(title="<br>".join(lines), height=440 + 20 * len(lines),
                      margin={"l": 0, "r": 0, "t": 30 + 20 * len(lines), "b": 0},
                      legend={"title": legend["title"], "orientation": "h", "y": -0.02}, clickmode="event+select")
    return fig
