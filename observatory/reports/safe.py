"""Spreadsheet safety: text that a spreadsheet would run as a formula is neutralised.

OWASP "CSV injection": a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is
evaluated by Excel/LibreOffice. Collected text (tool names, notes...) gets a leading apostrophe so it
is shown, never executed. Numbers and dates are real cells and are left alone.
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``'=cmd`` for a dangerous string; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
