"""URL kinds and organisation levels: the compile step flags/corrects rows, `validate` refuses what slips through."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from deployments_compile import derive_kinds_and_types
from deployments_model import Deployment

from observatory.config import load_settings
from observatory.datasets import validate_datasets
from observatory.deployment_rules import level_problem, url_kind, url_kind_problem


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://meta.diycities.jp/assemblies/hereandthere/f/405/proposals/1408", "proposal_page"),
        ("https://www.aoc.cat/en/blog/2022/disponible-el-nou-servei-decidim-catalunya/", "article"),
        ("https://bosa.belgium.be/fr/services/monopinion", "article"),
        ("https://web.archive.org/web/20210311050650/https://concertation.greenpeace.fr/", "archived_copy"),
        ("https://web.archive.org/web/20210106185132/https://tecnopolitica.net/en/content/dddc", "article"),
        ("https://github.com/AyuntamientoMadrid/consul/", "repository"),
        ("https://www.santacruzdetenerife.es/participa/", "installation"),
        ("https://decide.madrid.es", "installation"),
        ("", "none"),
    ],
)
def test_url_kind_tells_installations_from_pages_archives_and_forks(url: str, kind: str) -> None:
    assert url_kind(url) == kind


def test_a_page_declared_as_installation_is_refused_and_a_flagged_one_passes() -> None:
    page = "https://meta.diycities.jp/assemblies/hereandthere/f/405/proposals/390"
    assert "looks like a proposal page" in (url_kind_problem(page, "installation") or "")
    assert url_kind_problem(page, "proposal_page") is None
    assert url_kind_problem("https://decide.madrid.es", "installation") is None


@pytest.mark.parametrize(
    ("name", "wrong", "right"),
    [
        ("Assemblée Nationale", "region", "parliament"),
        ("Sénat (FR)", "region", "parliament"),
        ("Partecipa Governo Italia", "region", "national_government"),
        ("SPF Stratégie et Appui (BOSA)", "region", "national_government"),
        ("Conseil départemental du Loiret", "municipality", "region"),
        ("Mairie d'Angers", "region", "municipality"),
        ("Conference on the Future of Europe", "region", "other"),
    ],
)
def test_types_must_agree_with_the_level_the_name_states(name: str, wrong: str, right: str) -> None:
    assert level_problem(name, wrong) is not None
    assert level_problem(name, right) is None


def test_names_without_level_words_are_left_to_the_source() -> None:
    assert level_problem("Loiret", "municipality") is None  # why the reader curates it: see decidim reader
    assert level_problem("Greenpeace", "ngo") is None


def test_compile_corrects_a_contradicted_source_type_but_keeps_curation() -> None:
    listed = Deployment(tool_id="decidim", organisation="Assemblée Nationale", organisation_type="region",
                        source_url="https://x.example/f", source_commit="a" * 40, source_id="dep-x",
                        url="https://petitions.assemblee-nationale.fr/", locator="f.yml")
    report: list[str] = []
    derive_kinds_and_types([listed], report)
    assert (listed.organisation_type, listed.organisation_type_method, listed.url_kind) == ("parliament", "name",
                                                                                           "installation")
    assert report == ["type f.yml: 'Assemblée Nationale' region -> parliament (parliament-level name)"]


def _shipped_copy(tmp_path: Path) -> Path:
    source = load_settings().datasets_dir
    target = tmp_path / "datasets"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("scripts"))
    return target


def _edit(path: Path, deployment_id: str, **changes: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames or [], list(reader)
    for row in rows:
        if row["deployment_id"] == deployment_id:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_validate_catches_a_hidden_proposal_page_and_a_wrong_level(tmp_path: Path) -> None:
    datasets = _shipped_copy(tmp_path)
    assert [str(i) for i in validate_datasets(datasets) if "deployments.csv" in i.file] == []  # control
    csv_path = datasets / "deployments" / "deployments.csv"
    _edit(csv_path, "decidim:meta.diycities.jp/assemblies/hereandthere/f/405/proposals/390", url_kind="installation")
    _edit(csv_path, "decidim:petitions.assemblee-nationale.fr", organisation_type="region")
    problems = [str(i) for i in validate_datasets(datasets) if "deployments.csv" in i.file]
    assert len(problems) == 2
    assert any(":url_kind: url " in p and "proposal page" in p for p in problems)
    assert any(":organisation_type: organisation 'Assemblée Nationale' is parliament-level" in p for p in problems)
