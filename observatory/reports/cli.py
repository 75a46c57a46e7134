"""``observatory report``: write a comparative report (HTML, PDF, XLSX or CSV ZIP) to a file.

Exit codes: 0 written; 1 the database or an input file cannot be read; 2 bad arguments (unknown
tool, format, language, PB edition or needs file, an -o that is the database, the archive, a folder
or an existing file without --force). The file appears only when complete.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from observatory.config import load_settings
from observatory.errors import EXIT_BAD_USAGE, BadData, BadUsage, ObservatoryError
from observatory.failures import guarded
from observatory.messages import say
from observatory.outputs import check_output, write_output
from observatory.reports import FORMATS, UnknownFormatError, exporter
from observatory.reports.i18n import LANGUAGES, UnknownLanguageError, check_language
from observatory.reports.model import UnknownToolError, build_report
from observatory.reports.sections.pb import PbEditionError
from observatory.store import connect_readonly

console = Console()
err = Console(stderr=True)


def _fail(message: str, code: int) -> ObservatoryError:
    """The error to raise; the top-level handler prints it as one ``error:`` line with ``code``."""
    return BadUsage(message) if code == EXIT_BAD_USAGE else BadData(message)


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target then rename, so a failed export never leaves half a file."""
    write_output(path, data)


@guarded
def report_cmd(
    tools: Annotated[str, typer.Option("--tools", help="comma-separated tool ids, e.g. decidim,consul-democracy")],
    lang: Annotated[str, typer.Option("--lang", help=f"report language: {'|'.join(LANGUAGES)}")] = "en",
    fmt: Annotated[str, typer.Option("--format", help=f"output format: {'|'.join(FORMATS)}")] = "html",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="file to write (default: report.EXT)")] = None,
    pb_edition: Annotated[str | None, typer.Option("--pb-edition", help="PB edition id in the database, or a .pb file")] = None,
    needs: Annotated[Path | None, typer.Option("--needs", help="needs.yaml for the chooser ranking")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="DuckDB file (default: $OBSERVATORY_DB, else the data home)")] = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing output file")] = False,
) -> None:
    """Comparative report of tools: licences, features, health, adoption, PB outcomes, ranking, sources."""
    try:
        check_language(lang)
        out = exporter(fmt)
    except (UnknownLanguageError, UnknownFormatError) as exc:
        raise _fail(str(exc), 2) from exc
    needs_obj = None
    if needs is not None:
        from observatory.analytics.chooser import load_needs

        try:
            needs_obj = load_needs(needs)
        except FileNotFoundError as exc:
            raise _fail(say("cli.report.needs_not_found", path=needs), 1) from exc
        except IsADirectoryError as exc:
            raise BadUsage(say("cli.report.needs_folder"), str(needs), say("cli.todo.give_needs")) from exc
        except ValueError as exc:
            raise _fail(str(exc), 2) from exc
    path = output or Path(f"report.{out.extension}")
    settings = load_settings(db)
    check_output(path, settings, force)
    try:
        con = connect_readonly(settings.db_path)
    except FileNotFoundError as exc:
        raise _fail(str(exc), 1) from exc
    try:
        report = build_report(con, tools.split(","), lang, fmt=fmt, pb_edition=pb_edition, needs=needs_obj,
                              output=str(path), needs_path=str(needs) if needs else None)
    except (UnknownToolError, PbEditionError) as exc:
        raise _fail(str(exc), 2) from exc
    finally:
        con.close()
    write_atomically(path, out.render(report, lang))
    console.print(say("cli.report.wrote", path=path, fmt=fmt, sections=len(report.sections),
                      sources=len(report.sources)), markup=False)


def register(app: typer.Typer) -> None:
    app.command("report")(report_cmd)
