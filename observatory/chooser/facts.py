"""The catalogue facts the criteria read, gathered once per ranking into one :class:`ToolFacts` per tool.

Tables that a migration has not created yet (or that are empty) simply give no facts: every criterion
then says "unknown" instead of guessing. Each fact keeps the URL it was read from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import duckdb

from observatory.analytics import licences as lic

EU_COUNTRIES: frozenset[str] = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())


@dataclass(frozen=True)
class Offer:
    provider: str
    kind: str  # saas | managed_hosting | support_contract | training
    hosting_countries: tuple[str, ...]
    eu_hosting: bool | None
    price_public: bool
    price_from_eur_per_year: float | None
    languages: tuple[str, ...]
    source_url: str

    @property
    def hosts(self) -> bool:
        return self.kind in ("saas", "managed_hosting")


@dataclass(frozen=True)
class AccessibilityClaim:
    standard: str
    level: str | None
    conformance: str
    source_url: str


@dataclass(frozen=True)
class Health:
    status: str | None
    status_reason: str | None
    bus_factor: int | None
    last_release_at: str | None
    coverage: str
    source_url: str


@dataclass(frozen=True)
class Deployment:
    deployment_id: str
    tool_id: str
    organisation: str | None
    organisation_type: str | None
    country: str | None
    url: str | None
    source_url: str | None


@dataclass
class ToolFacts:
    """Everything known about one tool that the criteria may use."""

    tool_id: str
    name: str
    licence_spdx: str | None = None
    licence: lic.LicenceExplanation | None = None
    open_source: bool | None = None
    repo_url: str | None = None
    status: str | None = None
    source_url: str | None = None
    licence_source_url: str | None = None
    status_source_url: str | None = None
    features: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # feature_id -> (evidence, url)
    offers: list[Offer] = field(default_factory=list)
    accessibility: list[AccessibilityClaim] = field(default_factory=list)
    languages: dict[str, tuple[float, str]] = field(default_factory=dict)  # code -> (share, url)
    health: list[Health] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)


@dataclass
class Facts:
    """All tools' facts plus what the criteria compare across tools."""

    tools: dict[str, ToolFacts]
    feature_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> id -> label

    @cached_property  # read by the adoption criterion for every tool of every ranking
    def most_deployments(self) -> int:
        return max((len(t.deployments) for t in self.tools.values()), default=0)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, object]]:
    try:
        cur = con.execute(sql)
    except duckdb.CatalogException:  # table not created by this database's migrations
        return []
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _split(value: object) -> tuple[str, ...]:
    return tuple(v.strip() for v in str(value).split(";") if v.strip()) if value else ()


def load_facts(con: duckdb.DuckDBPyConnection) -> Facts:
    """Read every table the criteria use (read-only)."""
    catalogue = lic.catalogue_from_rows(_rows(con, "SELECT * FROM licences"))
    tools: dict[str, ToolFacts] = {}
    for r in _rows(con, "SELECT * FROM tools ORDER BY tool_id"):
        spdx = r["licence_spdx"] if isinstance(r["licence_spdx"], str) else None
        tools[str(r["tool_id"])] = ToolFacts(
            tool_id=str(r["tool_id"]), name=str(r["name"]), licence_spdx=spdx,
            licence=lic.explain(spdx, "en", catalogue) if spdx else None,
            open_source=r.get("open_source"), repo_url=r["repo_url"] or None, status=r["status"] or None,
            source_url=r["source_url"], licence_source_url=r.get("licence_evidence_url") or r["source_url"],
            status_source_url=r.get("status_evidence_url") or r["source_url"])
    for r in _rows(con, "SELECT tool_id, feature_id, evidence_level, source_url FROM tool_features"):
        if r["tool_id"] in tools:
            tools[r["tool_id"]].features[str(r["feature_id"])] = (str(r["evidence_level"]), r["source_url"])
    for r in _rows(con, "SELECT * FROM offers ORDER BY offer_id"):
        if r["tool_id"] in tools:
            tools[r["tool_id"]].offers.append(Offer(
                str(r["provider"]), str(r["kind"]), tuple(c.upper() for c in _split(r["hosting_countries"])),
                r["eu_hosting"], bool(r["price_public"]), r["price_from_eur_per_year"],
                tuple(c.lower() for c in _split(r["languages_supported"])), str(r["source_url"])))
    for r in _rows(con, "SELECT * FROM accessibility"):
        if r["tool_id"] in tools:
            tools[r["tool_id"]].accessibility.append(AccessibilityClaim(
                str(r["standard"]), r["level"], str(r["conformance"]), str(r["source_url"])))
    for r in _rows(con, "SELECT tool_id, language_code, share_translated, source_url FROM tool_languages"):
        if r["tool_id"] in tools:
            code = str(r["language_code"]).split("-")[0].split("_")[0].lower()
            old = tools[r["tool_id"]].languages.get(code)
            if old is None or float(r["share_translated"]) > old[0]:
                tools[r["tool_id"]].languages[code] = (float(r["share_translated"]), str(r["source_url"]))
    for r in _rows(con, "SELECT tool_id, status, status_reason, bus_factor, CAST(last_release_at AS VARCHAR) AS "
                        "last_release_at, coverage, source_url FROM repo_health ORDER BY origin DESC"):
        if r["tool_id"] in tools:
            tools[r["tool_id"]].health.append(Health(r["status"], r["status_reason"], r["bus_factor"],
                                                     r["last_release_at"], str(r["coverage"]), str(r["source_url"])))
    for r in _rows(con, "SELECT deployment_id, tool_id, organisation, organisation_type, country, url, source_url "
                        "FROM deployments WHERE removed_on IS NULL ORDER BY deployment_id"):
        if r["tool_id"] in tools:
            tools[r["tool_id"]].deployments.append(Deployment(**{k: r[k] for k in (
                "deployment_id", "tool_id", "organisation", "organisation_type", "country", "url", "source_url")}))
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for r in _rows(con, "SELECT feature_id, label_en, label_fr FROM features"):
        labels["en"][str(r["feature_id"])] = str(r["label_en"])
        labels["fr"][str(r["feature_id"])] = str(r["label_fr"])
    return Facts(tools, dict(labels))
