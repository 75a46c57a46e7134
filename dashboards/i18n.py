"""Message catalogues and locale formatting for the dashboard (French and English).

Catalogues are folders: every ``locales/<lang>/*.json`` file is merged, one file per page, so a
helper adding a page adds its own file and touches no one else's. Keys are prefixed by the file
name (``overview.title`` lives in ``overview.json``), which keeps files from colliding. Number and
date formats come from Babel's CLDR data rather than hand-written rules.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from functools import cache
from pathlib import Path

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal, format_percent

LOCALES_DIR = Path(__file__).parent / "locales"
LANGS: tuple[str, ...] = ("fr", "en")
DEFAULT_LANG = "fr"
BABEL_LOCALE = {"fr": "fr_FR", "en": "en_GB"}


class CatalogueError(ValueError):
    """A catalogue file is malformed, or a key does not belong to the file that defines it."""


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, merged from its folder."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CatalogueError(f"{lang}/{path.name}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
        for key, value in data.items():
            if not key.startswith(f"{path.stem}."):
                raise CatalogueError(f"{lang}/{path.name}: key {key!r} must start with {path.stem + '.'!r}")
            if not isinstance(value, str):
                raise CatalogueError(f"{lang}/{path.name}: value of {key!r} must be a string")
            merged[key] = value
    return merged


def current_lang() -> str:
    """The language chosen in the sidebar (``st.session_state.lang``), French by default."""
    import streamlit as st

    lang = st.session_state.get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, **fmt: object) -> str:
    """Translate ``key``; a missing key shows as itself so the gap is visible, never as a crash."""
    text = catalogue(lang or current_lang()).get(key, key)
    return text.format(**fmt) if fmt else text


def fmt_number(value: float | int | None, lang: str | None = None, decimals: int = 0) -> str:
    """1 234 567 in French (narrow no-break space), 1,234,567 in English; '–' for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=BABEL_LOCALE[lang or current_lang()])


def fmt_percent(value: float | None, lang: str | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    # The locale's own pattern (NNBSP before % in French), keeping up to one decimal.
    return format_percent(round(value, 3), locale=BABEL_LOCALE[lang or current_lang()], decimal_quantization=False)


def fmt_date(value: dt.date | dt.datetime | str | None, lang: str | None = None) -> str:
    """Medium date per locale (3 janv. 2026 / 3 Jan 2026); '–' for missing."""
    if value is None or value != value:  # NaT/NaN compare unequal to themselves
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    return _babel_date(value, format="medium", locale=BABEL_LOCALE[lang or current_lang()])


def t_or(key: str, default: str, lang: str | None = None) -> str:
    """Translate ``key`` when the catalogue has it, else ``default`` (for open-ended codes such as rule metrics)."""
    return catalogue(lang or current_lang()).get(key, default)
