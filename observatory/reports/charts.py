"""Static charts as inline SVG: no JavaScript, so browsers, WeasyPrint and Chromium print them alike.

Horizontal bars with the value written at the end of each bar, so the chart reads without colour
and its numbers survive PDF text extraction; ``<title>``/``<desc>`` give screen readers the data.
"""

from __future__ import annotations

from html import escape

from observatory.reports.document import BarChart
from observatory.reports.i18n import format_number, t

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 190
BAR_WIDTH = 300
VALUE_WIDTH = 130
FONT = "DejaVu Sans, Arial, sans-serif"


def _fmt(value: float, lang: str) -> str:
    return format_number(value, lang, 0 if float(value).is_integer() else 1)


def _shorten(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_svg(chart: BarChart, lang: str) -> str:
    """SVG markup for ``chart``; every text from the data is XML-escaped here."""
    n = max(len(chart.values), 1)
    height = n * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    top = max(chart.values, default=0.0) or 1.0
    values_text = ", ".join(f"{label} {_fmt(v, lang)}" for label, v in zip(chart.labels, chart.values, strict=True))
    alt = t(lang, "chart_alt", title=chart.title, values=values_text)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="10">',
        f"<title>{escape(chart.title)}</title>",
        f"<desc>{escape(alt)}</desc>",
    ]
    for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = GAP + i * (BAR_HEIGHT + GAP)
        w = 0.0 if value <= 0 else max(1.0, BAR_WIDTH * value / top)
        mid = y + BAR_HEIGHT / 2 + 4
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{mid:.1f}" text-anchor="end">{escape(_shorten(label))}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="#2b6c8f" '
                     f'stroke="#123" stroke-width="0.5"/>')
        parts.append(f'<text x="{LABEL_WIDTH + w + 4:.1f}" y="{mid:.1f}">{escape(_fmt(value, lang))} '
                     f'{escape(chart.unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)
