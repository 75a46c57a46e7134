"""Decidim result statuses in the interface language.

Decidim has no fixed list of accountability statuses: each component defines its own, with a free-text
name in the instance's languages (the exports carry the name, not always the key). The names and keys
below are the ones of Decidim's development seeds and of deployed instances' seeds (Barcelona-style
"Planificat / En curs / Acabat", "Not started / Work in progress / Completed"); each maps to a catalogue
key. Any other value is shown as written in the data, labelled as such, never guessed.
"""

from __future__ import annotations

import pandas as pd

from dashboards.i18n import t

KNOWN: dict[str, tuple[str, ...]] = {
    "not_started": ("not_started", "not started", "no iniciado", "no iniciat", "non commencé", "non démarré"),
    "planned": ("planned", "planificat", "planificado", "planifié", "prévu", "planlandı"),
    "in_progress": ("in_progress", "in progress", "work_in_progress", "work in progress", "ongoing", "en curs",
                    "en curso", "en cours", "en ejecución", "en execució", "in execution"),
    "completed": ("completed", "finished", "done", "executed", "acabat", "terminado", "terminé", "executat",
                  "ejecutado", "réalisé", "realizado", "realitzat"),
    "cancelled": ("cancelled", "canceled", "cancel·lat", "cancelado", "annulé"),
    "unknown": ("unknown",),  # the query's name for a result without a status
}
_KEY_OF = {name: key for key, names in KNOWN.items() for name in names}


def status_key(value: object) -> str | None:
    """The catalogue key of a known status name or key (case and spaces ignored), else None."""
    return _KEY_OF.get(str(value).strip().lower()) if isinstance(value, str) else None


def status_label(value: object) -> str:
    """A known status in the interface language; any other value as written, labelled as data."""
    key = status_key(value)
    if key is not None:
        return t(f"participation.result_status.{key}")
    return t("participation.result_status.as_data", value=str(value))


def worded(results: pd.DataFrame, column: str = "status") -> pd.DataFrame:
    """Copy of ``results`` with ``column`` worded by :func:`status_label`."""
    return results.assign(**{column: [status_label(v) for v in results[column]]})
