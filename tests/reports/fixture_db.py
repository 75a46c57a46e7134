"""A small hand-written database for report tests: four real-looking tools plus one hostile one.

Independent of the shipped datasets so the report tests run on a fresh clone before or without
``observatory build``; the hostile tool carries formula and markup payloads in every text field.
"""

from __future__ import annotations

from pathlib import Path

from observatory.store import connect_writer, transaction

CHECKED = "2026-11-20"
GH = "https://github.com"
HOSTILE_NAME = '=HYPERLINK("http://evil.example/x","click")'
HOSTILE_MAINTAINER = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE_LANGUAGE = "+cmd|' /C calc'!A0"
HOSTILE_NOTE = "-2+3 <script>alert('x')</script>"
HOSTILE_DESCRIPTION = "<script>alert('pwned')</script><b>bold</b> & co"

LICENCES = [
    ("AGPL-3.0-or-later", "GNU Affero General Public License v3.0 or later", "network_copyleft", True, True,
     "Publish your changes to users over a network.", "Publier vos modifications aux utilisateurs du réseau.",
     "https://spdx.org/licenses/AGPL-3.0-or-later.html"),
    ("MIT", "MIT License", "permissive", True, False, "Keep the notice.", "Garder la notice.",
     "https://spdx.org/licenses/MIT.html"),
    ("GPL-3.0-or-later", "GNU General Public License v3.0 or later", "strong_copyleft", True, False,
     "Share the source when you distribute.", "Partager le source en cas de distribution.",
     "https://spdx.org/licenses/GPL-3.0-or-later.html"),
]

TOOLS = [
    ("decidim", "Decidim", "https://decidim.org", f"{GH}/decidim/decidim", "AGPL-3.0-or-later", 2017, "ES",
     "Decidim Association", "active", "Ruby", "Participatory democracy framework.",
     "Cadre pour la démocratie participative."),
    ("consul-democracy", "Consul Democracy", "https://consuldemocracy.org", f"{GH}/consuldemocracy/consuldemocracy",
     "AGPL-3.0-or-later", 2015, "ES", "Consul Democracy Foundation", "active", "Ruby",
     "Citizen participation tool.", "Outil de participation citoyenne."),
    ("loomio", "Loomio", "https://www.loomio.com", f"{GH}/loomio/loomio", "AGPL-3.0-or-later", 2012, "NZ",
     "Loomio Cooperative", "active", "Ruby", "Collaborative decision-making.", "Prise de décision collaborative."),
    ("polis", "Polis", "https://pol.is", f"{GH}/compdemocracy/polis", "AGPL-3.0-or-later", 2014, "US",
     "The Computational Democracy Project", "active", "Clojure", "Opinion clustering.",
     "Regroupement d'opinions."),
    ("evil-tool", HOSTILE_NAME, "javascript:alert(1)", f"{GH}/evil/evil", "MIT", 2020, "FR",
     HOSTILE_MAINTAINER, "active", HOSTILE_LANGUAGE, HOSTILE_DESCRIPTION, HOSTILE_DESCRIPTION),
]

FEATURES = [
    ("proposals", "participation", "Proposals", "Propositions"),
    ("participatory_budgeting", "participation", "Participatory budgeting", "Budget participatif"),
    ("deliberative_clustering", "deliberation", "Opinion clustering", "Regroupement d'opinions"),
    ("api", "platform", "Public API", "API publique"),
]

TOOL_FEATURES = [
    ("decidim", "proposals", "code"), ("decidim", "participatory_budgeting", "code"), ("decidim", "api", "code"),
    ("consul-democracy", "proposals", "code"), ("consul-democracy", "participatory_budgeting", "self_declared"),
    ("loomio", "proposals", "self_declared"), ("polis", "deliberative_clustering", "third_party"),
    ("evil-tool", "api", "self_declared"),
]

COUNTRIES = ["ES", "ES", "ES", "FR", "FR", "IT", "BE", "CH"]


