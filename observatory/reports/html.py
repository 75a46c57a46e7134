"""One self-contained HTML file: inline CSS and SVG, no script, every collected string escaped.

Jinja2 with autoescaping does the escaping (collected text never becomes markup); the few helpers
below return ``Markup`` only for markup they build themselves from escaped parts. The PDF exporter
prints this same HTML, so what a reader sees on screen and on paper is the same document.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from observatory.reports.charts import bar_svg
from observatory.reports.document import Cited, Link, Report, Share
from observatory.reports.i18n import format_number, t, typography
from observatory.reports.sources import is_web_url

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parent / "templates"
_CODE = re.compile(r"`([^`]+)`")


def check_lang(report: Report, lang: str) -> None:
    if lang != report.lang:
        raise ValueError(f"the report was collected in {report.lang!r}; build it again with lang={lang!r}")


def refs(numbers: tuple[int, ...] | list[int]) -> Markup:
    """``[1, 3]`` as superscript links to the numbered sources."""
    if not numbers:
        return Markup("")
    links = Markup(", ").join(Markup('<a href="#src-{0}">{0}</a>').format(n) for n in numbers)
    return Markup('<sup class="cite">[{}]</sup>').format(links)


def link(text: str, url: str | None, lang: str) -> Markup:
    label = typography(str(text), lang)
    if is_web_url(url):
        return Markup('<a href="{}">{}</a>').format(url, label)
    return escape(label)


def rich(text: str, lang: str) -> Markup:
    """Escape, then show `command` spans as code (the backticks come from our own catalogues)."""
    return Markup(_CODE.sub(r"<code>\1</code>", str(escape(typography(text, lang)))))


def cell(value: Any, lang: str) -> Markup:
    if isinstance(value, Cited):
        return cell(value.value, lang) + refs(value.sources)
    if isinstance(value, Link):
        return link(value.text, value.url, lang)
    if value is None:
        return Markup("")
    if isinstance(value, bool):
        return escape(t(lang, "yes" if value else "no"))
    if isinstance(value, Share):
        return escape(format_number(100 * value, lang, 1) + "\u00a0%")
    if isinstance(value, int):
        # years read better without a thousands separator
        return escape(str(value) if 1900 <= value <= 2100 else format_number(value, lang))
    if isinstance(value, float):
        return escape(format_number(value, lang, 0 if value.is_integer() else 2))
    if isinstance(value, datetime | date):
        return escape(value.isoformat()[:10])
    lines = typography(str(value), lang).split("\n")
    return Markup("<br>").join(escape(line) for line in lines)


def cell_class(value: Any) -> Markup:
    if isinstance(value, bool):
        return Markup("")
    if isinstance(value, int | float):
        return Markup(' class="num"')
    if isinstance(value, date):
        return Markup(' class="date"')
    return Markup("")


@cache
def _environment() -> Environment:
    # imported on use: only HTML and PDF exports pay for jinja2
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(refs=refs, cell=cell, cell_class=cell_class, rich=rich, link=link,
                       bar_svg=lambda c, lang: Markup(bar_svg(c, lang)))
    return env


def render_html(report: Report, *, for_print: bool = False) -> str:
    lang = report.lang
    template = _environment().get_template("report.html.j2")
    return template.render(report=report, lang=lang, tr=lambda key, **fmt: t(lang, key, **fmt), for_print=for_print,
                           page_footer=css_page_footer(lang))


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ") + '"'


def css_page_footer(lang: str) -> Markup:
    """CSS ``content`` for the page footer, e.g. ``"Page " counter(page) " sur " counter(pages)``."""
    template = t(lang, "page_footer", page="\x00", pages="\x01")
    pieces = re.split("([\x00\x01])", template)
    out = [("counter(page)" if p == "\x00" else "counter(pages)" if p == "\x01" else _css_string(p)) for p in pieces if p]
    return Markup(" ".join(out))


class HtmlExporter:
    mime = "text/html; charset=utf-8"
    extension = "html"

    def render(self, report: Report, lang: str) -> bytes:
        check_lang(report, lang)
        return render_html(report).encode("utf-8")
