"""The seam for command groups: each module listed here exposes ``register(app: typer.Typer)``.

Adding a family of commands means adding one module and one line below; ``cli.py`` stays small.
"""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES: tuple[str, ...] = (
    "observatory.pb.cli",            # observatory pb import|compare|...
    "collectors.cli",                # observatory collect|runs|rebuild
    "observatory.reports.cli",       # observatory report
    "observatory.participation.cli", # observatory import ... / research
    "observatory.corrections_cli",   # observatory correct
    "observatory.api.cli",           # observatory serve (read-only HTTP API)
    "observatory.mcpserver.cli",     # observatory mcp (Model Context Protocol server, stdio)
)


class MissingCommandModule(ImportError):
    """A module listed in :data:`COMMAND_MODULES` cannot be imported or has no ``register``: a packaging
    bug. Startup stops and names it, rather than shipping a CLI with a family of commands silently gone."""


def register_all(app: typer.Typer, modules: tuple[str, ...] = COMMAND_MODULES) -> None:
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            what = "is missing" if exc.name and name.startswith(exc.name) else f"needs {exc.name!r}, which is missing"
            raise MissingCommandModule(f"command module {name!r} (listed in observatory/cli_plugins.py) {what}: "
                                       "restore it, install what it needs, or remove its line", name=name) from exc
        register = getattr(module, "register", None)
        if not callable(register):
            raise MissingCommandModule(f"command module {name!r} has no register(app) function", name=name)
        register(app)
