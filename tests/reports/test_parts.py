"""The small pieces: catalogues, French spacing, source numbering, sheet names, neutralising."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from observatory.reports import FORMATS
from observatory.reports.i18n import NBSP, NNBSP, catalogue, typography
from observatory.reports.safe import neutralise
from observatory.reports.sources import folder_collapser, is_web_url, title_for
from observatory.reports.xlsx import sheet_title

SOURCE_DIR = Path(__file__).resolve().parents[2] / "observatory" / "reports"


def test_catalogues_have_the_same_keys_and_every_used_key_exists() -> None:
    en, fr = catalogue("en"), catalogue("fr")
    assert set(en) == set(fr)
    used: set[str] = set()
    for path in list(SOURCE_DIR.glob("*.py")) + list(SOURCE_DIR.glob("templates/*.j2")):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\btr?\((?:lang, |report\.lang, |self\.lang, )?["']([a-z_0-9]+)["']""", text))
    assert used, "no key found: the pattern is wrong"
    assert used <= set(en), sorted(used - set(en))


@pytest.mark.parametrize(("raw", "expected"), [
    ("Source : x", f"Source{NBSP}: x"),
    ("« code »", f"«{NBSP}code{NBSP}»"),
    ("Vraiment ? Oui ! a ; b", f"Vraiment{NNBSP}? Oui{NNBSP}! a{NNBSP}; b"),
    ("https://example.org a:b 10:30", "https://example.org a:b 10:30"),   # nothing inserted where no space was typed
])
def test_french_spacing(raw: str, expected: str) -> None:
    assert typography(raw, "fr") == expected
    assert typography(expected, "fr") == expected          # idempotent
    assert typography(raw, "en") == raw


def test_folder_collapse_only_for_many_files() -> None:
    many = [f"https://github.com/o/r/blob/abc1234/data/inst/{i}.yml" for i in range(6)]
    few = ["https://github.com/o/r/blob/abc1234/db/seeds.rb"]
    collapse = folder_collapser(many + few)
    assert collapse(many[0]) == "https://github.com/o/r/tree/abc1234/data/inst"
    assert collapse(few[0]) == few[0]
    assert title_for(many[0]) == "o/r · data/inst/0.yml @ abc1234"


def test_only_web_urls_become_links() -> None:
    assert is_web_url("https://decidim.org/x?y=1")
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "https://a b", None, ""):
        assert not is_web_url(bad)


def test_sheet_titles_follow_excel_rules() -> None:
    taken: set[str] = set()
    assert sheet_title("Licences: [history]?", taken) == "Licences   history"
    long = "A very long section title that Excel would refuse"
    first, second = sheet_title(long, taken), sheet_title(long, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_dangerous_text(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Decidim", "a=b", 5, -3.5, None, True])
def test_neutralise_leaves_the_rest(value: object) -> None:
    assert neutralise(value) == value


def test_registry_shape() -> None:
    assert set(FORMATS) >= {"html", "pdf", "xlsx", "csv"}   # the shipped ones; a new format needs no edit here
    for fmt, exporter in FORMATS.items():
        assert exporter.mime and exporter.extension and callable(exporter.render), fmt
    assert len({e.extension for e in FORMATS.values()}) == len(FORMATS)   # `report.EXT` names one format


def test_titles_for_commit_and_tree_urls() -> None:
    assert title_for("https://github.com/o/r/tree/0123456789abcdef") == "o/r @ 0123456"
    assert title_for("https://github.com/o/r/commit/0123456789abcdef") == "o/r @ 0123456"
    assert title_for("https://www.example.org/page/") == "example.org/page"
