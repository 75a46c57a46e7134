"""Read ``;``- or ``,``-separated exports row by row, keeping the physical line of each record.

Python's csv module handles quoted ``;`` and line breaks inside fields; we only add the line where
each record starts, so an error can name it even when earlier records spanned several lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]
    problem: str | None = None  # set when the record's width differs from the header's

    def get(self, name: str) -> str | None:
        return self.values.get(name)


def sniff_delimiter(header_line: str) -> str:
    """Choose between ``;`` and ``,`` from the header (Decidim/Madrid use ``;``, pandas extracts ``,``)."""
    return ";" if header_line.count(";") >= header_line.count(",") else ","


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM (spreadsheet "Unicode text"); Madrid's dumps are
    ISO-8859-1, so anything else falls back to Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_rows(text: str, file_label: str) -> tuple[list[str], Iterator[CsvRow]]:
    """Header and an iterator of rows; raises ``ValueError`` on a row wider or narrower than the header."""
    first_line = text[:65536].split("\n", 1)[0]  # never copy a whole one-line file just to sniff it
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return [], iter(())
    header = [h.strip() for h in header]

    def rows() -> Iterator[CsvRow]:
        previous_end = reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise CsvSyntaxError(file_label, previous_end + 1, str(exc)) from exc
            start = previous_end + 1
            previous_end = reader.line_num
            if not values or values == [""]:
                continue
            if len(values) != len(header):
                yield CsvRow(start, {}, f"expected {len(header)} fields as in the header, found {len(values)} "
                                        "(an unescaped quote or separator?)")
                continue
            yield CsvRow(start, dict(zip(header, values, strict=True)))

    return header, rows()


class CsvSyntaxError(ValueError):
    """The CSV cannot be read past this line (e.g. a quote never closed)."""

    def __init__(self, file_label: str, line: int, message: str) -> None:
        self.file_label, self.line = file_label, line
        super().__init__(f"{file_label}:{line}: unreadable CSV: {message}")
