"""API errors: a stable code for programs, a sentence in the client's language (``?lang=`` or
``Accept-Language``) from the core catalogues, the raised detail kept beside it."""

from __future__ import annotations

import ast
from pathlib import Path

import httpx
import pytest

from observatory import i18n
from observatory.api.errors import negotiate

ROOT = Path(__file__).resolve().parents[2]


def test_unknown_table_in_french_and_english(client: httpx.Client) -> None:
    fr = client.get("/api/v1/tables/nope.json", params={"lang": "fr"})
    en = client.get("/api/v1/tables/nope.json")
    assert fr.status_code == en.status_code == 404
    assert fr.json()["error"] == en.json()["error"] == "unknown_table"   # the code does not change
    assert fr.json()["message"] == f"Table inconnue{i18n.NBSP}: voyez /api/v1/tables."
    assert en.json()["message"] == "Unknown table: see /api/v1/tables."
    assert fr.json()["detail"] == en.json()["detail"] and "nope" in en.json()["detail"]
    assert fr.headers["content-language"] == "fr" and "Accept-Language" in fr.headers["vary"]


def test_accept_language_chooses_french(client: httpx.Client) -> None:
    body = client.get("/api/v1/queries/nope.json", headers={"Accept-Language": "de-CH, fr-FR;q=0.8, en;q=0.5"}).json()
    assert body["error"] == "unknown_query" and body["lang"] == "fr" and body["message"].startswith("Requête")


@pytest.mark.parametrize(("query", "header", "expected"), [
    (None, None, "en"),
    ("fr", "en", "fr"),
    ("xx", "fr-CA", "fr"),
    (None, "en;q=0.9, fr", "fr"),
    (None, "fr;q=0, de", "en"),
    (None, "fr;q=bad", "en"),
])
def test_negotiation(query: str | None, header: str | None, expected: str) -> None:
    assert negotiate(query, header) == expected


def _raised_codes() -> set[str]:
    """First argument of every ApiError/BadRequest/NotFound/Busy raised under observatory/api."""
    codes = set()
    for path in (ROOT / "observatory" / "api").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in {"ApiError", "BadRequest", "NotFound", "Busy", "error_body"}
                    and node.args and isinstance(node.args[0], ast.Constant)):
                codes.add(node.args[0].value)
    return codes


def test_every_raised_code_has_a_sentence_in_both_languages() -> None:
    codes = _raised_codes()
    assert {"unknown_table", "rate_limited", "timeout", "sql_error"} <= codes   # the scan finds the raise sites
    for lang in i18n.LANGS:
        missing = sorted(c for c in codes if f"api.error.{c}" not in i18n.CORE.catalogue(lang))
        assert missing == [], lang
