"""Report wording in French and English, and the typography each language needs.

Strings live in ``locales/<lang>.json`` so a translator edits data, not code; French text goes through
:func:`typography` so every exporter gets the same non-breaking spaces before ``: ; ? !`` and inside « ».
"""

from __future__ import annotations

import gettext
import json
import re
from datetime import date
from functools import cache
from pathlib import Path

import pycountry
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES: tuple[str, ...] = ("en", "fr")
BABEL_LOCALES: dict[str, str] = {"en": "en_GB", "fr": "fr_FR"}

NBSP = "\u00a0"   # before ":" and inside « » (Imprimerie nationale)
NNBSP = "\u202f"  # thin non-breaking space before ";", "?", "!" and as thousands separator


class UnknownLanguageError(ValueError):
    """The requested report language has no catalogue."""


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise UnknownLanguageError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return lang


@cache
def catalogue(lang: str) -> dict[str, str]:
    check_language(lang)
    return json.loads((LOCALES_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def t(lang: str, key: str, **fmt: object) -> str:
    """The translated string for ``key``; a missing key is a bug, so it raises instead of showing the key."""
    text = catalogue(lang)[key]
    if fmt:
        text = text.format(**fmt)
    return typography(text, lang)


_SPACES = "[ \t\u00a0\u202f]"
_FR_RULES: tuple[tuple[re.Pattern[str], str], ...] = (   # idempotent: applying twice changes nothing
    (re.compile(_SPACES + r"+:(?=\s|$)"), NBSP + ":"),
    (re.compile(_SPACES + r"+([;?!])"), NNBSP + r"\1"),
    (re.compile("«" + _SPACES + "*"), "«" + NBSP),
    (re.compile(_SPACES + "*»"), NBSP + "»"),
)


def typography(text: str, lang: str) -> str:
    """French spacing: turn the ordinary space already typed before ``: ; ? !`` and inside « » into a
    non-breaking one. Nothing is inserted where no space was typed, so URLs and times stay intact."""
    if lang != "fr" or not text:
        return text
    for pattern, repl in _FR_RULES:
        text = pattern.sub(repl, text)
    return text


def format_number(value: float | int, lang: str, decimals: int = 0) -> str:
    """Locale-aware number (Babel/CLDR): ``12,345.6`` in English, ``12 345,6`` (narrow NBSP) in French."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=BABEL_LOCALES[lang])


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
