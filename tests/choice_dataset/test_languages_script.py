"""choice_languages.py computes shares of translated keys from locale files at a pinned commit."""

from __future__ import annotations

from pathlib import Path

import choice_languages as cl
import pytest
import yaml

from tests.choice_dataset.conftest import commit_files

EN_YML = """en:
  home:
    title: Home
    intro: Welcome
  items:
    one: one item
    other: "%{count} items"
  vote: Vote
"""
# 'intro' empty, 'extra' unknown to the source: 2 of the 4 source keys (title, items) are translated.
FR_YML = """fr:
  home:
    title: Accueil
    intro: ""
    extra: Ignoré
  items:
    one: un élément
    other: "%{count} éléments"
"""
# Japanese has only the 'other' plural form: still the whole 'items' key, so 3 of 4.
JA_YML = """ja:
  home:
    title: ホーム
  items:
    other: "%{count} 件"
  vote: 投票
"""
FR_FULL = FR_YML.replace('intro: ""', "intro: Bienvenue") + "  vote: Voter\n"

POT = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"

msgid "Save"
msgstr ""

msgid "Cancel"
msgstr ""

msgid "Delete"
msgstr ""
"""
DE_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Save"
msgstr "Speichern"

#, fuzzy
msgid "Cancel"
msgstr "Abbrechen"

msgid "Delete"
msgstr ""

#~ msgid "Old"
#~ msgstr "Alt"
"""


@pytest.fixture
def fixture_repo(tmp_path: Path) -> tuple[Path, str, str]:
    """owner+name snapshot with two commits: the pinned one (partial French) and a later one (full French)."""
    repo = tmp_path / "snapshots" / "example+civic"
    pinned = commit_files(repo, {
        "config/locales/en.yml": EN_YML, "config/locales/fr.yml": FR_YML, "config/locales/ja.yml": JA_YML,
        "po/messages.pot": POT, "po/de.po": DE_PO,
    }, "locales")
    later = commit_files(repo, {"config/locales/fr.yml": FR_FULL}, "complete French")
    return tmp_path / "snapshots", pinned, later


def _layouts(commit: str) -> list[cl.Layout]:
    return [
        cl.Layout("civic", "example/civic", commit, "rails_yaml", r"^config/locales/(?P<lang>[a-z]{2})\.yml$",
                  "en", "config/locales"),
        cl.Layout("civic-po", "example/civic", commit, "po", r"^po/(?P<lang>[a-z]{2})\.po$", "en", "po",
                  template=r"^po/messages\.pot$"),
    ]


def _shares(rows: list[dict[str, str]]) -> dict[tuple[str, str], float]:
    return {(r["tool_id"], r["language_code"]): float(r["share_translated"]) for r in rows}


def test_shares_at_the_pinned_commit(fixture_repo: tuple[Path, str, str]) -> None:
    snapshots, pinned, _ = fixture_repo
    warnings: list[str] = []
    rows = cl.compute(_layouts(pinned), snapshots, None, "2026-12-03", False, warnings.append)
    assert _shares(rows) == {
        ("civic", "en"): 1.0, ("civic", "fr"): 0.5, ("civic", "ja"): 0.75,
        ("civic-po", "de"): pytest.approx(1 / 3, abs=1e-4), ("civic-po", "en"): 1.0,
    }
    assert {r["source_commit"] for r in rows} == {pinned}
    assert rows[0]["source_url"] == f"https://github.com/example/civic/tree/{pinned}/config/locales"
    assert warnings == []


def test_naive_counting_would_be_wrong(fixture_repo: tuple[Path, str, str]) -> None:
    """Control: counting keys present in the file (empty, extra and per-plural-form keys included)
    overstates French and understates Japanese; the script's rules are what make 0.5 and 0.75."""
    snapshots, pinned, _ = fixture_repo

    def leaves(text: str) -> set[str]:
        out: set[str] = set()

        def walk(node: object, prefix: str) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    walk(value, f"{prefix}.{key}" if prefix else str(key))
            else:
                out.add(prefix)

        walk(next(iter(yaml.safe_load(text).values())), "")
        return out

    source = leaves(EN_YML)
    naive_fr = len(leaves(FR_YML) & source) / len(source)
    naive_ja = len(leaves(JA_YML) & source) / len(source)
    computed = _shares(cl.compute(_layouts(pinned)[:1], snapshots, None, "2026-12-03", False, lambda m: None))
    assert naive_fr == 0.8 and computed[("civic", "fr")] == 0.5
    assert naive_ja == 0.6 and computed[("civic", "ja")] == 0.75


