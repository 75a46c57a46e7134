"""What a licence asks of a city, in plain French or English (the sentences are in the core catalogues).

SPDX expressions are parsed with ``license-expression`` (the ScanCode parser), so ``A OR B`` and
``A AND B`` are handled the way the SPDX spec says: with OR the reuser may pick the least demanding
licence, with AND every licence applies and the most demanding one sets the obligations. Facts about
each licence come from the curated ``licences`` table when given; a small built-in table covers the
common identifiers so the explanation still works on an empty database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from license_expression import AND, OR, ExpressionError, LicenseSymbol, Licensing, get_spdx_licensing

from observatory import i18n

# Least to most demanding for someone who modifies and runs the code for the public.
FAMILY_ORDER: tuple[str, ...] = (
    "permissive", "weak_copyleft", "strong_copyleft", "network_copyleft", "source_available", "proprietary",
)


@dataclass(frozen=True)
class LicenceFacts:
    spdx_id: str
    family: str
    osi_approved: bool
    network_clause: bool
    obligations_en: str | None = None  # curated text from the licences table wins over the generic one
    obligations_fr: str | None = None


# Fallback facts for identifiers seen in civic-tech repositories (families as in the FSF/OSI texts).
BUILTIN_FACTS: dict[str, LicenceFacts] = {
    f.spdx_id: f
    for f in (
        LicenceFacts("MIT", "permissive", True, False),
        LicenceFacts("BSD-2-Clause", "permissive", True, False),
        LicenceFacts("BSD-3-Clause", "permissive", True, False),
        LicenceFacts("Apache-2.0", "permissive", True, False),
        LicenceFacts("ISC", "permissive", True, False),
        LicenceFacts("LGPL-2.1-or-later", "weak_copyleft", True, False),
        LicenceFacts("LGPL-3.0-or-later", "weak_copyleft", True, False),
        LicenceFacts("MPL-2.0", "weak_copyleft", True, False),
        LicenceFacts("EPL-2.0", "weak_copyleft", True, False),
        LicenceFacts("GPL-2.0-only", "strong_copyleft", True, False),
        LicenceFacts("GPL-2.0-or-later", "strong_copyleft", True, False),
        LicenceFacts("GPL-3.0-only", "strong_copyleft", True, False),
        LicenceFacts("GPL-3.0-or-later", "strong_copyleft", True, False),
        LicenceFacts("EUPL-1.2", "strong_copyleft", True, True),
        LicenceFacts("AGPL-3.0-only", "network_copyleft", True, True),
        LicenceFacts("AGPL-3.0-or-later", "network_copyleft", True, True),
    )
}

def obligations(family: str, lang: str) -> str:
    """What a licence family asks, in ``lang`` (catalogue ``locales/<lang>/licences.json``); unknown families
    get the "check its text" sentence."""
    return i18n.CORE.get(f"licences.obligations.{family}", lang, "") or i18n.text("licences.obligations.unknown", lang)


@dataclass(frozen=True)
class LicenceExplanation:
    expression: str
    licence_ids: tuple[str, ...]
    family: str
    osi_approved: bool | None
    network_clause: bool
    obligations: str


@lru_cache(maxsize=1)
def _licensing() -> Licensing:
    return get_spdx_licensing()


def licence_ids(expression: str) -> list[str]:
    """Licence identifiers in an SPDX expression (raises ValueError on an unparsable one)."""
    try:
        return list(_licensing().license_keys(_licensing().parse(expression)))
    except ExpressionError as exc:
        raise ValueError(f"invalid SPDX expression {expression!r}: {exc}") from exc


def family_rank(family: str) -> int:
    return FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)


def _facts(spdx_id: str, catalogue: Mapping[str, LicenceFacts]) -> LicenceFacts | None:
    return catalogue.get(spdx_id) or BUILTIN_FACTS.get(spdx_id)


def _governing(node: object, catalogue: Mapping[str, LicenceFacts]) -> list[LicenceFacts | None]:
    """Licences that set the obligations: the least demanding branch of OR, every branch of AND."""
    if isinstance(node, LicenseSymbol):
        return [_facts(node.key, catalogue)]
    if isinstance(node, OR):
        options = [_governing(arg, catalogue) for arg in node.args]
        return min(options, key=lambda facts: max(_rank(f) for f in facts))
    if isinstance(node, AND):
        return [f for arg in node.args for f in _governing(arg, catalogue)]
    key = getattr(node, "key", None) or str(node)  # e.g. a "WITH exception" symbol
    return [_facts(key.split(" WITH ")[0], catalogue)]


def _rank(facts: LicenceFacts | None) -> int:
    return family_rank(facts.family) if facts else len(FAMILY_ORDER)


def explain(
    expression: str, lang: str = "en", catalogue: Mapping[str, LicenceFacts] | None = None
) -> LicenceExplanation:
    """Family, OSI status, network clause and plain-language obligations of an SPDX expression."""
    catalogue = catalogue or {}
    lang = i18n.norm_lang(lang, "en")
    try:
        ids = tuple(licence_ids(expression))
        governing = _governing(_licensing().parse(expression), catalogue)
    except ValueError:
        ids, governing = (expression,), [_facts(expression, catalogue)]
    if any(f is None for f in governing):
        return LicenceExplanation(expression, ids, "unknown", None, False, obligations("unknown", lang))
    strictest = max(governing, key=_rank)
    network = any(f.network_clause for f in governing)
    curated = strictest.obligations_fr if lang == "fr" else strictest.obligations_en
    text = curated or obligations(strictest.family, lang)
    if network and strictest.family != "network_copyleft":
        text = f"{text} {i18n.text('licences.network_note', lang)}"
    return LicenceExplanation(
        expression, ids, strictest.family, all(f.osi_approved for f in governing), network, text
    )


def catalogue_from_rows(rows: list[Mapping[str, object]]) -> dict[str, LicenceFacts]:
    """Licence facts keyed by SPDX id, from rows of the ``licences`` table."""
    return {
        str(r["spdx_id"]): LicenceFacts(
            str(r["spdx_id"]), str(r["family"]), bool(r["osi_approved"]), bool(r["network_clause"]),
            _text(r.get("obligations_en")), _text(r.get("obligations_fr")),
        )
        for r in rows
    }


def _text(value: object) -> str | None:
    """Curated text, or None for SQL NULL / pandas NA / blank."""
    return value.strip() or None if isinstance(value, str) else None


def families(expressions: list[str], catalogue: Mapping[str, LicenceFacts] | None = None) -> list[str]:
    """Family of each SPDX expression (so ``A OR B`` dual licences are classified, not left unknown)."""
    return [explain(e, "en", catalogue).family for e in expressions]
