"""The reports' side of :mod:`observatory.i18n`: their catalogue (``locales/<lang>.json``) and country names.

French report text goes through :func:`observatory.i18n.typography` so every exporter gets the same
non-breaking spaces before ``: ; ? !`` and inside « ».
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache
from pathlib import Path

import pycountry

from observatory import i18n
from observatory.i18n import (  # noqa: F401 - re-exported: report modules import them from here
    BABEL_LOCALES,
    NBSP,
    NNBSP,
    UnknownLanguageError,
    check_language,
    format_number,
    typography,
)

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES: tuple[str, ...] = tuple(sorted(i18n.LANGS))
REPORT = i18n.Domain("report", LOCALES_DIR)


def catalogue(lang: str) -> dict[str, str]:
    return REPORT.catalogue(lang)


def t(lang: str, key: str, **fmt: object) -> str:
    """The translated string for ``key``; a missing key is a bug, so it raises instead of showing the key."""
    return typography(REPORT.text(key, lang, **fmt), lang)


def format_date(value: date | None, lang: str) -> str:
    """ISO dates in both languages: unambiguous in procurement files and sortable."""
    return value.isoformat() if value else ""


@cache
def _country_translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_name(code: str | None, lang: str) -> str:
    """ISO 3166-1 alpha-2 code -> country name in the report language (pycountry's translations)."""
    if not code:
        return t(lang, "unknown_country")
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    # the common name where ISO has one ("Taiwan", "Bolivia"), as readers and the dashboards say it
    return _country_translation(lang).gettext(getattr(country, "common_name", None) or country.name)
