"""The chooser's words: ``observatory/locales/<lang>/chooser.json`` in the core domain of :mod:`observatory.i18n`.

Verdicts carry a catalogue key and raw parameters; this module turns them into a sentence in the reader's
language, so the dashboard, the reports and the API say the same thing. Parameter values are worded by
their name's suffix: ``*_features`` are feature ids (labels from the catalogue table), ``*_languages`` and
``language`` ISO 639 codes, ``country`` an ISO 3166 code, ``*_pct`` a percentage, ``*_eur`` an amount.
"""

from __future__ import annotations

from collections.abc import Mapping

from babel import Locale
from babel.numbers import format_currency, format_decimal

from observatory import i18n

LANGS: tuple[str, ...] = i18n.LANGS


def norm_lang(lang: str) -> str:
    """The API's default is English: an unknown language falls back to it."""
    return i18n.norm_lang(lang, "en")


def catalogue(lang: str) -> dict[str, str]:
    return i18n.CORE.catalogue(norm_lang(lang))


def _language_name(code: str, lang: str) -> str:
    name = Locale(norm_lang(lang)).languages.get(code.split("-")[0].lower())
    return name or code


def _country_name(code: str, lang: str) -> str:
    return Locale(norm_lang(lang)).territories.get(code.upper()) or code


def _word(name: str, value: object, lang: str, feature_labels: Mapping[str, str]) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_word(name, v, lang, feature_labels) for v in value)
    if name.endswith("_features") or name == "feature":
        return feature_labels.get(str(value), str(value))
    if name.endswith("_languages") or name == "language":
        return _language_name(str(value), lang)
    if name == "country":
        return _country_name(str(value), lang)
    if name.endswith("_eur") and isinstance(value, int | float):
        return format_currency(value, "EUR", locale=norm_lang(lang), format_type="standard", currency_digits=False,
                               format="¤#,##0" if lang == "en" else "#,##0 ¤")
    if name.startswith("key_"):
        return say(str(value), lang)
    if isinstance(value, float):
        return format_decimal(round(value, 2), locale=norm_lang(lang))
    if isinstance(value, int) and not isinstance(value, bool):
        return format_decimal(value, locale=norm_lang(lang))
    return str(value)


def say(key: str, lang: str, feature_labels: Mapping[str, str] | None = None, **params: object) -> str:
    """The sentence for ``key`` in ``lang`` with its parameters worded; a missing key raises KeyError."""
    text = catalogue(lang)[key]
    worded = {k: _word(k, v, lang, feature_labels or {}) for k, v in params.items()}
    return text.format(**worded)


def criterion_label(criterion: str, lang: str) -> str:
    return say(f"criterion.{criterion}", lang)