def build_fixture_db(path: Path, with_collected: bool = True) -> Path:
    con = connect_writer(path)
    try:
        with transaction(con):
            for spdx, name, fam, osi, net, en, fr, url in LICENCES:
                con.execute("INSERT INTO licences VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [spdx, name, fam, osi, net, en, fr, url, CHECKED])
            for (tid, name, home, repo, lic, year, country, maint, status, lang, den, dfr) in TOOLS:
                con.execute(
                    "INSERT INTO tools (tool_id, name, homepage, repo_url, licence_spdx, licence_evidence_url, "
                    "first_release_year, origin_country, maintainer, status, programming_language, description_en, "
                    "description_fr, source_url, source_commit, checked_on) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [tid, name, home, repo, lic, f"{repo}/blob/abc1234def/LICENSE", year, country, maint, status, lang,
                     den, dfr, f"{repo}/blob/abc1234def/README.md", "abc1234def", CHECKED])
            for fid, cat, en, fr in FEATURES:
                con.execute("INSERT INTO features VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                            [fid, cat, en, fr, f"Definition of {en}.", f"Définition : {fr}."])
            for tid, fid, level in TOOL_FEATURES:
                note = HOSTILE_NOTE if tid == "evil-tool" else None
                con.execute("INSERT INTO tool_features VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [tid, fid, level, f"{GH}/{tid}/{tid}/blob/abc1234def/docs/{fid}.md", "abc1234def", note,
                             CHECKED])
            con.execute("INSERT INTO licence_events (tool_id, date, from_spdx, to_spdx, evidence_url, note, source_url, "
                        "checked_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        ["consul-democracy", "2019-05-01", "AGPL-3.0-only", "AGPL-3.0-or-later",
                         f"{GH}/consuldemocracy/consuldemocracy/commit/0123456789", "Relicensed to -or-later.",
                         f"{GH}/consuldemocracy/consuldemocracy/blob/abc1234def/LICENSE-AGPLv3.txt", CHECKED])
            # Decidim: one YAML file per installation (collapsed to the folder in the report); others: one list file.
            for i, country in enumerate(COUNTRIES):
                con.execute(
                    "INSERT INTO deployments (deployment_id, tool_id, organisation, country, url, source_url, "
                    "source_commit, checked_on) VALUES (?, 'decidim', ?, ?, ?, ?, 'abc1234def', ?)",
                    [f"decidim:city{i}.example", f"City {i}", country, f"https://city{i}.example",
                     f"{GH}/decidim/decidim.org/blob/115e36b/data/installations/city{i}.yml", CHECKED])
            for i, country in enumerate(["ES", "AR", "UY"]):
                con.execute(
                    "INSERT INTO deployments (deployment_id, tool_id, organisation, country, url, source_url, "
                    "source_commit, checked_on) VALUES (?, 'consul-democracy', ?, ?, ?, ?, 'f495434', ?)",
                    [f"consul-democracy:town{i}.example", f"Town {i}", country, f"https://town{i}.example",
                     f"{GH}/consuldemocracy/consulproject/blob/f495434/db/seeds.rb", CHECKED])
            con.execute(
                "INSERT INTO deployments (deployment_id, tool_id, organisation, country, source_url, checked_on, "
                "removed_on) VALUES ('consul-democracy:gone', 'consul-democracy', 'Gone', 'PE', ?, ?, ?)",
                [f"{GH}/consuldemocracy/consulproject/blob/f495434/db/seeds.rb", CHECKED, CHECKED])
            con.execute("INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        ["cat-decidim", "Decidim repository", f"{GH}/decidim/decidim", "Decidim Association",
                         "repository", "abc1234def", "AGPL-3.0-or-later", None, CHECKED])
            for table, package, licence in [("tools", "observatory-catalogue", "CC-BY-4.0"),
                                            ("licences", "observatory-catalogue", "CC-BY-4.0"),
                                            ("tool_features", "observatory-catalogue", "CC-BY-4.0"),
                                            ("deployments", "observatory-deployments", "CC-BY-4.0")]:
                con.execute("DELETE FROM table_meta WHERE table_name = ?", [table])
                con.execute("INSERT INTO table_meta VALUES (?, ?, ?, NULL, ?, ?, ?, NULL)",
                            [table, package, table.title(), licence, "compiled from project repositories", CHECKED])
            if with_collected:
                _collected(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def _collected(con) -> None:  # noqa: ANN001 - a duckdb connection
    for tid, stars, commits in [("decidim", 1600, 1200), ("consul-democracy", 1500, 400), ("loomio", 2300, 900)]:
        con.execute(
            "INSERT INTO repo_snapshots (tool_id, repo, forge, fetched_at, stars, forks, contributors, commits_last_52w, "
            "releases_last_year, latest_release, latest_release_at, pushed_at, archived, licence_mismatch, run_id, "
            "source_url) VALUES (?, ?, 'github', TIMESTAMP '2026-11-28 10:00:00', ?, 100, 50, ?, 4, 'v1.0', "
            "TIMESTAMP '2026-10-01 00:00:00', TIMESTAMP '2026-11-27 00:00:00', false, false, 'run-1', ?)",
            [tid, f"{tid}/{tid}", stars, commits, f"https://api.github.com/repos/{tid}/{tid}"])
    for i in range(4):
        con.execute("INSERT INTO deployment_probes (deployment_id, url, probed_at, reachable, status, run_id) "
                    "VALUES (?, ?, TIMESTAMP '2026-11-28 12:00:00', ?, 200, 'run-2')",
                    [f"decidim:city{i}.example", f"https://city{i}.example", i != 3])
