"""The command line's last line of defence: every failure ends in one ``error:`` line and its exit code.

:func:`run` calls the typer app in non-standalone mode and turns whatever escapes a command into an
:class:`~observatory.errors.ObservatoryError`: our own errors as they are, usage errors from click,
DuckDB errors on the store (busy, damaged), file-system errors, and anything unexpected (one line
with a hint to re-run with ``--debug``, which prints the traceback as well).
"""

from __future__ import annotations

import functools
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import ParamSpec, TypeVar

import typer
from typer.core import TyperGroup

try:  # recent typer vendors click: the exceptions it raises are its own copies
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer uses the click package
    from click import exceptions as click_errors  # type: ignore[no-redef]

from observatory import messages
from observatory.errors import EXIT_BAD_DATA, BadData, BadUsage, ObservatoryError
from observatory.i18n import LANGS
from observatory.messages import say

P = ParamSpec("P")
R = TypeVar("R")
DEBUG_FLAG = "--debug"
EXIT_INTERRUPTED = 130


def one_line(text: str, limit: int = 500) -> str:
    """Collapse a multi-line message (DuckDB's caret drawings, wrapped paths) into one short line."""
    lines = [ln.strip() for ln in str(text).splitlines()]
    kept = [ln for ln in lines if ln and not set(ln) <= set("^ ~-=│|")]
    flat = re.sub(r"[ \t\r\n\f\v]+", " ", " ".join(kept)).strip()  # keeps French non-breaking spaces
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _command_of(argv: Sequence[str]) -> str:
    words = [a for a in argv if not a.startswith("-")][:2]
    return "`observatory " + " ".join(words) + "`" if words else "`observatory`"


def as_observatory_error(exc: BaseException, argv: Sequence[str]) -> ObservatoryError:
    """The user-facing error for any exception that escaped a command."""
    if isinstance(exc, ObservatoryError):
        return exc
    where = _command_of(argv)
    if isinstance(exc, click_errors.UsageError):
        ctx = exc.ctx
        path = ctx.command_path if ctx is not None else "observatory"
        return BadUsage(one_line(exc.format_message()), say("cli.where.in_command", command=path),
                        say("cli.todo.see_help", command=path))
    if isinstance(exc, click_errors.ClickException):
        return BadUsage(one_line(exc.format_message()), where, say("cli.todo.see_help", command="observatory"))
    import duckdb

    if isinstance(exc, duckdb.Error):
        from observatory.store import store_error

        mapped = store_error(exc, where)
        if mapped is not None:
            return mapped
        return BadData(one_line(str(exc)), where, say("cli.todo.check_names"))
    if isinstance(exc, MemoryError):
        return BadData(say("cli.error.memory"), where, say("cli.todo.less_data"))
    if isinstance(exc, OSError):
        target = exc.filename if exc.filename is not None else where
        return BadUsage(one_line(exc.strerror or str(exc)), str(target), say("cli.todo.check_path_permissions"))
    if isinstance(exc, UnicodeDecodeError):
        return BadData(say("cli.error.not_text", detail=one_line(str(exc))), where, say("cli.todo.save_utf8"))
    return BadData(say("cli.error.unexpected", kind=type(exc).__name__,
                       detail=one_line(str(exc)) or say("cli.error.no_message")), where,
                   say("cli.todo.debug", flag=DEBUG_FLAG))


def print_error(error: ObservatoryError) -> None:
    """The one ``error:`` line (its framing in the CLI's language; the detail as the raiser wrote it)."""
    sys.stdout.flush()
    print(say("cli.error", message=one_line(str(error), limit=2000)), file=sys.stderr, flush=True)


_debug = False  # set by run() when --debug is on the command line


class GuardedGroup(TyperGroup):
    """The root command group: whatever a command raises becomes one ``error:`` line and an exit code.

    Living in ``invoke`` (not only in :func:`run`) means every way of calling the app, the test runner
    included, gets the same one-line errors; click's own usage errors pass through to :func:`run`.
    """

    def invoke(self, ctx) -> object:  # noqa: ANN001 - typer's click Context
        try:
            return super().invoke(ctx)
        except (click_errors.ClickException, typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place every failure is turned into one line
            if _debug:
                traceback.print_exc()
            error = as_observatory_error(exc, [w for w in (ctx.info_name, ctx.invoked_subcommand) if w][1:])
            print_error(error)
            raise typer.Exit(error.exit_code) from exc


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so it ends in one ``error:`` line even when mounted on another app (tests)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (click_errors.ClickException, typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - turned into one line, like GuardedGroup does
            if _debug:
                traceback.print_exc()
            error = as_observatory_error(exc, [command.__name__])
            print_error(error)
            raise typer.Exit(error.exit_code) from exc

    return wrapper


def _lang_option(args: Sequence[str]) -> str | None:
    """The value of the root command's ``--lang`` (before the first command word), if valid."""
    for i, arg in enumerate(args):
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        elif arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("-"):
            continue
        else:
            return None
        return value if value in LANGS else None
    return None


def run(app: typer.Typer, argv: Sequence[str] | None = None) -> int:
    """Run the app on ``argv`` (default: ``sys.argv[1:]``); return the exit code instead of raising."""
    args = list(sys.argv[1:] if argv is None else argv)
    messages.use_lang(_lang_option(args))  # errors met before the root command parses --lang speak it too
    debug = DEBUG_FLAG in args[: args.index("--")] if "--" in args else DEBUG_FLAG in args
    if debug:
        args.remove(DEBUG_FLAG)
        global _debug
        _debug = True
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="observatory", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:
        print(exc.ctx.get_help() if exc.ctx else say("cli.todo.see_help", command="observatory"), file=sys.stderr)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        print(say("cli.error", message=say("cli.error.interrupted")), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0  # the reader of our output went away (e.g. `| head`): not a failure of ours
    except BaseException as exc:  # noqa: BLE001 - the one place every failure is turned into one line
        if isinstance(exc, SystemExit):
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_BAD_DATA)
        if debug:
            traceback.print_exc()
        error = as_observatory_error(exc, args)
        print_error(error)
        return error.exit_code
    return result if isinstance(result, int) else 0
