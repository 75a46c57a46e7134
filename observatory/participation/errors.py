"""Errors and warnings that point at the exact file, line and field of a bad cell."""

from __future__ import annotations

from observatory.problems import Problem

RowIssue = Problem  # the same file/line/field location as the Pabulib parser


class ImportFailed(Exception):
    """A file could not be imported; nothing from it was written."""

    def __init__(self, issue: RowIssue | str, usage: bool = False) -> None:
        self.issue, self.usage = issue, usage   # usage: an option is missing or wrong (e.g. --instance)
        super().__init__(str(issue))


class UnsupportedFile(Exception):
    """The file is readable but holds a kind of export this importer does not store (e.g. debates)."""
