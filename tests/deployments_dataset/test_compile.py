"""The compile script end to end on tiny snapshots of each registered list."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import frictionless
import pytest
from deployments_compile import check_row, compile_package, disagreements
from deployments_model import Deployment
from deployments_registry import SOURCES

from .conftest import MakeSnapshot

POINT = '\'{"type":"Point","coordinates":[%s,%s]}\''
DECIDIM_FILES = {
    "data/installations/barcelona.yml": f"title: Barcelona\nurl: 'https://www.decidim.barcelona/'\ntype: city\n"
                                        f"priority: 100\nlocation: {POINT % (2.183, 41.383)}\n",
    "data/installations/bordeaux.yml": "title: Bordeaux\nurl: https://participation.bordeaux.fr/\ntype: city\n"
                                       "priority: 50\n",
    "data/installations/ville-de-bordeaux.yml": f"title: Ville  de Bordeaux\nurl: https://participation.bordeaux.fr\n"
                                                f"type: city\npriority: 10\nlocation: {POINT % (-0.59, 44.83)}\n",
    "data/installations/greenpeace.yml": "title: Greenpeace\nurl: https://web.archive.org/web/20210311050650/"
                                         "https://concertation.greenpeace.fr/\ntype: org\npriority: 10\n",
    "data/installations/people-powered.yml": "title: People Powered\nurl: https://participate.peoplepowered.org/\n"
                                             "type: org\npriority: 10\n",
    "data/installations/salo.yml": f"title: Salo\nurl: https://osallistu.salo.fi/\ntype: city\npriority: 10\n"
                                   f"location: {POINT % (10.5167, 45.6)}\n",
}
OPENSTAD_FILES = {
    "publiccode.yml": "publiccodeYmlVersion: '0.5'\nusedBy:\n  - Gemeente Amsterdam\n  - Provincie Gelderland\n"
                      "  - Draad\nintendedAudience:\n  countries:\n    - nl\n",
}
DEMOCRACYOS_FILES = {
    "IMPLEMENTATIONS.md": "Intro\n\n**Partido de la Red** - **Buenos Aires, Argentina**\n\n"
                          "[DemocracyOS implementation](http://dos.partidodelared.org/) - [GitHub Repo](https://x)\n\n"
                          "**Réforme du collège** - **France**\n\n"
                          "[DemocracyOS implementation](http://college.democracyos.eu/)\n",
}
CONSUL_FILES = {
    "db/seeds.rb": 'Installation.create(name: "Madrid",\n                    repo: "https://github.com/AyuntamientoMadrid/consul")\n\n'
                   'Installation.create(name: "Paris - France",\n                    repo: "https://github.com/hugobarthelemy/consul")\n',
}
YOUR_PRIORITIES_FILES = {
    "README.md": "# Your Priorities\n\n## Examples of live servers running Your Priorities\n\n"
                 "* https://betrireykjavik.is/\n* https://engage.parliament.scot/\n\n## How to use SDKs\n\n"
                 "* https://not-a-server.example/\n",
}
POLIS_FILES = {
    "README.md": "# Open Polis data\n\n* **uberx.taiwan**: vTaiwan\n\n### Case studies\n\n"
                 "- https://compdemocracy.org/case-studies/2014-seattle-15-per-hour\n"
                 "- https://compdemocracy.org/case-studies/2019-scoop-hivemind-biodiversity\n"
                 "- https://compdemocracy.org/case-studies/2017-scoop-hivemind-ubi\n"
                 "- https://compdemocracy.org/case-studies/2015-vtaiwan-uberx\n",
}
ADHOCRACY_PLUS_FILES = {
    "README.md": "# adhocracy+\n\n[adhocracy.plus](https://adhocracy.plus/) is a free Open-Source participation "
                 "platform maintained and primarily developed by Liquid Democracy e.V.. It is based on Django.\n",
}
COBRAND = "perllib/FixMyStreet/Cobrand"
FIXMYSTREET_FILES = {
    f"{COBRAND}/Default.pm": "package FixMyStreet::Cobrand::Default;\nuse base 'FixMyStreet::Cobrand::Base';\n"
                             "sub country {\n    return '';\n}\n",
    f"{COBRAND}/UK.pm": "package FixMyStreet::Cobrand::UK;\nuse base 'FixMyStreet::Cobrand::Default';\n"
                        "sub country             { return 'GB'; }\n",
    f"{COBRAND}/UKCouncils.pm": "package FixMyStreet::Cobrand::UKCouncils;\nuse parent 'FixMyStreet::Cobrand::UK';\n",
    f"{COBRAND}/Bromley.pm": "use parent 'FixMyStreet::Cobrand::UKCouncils';\n"
                             "sub council_name { return 'Bromley Council'; }\n",
    f"{COBRAND}/Surrey.pm": "use parent 'FixMyStreet::Cobrand::UKCouncils';\nsub council_name { 'Surrey County Council' }\n",
    f"{COBRAND}/Borsetshire.pm": "use parent 'FixMyStreet::Cobrand::UKCouncils';\n"
                                 "sub council_name { return 'Borsetshire County Council'; }\n",
    f"{COBRAND}/FixaMinGata.pm": "use base 'FixMyStreet::Cobrand::Default';\nsub country {\n    return 'SE';\n}\n",
    f"{COBRAND}/Hylte.pm": "use base 'FixMyStreet::Cobrand::FixaMinGata';\n"
                           "sub council_name { return 'Hylte kommun'; }\nsub base_url { return 'https://hylte.fixamingata.se' }\n",
}
MEINBERLIN_FILES = {
    "README.md": "# Participation Platform mein.berlin\n\nmein.berlin is a participation platform for the city of "
                 "Berlin, Germany. It is\nbased on adhocracy 4.\n",
}


@pytest.fixture
def snapshots(make_snapshot: MakeSnapshot) -> dict[str, Path]:
    files = {"decidim-org": DECIDIM_FILES, "openstad": OPENSTAD_FILES, "democracyos": DEMOCRACYOS_FILES,
             "consulproject": CONSUL_FILES, "your-priorities": YOUR_PRIORITIES_FILES,
             "polis-open-data": POLIS_FILES, "adhocracy-plus": ADHOCRACY_PLUS_FILES,
             "fixmystreet": FIXMYSTREET_FILES, "meinberlin": MEINBERLIN_FILES}
    assert set(files) == set(SOURCES), "every registered source needs a fixture snapshot"
    return {option: make_snapshot(option, content) for option, content in files.items()}


def _rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / "deployments.csv").open(encoding="utf-8", newline="") as handle:
        return {row["deployment_id"]: row for row in csv.DictReader(handle)}


def test_compiles_every_list_into_one_valid_package(snapshots: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "deployments"
    notes = compile_package(snapshots, out, "2026-11-29")
    rows = _rows(out)
    assert len(rows) == 5 + 3 + 2 + 2 + 2 + 2 + 1 + 4 + 1
    assert frictionless.validate(out / "datapackage.json").valid

    barcelona = rows["decidim:decidim.barcelona"]
    assert (barcelona["country"], barcelona["country_method"], barcelona["region"]) == ("ES", "coordinates", "Catalonia")
    assert barcelona["organisation_type"] == "municipality"
    commit = barcelona["source_commit"]
    assert barcelona["source_url"] == f"https://github.com/decidim/decidim.org/blob/{commit}/data/installations/barcelona.yml"
    assert (barcelona["checked_on"], barcelona["origin"], barcelona["removed_on"]) == ("2026-11-29", "dataset", "")

    bordeaux = rows["decidim:participation.bordeaux.fr"]  # two files, one deployment: the one with a point wins
    assert bordeaux["organisation"] == "Ville de Bordeaux" and bordeaux["country_method"] == "coordinates"
    assert any("duplicate decidim:participation.bordeaux.fr" in note for note in notes)

    greenpeace = rows["decidim:concertation.greenpeace.fr"]
    assert (greenpeace["country"], greenpeace["country_method"], greenpeace["organisation_type"]) == ("FR", "domain", "ngo")
    assert greenpeace["url"].startswith("https://web.archive.org/")

    assert rows["decidim:participate.peoplepowered.org"]["country"] == ""
    salo = rows["decidim:osallistu.salo.fi"]  # curated: its point is Salò, Italy
    assert (salo["country"], salo["country_method"], salo["latitude"]) == ("FI", "domain", "")

    assert rows["openstad:gemeente-amsterdam"]["organisation_type"] == "municipality"
    assert rows["openstad:provincie-gelderland"]["region"] == "Gelderland"
    assert rows["openstad:draad"]["country_method"] == "manual"
    assert rows["democracyos:dos.partidodelared.org"]["region"] == "Buenos Aires"
    assert rows["democracyos:college.democracyos.eu"]["country"] == "FR"
    assert rows["consul-democracy:github.com/hugobarthelemy/consul"]["country_method"] == "name"
    assert rows["consul-democracy:github.com/ayuntamientomadrid/consul"]["source_url"].endswith("seeds.rb#L1")
    assert rows["your-priorities:engage.parliament.scot"]["organisation_type"] == "parliament"
    assert "your-priorities:not-a-server.example" not in rows  # outside the "live servers" section
    scoop = rows["polis:scoop-pep-scoop-hivemind"]  # two case studies, one organiser: the earliest year
    assert (scoop["started_year"], scoop["country"], scoop["source_url"][-3:]) == ("2017", "NZ", "#L9")
    assert rows["polis:vtaiwan"]["started_year"] == "2015"
    assert rows["adhocracy-plus:adhocracy.plus"]["organisation"] == "Liquid Democracy e.V."
    bromley = rows["fixmystreet:bromley-council"]  # country inherited from UK.pm through UKCouncils
    assert (bromley["country"], bromley["country_method"], bromley["organisation_type"]) == ("GB", "source", "municipality")
    assert rows["fixmystreet:surrey-county-council"]["organisation_type"] == "region"
    assert rows["fixmystreet:hylte.fixamingata.se"]["country"] == "SE"
    assert rows["fixmystreet:fixamingata"]["organisation"] == "FixaMinGata"
    assert not any(key.startswith("fixmystreet:borsetshire") for key in rows)  # fictional demo council
    berlin = rows["meinberlin:city-of-berlin"]
    assert (berlin["organisation"], berlin["country"], berlin["country_method"]) == ("City of Berlin", "DE", "source")

    with (out / "sources.csv").open(encoding="utf-8", newline="") as handle:
        source_ids = [row["source_id"] for row in csv.DictReader(handle)]
    assert source_ids == sorted(source_ids) and "dep-geonames-cities1000" in source_ids
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "observatory-deployments"
    assert package["resources"][0]["schema"]["x-foreignKeys"][0]["reference"]["package"] == "../catalogue"


def test_recompiling_the_same_snapshots_gives_the_same_bytes(snapshots: dict[str, Path], tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    compile_package(snapshots, first, "2026-11-29")
    compile_package(snapshots, second, "2026-11-29")
    for name in ("deployments.csv", "sources.csv", "datapackage.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_a_malformed_point_names_the_file_and_field_and_writes_nothing(
    make_snapshot: MakeSnapshot, snapshots: dict[str, Path], tmp_path: Path
) -> None:
    broken = {**DECIDIM_FILES, "data/installations/broken.yml": "title: Broken\nurl: https://b.example.es\n"
                                                                "type: city\nlocation: '{\"type\":\"Point\"}'\n"}
    snapshots["decidim-org"] = make_snapshot("decidim-broken", broken)
    out = tmp_path / "out"
    with pytest.raises(ValueError, match=r"data/installations/broken\.yml: location: not a GeoJSON point"):
        compile_package(snapshots, out, "2026-11-29")
    assert not out.exists()


def test_an_uncurated_consul_installation_is_refused_with_its_line(
    make_snapshot: MakeSnapshot, snapshots: dict[str, Path], tmp_path: Path
) -> None:
    seeds = CONSUL_FILES["db/seeds.rb"] + '\nInstallation.create(name: "Nowhere",\n repo: "https://github.com/x/consul")\n'
    snapshots["consulproject"] = make_snapshot("consul-new", {"db/seeds.rb": seeds})
    with pytest.raises(ValueError, match=r"db/seeds\.rb:7: name: 'Nowhere' has no curated type/country"):
        compile_package(snapshots, tmp_path / "out", "2026-11-29")


def _candidate(**fields: object) -> Deployment:
    base = {"tool_id": "decidim", "organisation": "Somewhere", "organisation_type": "municipality",
            "source_url": "https://github.com/o/r/blob/abc/f.yml", "source_commit": "abc", "source_id": "dep-x",
            "locator": "f.yml"}
    return Deployment(**(base | fields))


def test_coordinates_that_contradict_the_domain_are_reported_for_review() -> None:
    row = _candidate(url="https://osallistu.salo.fi/", country="IT", country_method="coordinates")
    assert disagreements([row]) == ["review f.yml: coordinates say IT, domain says FI"]
    assert disagreements([_candidate(url="https://example.org/", country="IT", country_method="coordinates")]) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tool_id": "no-such-tool"}, "tool_id: unknown 'no-such-tool'"),
        ({"organisation_type": "club"}, "organisation_type: unknown 'club'"),
        ({"country": "XX", "country_method": "manual"}, "country: not ISO 3166-1 alpha-2 'XX'"),
        ({"country": "FR"}, "country_method: must be set exactly when country is"),
    ],
)
def test_rows_the_schema_would_reject_are_refused_naming_the_entry(fields: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=r"^f\.yml \(decidim:x\): .*" + re.escape(message)):
        check_row("decidim:x", _candidate(**fields))
