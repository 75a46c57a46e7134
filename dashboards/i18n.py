"""The dashboard's side of :mod:`observatory.i18n`: its catalogue folder and the sidebar's language.

Catalogues are folders: every ``locales/<lang>/*.json`` file is merged, one file per page, so a
helper adding a page adds its own file and touches no one else's. Keys are prefixed by the file
name (``overview.title`` lives in ``overview.json``), which keeps files from colliding.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from observatory import i18n
from observatory.i18n import BABEL_LOCALES as BABEL_LOCALE  # noqa: F401 - re-exported for pages
from observatory.i18n import DEFAULT_LANG, LANGS, CatalogueError  # noqa: F401 - re-exported for pages

LOCALES_DIR = Path(__file__).parent / "locales"
DASHBOARD = i18n.Domain("dashboard", LOCALES_DIR, prefixed=True)


def catalogue(lang: str) -> dict[str, str]:
    return DASHBOARD.catalogue(lang)


def current_lang() -> str:
    """The language chosen in the sidebar (``st.session_state.lang``), French by default."""
    import streamlit as st

    return i18n.norm_lang(st.session_state.get("lang", DEFAULT_LANG))


def t(key: str, lang: str | None = None, **fmt: object) -> str:
    """Translate ``key``; a missing key shows as itself so the gap is visible, never as a crash."""
    text = DASHBOARD.get(key, lang or current_lang(), key)
    return text.format(**fmt) if fmt else text


def t_or(key: str, default: str, lang: str | None = None) -> str:
    """Translate ``key`` when the catalogue has it, else ``default`` (for open-ended codes such as rule metrics)."""
    return DASHBOARD.get(key, lang or current_lang(), default)


def fmt_number(value: float | int | None, lang: str | None = None, decimals: int = 0) -> str:
    """1 234 567 in French (narrow no-break space), 1,234,567 in English; '–' for missing."""
    return i18n.number_or_dash(value, lang or current_lang(), decimals)


def fmt_percent(value: float | None, lang: str | None = None) -> str:
    return i18n.percent_or_dash(value, lang or current_lang())


def fmt_date(value: dt.date | dt.datetime | str | None, lang: str | None = None) -> str:
    """Medium date per locale (3 janv. 2026 / 3 Jan 2026); '–' for missing."""
    return i18n.date_or_dash(value, lang or current_lang())
