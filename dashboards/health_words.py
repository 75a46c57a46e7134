"""Words for the software-health figures: status, its reason, releases, source and thresholds, per locale.

The tables hold codes and JSON parameters (``status_reason``, ``status_params``); every sentence a reader sees
comes from the ``health.*`` keys of the locale catalogues, so French and English say the same thing.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from dashboards.i18n import fmt_date, fmt_number, t
from observatory.health import THRESHOLDS


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value is not pd.NaT


def status(code: str | None) -> str:
    return t(f"health.status.{code}") if isinstance(code, str) and code else t("health.status.unknown")


def reason(code: str | None, params: str | None, lang: str) -> str:
    """The reason sentence, numbers written in the interface language."""
    values = json.loads(params) if isinstance(params, str) and params else {}
    shown = {k: fmt_number(v, lang) if isinstance(v, int | float) else v for k, v in values.items()}
    if "last_entry" in shown:
        shown["last_entry"] = fmt_date(values["last_entry"], lang) if values["last_entry"] else "–"
    return t(f"health.reason.{code or 'unknown'}", lang, **shown)


def release_line(row: dict[str, Any], lang: str) -> str:
    if not _present(row.get("last_release")):
        return t("health.no_release", lang)
    cadence = row.get("release_cadence_days")
    return t("health.release_line", lang, release=row["last_release"], date=fmt_date(row["last_release_at"], lang),
             age=fmt_number(row["last_release_age_days"], lang), count=fmt_number(row.get("releases_3y"), lang),
             cadence=fmt_number(cadence, lang) if _present(cadence) else "–")


def source_line(row: dict[str, Any], lang: str) -> str:
    """Where the figures come from: the commit read (full) or the release source (partial), and the date."""
    source = t(f"health.source.{row['source']}", lang)
    commit = str(row["commit_read"])[:10] if _present(row.get("commit_read")) else "–"
    text = t(f"health.coverage.{row['coverage']}", lang, source=source, commit=commit,
             date=fmt_date(row["read_on"], lang), url=row["source_url"])
    if _present(row.get("missing_reason")):
        text += " " + t(f"health.missing.{row['missing_reason']}", lang)
    return text


def thresholds(lang: str | None = None) -> str:
    return t("health.thresholds", lang, **THRESHOLDS)
