"""The Compare page's software health and the Adoption page's landscape read the shipped git-health tables."""

from __future__ import annotations

import csv

import pytest

from dashboards.i18n import t
from observatory.config import load_settings
from tests.dashboards.test_apptest import _app, _open


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_compare_shows_git_health_with_reason_source_and_thresholds(monkeypatch, shipped_db, lang):
    at = _open(_app(monkeypatch, shipped_db, lang), "app_pages/compare.py")
    at.multiselect(key="compare_tools").set_value(["fixmystreet", "decidim"]).run()
    assert not at.exception
    assert t("compare.git_health", lang) in [s.value for s in at.subheader]
    captions = "\n".join(c.value for c in at.caption)
    markdown = "\n".join(m.value for m in at.markdown)
    assert t("health.status.active", lang) in markdown
    assert t("health.coverage.partial", lang).split(".")[0] in captions          # Decidim: partial row, said so
    assert "0.32" in captions                                                      # its last release post
    assert t("health.thresholds", lang).split(":")[0] in captions                  # thresholds shown
    assert "{" not in captions                                                     # every placeholder filled


def test_adoption_counts_the_landscape(monkeypatch, shipped_db):
    at = _open(_app(monkeypatch, shipped_db, "en"), "app_pages/adoption.py")
    assert t("adoption.landscape", "en") in [s.value for s in at.subheader]
    text = "\n".join(m.value for m in at.markdown)
    with (load_settings().datasets_dir / "health" / "repo_health.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    partial = sum(r["coverage"] == "partial" for r in rows)
    assert " active · " in text and f"of {len(rows)} tools with a health row ({partial} partial)" in text


def test_compare_licence_history_names_sources_and_flags_disagreements(monkeypatch, shipped_db):
    at = _open(_app(monkeypatch, shipped_db, "en"), "app_pages/compare.py")
    at.multiselect(key="compare_tools").set_value(["democracyos", "cobudget"]).run()
    history = next(df.value for df in at.dataframe if "declaration_source" in df.value.columns)
    assert {t("compare.event_source.curated", "en"), t("compare.event_source.git", "en")} <= set(history["source"])
    captions = "\n".join(c.value for c in at.caption)
    assert "licence events on which the git history and the curated list disagree" in captions
