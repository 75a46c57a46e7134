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


def register_all(app: typer.Typer) -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # Only a module that does not exist (yet) is tolerated; a broken import inside it is not.
            if exc.name is not None and name.startswith(exc.name):
                continue
            raise
        module.register(app)
