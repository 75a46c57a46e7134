from __future__ import annotations

import pytest

from observatory.analytics import licences as lic


def test_network_copyleft_obliges_publishing_changes_in_both_languages():
    en = lic.explain("AGPL-3.0-or-later", "en")
    fr = lic.explain("AGPL-3.0-or-later", "fr")
    assert en.family == fr.family == "network_copyleft"
    assert en.network_clause and en.osi_approved
    assert "publish its changes" in en.obligations
    assert "publier ses modifications" in fr.obligations


def test_permissive_has_no_publication_duty():
    expl = lic.explain("MIT", "en")
    assert expl.family == "permissive" and not expl.network_clause
    assert "may stay private" in expl.obligations


def test_or_lets_the_reuser_pick_the_least_demanding_licence():
    expl = lic.explain("AGPL-3.0-only OR MIT", "en")
    assert expl.family == "permissive"
    assert expl.licence_ids == ("AGPL-3.0-only", "MIT")


def test_and_applies_the_most_demanding_licence():
    assert lic.explain("MIT AND GPL-3.0-only", "en").family == "strong_copyleft"


def test_dual_licence_with_a_commercial_option_keeps_the_open_one():
    catalogue = {"LicenseRef-Vendor-Commercial": lic.LicenceFacts("LicenseRef-Vendor-Commercial", "proprietary",
                                                                   False, False)}
    expl = lic.explain("AGPL-3.0-only OR LicenseRef-Vendor-Commercial", "en", catalogue)
    assert expl.family == "network_copyleft" and expl.osi_approved


def test_unknown_licence_says_so_instead_of_guessing():
    expl = lic.explain("LicenseRef-Something", "fr")
    assert expl.family == "unknown" and expl.osi_approved is None
    assert "pas dans le catalogue" in expl.obligations


def test_curated_obligations_from_the_database_win():
    rows = [{"spdx_id": "MIT", "family": "permissive", "osi_approved": True, "network_clause": False,
             "obligations_en": "Curated text.", "obligations_fr": None}]
    catalogue = lic.catalogue_from_rows(rows)
    assert lic.explain("MIT", "en", catalogue).obligations == "Curated text."
    assert "mentions de droit d'auteur" in lic.explain("MIT", "fr", catalogue).obligations


def test_invalid_expression_is_reported():
    with pytest.raises(ValueError, match="invalid SPDX expression"):
        lic.licence_ids("MIT OR (")
