"""Import open-data files (CSV, folder of CSVs, or the Decidim open-data ZIP) into the participation tables.

One transaction per file: a file is stored completely or not at all, and a bad file never stops the
others. ``strict`` stops a file at its first bad row; lenient mode skips bad rows and reports each
with file, line and field. Rows are upserted on their keys, so importing twice changes nothing.

Parsing is the slow part, so a file is skipped (reported ``unchanged``) when ``participation_files``
already holds it with the same sha256, importer version and options, and its rows are all still
stored (none deleted or overwritten by another source since); ``force`` re-imports it. The
file's record is written in its rows' transaction: a failing file keeps its previous rows and record,
so it is retried at the next run.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import duckdb

from observatory.errors import BadUsage, ObservatoryError
from observatory.messages import say
from observatory.participation import formats
from observatory.participation.context import SourceContext, host_of
from observatory.participation.csvread import CsvSyntaxError, decode, read_rows
from observatory.participation.errors import ImportFailed, RowIssue, UnsupportedFile
from observatory.participation.load import (
    FileRecord,
    record_file,
    register_tables,
    rows_still_stored,
    stored_file,
    write_records,
)
from observatory.participation.records import Instance, Record
from observatory.safezip import ArchiveLimits, BoundedArchive, is_zip
from observatory.store import transaction

URL_COLUMNS = ("url", "participatory_space/url", "root_commentable_url")
LICENCE_NOTE = "as published by the instance; see the data's PROVENANCE.md (redistribution terms unclear)"


@dataclass
class FileReport:
    label: str
    kind: str | None = None
    instance_id: str | None = None
    rows_read: int = 0
    written: dict[str, int] = field(default_factory=dict)
    issues: list[RowIssue] = field(default_factory=list)
    skipped: str | None = None    # why the file was left out (unsupported export, ...)
    failed: str | None = None     # why nothing was written (strict error, unreadable CSV)
    unchanged: bool = False       # already imported from the same bytes: neither parsed nor written
    previous_bad_rows: int = 0    # for an unchanged file: rows its stored import skipped (lenient)
    usage: bool = False           # failed for a missing or wrong option (--instance), not for its content


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.failed for f in self.files)


@dataclass(frozen=True)
class Source:
    label: str      # what errors name: 'folder/file.csv' or 'archive.zip!member.csv'
    data: bytes
    failed: str | None = None    # could not be read (refused archive member, unreadable file)
    skipped: str | None = None   # not read on purpose (a ZIP inside a ZIP)


class _TrackingGetter:
    """Column reader that remembers the last column asked for, so a parse error can name its field."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.last = "?"

    def __call__(self, name: str) -> str | None:
        self.last = name
        return self.values.get(name)


