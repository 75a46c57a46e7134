"""Canonical URLs and the country derivations used for deployment rows."""

from __future__ import annotations

import pytest
from deployments_geo import canonical_url, country_from_domain, country_from_name, slug


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.decidim.barcelona/", "decidim.barcelona"),
        ("HTTP://Participa.Example.CAT/Processes/?locale=ca#top", "participa.example.cat/processes"),
        ("https://decidim.example.coop/users/sign_in?locale=es", "decidim.example.coop"),
        ("https://web.archive.org/web/20210311050650/https://concertation.example.fr/", "concertation.example.fr"),
        ("https://web-archive-org.translate.goog/web/20210329041552/https://mlit.example.jp", "mlit.example.jp"),
        ("https://wayback.archive-it.org/12090/20230418091815/https:/futureu.europa.eu/", "futureu.europa.eu"),
        ("https://github.com/AyuntamientoMadrid/consul/", "github.com/ayuntamientomadrid/consul"),
    ],
)
def test_canonical_url_merges_spellings_of_one_address(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://osallistu.salo.fi/", "FI"),
        ("https://decide.merida.gob.mx/", "MX"),
        ("https://participa.example.cat/", "ES"),
        ("https://www.junges.wien/", "AT"),
        ("https://engage.parliament.scot/", "GB"),
        ("https://advancingdatajustice.turing.ac.uk/", "GB"),
        ("https://participa.onic.org.co/", "CO"),
        ("https://startup.co/", ""),
        ("https://tool.io/", ""),
        ("https://participate.example.org/", ""),
        ("https://europe.example.eu/", ""),
        ("", ""),
    ],
)
def test_country_from_domain_trusts_only_country_domains(url: str, expected: str) -> None:
    assert country_from_domain(url) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Paris - France", "FR"),
        ("Jalisco -  Mexico", "MX"),
        ("Open Knowledge Brasil", "BR"),
        ("Papua New Guinea council", "PG"),
        ("Ministry of Land (Japan)", "JP"),
        ("Franceville association", ""),
        ("People Powered", ""),
    ],
)
def test_country_from_name_matches_whole_country_names(name: str, expected: str) -> None:
    assert country_from_name(name) == expected


def test_slug_is_ascii_and_stable() -> None:
    assert slug("Gemeente Alphen aan den Rijn") == "gemeente-alphen-aan-den-rijn"
    assert slug("Buro Regen&Water") == "buro-regen-water"
    assert slug("Cámara Municipal de São Paulo") == "camara-municipal-de-sao-paulo"
