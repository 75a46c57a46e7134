"""One translation system: every catalogue domain has every key in both languages, and no Python module
under ``observatory/``, ``dashboards/`` or ``collectors/`` holds French prose (it belongs in a catalogue)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import dashboards.i18n  # noqa: F401 - registers the dashboard domain
import observatory.reports.i18n  # noqa: F401 - registers the report domain
from observatory import i18n

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("observatory", "dashboards", "collectors")

# French words that English prose does not use; two of them, or one beside an accented letter, make prose.
FRENCH_WORDS = re.compile(
    r"\b(le|la|les|des|du|une|est|sont|pour|avec|dans|vous|votre|nous|cette|ces|aucune?|pas|sur|aux|qui|"
    r"que|sans|mais|ou|par|être|été|l'\w+|d'\w+|n'\w+|qu'\w+)\b", re.IGNORECASE)
ACCENT = re.compile(r"[éèêëàâùûçôîïœ]", re.IGNORECASE)
# Proper names with accents that are data, not prose.
NAMES = ("Sarrià", "Gràcia", "Phragmén", "Les Corts", "Montjuïc", "Guinardó", "Sant Martí", "sans-serif")
# Whole modules whose literals are patterns over organisation names in many languages, French included.
ALLOWED_MODULES = {"observatory/deployment_rules.py": "regular expressions matching organisation names"}


def looks_french(text: str) -> bool:
    for name in NAMES:
        text = text.replace(name, "")
    words = len(FRENCH_WORDS.findall(text))
    return words >= 2 or (words >= 1 and bool(ACCENT.search(text)))


def french_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of string literals that look like French prose; docstrings are for maintainers, in English."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and looks_french(node.value)]


def test_every_domain_has_every_key_in_both_languages() -> None:
    assert {"core", "report", "dashboard"} <= set(i18n.DOMAINS)
    for name, domain in i18n.DOMAINS.items():
        keys = {lang: set(domain.catalogue(lang)) for lang in i18n.LANGS}
        assert keys["fr"], name
        assert sorted(keys["fr"] ^ keys["en"]) == [], name


def test_placeholders_agree_between_languages() -> None:
    fields = re.compile(r"{(\w+)[^}]*}")
    for name, domain in i18n.DOMAINS.items():
        fr = domain.catalogue("fr")
        for key, en in domain.catalogue("en").items():
            assert set(fields.findall(en)) == set(fields.findall(fr[key])), f"{name}:{key}"


def test_no_python_module_holds_french_prose() -> None:
    found = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in ALLOWED_MODULES:
                continue
            found += [f"{rel}:{line}: {text[:70]!r}" for line, text in french_literals(path.read_text(encoding="utf-8"))]
    assert found == [], "French prose belongs in a locale catalogue:\n" + "\n".join(found)


def test_control_the_scan_catches_a_planted_french_string(tmp_path: Path) -> None:
    planted = ('"""A module docstring."""\n'
               'LABEL = "Nombre de déploiements par pays"\n'
               'HINT = "Choisissez une ville pour voir les projets."\n'
               'OK = "Deployments per country (Sarrià, Gràcia)"\n')
    assert [line for line, _ in french_literals(planted)] == [2, 3]


@pytest.mark.parametrize("text", ["Tools by licence family", "Participatory budget of Gràcia", "MES, Phragmén",
                                  "la"])
def test_control_english_and_names_pass(text: str) -> None:
    assert not looks_french(text)


def test_one_set_of_languages_and_locales() -> None:
    from observatory.chooser import text as chooser_text
    from observatory.reports.i18n import LANGUAGES

    assert set(dashboards.i18n.LANGS) == set(LANGUAGES) == set(chooser_text.LANGS) == set(i18n.LANGS)
    assert dashboards.i18n.BABEL_LOCALE is observatory.reports.i18n.BABEL_LOCALES is i18n.BABEL_LOCALES


LOCALE_CONSTANT = re.compile(r"""["'](fr_FR|en_GB)["']|\(\s*["'](en|fr)["']\s*,\s*["'](fr|en)["']\s*\)|"""
                             r"""\{\s*["']fr["']\s*:\s*["'],""")


def locale_constants(source: str) -> list[str]:
    return [m.group(0) for m in LOCALE_CONSTANT.finditer(source)]


def test_locale_constants_live_only_in_observatory_i18n() -> None:
    found = [f"{path.relative_to(ROOT)}: {hit}" for top in SCANNED for path in sorted((ROOT / top).rglob("*.py"))
             if path != ROOT / "observatory" / "i18n.py" for hit in locale_constants(path.read_text(encoding="utf-8"))]
    assert found == []


def test_control_a_copied_locale_constant_is_found() -> None:
    planted = 'LANGS = ("en", "fr")\nBABEL = {"fr": "fr_FR"}\nSEPARATORS = {"fr": ",\\u202f", "en": ".,"}\n'
    assert len(locale_constants(planted)) == 3


def test_a_key_outside_its_file_is_refused(tmp_path: Path) -> None:
    for lang in i18n.LANGS:
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "page.json").write_text('{"other.title": "x"}', encoding="utf-8")
    domain = i18n.Domain("planted-prefixed", tmp_path, prefixed=True)
    try:
        with pytest.raises(i18n.CatalogueError, match="must start with 'page.'"):
            domain.catalogue("fr")
    finally:
        del i18n.DOMAINS["planted-prefixed"]


def test_moved_prose_reads_from_the_catalogues() -> None:
    from observatory.analytics.licences import explain
    from observatory.participation.definitions import definitions

    assert explain("AGPL-3.0-only", "fr").obligations.startswith("Copyleft réseau")
    assert "network clause" in explain("EUPL-1.2", "en").obligations
    assert definitions()["supports"][:2] == ("Supports", "Soutiens")
