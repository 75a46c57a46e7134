"""The CLI speaks the reader's language through the core catalogues: ``--lang``, ``$OBSERVATORY_LANG``, the
POSIX locale, else English; and no CLI module prints a sentence that is not a catalogue key."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from observatory import i18n, messages
from observatory.cli import app, main
from observatory.cli_plugins import COMMAND_MODULES

ROOT = Path(__file__).resolve().parents[2]
NBSP = i18n.NBSP
runner = CliRunner()


def test_lang_option_prints_french_and_english() -> None:
    fr = runner.invoke(app, ["--lang", "fr", "sql", "SELECT 1", "--format", "xml"])
    en = runner.invoke(app, ["--lang", "en", "sql", "SELECT 1", "--format", "xml"])
    assert fr.exit_code == en.exit_code == 2
    assert f"erreur{NBSP}: format inconnu 'xml'" in fr.output
    assert f"utilisez l'un de{NBSP}: table, csv, json" in fr.output
    assert "error: unknown format 'xml'" in en.output and "erreur" not in en.output


def test_summary_lines_in_french(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--lang", "fr", "validate"])  # the shipped datasets
    assert result.exit_code == 0, result.output
    assert f"ok{NBSP}: tous les paquets de datasets/ sont valides" in result.output
    (tmp_path / "datasets").mkdir()
    fr = runner.invoke(app, ["--lang", "fr", "validate", "--datasets", str(tmp_path / "datasets")])
    en = runner.invoke(app, ["--lang", "en", "validate", "--datasets", str(tmp_path / "datasets")])
    assert fr.exit_code == en.exit_code == 1
    assert f"erreur{NBSP}: 1 problème(s) dans datasets/" in fr.output
    assert "error: 1 problem(s) in datasets/" in en.output


def test_env_variable_and_posix_locale_choose_french(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = str(tmp_path / "none.duckdb")
    monkeypatch.setenv("OBSERVATORY_LANG", "fr")
    assert "base de données introuvable" in runner.invoke(app, ["info", "--db", missing]).output
    monkeypatch.delenv("OBSERVATORY_LANG")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert "base de données introuvable" in runner.invoke(app, ["info", "--db", missing]).output
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # LC_ALL wins over LANG, as in setlocale
    assert "database not found" in runner.invoke(app, ["info", "--db", missing]).output


def test_library_errors_speak_french_too(tmp_path: Path) -> None:
    """Errors raised below the CLI (the output guard, the store) use the same catalogue."""
    existing = tmp_path / "tools.csv"
    existing.write_text("x", encoding="utf-8")
    fr = runner.invoke(app, ["--lang", "fr", "export", "tools", "-o", str(existing)])
    assert fr.exit_code == 2
    assert f"erreur{NBSP}: le fichier de sortie existe déjà" in fr.output and "ajoutez --force" in fr.output
    folder = runner.invoke(app, ["--lang", "fr", "info", "--db", str(tmp_path)])
    assert "le chemin de la base de données est un dossier" in folder.output


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "en"),
    ({"LANG": "fr_CA.UTF-8"}, "fr"),
    ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
    ({"LANG": "C", "LC_MESSAGES": "fr_BE"}, "fr"),
    ({"LANG": "fr_FR", "OBSERVATORY_LANG": "en"}, "en"),
    ({"LANG": "de_DE", "OBSERVATORY_LANG": "xx"}, "en"),
])
def test_language_resolution(env: dict[str, str], expected: str) -> None:
    assert messages.lang_from_environment(env) == expected


def test_unknown_lang_is_a_usage_error() -> None:
    result = runner.invoke(app, ["--lang", "de", "version"])
    assert result.exit_code == 2
    assert "unknown language 'de'" in result.output


def test_errors_before_the_command_runs_speak_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    # click rejects the command before our root callback runs; the entry point read --lang itself
    assert main(["--lang", "fr", "no-such-command"]) == 2
    assert capsys.readouterr().err.startswith(f"erreur{NBSP}: ")
    assert main(["--lang", "en", "no-such-command"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


# --- no CLI module prints a sentence of its own -------------------------------------------------------------

PRINTERS = {"print", "echo", "rule"}  # print(), typer.echo(), console.print(), console.rule()


def cli_modules() -> list[Path]:
    """The root command, the error printer and every registered command family (and what they import from
    their own package to print: the study command)."""
    names = ("observatory.cli", "observatory.failures", "observatory.pb.study_cli", *COMMAND_MODULES)
    return [Path(importlib.import_module(name).__file__) for name in names]


def _literal_words(node: ast.expr) -> list[str]:
    parts = node.values if isinstance(node, ast.JoinedStr) else [node]
    return [p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)
            and any(ch.isalpha() for ch in p.value)]


def printed_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of string literals with letters passed to a print/echo/rule call."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in PRINTERS:
            found += [(node.lineno, text) for arg in node.args for text in _literal_words(arg)]
    return found


def test_cli_modules_print_only_catalogue_sentences() -> None:
    modules = cli_modules()
    assert len(modules) >= len(COMMAND_MODULES) + 3
    found = [f"{path.relative_to(ROOT)}:{line}: {text!r}" for path in modules
             for line, text in printed_literals(path.read_text(encoding="utf-8"))]
    assert found == [], "CLI sentences belong in observatory/locales/<lang>/cli.json:\n" + "\n".join(found)


def test_control_a_planted_printed_sentence_is_caught() -> None:
    planted = ('import sys, typer\n'
               'print(f"wrote {n} rows", file=sys.stderr)\n'
               'typer.echo("done")\n'
               'console.print(say("cli.failed", message=m))\n'
               'console.rule(f"{a} — {b}")\n'
               'err.print("[red]failed[/]")\n')
    assert sorted({line for line, _ in printed_literals(planted)}) == [2, 3, 6]


def test_every_cli_key_is_used() -> None:
    """Keys of cli.json are the CLI's words: one no module says is dead text a translator keeps up for nothing."""
    sources = "".join(path.read_text(encoding="utf-8") for top in ("observatory", "collectors")
                      for path in (ROOT / top).rglob("*.py"))
    unused = [key for key in _cli_keys() if f'"{key}"' not in sources and f"'{key}'" not in sources]
    assert unused == []


def _cli_keys() -> list[str]:
    import json

    return list(json.loads((ROOT / "observatory" / "locales" / "en" / "cli.json").read_text(encoding="utf-8")))
