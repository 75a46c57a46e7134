"""Every page in French shows French: no string only in the English catalogue, no raw key or identifier
as a header, and no ``None``/``nan``/``?`` as a value.

Rendered with AppTest on the database built from the shipped datasets and on the hand-written sample
(which has PB outcomes and participation rows), so every section draws.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.i18n import catalogue
from dashboards.streamlit_app import APP_DIR

APP = str(APP_DIR / "streamlit_app.py")
RAW_VALUES = {"None", "none", "nan", "NaN", "NaT", "<NA>", "?", "null"}
KEY_PATTERN = re.compile(r"^[a-z_]+(\.[a-z0-9_\-]+)+$")  # looks like a catalogue key: common.family.x
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
# Tables that show the database's own column names on purpose: the data browser and the SQL console, where a
# researcher needs the identifiers to write SQL.
IDENTIFIER_TABLES = {"data_preview", "data_console_result", "data_catalogue"}


def _english_only() -> set[str]:
    """English messages whose French differs: seeing one on a French page means a missed translation."""
    en, fr = catalogue("en"), catalogue("fr")
    return {v for k, v in en.items() if fr.get(k) != v and "{" not in v and len(v) > 3}


def _texts(at: AppTest) -> list[str]:
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    for kind in ("selectbox", "multiselect", "radio", "checkbox", "text_input", "number_input", "text_area",
                 "button", "expander"):
        out += [str(getattr(e, "label", "")) for e in getattr(at, kind)]
    out += [str(m.label) for m in at.metric] + [str(m.value) for m in at.metric]
    return out


def _table_problems(at: AppTest) -> list[str]:
    problems = []
    for frame in at.dataframe:
        key = frame.proto.id.rsplit("-", 1)[-1] if frame.proto.id else ""
        config = json.loads(frame.proto.columns or "{}")
        df: pd.DataFrame = frame.value
        if not any(key.endswith(k) for k in IDENTIFIER_TABLES):
            for column in df.columns:
                label = (config.get(str(column)) or {}).get("label") or str(column)
                if SNAKE.match(label) or KEY_PATTERN.match(label):
                    problems.append(f"header {label!r}")
        for column in df.columns:
            if df[column].isna().any() and not frame.proto.placeholder:  # Streamlit draws a null as "None"
                problems.append(f"value None in column {column!r}")
            cells = df[column].astype("string")
            raw = cells[cells.isin(RAW_VALUES)]
            if len(raw):
                problems.append(f"value {raw.iloc[0]!r} in column {column!r}")
    return problems


def _page_problems(at: AppTest, english: set[str]) -> list[str]:
    problems = []
    for text in _texts(at):
        stripped = text.strip()
        if stripped in english:
            problems.append(f"English text {stripped[:60]!r}")
        elif KEY_PATTERN.match(stripped):
            problems.append(f"raw key {stripped!r}")
        elif stripped in RAW_VALUES:
            problems.append(f"raw value {stripped!r}")
    return problems + _table_problems(at)


@pytest.mark.parametrize("db_fixture", ["sample_db", "shipped_db"])
def test_every_page_in_french_is_french(french_pages, db_fixture):
    english = _english_only()
    found: dict[str, list[str]] = {}
    for url_path, at in french_pages(db_fixture).items():
        assert not at.exception, (url_path, [e.message for e in at.exception])
        problems = _page_problems(at, english)
        if problems:
            found[url_path] = sorted(set(problems))
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_the_check_catches_english_raw_keys_and_none():
    """Control: the same checks flag a page that shows an English string, a raw key and a None cell."""
    english = _english_only()
    script = (
        "import streamlit as st\nimport pandas as pd\n"
        f"st.caption({sorted(english)[0]!r})\nst.caption('common.family.unknown')\n"
        "st.dataframe(pd.DataFrame({'source_url': ['x', None]}))\n"
    )
    at = AppTest.from_string(script).run()
    problems = _page_problems(at, english)
    assert any(p.startswith("English text") for p in problems), problems
    assert any(p.startswith("raw key") for p in problems), problems
    assert any(p.startswith("header") for p in problems) and any("None" in p for p in problems), problems
