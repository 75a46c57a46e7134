"""Errors an API client can cause or meet, each with its HTTP status and a stable snake_case code.

The body says the same thing twice: ``error`` is the stable code a program tests, ``message`` the sentence
for a person in the language asked for (``?lang=fr|en``, else ``Accept-Language``, else English), read
from ``api.error.<code>`` in the core catalogues; ``detail`` keeps the specific facts (column, value, limit)
as the code that raised it wrote them.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from observatory import i18n

API_DEFAULT_LANG = "en"


class ApiError(Exception):
    status = 400

    def __init__(self, code: str, message: str, **details: object) -> None:
        self.code, self.message, self.details = code, message, details
        super().__init__(message)

    def body(self, lang: str = API_DEFAULT_LANG) -> dict[str, object]:
        return error_body(self.code, self.status, self.message, lang, **self.details)


class BadRequest(ApiError):
    status = 400


class NotFound(ApiError):
    status = 404


class Busy(ApiError):
    """Too many queries at once, or the store is being republished: try again shortly."""

    status = 503


def message_for(code: str, lang: str) -> str:
    """The catalogue's sentence for ``code``; a code without one gets the generic sentence of its class."""
    lang = i18n.norm_lang(lang, API_DEFAULT_LANG)
    text = i18n.CORE.get(f"api.error.{code}", lang, i18n.CORE.text("api.error.other", lang))
    return i18n.typography(text, lang)


def error_body(code: str, status: int, detail: str, lang: str, **details: object) -> dict[str, object]:
    lang = i18n.norm_lang(lang, API_DEFAULT_LANG)
    return {"error": code, "message": message_for(code, lang), "detail": detail, "status": status, "lang": lang,
            **details}


def negotiate(query_lang: str | None, accept_language: str | None) -> str:
    """``?lang=`` when it names a catalogue language, else the best-rated ``Accept-Language`` entry we speak."""
    if query_lang in i18n.LANGS:
        return query_lang  # type: ignore[return-value]
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in i18n.LANGS and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else API_DEFAULT_LANG


def scope_lang(scope: dict) -> str:
    """:func:`negotiate` for a raw ASGI scope (the middlewares answer before FastAPI parses the request)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[0]
    header = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == b"accept-language"), None)
    return negotiate(query, header)
