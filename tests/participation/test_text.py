"""Cleaning helpers on the oddities seen in the real exports."""

from __future__ import annotations

from datetime import datetime

import pytest

from observatory.participation.text import (
    html_to_text,
    junk_flag,
    parse_int,
    parse_timestamp,
    pseudonym,
    unguard,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("2017-02-07 07:58:01 UTC", datetime(2017, 2, 7, 7, 58, 1)),
    ("2019-01-24 22:29:15 +0100", datetime(2019, 1, 24, 21, 29, 15)),     # offset converted to UTC
    ("01/02/2024", datetime(2024, 2, 1)),                                  # dd/mm/yyyy, not mm/dd
    ("09/11/2025 14", datetime(2025, 11, 9, 14)),                          # Madrid's "api" format
    ("2024-01-03T10:00:00Z", datetime(2024, 1, 3, 10)),
    ("", None),
])
def test_parse_timestamp_layouts(raw: str, expected: datetime | None) -> None:
    assert parse_timestamp(raw) == expected


def test_parse_timestamp_names_the_bad_value() -> None:
    with pytest.raises(ValueError, match="31/31/2024"):
        parse_timestamp("31/31/2024")


def test_html_becomes_plain_text_and_scripts_are_not_kept() -> None:
    text = html_to_text('<p>Hola&nbsp;<a href="x">mundo</a></p><p>dos<br>tres</p><script>alert(1)</script>')
    assert text == "Hola mundo\ndos\ntres"
    assert "<" not in text and "alert" not in text


def test_formula_guard_is_removed_only_before_formula_characters() -> None:
    assert unguard("'=SUM(A1)") == "=SUM(A1)"
    assert unguard("'quoted'") == "'quoted'"


def test_parse_int_accepts_pandas_floats_but_not_fractions() -> None:
    assert parse_int("12.0") == 12
    with pytest.raises(ValueError):
        parse_int("1.5")


def test_junk_titles_are_flagged_and_ordinary_ones_not() -> None:
    assert junk_flag("Advanced SSRF Test 7 - 1741432178") == "test_entry"
    assert junk_flag("testsia") == "test_entry"
    assert junk_flag("Testigos de la plaza") is None
    assert junk_flag("Metro accesible Campamento") is None


def test_pseudonym_is_stable_and_instance_scoped() -> None:
    assert pseudonym("a.org", "42") == pseudonym("a.org", "42")
    assert pseudonym("a.org", "42") != pseudonym("b.org", "42")
    assert pseudonym("a.org", "") is None
