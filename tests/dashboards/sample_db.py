"""A small, hand-written database for dashboard and analytics tests.

It does not depend on ``datasets/`` (curated data may change), and it fills the collected tables
when their migrations exist, so every page has something to draw. Rows for tables that a migration
has not created yet are skipped. Values are test fixtures, not catalogue facts.
"""

from __future__ import annotations

from pathlib import Path

from observatory.store import connect_writer, transaction

SRC = "https://example.org/fixture"

ROWS: dict[str, list[tuple]] = {
    "licences": [
        ("AGPL-3.0-or-later", "GNU Affero General Public License v3.0 or later", "network_copyleft", True, True,
         None, None, SRC, "2026-11-01"),
        ("AGPL-3.0-only", "GNU Affero General Public License v3.0 only", "network_copyleft", True, True,
         None, None, SRC, "2026-11-01"),
        ("MIT", "MIT License", "permissive", True, False, None, None, SRC, "2026-11-01"),
        ("BUSL-1.1", "Business Source License 1.1", "source_available", False, False, None, None, SRC, "2026-11-01"),
    ],
    "tools": [
        ("decidim", "Decidim", "https://decidim.org", "https://github.com/decidim/decidim", "AGPL-3.0-or-later", SRC,
         2016, "ES", "Decidim Association", "active", "Ruby", "Participatory democracy framework <b>bold?</b>",
         "Cadre de démocratie participative", SRC, None, "2026-11-01"),
        ("consul", "Consul Democracy", "https://consuldemocracy.org", "https://github.com/consuldemocracy/consuldemocracy",
         "AGPL-3.0-only", SRC, 2015, "ES", "Consul Democracy Foundation", "active", "Ruby", "Citizen participation tool",
         "Outil de participation citoyenne", SRC, None, "2026-11-01"),
        ("smallpb", "Small PB", None, "https://example.org/smallpb", "MIT", SRC, 2019, "FR", "A collective", "inactive",
         "Python", "A small participatory budgeting app", "Une petite application de budget participatif", SRC, None,
         "2026-11-01"),
        ("closedpb", "Closed PB", "https://example.org/closed", None, "BUSL-1.1", SRC, 2020, "DE", "A vendor", "active",
         "TypeScript", "Source-available participation suite", "Suite de participation à code consultable", SRC, None,
         "2026-11-01"),
    ],
    "features": [
        ("participatory_budgeting", "process", "Participatory budgeting", "Budget participatif",
         "Citizens allocate a budget", "Les habitants répartissent un budget", SRC, "2026-11-01"),
        ("proposals", "process", "Proposals", "Propositions", "Citizens submit proposals", "Les habitants proposent", SRC,
         "2026-11-01"),
        ("petitions", "process", "Petitions", "Pétitions", "Citizens sign petitions", "Les habitants signent", SRC,
         "2026-11-01"),
        ("surveys", "process", "Surveys", "Enquêtes", "Questionnaires", "Questionnaires", SRC, "2026-11-01"),
    ],
    "tool_features": [
        ("decidim", "participatory_budgeting", "code", SRC, None, None, "2026-11-01"),
        ("decidim", "proposals", "code", SRC, None, None, "2026-11-01"),
        ("decidim", "surveys", "code", SRC, None, None, "2026-11-01"),
        ("consul", "participatory_budgeting", "code", SRC, None, None, "2026-11-01"),
        ("consul", "proposals", "code", SRC, None, None, "2026-11-01"),
        ("consul", "petitions", "self_declared", SRC, None, None, "2026-11-01"),
        ("smallpb", "participatory_budgeting", "self_declared", SRC, None, None, "2026-11-01"),
        ("closedpb", "participatory_budgeting", "third_party", SRC, None, None, "2026-11-01"),
        ("closedpb", "surveys", "third_party", SRC, None, None, "2026-11-01"),
    ],
    "licence_events": [
        ("decidim", "2016-09-01", None, "AGPL-3.0-or-later", SRC, "first release", SRC, "2026-11-01"),
        ("consul", "2015-09-01", None, "AGPL-3.0-only", SRC, "first release", SRC, "2026-11-01"),
    ],
    "deployments": [
        ("d1", "decidim", "Barcelona", "municipality", "ES", "source", None, "https://www.decidim.barcelona", 2017,
         41.39, 2.17, SRC, None, "2026-11-01", "dataset", None, None, None),
        ("d2", "decidim", "Lille métropole", "intermunicipal", "FR", "source", None, "https://example.org/lille", 2019,
         50.63, 3.06, SRC, None, "2026-11-01", "dataset", None, None, None),
        ("d3", "decidim", "Helsinki", "municipality", "FI", "source", None, "https://example.org/hel", 2020,
         60.17, 24.94, SRC, None, "2026-11-01", "dataset", None, None, None),
        ("c1", "consul", "Madrid", "municipality", "ES", "source", None, "https://decide.madrid.es", 2015,
         40.42, -3.70, SRC, None, "2026-11-01", "dataset", None, None, None),
        ("c2", "consul", "Montevideo", "municipality", "UY", "source", None, "https://example.org/mvd", 2018,
         -34.90, -56.16, SRC, None, "2026-11-01", "dataset", None, None, None),
        ("s1", "smallpb", "Village", "municipality", "FR", "source", None, "https://example.org/village", 2021,
         None, None, SRC, None, "2026-11-01", "dataset", None, None, "2024-01-01"),
    ],
    "sources": [
        ("fixture", "Test fixture", SRC, "tests", "dataset", None, "CC0-1.0", None, "2026-11-01"),
    ],
    "table_meta": [
        ("tools", "catalogue", "Tools", "Catalogued tools", "CC-BY-4.0", "datasets/catalogue", "2026-11-01", None),
        ("deployments", "catalogue", "Deployments", "Known deployments", "CC-BY-4.0", "datasets/catalogue",
         "2026-11-01", None),
    ],
    "repo_snapshots": [
        ("decidim", "decidim/decidim", "github", "2026-10-01 00:00:00", 1500, 400, 90, 600, "develop",
         "AGPL-3.0", False, False, None, None, "v0.28.0", None, None, 6, 60.0, 300, 2000, None, "r1", SRC),
        ("decidim", "decidim/decidim", "github", "2026-11-01 00:00:00", 1550, 410, 90, 610, "develop",
         "AGPL-3.0", False, False, None, None, "v0.28.1", None, None, 6, 60.0, 305, 2100, None, "r2", SRC),
        ("consul", "consuldemocracy/consuldemocracy", "github", "2026-11-01 00:00:00", 1400, 1000, 80, 100,
         "master", "AGPL-3.0", False, False, None, None, "2.2.0", None, None, 3, 120.0, 200, 500, None, "r2", SRC),
    ],
    "deployment_probes": [
        ("d1", "https://www.decidim.barcelona", "2026-11-01 00:00:00", True, 200, None, 0, False, None, "decidim",
         "0.28.1", None, 300.0, "r3"),
        ("d2", "https://example.org/lille", "2026-11-01 00:00:00", True, 200, None, 0, False, None, "decidim",
         "0.27.4", None, 500.0, "r3"),
        ("c1", "https://decide.madrid.es", "2026-11-01 00:00:00", False, None, None, 0, True, "tls", None,
         None, None, None, "r3"),
    ],
    "instances": [
        ("www.decidim.barcelona", "decidim", "https://www.decidim.barcelona", "Decidim Barcelona", "0.28.1", SRC,
         "2026-11-01"),
    ],
    "proposals": [
        ("www.decidim.barcelona", "p1", "s1", None, "<script>alert(1)</script>", "body", "accepted", "accepted", 10,
         1, "2026-01-05 10:00:00", None, None, None, None, "decidim", "0.28.1", SRC, "2026-11-01"),
        ("www.decidim.barcelona", "p2", "s1", None, "Plus d'arbres", "body", "rejected", "rejected", 3,
         0, "2026-02-05 10:00:00", None, None, None, None, "decidim", "0.28.1", SRC, "2026-11-01"),
        ("www.decidim.barcelona", "p3", "s1", None, "Bancs", "body", "accepted", "accepted", 7,
         0, "2026-02-07 10:00:00", None, None, None, None, "decidim", "0.28.1", SRC, "2026-11-01"),
    ],
    "results": [
        ("www.decidim.barcelona", "r1", "s1", "Parc", 50.0, "in_progress", None, None, "0.28.1", SRC, "2026-11-01"),
    ],
    "meetings": [
        ("www.decidim.barcelona", "m1", "s1", "Assemblée", "2026-03-01 18:00:00", None, 25, "0.28.1", SRC,
         "2026-11-01"),
    ],
    "pb_editions": [
        ("Testland_Town_2026", "Testland_Town_2026.pb", "0" * 64, "Testland", "Town", None, "2026", "approval",
         1000.0, "1000", "EUR", 5, 3, "greedy", "Fixture edition", SRC, "2026-11-01", None, None, None, 0,
         "2026-11-01 00:00:00"),
    ],
    "pb_projects": [
        ("Testland_Town_2026", 0, "p1", "Park", 600.0, "600", 4.0, None, "nature", None, "North", 1, None, None, None),
        ("Testland_Town_2026", 1, "p2", "Library", 300.0, "300", 3.0, None, "culture", None, "South", 1, None, None,
         None),
        ("Testland_Town_2026", 2, "p3", "Bikes", 400.0, "400", 2.0, None, "transport", None, "South", 0, None, None,
         None),
    ],
    "pb_outcomes": [
        ("Testland_Town_2026", "actual", ["p1", "p2"], 2, 900.0, 0.9, 7, 0.8, 0.5, 0.5, 0.3, 0, 0.001, None,
         "2026-11-01 00:00:00"),
        ("Testland_Town_2026", "greedy", ["p1", "p2"], 2, 900.0, 0.9, 7, 0.8, 0.5, 0.5, 0.3, 0, 0.001, None,
         "2026-11-01 00:00:00"),
        ("Testland_Town_2026", "mes", ["p2", "p3"], 2, 700.0, 0.7, 5, 1.0, 0.4, 0.6, 0.2, 2, 0.002, None,
         "2026-11-01 00:00:00"),
        ("Testland_Town_2026", "max-budget", None, None, None, None, None, None, None, None, None, None, 10.0,
         "RuleTimeout: timed out after 10 s", "2026-11-01 00:00:00"),
    ],
    "pb_outcome_groups": [
        ("Testland_Town_2026", "greedy", "district", "North", 600.0, 600.0, 1.0),
        ("Testland_Town_2026", "greedy", "district", "South", 300.0, 700.0, 300 / 700),
        ("Testland_Town_2026", "mes", "district", "North", 0.0, 600.0, 0.0),
        ("Testland_Town_2026", "mes", "district", "South", 700.0, 700.0, 1.0),
    ],
    "metric_definitions": [
        ("proposals_by_state", "Proposals by state", "Propositions par état",
         "Count of proposals per normalised state", "Nombre de propositions par état normalisé"),
    ],
}


def build_sample_db(path: Path) -> Path:
    """Create a migrated database at ``path`` holding :data:`ROWS` (tables that do not exist are skipped)."""
    con = connect_writer(path)
    try:
        existing = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        with transaction(con):
            con.execute("DELETE FROM table_meta WHERE table_name IN ('tools', 'deployments')")
            for table, rows in ROWS.items():
                if table not in existing:
                    continue
                columns = [c for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [table]).fetchall()]
                for row in rows:
                    # only the leading columns given: later ones (added by newer migrations) keep their defaults
                    named = ", ".join(f'"{c}"' for c in columns[:len(row)])
                    placeholders = ", ".join("?" * len(row))
                    con.execute(f"INSERT INTO {table} ({named}) VALUES ({placeholders})", list(row))  # noqa: S608
    finally:
        con.close()
    return path
