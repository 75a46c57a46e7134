"""The one translation system: languages, JSON catalogues in files, French typography and locale formats.

Every user-visible sentence lives in a JSON catalogue so a translator edits data, not code. A *domain* is
a folder of catalogues owned by one layer (the core's ``observatory/locales``, the reports', the
dashboard's); the layer registers its folder with :class:`Domain`, so this module knows no layer above it.
In a folder, ``<lang>.json`` and every ``<lang>/*.json`` are merged; a domain may require keys to start with
their file's name (``overview.title`` in ``overview.json``) so files never collide.

JSON rather than gettext ``.po``: the catalogues already were JSON, keys are stable identifiers shared with
the API and the tests, and the dashboard's one-file-per-page seam needs no compile step.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from functools import cache, lru_cache, wraps
from pathlib import Path

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

LANGS: tuple[str, ...] = ("fr", "en")
DEFAULT_LANG = "fr"
BABEL_LOCALES: dict[str, str] = {"fr": "fr_FR", "en": "en_GB"}

# plotly's ``separators``: the decimal mark, then the thousands separator, as CLDR says for each language
PLOTLY_SEPARATORS: dict[str, str] = {lang: get_decimal_symbol(loc) + get_group_symbol(loc)
                                     for lang, loc in BABEL_LOCALES.items()}

NBSP = "\u00a0"   # before ":" and inside « » (Imprimerie nationale)
NNBSP = "\u202f"  # thin non-breaking space before ";", "?", "!" and as thousands separator
MISSING = "–"     # how an absent number or date is printed


class UnknownLanguageError(ValueError):
    """The requested language has no catalogue."""


class CatalogueError(ValueError):
    """A catalogue file is malformed, or a key does not belong to the file that defines it."""


def check_language(lang: str) -> str:
    if lang not in LANGS:
        raise UnknownLanguageError(f"unknown language {lang!r}: choose one of {', '.join(sorted(LANGS))}")
    return lang


def norm_lang(lang: str | None, default: str = DEFAULT_LANG) -> str:
    """``lang`` when it is supported, else ``default`` (for inputs such as URL parameters)."""
    return lang if lang in LANGS else default


DOMAINS: dict[str, Domain] = {}


class Domain:
    """One folder of catalogues; constructing it registers it (the completeness test walks :data:`DOMAINS`)."""

    def __init__(self, name: str, folder: Path, prefixed: bool = False) -> None:
        self.name, self.folder, self.prefixed = name, folder, prefixed
        DOMAINS[name] = self

    def files(self, lang: str) -> list[Path]:
        single = self.folder / f"{lang}.json"
        return ([single] if single.exists() else []) + sorted((self.folder / lang).glob("*.json"))

    def catalogue(self, lang: str) -> dict[str, str]:
        return _load(self, check_language(lang))

    def text(self, key: str, lang: str, **fmt: object) -> str:
        """The sentence for ``key``; a missing key is a bug, so it raises KeyError."""
        text = self.catalogue(lang)[key]
        return text.format(**fmt) if fmt else text

    def get(self, key: str, lang: str, default: str) -> str:
        return self.catalogue(lang).get(key, default)


@cache
def _load(domain: Domain, lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in domain.files(lang):
        name = f"{domain.name}:{path.relative_to(domain.folder)}"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CatalogueError(f"{name}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
        for key, value in data.items():
            if domain.prefixed and path.parent != domain.folder and not key.startswith(f"{path.stem}."):
                raise CatalogueError(f"{name}: key {key!r} must start with {path.stem + '.'!r}")
            if not isinstance(value, str):
                raise CatalogueError(f"{name}: value of {key!r} must be a string")
            if key in merged:
                raise CatalogueError(f"{name}: key {key!r} is defined twice")
            merged[key] = value
    return merged


CORE = Domain("core", Path(__file__).resolve().parent / "locales")


def text(key: str, lang: str, **fmt: object) -> str:
    """A sentence of the core catalogues (chooser, licences, metric definitions)."""
    return CORE.text(key, lang, **fmt)


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


def _absent(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _memo(format_value):  # noqa: ANN001, ANN202
    """Babel parses its pattern on every call (~0.1 ms): a page formatting thousands of cells per rerun
    reuses earlier answers. Keyed by value *and* type; zero is never cached because -0.0 == 0.0 yet Babel
    writes "-0", and an unhashable value is formatted directly."""
    cached = lru_cache(maxsize=16384, typed=True)(format_value)

    @wraps(format_value)
    def formatted(value, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if value == 0:
            return format_value(value, *args, **kwargs)
        try:
            return cached(value, *args, **kwargs)
        except TypeError:  # unhashable
            return format_value(value, *args, **kwargs)

    return formatted


@_memo
def format_number(value: float | int, lang: str, decimals: int = 0) -> str:
    """Locale-aware number (Babel/CLDR): ``12,345.6`` in English, ``12 345,6`` (narrow NBSP) in French."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=BABEL_LOCALES[lang])


def number_or_dash(value: float | int | None, lang: str, decimals: int = 0) -> str:
    return MISSING if _absent(value) else format_number(value, lang, decimals)  # type: ignore[arg-type]


def percent_or_dash(value: float | None, lang: str) -> str:
    return MISSING if _absent(value) else _percent(value, lang)  # type: ignore[arg-type]


@_memo
def _percent(value: float, lang: str) -> str:
    # the locale's own pattern (NNBSP before % in French), keeping up to one decimal
    return format_percent(round(value, 3), locale=BABEL_LOCALES[lang], decimal_quantization=False)


def date_or_dash(value: dt.date | dt.datetime | str | None, lang: str) -> str:
    """Medium date per locale (3 janv. 2026 / 3 Jan 2026)."""
    if value is None or value != value:  # NaT/NaN compare unequal to themselves
        return MISSING
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    return _babel_date(value, format="medium", locale=BABEL_LOCALES[lang])
