"""The compile script end to end on tiny snapshots of each registered list."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import deployments_src_consul_forks
import frictionless
import pytest
from deployments_compile import check_row, compile_package, disagreements
from deployments_model import Deployment
from deployments_registry import SOURCES

from .conftest import MakeSnapshot, _git

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
DEMOCRACYOS_README_OLD = ("# DemocracyOS\n\n## Current deployments\n\n* [Vot-it](http://vot-it.org/): a platform\n"
                          "* [DemocracyOS - PDR](http://dos.partidodelared.org): The Net Party\n\n## Links\n")
DEMOCRACYOS_README = ("# DemocracyOS\n\n## Current DemocracyOS deployments\n\n"
                      "* [DemocracyOS - PDR](http://dos.partidodelared.org): The Net Party's deployment.\n"
                      "* [Paris](https://crm.paris.fr/2016/): Official deployment in Paris (France).\n\n## Links\n")
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
                           "sub council_name { return 'Hylte kommun'; }\n"
                           "sub base_url { return 'https://hylte.fixamingata.se' }\n",
}
CONSUL_MAP = ('[\n  {\n    "latitude": 40.4167754, "longitude": -3.70379,\n    "name": "Ayuntamiento de Madrid",\n'
              '    "consul_website": "https://decide.madrid.es",\n    "source": "https://github.com/AyuntamientoMadrid/consul",\n'
              '    "country": "es"\n  },{\n    "latitude": -31.3994, "longitude": -64.2643,\n    "name": "Córdoba",\n'
              '    "country": "ar"\n  },{\n    "latitude": 37.8847, "longitude": -4.7792,\n    "name": "Córdoba",\n'
              '    "country": "es"\n  },{\n    "latitude": 35.8985, "longitude": 14.5044,\n'
              '    "name": "Ciudad de La Valletta",\n    "country": "mt"\n  }\n]\n')
CONSUL_EXAMPLES = ('<div>\n<a href="https://decide.madrid.es" target="_blank" '
                   'title="{{ site.data.i18n[page.locale].organizations.madrid }}">\n'
                   '<a href="https://wuerzburg-mitmachen.de" target="_blank" '
                   'title="{{ site.data.i18n[page.locale].organizations.wurzburg }}">\n</div>\n')
CONSUL_LABELS = "organizations:\n  title: x\n  madrid: \"Madrid, Spain\"\n  wurzburg: \"Würzburg, Germany\"\n"
MAPSEED_FILES = {
    "src/flavors/pboakland/config.json": '{"app": {"name": "_(Participatory Budgeting Oakland)"}, '
                                         '"map": {"options": {"center": {"lat": 37.81555, "lng": -122.25251}}}}',
    "src/flavors/augusta/config.json": '{"app": {"name": "Parque Augusta"}, '
                                       '"map": {"options": {"mapViewport": {"latitude": -23.55, "longitude": -46.65}}}}',
    "src/flavors/pbdemo/config.json": '{"app": {"name": "Demo"}, "map": {"center": {"lat": 1, "lng": 1}}}',
}
SITES_MD = ("---\ntitle: Sites\n---\n<h2>Europe</h2>\n\n<h3>Croatia</h3>\nSite: <a href=\"https://popravi.to\">Popravi.to</a>\n"
            "<br>\nLaunched: 2021\n<br>\nRun by: <a href=\"https://codeforcroatia.org\">Code for Croatia</a> and Gong\n\n"
            "<h3>Switzerland</h3>\nSite: <a href=\"https://www.zueriwieneu.ch/\">ZueriWieNeu</a> in Zurich\n<br>\n"
            "Launched: 2013\n<br>\nRun by: <a href=\"https://www.stadt-zuerich.ch/portal\">Zurich City\nCouncil</a>\n\n"
            "<h3>Kosovo</h3>\nSite: <a href=\"https://ndreqe.com\">ndreqe.</a>\n<br>\nRun by: Democracy Plus\n\n"
            "<ul>\n<li>India: ZeroTB in Delhi. A\nproject to report medicine shortages.\nLaunched: 2014, run by "
            "<a href=\"https://www.article-25.org/\">Article 25</a></li>\n"
            "<li>Uruguay: PorMiBarrio, launched 2014, run by <a href=\"https://www.datauy.org/\">DATA</a></li>\n</ul>\n")
PROJECT_READMES = {
    "e-petitions": ("README.md", "# Petitions\n\nThe [UK petitions service][1].\n\n[1]: https://petition.parliament.uk\n"),
    "rahvaalgatus": ("README.md", "The website of <https://rahvaalgatus.ee> built with JavaScript.\n"),
    "talk-to-the-city": ("README.md", "**Try it live**: [https://talktothe.city/](https://talktothe.city/)\n"),
    "openspending": ("README.md", "The main use is the site [openspending.org](http://openspending.org).\n"),
    "agora-voting": ("README.md", "You can see a live version of Agora here: https://agoravoting.com\n"),
    "sovereign": ("README.md", "## Live\n\n* Democracy Earth: [democracy.earth](https://democracy.earth).\n"),
    "all-our-ideas": ("README.markdown", "Runs [photocracy.org](http://www.photocracy.org/) and "
                                         "[allourideas.org](http://www.allourideas.org/).\n"),
    "antragsgruen": ("README.md", "- German: [https://antragsgruen.de](https://antragsgruen.de/)\n- English: "
                                  "[https://motion.tools](https://motion.tools/), [https://discuss.green](https://discuss.green/)\n"),
    "dipas": ("README.md", "Created under the leadership of the [Stadtwerkstatt](https://www.hamburg.de/stadtwerkstatt).\n"),
    "airesis": ("README.md", "## Reference website\n\n* [www.airesis.eu](https://www.airesis.eu)\n"
                             "* [www.airesis.it](https://www.airesis.it)\n"),
    "vocdoni": ("README.md", '<a href="https://vocdoni.app">Web Application</a>\n'),
    "madison": ("README.md", "Visit our [Engagement Guide](https://mymadison.io/sponsors/guide)\n"),
    "polis-main": ("README.md", "the main deployment of Polis is at <https://pol.is>\n"),
}
# options reading the same repository as another one
SHARED_SNAPSHOTS = {"decidim-org-retired": "decidim-org", "democracyos-readme": "democracyos",
                    "antragsgruen-users": "antragsgruen", "mapseed-retired-flavors": "mapseed",
                    "all-our-ideas-photocracy": "all-our-ideas", "antragsgruen-motion-tools": "antragsgruen",
                    "antragsgruen-discuss-green": "antragsgruen", "airesis-it": "airesis",
                    "fixmystreet-sites": "fixmystreet", "fixmystreet-retired": "fixmystreet"}
MEINBERLIN_FILES = {
    "README.md": "# Participation Platform mein.berlin\n\nmein.berlin is a participation platform for the city of "
                 "Berlin, Germany. It is\nbased on adhocracy 4.\n",
}


def _fixmystreet_with_history(make_snapshot: MakeSnapshot) -> Path:
    """The cobrand folder with a retired module (added, then deleted) and the sites page."""
    directory = make_snapshot("fixmystreet", {**FIXMYSTREET_FILES, f"{COBRAND}/Reading.pm":
                              "use base 'FixMyStreet::Cobrand::UKCouncils';\n"
                              "sub council_name { return 'Reading City Council'; }\n",
                              f"{COBRAND}/WestBerkshire.pm": "use base 'FixMyStreet::Cobrand::UK';\n",
                              f"{COBRAND}/ZeroTB.pm": "use base 'FixMyStreet::Cobrand::Default';\n"
                              "sub country {\n    return 'IN';\n}\n"})
    for name in ("Reading", "WestBerkshire", "ZeroTB"):
        (directory / COBRAND / f"{name}.pm").unlink()
    (directory / "docs").mkdir()
    (directory / "docs" / "sites.md").write_text(SITES_MD, encoding="utf-8")
    _git(directory, "add", "-A")
    _git(directory, "commit", "-q", "-m", "retire three cobrands, add the sites page")
    return directory


def _with_removed(make_snapshot: MakeSnapshot, name: str, kept: dict[str, str], removed: dict[str, str]) -> Path:
    """A snapshot whose history has `removed` files: committed once, then deleted in a later commit."""
    directory = make_snapshot(name, {**kept, **removed})
    for path in removed:
        (directory / path).unlink()
    _git(directory, "add", "-A")
    _git(directory, "commit", "-q", "-m", "remove")
    return directory


DECIDIM_REMOVED = {
    "data/installations/galdakao.yml": "title: Galdakao\nurl: https://galdakao.example.eus/\ntype: city\n",
    "data/installations/shiga.yml": "title: Shiga\nurl: https://shiga.example.jp/\ntype: region\n",
}
MAPSEED_REMOVED = {  # removed after 2014: counted; the demo is not
    "src/flavors/noise/config.yml": "app:\n  name: Noise pollution\nmap:\n  options:\n    center:\n"
                                    "      lat: 47.53\n      lng: -122.32\n",
    "src/flavors/demo1/config.yml": "app:\n  name: Demo 1\nmap:\n  options:\n    center:\n"
                                    "      lat: 47.56\n      lng: -122.3\n",
}
SHAREABOUTS_REMOVED = {
    "src/flavors/bikeparking/config.yml": "app:\n  name: Bike Parking Survey\nmap:\n  options:\n    center:\n"
                                          "      lat: 39.95\n      lng: -75.16\n",
    "src/flavors/overlays/config.yml": "app:\n  name: Overlays Demo\nmap:\n  options:\n    center:\n"
                                       "      lat: 40.7\n      lng: -73.9\n",
}


CONSUL_FORKS = ("# Open source forks and modifications\n\nDenmark\n\n* Aarhus Kommune platform 'Sammen om Aarhus'\n"
                "  * platform: [https://www.sammenomaarhus.dk/](https://www.sammenomaarhus.dk/)\n"
                "  * code base: [https://github.com/bellcom/consul](https://github.com/bellcom/consul)\n\n"
                "Slovenia\n\n* City of Maribor platform 'Maribor Sodeluj'\n* Obcine Medvode platform 'Sodeluj'\n"
                "  * platform: [https://www.mariborsodeluj.si/](https://www.mariborsodeluj.si/), "
                "[https://www.sodelujinglasuj.si/](https://www.sodelujinglasuj.si/)\n"
                "  * same code base: [https://github.com/danesjenovdan/consul](https://github.com/danesjenovdan/consul)\n\n"
                "Spain\n\n* Ayuntamiento de Madrid platform 'Decide Madrid'\n  * platform: https://decide.madrid.es/&#x20;\n"
                "  * code base: [https://github.com/AyuntamientoMadrid/consul](https://github.com/AyuntamientoMadrid/consul)\n")


def _blob(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


OPENSLIDES_OLD = ("references = [\n  {\n    name: _('Parteien'),\n    refs: [\n      {\n        name: 'SPD',\n      },\n"
                  "    ]\n  },\n  {\n    name: _('Weitere Verbände, Vereine und Organisationen'),\n    refs: [\n"
                  "      {\n        name: 'Opennet Initiative e.V.',\n      },\n      {\n"
                  "        name: 'Industriegewerkschaft Bauen Agrar Umwelt',\n      },\n    ]\n  },\n]\n")
OPENSLIDES_NEW = OPENSLIDES_OLD.replace("'Opennet Initiative e.V.'", "'Amnesty International'").replace(
    "'Industriegewerkschaft Bauen Agrar Umwelt'", "'Industriegewerkschaft Bauen Agrar Umwelt (IG BAU)'")


def _democracyos(make_snapshot: MakeSnapshot) -> Path:
    """IMPLEMENTATIONS.md and two versions of the README's deployments section."""
    directory = make_snapshot("democracyos", {**DEMOCRACYOS_FILES, "README.md": DEMOCRACYOS_README_OLD})
    (directory / "README.md").write_text(DEMOCRACYOS_README, encoding="utf-8")
    _git(directory, "commit", "-q", "-am", "update deployments")
    return directory