def test_pinned_commit_not_head(fixture_repo: tuple[Path, str, str]) -> None:
    """The rows are those of the pinned commit; reading HEAD (the control) gives the later, full French."""
    snapshots, pinned, later = fixture_repo
    layout = _layouts(pinned)[:1]
    pinned_rows = _shares(cl.compute(layout, snapshots, None, "2026-12-03", False, lambda m: None))
    notes: list[str] = []
    head_rows = cl.compute(layout, snapshots, None, "2026-12-03", True, notes.append)
    assert pinned_rows[("civic", "fr")] == 0.5
    assert _shares(head_rows)[("civic", "fr")] == 1.0
    assert {r["source_commit"] for r in head_rows} == {later}
    assert any("pin it" in n for n in notes)


def test_output_is_deterministic(fixture_repo: tuple[Path, str, str], tmp_path: Path) -> None:
    snapshots, pinned, _ = fixture_repo
    outputs = []
    for name in ("a.csv", "b.csv"):
        cl.write_csv(cl.compute(_layouts(pinned), snapshots, None, "2026-12-03", False, lambda m: None), tmp_path / name)
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].startswith(b"tool_id,language_code,share_translated,source_url,source_commit,checked_on\n")


def test_language_tags() -> None:
    assert cl.language_tag("pt_BR", {}) == "pt-BR"
    assert cl.language_tag("zh_Hans", {}) == "zh-Hans"
    assert cl.language_tag("sr@latin", {}) == "sr-Latn"
    assert cl.language_tag("fr_FR.UTF-8", {}) == "fr-FR"
    assert cl.language_tag("ar_eg", {}) == "ar-EG"
    assert cl.language_tag("gr", {"gr": "el"}) == "el"


def test_readers_for_other_formats() -> None:
    assert cl.read_php_array(b"<?php return ['save' => 'Speichern', 'x' => '', \"a\" => \"b\"];") == {
        "save": "Speichern", "x": "", "a": "b"}
    assert cl.read_properties(b"# c\nkey.a = Hola\nkey.b =\nkey.c = one \\\n  two\n") == {
        "key.a": "Hola", "key.b": "", "key.c": "one two"}
    assert cl.read_js_assign(b's.agree = "Oui";\ns.pass = "";\n') == {"agree": "Oui", "pass": ""}
    assert cl.read_ts_object(b'const t = {\n  common: {\n    goBack: "Revenir",\n    more:\n      "Plus",\n'
                             b'    empty: "",\n  },\n}\n') == {
        "common.goBack": "Revenir", "common.more": "Plus", "common.empty": ""}
    assert cl.read_json(b'{"a": {"b_one": "x", "b_other": "y"}, "c": ""}') == {"a.b": "x\ny", "c": ""}


def test_source_text_fallback_is_not_a_translation(tmp_path: Path) -> None:
    """Translation platforms export missing strings as the English text. Here one sentence is translated,
    one is a copy of the English (not translated) and 'OK' is too short to need translating (counted):
    2 of 3. Control: counting non-empty values would call the file complete."""
    en = '{"welcome": "Welcome to the platform", "ok": "OK", "vote": "Cast your vote"}'
    so = '{"welcome": "Ku soo dhawow", "ok": "OK", "vote": "Cast your vote"}'
    commit = commit_files(tmp_path / "snaps" / "example+civic", {"i18n/en.json": en, "i18n/so.json": so}, "c")
    layout = cl.Layout("civic", "example/civic", commit, "json", r"^i18n/(?P<lang>[a-z]{2})\.json$", "en", "i18n")
    rows = _shares(cl.compute([layout], tmp_path / "snaps", None, "2026-12-03", False, lambda m: None))
    assert rows[("civic", "so")] == pytest.approx(2 / 3, abs=1e-4)
    naive = sum(1 for v in cl.read_json(so.encode()).values() if v) / 3
    assert naive == 1.0
