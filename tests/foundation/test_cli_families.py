"""Every command family listed in ``observatory.cli_plugins`` is on the main app, and a listed module that is
missing stops startup with a message naming it (it used to be skipped silently)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer

from observatory.cli import app
from observatory.cli_plugins import COMMAND_MODULES, MissingCommandModule, register_all

ROOT = Path(__file__).resolve().parents[2]


def _commands(typer_app: typer.Typer) -> set[str]:
    command = typer.main.get_command(typer_app)
    return set(command.commands)   # a group (typer's own click flavour)


def _family(module: str) -> set[str]:
    """The commands one module registers, on an app of its own."""
    alone = typer.Typer()

    @alone.callback()
    def _root() -> None:   # a callback makes the app a group even when the family adds one command
        """root"""

    register_all(alone, (module,))
    return _commands(alone)


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_each_listed_family_is_on_the_main_app(module: str) -> None:
    family = _family(module)
    assert family, f"{module} registers no command"
    assert family <= _commands(app), f"{module}: {sorted(family - _commands(app))} missing from `observatory`"


def test_the_main_app_has_every_known_family() -> None:
    # a family dropped from COMMAND_MODULES altogether would pass the test above: name one command of each
    assert {"build", "validate", "pb", "collect", "rebuild", "report", "correct", "serve", "mcp"} <= _commands(app)


def test_a_listed_module_that_is_missing_fails_loudly() -> None:
    doomed = typer.Typer()
    with pytest.raises(MissingCommandModule, match=r"observatory\.no_such_cli.*is missing"):
        register_all(doomed, ("observatory.reports.cli", "observatory.no_such_cli"))


def test_control_a_missing_module_stops_the_cli_with_its_name(tmp_path: Path) -> None:
    """Control: run the real startup with one more (absent) module listed; before, this printed --help
    without that family and exit 0."""
    code = ("import observatory.cli_plugins as p; p.COMMAND_MODULES = p.COMMAND_MODULES + ('observatory.gone_cli',); "
            "p.register_all.__defaults__ = (p.COMMAND_MODULES,); import observatory.cli")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode != 0
    assert "observatory.gone_cli" in result.stderr and "is missing" in result.stderr
