"""What a licence asks of a city, in plain French or English.

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

OBLIGATIONS: dict[str, dict[str, str]] = {
    "permissive": {
        "en": "Keep the copyright and licence notices. Modified code may stay private, even when you "
              "distribute it or run it as a public service.",
        "fr": "Conserver les mentions de droit d'auteur et de licence. Le code modifié peut rester privé, "
              "même s'il est redistribué ou exploité comme service public en ligne.",
    },
    "weak_copyleft": {
        "en": "If you distribute modified files of the component, publish those files under the same licence. "
              "Your own code around it may use another licence. Running it as a web service alone creates no duty.",
        "fr": "Si vous redistribuez des fichiers modifiés du composant, publiez ces fichiers sous la même licence. "
              "Votre propre code autour peut garder une autre licence. L'exploiter comme service web ne crée "
              "à lui seul aucune obligation.",
    },
    "strong_copyleft": {
        "en": "If you distribute the software (modified or not), give the complete source code of the whole "
              "work under the same licence. Running a modified copy only as a website does not, by itself, "
              "oblige you to publish it.",
        "fr": "Si vous redistribuez le logiciel (modifié ou non), fournissez le code source complet de l'ensemble "
              "sous la même licence. Exploiter une version modifiée seulement comme site web n'oblige pas, "
              "à lui seul, à la publier.",
    },
    "network_copyleft": {
        "en": "Network copyleft: if you modify the software and let people use it over a network (a participation "
              "website), you must offer those users the complete source code of your modified version under the "
              "same licence. A city that adapts the platform must therefore publish its changes.",
        "fr": "Copyleft réseau : si vous modifiez le logiciel et le mettez à disposition du public par un réseau "
              "(un site de participation), vous devez offrir à ces utilisateurs le code source complet de votre "
              "version modifiée sous la même licence. Une ville qui adapte la plateforme doit donc publier ses "
              "modifications.",
    },
    "source_available": {
        "en": "The source can be read but the licence restricts use, modification or commercial hosting: "
              "read its terms before adopting it. It is not an open-source licence.",
        "fr": "Le code est consultable mais la licence restreint l'usage, la modification ou l'hébergement "
              "commercial : lisez ses conditions avant adoption. Ce n'est pas une licence libre.",
    },
    "proprietary": {
        "en": "No right to modify or redistribute without the vendor's agreement; the contract sets every obligation.",
        "fr": "Aucun droit de modifier ou de redistribuer sans l'accord de l'éditeur ; le contrat fixe toutes "
              "les obligations.",
    },
    "unknown": {
        "en": "This licence is not in the catalogue: check its text before adopting the tool.",
        "fr": "Cette licence n'est pas dans le catalogue : vérifiez son texte avant d'adopter l'outil.",
    },
}

NETWORK_NOTE: dict[str, str] = {
    "en": "This licence has a network clause: offering the software as a website counts as distributing it.",
    "fr": "Cette licence a une clause réseau : proposer le logiciel comme site web équivaut à le distribuer.",
}


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
    lang = lang if lang in ("en", "fr") else "en"
    try:
        ids = tuple(licence_ids(expression))
        governing = _governing(_licensing().parse(expression), catalogue)
    except ValueError:
        ids, governing = (expression,), [_facts(expression, catalogue)]
    if any(f is None for f in governing):
        return LicenceExplanation(expression, ids, "unknown", None, False, OBLIGATIONS["unknown"][lang])
    strictest = max(governing, key=_rank)
    network = any(f.network_clause for f in governing)
    curated = strictest.obligations_fr if lang == "fr" else strictest.obligations_en
    text = curated or OBLIGATIONS.get(strictest.family, OBLIGATIONS["unknown"])[lang]
    if network and strictest.family != "network_copyleft":
        text = f"{text} {NETWORK_NOTE[lang]}"
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