ANTRAGSGRUEN_GREEN = "\n".join(
    f'<a href="{url}">' for url in ("https://motiontool.europeangreens.eu/", "https://antraege.gruene.de/",
                                     "https://gruene-wien.antragsgruen.de/", "https://edinburghgreens.discuss.green/",
                                     "https://yfj-votes.motion.tools/", "https://ga.cdnee.org")
) + "\nnon-green parties like the Austrian NEOS or the Dutch Volt,\n"
ANTRAGSGRUEN_EN = ('<a href="https://volteuropa.org/">Volt Europa</a>, and the\n'
                   '<a href="https://www.frauenrat.de/">National Council of German Women’s Organizations</a>.\n')


def _openslides(make_snapshot: MakeSnapshot) -> Path:
    """Two versions of the references: one dropped, one renamed with its abbreviation."""
    directory = make_snapshot("openslides", {"src/app/reference.service.ts": OPENSLIDES_OLD})
    (directory / "src/app/reference.service.ts").write_text(OPENSLIDES_NEW, encoding="utf-8")
    _git(directory, "commit", "-q", "-am", "update references")
    return directory


def _consul_website(make_snapshot: MakeSnapshot) -> Path:
    """Examples on the default branch; the map data only on another ref (as in the real repository)."""
    directory = make_snapshot("consul-website", {"_includes/organizations.html": CONSUL_EXAMPLES,
                                                 "_data/i18n/en.yml": CONSUL_LABELS})
    _git(directory, "checkout", "-q", "-b", "map")
    (directory / "_data" / "organizations.json").write_text(CONSUL_MAP, encoding="utf-8")
    _git(directory, "add", "-A")
    _git(directory, "commit", "-q", "-m", "map data")
    _git(directory, "checkout", "-q", "-")
    return directory


