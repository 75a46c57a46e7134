"""HTML report: parse it with bs4 and check sections, citations, escaping and self-containment."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from observatory.reports import FORMATS, build_report, render_report
from observatory.reports.model import UnknownToolError
from observatory.reports.sections import SECTIONS
from observatory.store import connect_readonly
from tests.reports.conftest import FOUR_TOOLS
from tests.reports.fixture_db import HOSTILE_DESCRIPTION, HOSTILE_NAME

# the sections every report shows; optional ones (PB, chooser) are turned on by a build option
BODY_SECTIONS = [s.key for s in SECTIONS if s.when is None]


def _soup(db: Path, tools: list[str], lang: str, **kw: object) -> BeautifulSoup:
    con = connect_readonly(db)
    try:
        html = render_report(con, tools, lang, "html", **kw)
    finally:
        con.close()
    return BeautifulSoup(html.decode("utf-8"), "html.parser")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_section_and_toc_entry(report_db: Path, lang: str) -> None:
    soup = _soup(report_db, FOUR_TOOLS, lang)
    found = [s["data-section"] for s in soup.select("section[data-section]")]
    assert found == [*BODY_SECTIONS, "sources", "data-licence"]
    toc = [a["href"] for a in soup.select("nav.toc a")]
    assert toc == [f"#sec-{k}" for k in BODY_SECTIONS] + ["#sec-sources", "#sec-data-licence"]
    for href in toc:
        assert soup.find(id=href[1:]) is not None, href
    assert soup.html["lang"] == lang


def test_every_citation_links_to_a_listed_source_and_every_source_is_cited(report_db: Path) -> None:
    soup = _soup(report_db, FOUR_TOOLS, "en")
    listed = [li["id"] for li in soup.select("ol.sources > li")]
    assert listed == [f"src-{n}" for n in range(1, len(listed) + 1)]
    cited = {a["href"][1:] for a in soup.select('a[href^="#src-"]')}
    assert cited == set(listed)
    # reading order: the first citation of the document is source 1
    assert soup.select('a[href^="#src-"]')[0]["href"] == "#src-1"
    # every body fact row carries its sources
    for table_key in ("summary", "licences", "licence_history", "features", "health", "adoption", "liveness"):
        rows = soup.select(f'table[data-table="{table_key}"] tbody tr')
        assert rows, table_key
        for tr in rows:
            cell_refs = tr.select('a[href^="#src-"]')
            assert cell_refs, f"{table_key}: uncited row {tr.get_text(' ', strip=True)[:60]}"


def test_sources_show_url_commit_and_folder_collapse(report_db: Path) -> None:
    soup = _soup(report_db, FOUR_TOOLS, "en")
    text = soup.select_one("#sec-sources").get_text(" ", strip=True)
    assert "https://github.com/decidim/decidim/blob/abc1234def/README.md" in text
    # eight per-installation files of one folder are cited as that folder at its commit
    assert "https://github.com/decidim/decidim.org/tree/115e36b/data/installations" in text
    assert "city0.yml" not in text
    assert "abc1234def" in text


def test_content_facts(report_db: Path) -> None:
    soup = _soup(report_db, FOUR_TOOLS, "en")
    summary = soup.select_one('table[data-table="summary"]').get_text(" ", strip=True)
    for name in ("Decidim", "Consul Democracy", "Loomio", "Polis", "AGPL-3.0-or-later", "network copyleft"):
        assert name in summary
    history = soup.select_one('table[data-table="licence_history"]').get_text(" ", strip=True)
    assert "2019-05-01" in history and "AGPL-3.0-only" in history
    adoption = soup.select_one('table[data-table="adoption"]')
    first = [td.get_text(strip=True) for td in adoption.select("tbody tr")[0].select("td")]
    assert first[:2] == ["Spain", "ES"] and first[-2] == "4"    # 3 Decidim + 1 Consul; removed one excluded
    live = soup.select_one('table[data-table="liveness"]').get_text(" ", strip=True)
    assert "75.0" in live
    matrix = soup.select_one('table[data-table="features"]').get_text(" ", strip=True)
    assert "third party" in matrix and "self-declared" in matrix and "code" in matrix
    assert len(soup.select("figure svg.chart")) >= 4


def test_hostile_text_is_escaped_and_links_are_safe(report_db: Path) -> None:
    soup = _soup(report_db, [*FOUR_TOOLS, "evil-tool"], "en")
    assert soup.find("script") is None
    assert soup.find("b") is None                     # <b> from the description stays text
    assert HOSTILE_DESCRIPTION in soup.get_text()     # shown verbatim, as text
    assert HOSTILE_NAME in soup.get_text()
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert all(h.startswith(("#", "https://", "http://")) for h in hrefs), [h for h in hrefs if "javascript" in h]
    # self-contained: nothing to fetch
    assert not soup.find_all(["img", "link", "iframe", "object"])
    assert all(not tag.get("src") for tag in soup.find_all(True))


def test_french_typography_and_numbers(report_db: Path) -> None:
    soup = _soup(report_db, FOUR_TOOLS, "fr")
    title = soup.find("h1").get_text()
    assert title.startswith("Rapport comparatif\u00a0:")
    assert "«\u00a0code\u00a0»" in soup.get_text()
    en = _soup(report_db, FOUR_TOOLS, "en").find("h1").get_text()
    assert "\u00a0" not in en and en.startswith("Comparative report:")
    stars = soup.select_one('table[data-table="health"]').get_text()
    assert "1\u202f600" in stars   # French thousands separator


def test_not_collected_sections_name_the_command(bare_db: Path) -> None:
    soup = _soup(bare_db, FOUR_TOOLS, "en")
    health = soup.select_one("#sec-health .empty").get_text()
    assert "Not collected yet" in health and "observatory collect github gitlab" in health
    assert "observatory collect probe" in soup.select_one("#sec-adoption").get_text()


def test_title_page_metadata(report_db: Path) -> None:
    con = connect_readonly(report_db)
    try:
        report = build_report(con, FOUR_TOOLS, "en", fmt="pdf", output="out/cmp.pdf")
    finally:
        con.close()
    assert report.command == ("observatory report --tools decidim,consul-democracy,loomio,polis --lang en "
                              "--format pdf -o out/cmp.pdf")
    assert report.data_version.startswith(f"schema {report.schema_version} · ")
    assert "observatory-catalogue 2026-11-20" in report.data_version
    html = FORMATS["html"].render(report, "en").decode()
    assert report.command in BeautifulSoup(html, "html.parser").select_one("code.command").get_text()


def test_unknown_tool_lists_valid_ids(report_db: Path) -> None:
    con = connect_readonly(report_db)
    try:
        with pytest.raises(UnknownToolError) as err:
            build_report(con, ["decidim", "nope"], "en")
    finally:
        con.close()
    assert "nope" in str(err.value) and "consul-democracy" in str(err.value) and "polis" in str(err.value)


def test_language_mismatch_is_refused(report_db: Path) -> None:
    con = connect_readonly(report_db)
    try:
        report = build_report(con, ["decidim"], "fr")
    finally:
        con.close()
    with pytest.raises(ValueError, match="collected in 'fr'"):
        FORMATS["html"].render(report, "en")


def test_sections_registry_is_the_body_of_the_report(report_db: Path) -> None:
    """Each registered section builds a section of its own key, in registry order; optional ones only when asked."""
    assert BODY_SECTIONS[:2] == ["summary", "licences"]
    assert {s.when for s in SECTIONS} == {None, "pb_edition", "needs"}
    assert len({s.key for s in SECTIONS}) == len(SECTIONS)
    con = connect_readonly(report_db)
    try:
        report = build_report(con, FOUR_TOOLS, "en")
    finally:
        con.close()
    assert [s.key for s in report.sections] == BODY_SECTIONS
