"""Decidim result statuses: known names become catalogue words in FR/EN, other values stay as data."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboards import result_status
from dashboards.i18n import t


@pytest.mark.parametrize(("value", "key"), [("in_progress", "in_progress"), ("Work in progress", "in_progress"),
                                            ("En curs", "in_progress"), ("Planificado", "planned"),
                                            ("Acabat", "completed"), ("Not started", "not_started"),
                                            ("unknown", "unknown")])
def test_known_statuses_map_to_catalogue_keys(value: str, key: str) -> None:
    assert result_status.status_key(value) == key


def test_known_status_is_worded_in_each_language() -> None:
    assert result_status.status_label("in_progress") == t("participation.result_status.in_progress", "fr") == "En cours"
    assert t("participation.result_status.in_progress", "en") == "In progress"


def test_an_unknown_status_is_kept_as_written_and_labelled_as_data() -> None:
    label = result_status.status_label("Fase 3 – licitació")
    assert "Fase 3 – licitació" in label and label != "Fase 3 – licitació"
    assert result_status.status_key("Fase 3 – licitació") is None


def test_worded_leaves_the_source_frame_unchanged() -> None:
    raw = pd.DataFrame({"status": ["in_progress", "Executat"], "results": [1, 2]})
    shown = result_status.worded(raw)
    assert list(raw["status"]) == ["in_progress", "Executat"]
    assert list(shown["status"]) == [result_status.status_label("in_progress"), result_status.status_label("Executat")]
    assert shown["status"][1] == t("participation.result_status.completed")