@pytest.fixture
def snapshots(make_snapshot: MakeSnapshot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    files = {"openstad": OPENSTAD_FILES,
             "consulproject": CONSUL_FILES, "your-priorities": YOUR_PRIORITIES_FILES,
             "polis-open-data": POLIS_FILES, "adhocracy-plus": ADHOCRACY_PLUS_FILES,
             "meinberlin": MEINBERLIN_FILES,
             **{option: {path: text} for option, (path, text) in PROJECT_READMES.items()}}
    dirs = {option: make_snapshot(option, content) for option, content in files.items()}
    dirs["fixmystreet"] = _fixmystreet_with_history(make_snapshot)
    dirs["consul-website"] = _consul_website(make_snapshot)
    dirs["decidim-org"] = _with_removed(make_snapshot, "decidim-org", DECIDIM_FILES, DECIDIM_REMOVED)
    dirs["shareabouts-flavors"] = _with_removed(make_snapshot, "shareabouts", {"README.md": "x\n"}, SHAREABOUTS_REMOVED)
    dirs["openslides-references"] = _openslides(make_snapshot)
    dirs["democracyos"] = _democracyos(make_snapshot)
    dirs["antragsgruen"] = make_snapshot("antragsgruen-pages", {
        "README.md": PROJECT_READMES["antragsgruen"][1],
        "plugins/green_manager/views/manager/index.php": ANTRAGSGRUEN_GREEN,
        "plugins/antragsgruen_sites/views/manager/index_en.php": ANTRAGSGRUEN_EN})
    dirs["mapseed"] = _with_removed(make_snapshot, "mapseed", MAPSEED_FILES, MAPSEED_REMOVED)
    dirs["consul-forks"] = tmp_path / "consul-forks.md"  # a pinned file's local copy, not a git directory
    dirs["consul-forks"].write_text(CONSUL_FORKS, encoding="utf-8")
    monkeypatch.setattr(deployments_src_consul_forks, "BLOB", _blob(CONSUL_FORKS.encode()))
    dirs |= {option: dirs[shared] for option, shared in SHARED_SNAPSHOTS.items()}
    assert set(dirs) == set(SOURCES), "every registered source needs a fixture snapshot"
    return dirs


def _rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / "deployments.csv").open(encoding="utf-8", newline="") as handle:
        return {row["deployment_id"]: row for row in csv.DictReader(handle)}