@cache
def importer_version() -> str:
    """Fingerprint of the code that turns a file into rows (this module and every participation module it
    imports, transitively): any edit there re-imports unchanged files once, so no stale parse survives."""
    package = __name__.rsplit(".", 1)[0]
    folder = Path(__file__).resolve().parent
    seen: set[str] = set()
    pending = [__name__.rsplit(".", 1)[1]]
    while pending:
        name = pending.pop()
        if name in seen or not (folder / f"{name}.py").is_file():
            continue
        seen.add(name)
        for node in ast.walk(ast.parse((folder / f"{name}.py").read_bytes())):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if node.module == package:              # from observatory.participation import formats
                pending.extend(alias.name for alias in node.names)
            elif node.module.startswith(package + "."):   # from observatory.participation.load import ...
                pending.append(node.module[len(package) + 1:].split(".")[0])
    digest = hashlib.sha256()
    for name in sorted(seen):
        digest.update(f"{name}\0".encode())
        digest.update((folder / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]


def iter_sources(path: Path, limits: ArchiveLimits | None = None) -> Iterator[Source]:
    """Every CSV under ``path``: the file itself, the CSVs of a folder (recursively), or those of a ZIP.

    A file that cannot be read, an archive refused by its limits and a ZIP inside a ZIP come out as a
    ``Source`` carrying why, so the other files are still imported and the report names each one.
    """
    limits = limits or ArchiveLimits.resolve()
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in (".csv", ".zip"):
                yield from iter_sources(child, limits)
        return
    label = f"{path.parent.name}/{path.name}" if path.parent.name else path.name
    if not path.is_file():
        raise BadUsage(say("cli.error.not_regular_file"), str(path), say("cli.todo.give_csv_folder_zip"))
    if is_zip(path):
        yield from _archive_sources(path, limits)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Source(label, b"", failed=f"{label}: cannot read the file ({exc.strerror or exc})")
        return
    if data.startswith(b"PK\x03\x04"):  # a ZIP whose end (central directory) is missing: cut short in transfer
        yield Source(label, b"", failed=f"{label}: damaged or truncated ZIP archive (its directory at the end is "
                                        "missing)")
        return
    yield Source(label, data)


def _archive_sources(path: Path, limits: ArchiveLimits) -> Iterator[Source]:
    try:
        archive = BoundedArchive(path, path.name, limits)
    except ObservatoryError as exc:
        yield Source(path.name, b"", failed=str(exc))
        return
    with archive:
        for info in archive.members():
            label, name = f"{path.name}!{info.filename}", info.filename.lower()
            if name.endswith(".zip"):
                yield Source(label, b"", skipped=f"{label}: a ZIP inside a ZIP is not read; unzip it and "
                                                 "import the folder")
            elif name.endswith(".csv"):
                try:
                    yield Source(label, archive.read(info))
                except ObservatoryError as exc:
                    yield Source(label, b"", failed=str(exc))


def import_path(con: duckdb.DuckDBPyConnection, path: Path, platform: str | None = None,
                instance_id: str | None = None, strict: bool = False, checked_on: date | None = None,
                force: bool = False, limits: ArchiveLimits | None = None) -> ImportReport:
    """Import every file found at ``path``; ``platform`` ('decidim' | 'consul') restricts detection.

    ``force`` re-imports files already stored from the same bytes (skipped otherwise, see the module doc).
    ``limits`` bound what a ZIP may expand to (:mod:`observatory.safezip`). A path that holds no CSV or
    ZIP at all raises :class:`BadUsage`.
    """
    if not path.exists():
        raise BadUsage(say("cli.error.no_such_path"), str(path), say("cli.todo.check_path"))
    report = ImportReport()
    single_file = path.is_file() and not is_zip(path)
    for source in iter_sources(path, limits):
        file_report = import_source(con, source, platform, instance_id, strict, checked_on or date.today(), force)
        if single_file and file_report.skipped:
            file_report.failed, file_report.skipped = file_report.skipped, None
        report.files.append(file_report)
    if not report.files:
        raise BadUsage(say("cli.import.no_csv_or_zip"), str(path), say("cli.todo.give_export_file"))
    return report


def import_source(con: duckdb.DuckDBPyConnection, source: Source, platform: str | None, instance_id: str | None,
                  strict: bool, checked_on: date, force: bool = False) -> FileReport:
    """Parse then write one file in one transaction, unless it is stored unchanged (and not ``force``)."""
    report = FileReport(label=source.label, failed=source.failed, skipped=source.skipped)
    if source.failed or source.skipped:
        return report
    sha = hashlib.sha256(source.data).hexdigest()
    if not force:
        known = stored_file(con, source.label)
        if (known is not None and _is_current(known, sha, platform, instance_id, strict)
                and rows_still_stored(con, known)):
            report.unchanged, report.kind, report.instance_id = True, known.export_kind, known.instance_id
            report.previous_bad_rows = known.bad_rows
            return report
    try:
        records, kind, ctx = parse_source(source, platform, instance_id, strict, checked_on, report)
    except UnsupportedFile as exc:
        report.skipped = str(exc)
        return report
    except ImportFailed as exc:
        report.failed, report.usage = str(exc), exc.usage
        return report
    report.kind, report.instance_id = kind.name, ctx.instance_id
    conflict = _platform_conflict(con, ctx.instance_id, kind.platform)
    if conflict:
        report.failed, report.usage = f"{source.label}: {conflict}", True
        return report
    instance = Instance(instance_id=ctx.instance_id, platform=kind.platform, base_url=f"https://{ctx.instance_id}",
                        source_url=ctx.source_url, checked_on=checked_on, platform_version=ctx.platform_version)
    with transaction(con):
        report.written = write_records(con, [instance, *records])
        register_tables(con, report.written, source=f"import of {source.label}", licence=LICENCE_NOTE,
                        checked_on=checked_on)
        record_file(con, FileRecord(source.label, sha, importer_version(), platform, instance_id, kind.name,
                                    ctx.instance_id, report.rows_read, len(report.issues), report.written))
    return report


def _platform_conflict(con: duckdb.DuckDBPyConnection, instance_id: str, platform: str) -> str | None:
    """Why rows of a ``platform`` export must not go under ``instance_id`` (stored as another platform), if so:
    its ids would overwrite that instance's rows, which belong to another id space."""
    row = con.execute("SELECT platform FROM instances WHERE instance_id = ?", [instance_id]).fetchone()
    if row is None or row[0] == platform:
        return None
    return f"{instance_id} is stored as a {row[0]} instance but this is a {platform} export"


def _is_current(known: FileRecord, sha: str, platform: str | None, instance_id: str | None, strict: bool) -> bool:
    """True when importing again would write exactly what is stored: same bytes, same parsing code and
    the same options (another --instance or platform can give other rows). A strict run re-checks a file
    whose stored import skipped bad rows, so it still fails on them as it always did."""
    return (known.sha256 == sha and known.importer_version == importer_version()
            and known.platform_option == platform and known.instance_option == instance_id
            and not (strict and known.bad_rows))


def parse_source(source: Source, platform: str | None, instance_id: str | None, strict: bool, checked_on: date,
                 report: FileReport) -> tuple[list[Record], formats.ExportKind, SourceContext]:
    """Map every row of one CSV to records (no database access), collecting or raising row issues."""
    text = decode(source.data)
    header, rows = read_rows(text, source.label)
    if not header:
        raise UnsupportedFile(f"{source.label}: empty export (no header)")
    kind = formats.detect(header, platform)
    if kind is None:
        wanted = f"a {platform} export" if platform else "a Decidim or Consul export"
        raise UnsupportedFile(f"{source.label}: columns {header[:6]}... do not look like {wanted}")
    if isinstance(kind, str):
        raise UnsupportedFile(f"{source.label}: recognised as {kind}, which has no table yet; skipped")
    columns = set(header)
    records: list[Record] = []
    ctx: SourceContext | None = None
    try:
        for row in rows:
            report.rows_read += 1
            if row.problem:
                _issue(report, RowIssue(source.label, row.line, "*", row.problem), strict)
                continue
            if ctx is None:
                ctx = _context(source, kind, row.values, instance_id, checked_on, columns)
            get = _TrackingGetter(row.values)
            try:
                records.extend(kind.to_records(get, header, ctx))
            except ValueError as exc:
                message = str(exc)
                name, sep, rest = message.partition(": ")
                column = name if sep and name in columns else get.last
                _issue(report, RowIssue(source.label, row.line, column, rest if column == name else message), strict)
    except CsvSyntaxError as exc:
        raise ImportFailed(RowIssue(source.label, exc.line, "*", str(exc).split(": ", 1)[-1])) from exc
    if ctx is None:
        ctx = _context(source, kind, {}, instance_id, checked_on, columns)
    return records, kind, ctx


def _issue(report: FileReport, issue: RowIssue, strict: bool) -> None:
    if strict:
        raise ImportFailed(issue)
    report.issues.append(issue)


def _context(source: Source, kind: formats.ExportKind, first_row: dict[str, str], instance_id: str | None,
             checked_on: date, columns: set[str]) -> SourceContext:
    resolved = instance_id or formats.host_from_file_name(source.label)
    if resolved is None:
        for column in URL_COLUMNS:
            resolved = host_of(first_row.get(column))
            if resolved:
                break
    if resolved is None:
        # no default: filing rows under a guessed instance overwrote that instance's rows with the same ids
        raise ImportFailed(f"{source.label}: cannot tell which instance this export comes from (neither its "
                           "file name nor its URLs name a host)", usage=True)
    return SourceContext(instance_id=resolved, platform=kind.platform, source_url=f"file:{source.label}",
                         checked_on=checked_on, platform_version=kind.version_hint(columns))
