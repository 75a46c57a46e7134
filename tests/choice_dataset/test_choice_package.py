"""The shipped choice package validates, and `observatory validate` catches what a bad row gets wrong."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from observatory.config import load_settings
from observatory.datasets import validate_datasets

DATASETS = load_settings().datasets_dir


def _rows(name: str) -> list[dict[str, str]]:
    with (DATASETS / "choice" / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def shipped_issues() -> list:
    return validate_datasets(DATASETS)


def test_choice_package_is_valid(shipped_issues: list) -> None:
    mine = [i for i in shipped_issues if "choice/" in i.file]
    assert mine == [], "\n".join(map(str, mine[:30]))


def test_every_tool_has_a_profile_and_rows_are_sourced() -> None:
    with (DATASETS / "catalogue" / "tools.csv").open(encoding="utf-8") as fh:
        tools = {r["tool_id"] for r in csv.DictReader(fh)}
    assert {r["tool_id"] for r in _rows("tool_profiles.csv")} == tools
    for name in ("offers.csv", "accessibility.csv", "tool_languages.csv", "tool_profiles.csv"):
        for row in _rows(name):
            assert row["source_url"] and row["checked_on"], (name, row)
    for row in _rows("tool_languages.csv"):
        assert len(row["source_commit"]) == 40 and row["source_commit"] in row["source_url"]


def test_languages_cover_many_tools() -> None:
    languages = _rows("tool_languages.csv")
    assert len({r["tool_id"] for r in languages}) >= 20
    assert all(0.0 <= float(r["share_translated"]) <= 1.0 for r in languages)


def test_built_database_has_the_tables(built_db: Path) -> None:
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        for table in ("offers", "accessibility", "tool_languages", "tool_profiles"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
        orphan = con.execute("SELECT count(*) FROM tool_languages l LEFT JOIN tools t USING (tool_id) "
                             "WHERE t.tool_id IS NULL").fetchone()[0]
        assert orphan == 0
    finally:
        con.close()


@pytest.fixture
def copy_of_datasets(tmp_path: Path) -> Path:
    """catalogue + choice only: the choice package refers to nothing else."""
    root = tmp_path / "datasets"
    for package in ("catalogue", "choice"):
        shutil.copytree(DATASETS / package, root / package)
    return root


def _append(path: Path, row: dict[str, str]) -> None:
    with path.open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    with path.open("a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, fieldnames=header, lineterminator="\n").writerow(row)


def test_copy_validates_clean(copy_of_datasets: Path) -> None:
    """Control for the next test: the untouched copy has no problem."""
    assert validate_datasets(copy_of_datasets) == []


def test_bad_rows_are_caught(copy_of_datasets: Path) -> None:
    choice = copy_of_datasets / "choice"
    first_offer = len(_rows("offers.csv")) + 2  # CSV row of the first appended offer (header = row 1)
    new_language = len(_rows("tool_languages.csv")) + 2
    with (DATASETS / "catalogue" / "tools.csv").open(encoding="utf-8") as fh:
        polis_row = 2 + [r["tool_id"] for r in csv.DictReader(fh)].index("polis")
    base = {"source_url": "https://example.org/offer", "source_commit": "", "checked_on": "2026-12-01"}
    _append(choice / "offers.csv", {
        **base, "offer_id": "no-such-tool:acme:saas", "tool_id": "no-such-tool", "provider": "Acme", "kind": "saas",
        "hosting_countries": "", "eu_hosting": "", "price_public": "false", "price_from_eur_per_year": "",
        "pricing_url": "", "languages_supported": ""})
    _append(choice / "offers.csv", {
        **base, "offer_id": "decidim:acme:saas", "tool_id": "decidim", "provider": "Acme", "kind": "saas",
        "hosting_countries": "FR;US", "eu_hosting": "true", "price_public": "false", "price_from_eur_per_year": "",
        "pricing_url": "", "languages_supported": "fr;english"})
    _append(choice / "offers.csv", {
        **base, "offer_id": "decidim:acme:training", "tool_id": "decidim", "provider": "Acme", "kind": "training",
        "hosting_countries": "XX", "eu_hosting": "", "price_public": "false", "price_from_eur_per_year": "",
        "pricing_url": "", "languages_supported": ""})
    _append(choice / "tool_languages.csv", {
        "tool_id": "decidim", "language_code": "xq", "share_translated": "0.5",
        "source_url": "https://github.com/decidim/decidim", "source_commit": "0" * 40, "checked_on": "2026-12-01"})
    profiles = (choice / "tool_profiles.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = "".join(line for line in profiles if not line.startswith("polis,"))
    (choice / "tool_profiles.csv").write_text(kept, encoding="utf-8")

    messages = [str(i) for i in validate_datasets(copy_of_datasets)]
    expected = [
        f"offers.csv:{first_offer}:tool_id: 'no-such-tool' not found",
        f"offers.csv:{first_offer + 1}:eu_hosting: eu_hosting is true but hosting_countries FR;US say false",
        f"offers.csv:{first_offer + 1}:languages_supported: not ISO 639-1 language code(s): 'english'",
        f"offers.csv:{first_offer + 2}:hosting_countries: not ISO 3166-1 alpha-2 country code(s): 'XX'",
        f"tool_languages.csv:{new_language}:language_code: 'xq' in 'xq' is not an ISO 639 language code",
        f"tools.csv:{polis_row}:tool_id: tool 'polis' has no row in",
    ]
    for fragment in expected:
        assert any(fragment in m for m in messages), f"{fragment!r} not in:\n" + "\n".join(messages)
