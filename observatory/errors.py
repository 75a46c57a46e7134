"""The one kind of error a user sees: what went wrong, where, and what to do, with a documented exit code.

Every command ends a mistake with one line ``error: <what>, <where>, <what to do>`` and the exit code of
its class (the CLI's top-level handler prints it; ``--debug`` shows the traceback instead). Raising one of
these anywhere below the CLI is how a module reports a user-facing failure.

Exit codes: 1 bad data, 2 bad usage, 3 store busy or damaged.
"""

from __future__ import annotations

EXIT_BAD_DATA = 1
EXIT_BAD_USAGE = 2
EXIT_STORE = 3


class ObservatoryError(Exception):
    """A failure the user can act on; ``str()`` is the one line printed after ``error: ``."""

    exit_code = EXIT_BAD_DATA

    def __init__(self, what: str, where: str | None = None, todo: str | None = None) -> None:
        self.what, self.where, self.todo = what, where, todo
        super().__init__(", ".join(part for part in (what, where, todo) if part))


class BadData(ObservatoryError):
    """An input file or value is wrong (exit 1)."""

    exit_code = EXIT_BAD_DATA


class BadUsage(ObservatoryError):
    """The command was called wrongly: option, path, format (exit 2)."""

    exit_code = EXIT_BAD_USAGE


class StoreBusy(ObservatoryError):
    """Another writer holds the store (exit 3)."""

    exit_code = EXIT_STORE


class StoreDamaged(ObservatoryError):
    """The database file fails its checks (exit 3)."""

    exit_code = EXIT_STORE
