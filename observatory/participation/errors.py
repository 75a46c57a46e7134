"""Errors and warnings that point at the exact file, line and field of a bad cell."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowIssue:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: field {self.field!r}: {self.message}"


class ImportFailed(Exception):
    """A file could not be imported; nothing from it was written."""

    def __init__(self, issue: RowIssue | str) -> None:
        self.issue = issue
        super().__init__(str(issue))


class UnsupportedFile(Exception):
    """The file is readable but holds a kind of export this importer does not store (e.g. debates)."""
