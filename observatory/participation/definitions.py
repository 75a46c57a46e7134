"""What each participation figure means, in English and French, so every number the dashboard prints can be
shown with its definition (table ``metric_definitions``). The words are in the core catalogues
(``observatory/locales/<lang>/definitions.json``: ``definitions.<metric_id>.label`` and ``.definition``)."""

from __future__ import annotations

import duckdb

from observatory import i18n

METRICS: tuple[str, ...] = (
    "proposals_by_state", "accepted_proposal", "supports", "proposals_by_month", "results_progress",
    "meetings_by_month", "first_page_exposure", "support_gini", "threshold_reached", "budget_moved_share",
)


def definition(metric_id: str, lang: str) -> tuple[str, str]:
    """(label, definition) of one metric in ``lang``; a metric without words is a bug (KeyError)."""
    return (i18n.text(f"definitions.{metric_id}.label", lang), i18n.text(f"definitions.{metric_id}.definition", lang))


def definitions() -> dict[str, tuple[str, str, str, str]]:
    """``metric_id -> (label_en, label_fr, definition_en, definition_fr)``, the table's column order."""
    out = {}
    for metric_id in METRICS:
        (label_en, def_en), (label_fr, def_fr) = definition(metric_id, "en"), definition(metric_id, "fr")
        out[metric_id] = (label_en, label_fr, def_en, def_fr)
    return out


def write_definitions(con: duckdb.DuckDBPyConnection) -> None:
    """Upsert every definition (idempotent; run with each import or collection)."""
    con.executemany(
        "INSERT OR REPLACE INTO metric_definitions (metric_id, label_en, label_fr, definition_en, definition_fr) "
        "VALUES (?, ?, ?, ?, ?)",
        [(metric_id, *texts) for metric_id, texts in definitions().items()],
    )