def test_compiles_every_list_into_one_valid_package(snapshots: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "deployments"
    notes = compile_package(snapshots, out, "2026-11-29")
    rows = _rows(out)
    # decidim 5, openstad 3, democracyos 2, consul 1 seed + 5 website (Madrid merged), your-priorities 2,
    # polis 2 + pol.is, adhocracy+ 1, fixmystreet 4 cobrands + 5 sites + 2 retired - 1 merged (ZeroTB),
    # meinberlin 1, mapseed 2, project READMEs 16, retired decidim.org file 1, retired Shareabouts flavor 1,
    # Consul forks page 3 new (Madrid merged), OpenSlides references 3 current + 1 dropped, DemocracyOS README
    # 2 new (Paris; Vot-it from an earlier version), Antragsgrün home pages 10, retired Mapseed flavor 1
    assert len(rows) == 5 + 3 + 2 + 6 + 2 + 3 + 1 + 10 + 1 + 2 + 16 + 1 + 1 + 3 + 4 + 2 + 10 + 1
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
    assert rows["consul-democracy:github.com/hugobarthelemy/consul"]["source_url"].endswith("seeds.rb#L4")
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
    # Consul website: the map (on a pull-request ref) and the current examples; the fork merges with the seed
    madrid = rows["consul-democracy:decide.madrid.es"]  # on the forks page, the examples, the map and the seeds
    assert (madrid["organisation"], madrid["country"], madrid["url_kind"]) == ("Ayuntamiento de Madrid", "ES",
                                                                               "installation")
    assert madrid["source_url"].startswith("https://github.com/consuldemocracy/consuldemocracy/blob/1e122a5")
    # one platform line for two items; their shared code base does not merge them
    assert rows["consul-democracy:sodelujinglasuj.si"]["organisation"] == "Obcine Medvode"
    assert rows["consul-democracy:mariborsodeluj.si"]["country"] == "SI"
    assert rows["consul-democracy:sammenomaarhus.dk"]["organisation_type"] == "municipality"
    assert "consul-democracy:github.com/ayuntamientomadrid/consul" not in rows
    assert rows["consul-democracy:cordoba-ar"]["country"] == "AR" and rows["consul-democracy:cordoba-es"]["country"] == "ES"
    valletta = rows["consul-democracy:ciudad-de-la-valletta"]
    wuerzburg = rows["consul-democracy:wuerzburg-mitmachen.de"]
    assert valletta["url_kind"] == "none" and valletta["source_commit"] != wuerzburg["source_commit"]
    assert f"/blob/{valletta['source_commit']}/_data/organizations.json#L" in valletta["source_url"]
    # Mapseed: country from the map's centre, demos left out
    oakland = rows["mapseed:participatory-budgeting-oakland"]
    assert (oakland["country"], oakland["country_method"], oakland["organisation_type"]) == ("US", "coordinates", "municipality")
    assert rows["mapseed:parque-augusta"]["country"] == "BR" and not any(k.startswith("mapseed:demo") for k in rows)
    # FixMyStreet sites page: heading = country, launch year, past sites, merge with the cobrand row
    popravi = rows["fixmystreet:popravi.to"]
    assert (popravi["country"], popravi["started_year"], popravi["source_status"]) == ("HR", "2021", "current")
    assert rows["fixmystreet:zueriwieneu.ch"]["organisation"] == "ZueriWieNeu (Zurich City Council)"
    assert rows["fixmystreet:ndreqe.com"]["country"] == ""  # Kosovo has no ISO 3166-1 code
    zerotb = rows["fixmystreet:zerotb-article-25"]  # page mention and retired cobrand: one row
    assert (zerotb["country"], zerotb["source_status"], zerotb["started_year"]) == ("IN", "past", "2014")
    # retired cobrands: read at the commit before their deletion; integration modules left out
    reading = rows["fixmystreet:reading-city-council"]
    assert reading["source_status"] == "past" and reading["source_commit"] != bromley["source_commit"]
    assert not any("berkshire" in key for key in rows)
    # project READMEs: the line that states the platform
    petitions = rows["e-petitions:petition.parliament.uk"]
    assert (petitions["organisation_type"], petitions["country"], petitions["source_url"][-3:]) == ("parliament", "GB", "#L5")
    assert rows["polis:pol.is"]["country"] == ""  # .is is used as a generic name here, not Iceland
    assert rows["dipas:freie-und-hansestadt-hamburg-stadtwerkstatt"]["url_kind"] == "none"
    # removed from the lists: read at the commit before the removal, marked past; a wrong entry left out
    galdakao = rows["decidim:galdakao.example.eus"]
    assert (galdakao["source_status"], galdakao["country"]) == ("past", "ES")
    assert galdakao["source_commit"] != barcelona["source_commit"] and "decidim:shiga.example.jp" not in rows
    bikes = rows["shareabouts:bike-parking-survey"]
    assert (bikes["country"], bikes["source_status"]) == ("US", "past") and "shareabouts:overlays-demo" not in rows
    # OpenSlides: organisations using it; a dropped reference is past, a renamed one is not counted twice
    spd = rows["openslides:spd"]
    assert (spd["organisation_type"], spd["country"], spd["country_method"], spd["source_status"]) == (
        "political_party", "DE", "manual", "current")
    opennet = rows["openslides:opennet-initiative-e-v"]
    assert (opennet["source_status"], opennet["country"], opennet["country_method"]) == ("past", "DE", "name")
    assert rows["openslides:amnesty-international"]["country"] == ""
    assert "openslides:industriegewerkschaft-bauen-agrar-umwelt" not in rows
    # DemocracyOS README: current items, an item of an earlier version is past, IMPLEMENTATIONS rows merge
    assert rows["democracyos:crm.paris.fr/2016"]["source_status"] == "current"
    assert rows["democracyos:vot-it.org"]["source_status"] == "past"
    assert rows["democracyos:dos.partidodelared.org"]["source_url"].endswith("IMPLEMENTATIONS.md#L3")
    # Antragsgrün home pages: the linked installation, or none when the page links the organisation's own site
    assert rows["antragsgruen:antraege.gruene.de"]["country"] == "DE"
    volt = rows["antragsgruen:volt-europa"]
    assert (volt["url_kind"], volt["country"]) == ("none", "")
    assert rows["antragsgruen:yfj-votes.motion.tools"]["country"] == ""  # .tools is no country
    assert rows["mapseed:noise-pollution"]["source_status"] == "past" and "mapseed:demo-1" not in rows
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


def test_a_pinned_file_copy_that_is_not_the_read_one_is_refused(snapshots: dict[str, Path], tmp_path: Path) -> None:
    snapshots["consul-forks"].write_text(CONSUL_FORKS.replace("Aarhus", "Arhus"), encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match=r"git blob [0-9a-f]{40} is not the [0-9a-f]{40} of consuldemocracy"):
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
