"""The tool chooser: a city's needs → a ranked, explained shortlist (used by the dashboard and reports).

A transparent weighted sum, not a black box: each criterion gives every tool a score in [0, 1] from
catalogue facts, hard licence constraints exclude tools outright, and every score comes with a plain
sentence saying which fact produced it. :func:`sensitivity` shows which weight changes would reorder
the top of the list, so nobody mistakes a close call for a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from observatory import queries
from observatory.analytics import licences as lic

CRITERIA: tuple[str, ...] = ("features", "licence", "hosting", "languages", "maturity", "adoption")
HOSTING_CHOICES: tuple[str, ...] = ("self_host", "hosted", "either")
# Feature ids that record a hosted (SaaS) offer, and the prefix of interface-language features.
HOSTED_FEATURE_IDS: frozenset[str] = frozenset({"hosted_offer", "saas", "managed_hosting"})
LANGUAGE_FEATURE_PREFIX = "language_"  # per-language claims, e.g. language_fr, when the catalogue itemises them
MULTILINGUAL_FEATURE = "multilingual"  # otherwise: a claim that the interface is multilingual at all
EVIDENCE_WEIGHT: dict[str, float] = {"code": 1.0, "third_party": 1.0, "self_declared": 0.7}
ACTIVE_STATUSES = frozenset({"active"})  # a commit or release within 12 months (datasets/README.md)
MAINTENANCE_STATUSES = frozenset({"maintained", "maintenance"})  # 12-24 months: fixes, few new features
INACTIVE_STATUSES = frozenset({"inactive", "archived", "historical", "abandoned", "discontinued", "unmaintained"})
TOP_N = 3


@dataclass
class Needs:
    """What a city asks for; every field has a neutral default."""

    processes: list[str] = field(default_factory=list)  # feature ids wanted
    hosting: str = "either"  # self_host | hosted | either
    languages: list[str] = field(default_factory=list)  # ISO 639-1 codes
    must_be_osi: bool = True
    network_copyleft_ok: bool = True
    budget: float | None = None  # yearly EUR; shown, not scored (no cost data in the catalogue)

    def __post_init__(self) -> None:
        if self.hosting not in HOSTING_CHOICES:
            raise ValueError(f"hosting: {self.hosting!r} is not one of {', '.join(HOSTING_CHOICES)}")


def load_needs(path: str | Path) -> Needs:
    """Read needs from a YAML file; unknown or mistyped fields raise ValueError naming the file and field."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.name}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping of needs, got {type(data).__name__}")
    known = {f.name for f in fields(Needs)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"{path.name}: unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    for name in ("processes", "languages"):
        if name in data and not (isinstance(data[name], list) and all(isinstance(v, str) for v in data[name])):
            raise ValueError(f"{path.name}: field {name!r} must be a list of strings")
    for name in ("must_be_osi", "network_copyleft_ok"):
        if name in data and not isinstance(data[name], bool):
            raise ValueError(f"{path.name}: field {name!r} must be true or false")
    if data.get("budget") is not None and not isinstance(data["budget"], int | float):
        raise ValueError(f"{path.name}: field 'budget' must be a number")
    try:
        return Needs(**data)
    except ValueError as exc:
        raise ValueError(f"{path.name}: {exc}") from exc


def default_weights() -> dict[str, float]:
    """Features matter most; adoption and maturity next; the rest break ties."""
    return {"features": 0.4, "licence": 0.15, "hosting": 0.1, "languages": 0.05, "maturity": 0.15, "adoption": 0.15}


def _normalised(weights: Mapping[str, float]) -> dict[str, float]:
    clean = {c: max(0.0, float(weights.get(c, 0.0))) for c in CRITERIA}
    total = sum(clean.values())
    return {c: (w / total if total else 1 / len(CRITERIA)) for c, w in clean.items()}


CRITERION_LABELS: dict[str, dict[str, str]] = {
    "features": {"en": "Processes", "fr": "Processus"},
    "licence": {"en": "Licence", "fr": "Licence"},
    "hosting": {"en": "Hosting", "fr": "Hébergement"},
    "languages": {"en": "Languages", "fr": "Langues"},
    "languages_multi_yes": {"en": "Multilingual interface claimed (the languages are not itemised in the catalogue).",
                            "fr": "Interface multilingue déclarée (les langues ne sont pas détaillées dans le catalogue)."},
    "languages_multi_no": {"en": "No multilingual interface recorded, and you need several languages.",
                           "fr": "Aucune interface multilingue recensée, alors que vous avez besoin de plusieurs langues."},
    "maturity": {"en": "Maturity", "fr": "Maturité"},
    "adoption": {"en": "Adoption", "fr": "Adoption"},
}

_TEXT: dict[str, dict[str, str]] = {
    "features_none": {"en": "No process asked for.", "fr": "Aucun processus demandé."},
    "features": {"en": "Covers {n} of {k} wanted processes{missing}.", "fr": "Couvre {n} des {k} processus voulus{missing}."},
    "missing": {"en": " (missing: {items})", "fr": " (manque : {items})"},
    "licence_ok": {"en": "{spdx} ({family}) meets the licence constraints.",
                   "fr": "{spdx} ({family}) respecte les contraintes de licence."},
    "licence_not_osi": {"en": "{spdx} is not OSI-approved.", "fr": "{spdx} n'est pas approuvée par l'OSI."},
    "licence_network": {"en": "{spdx} has network copyleft, which you excluded.",
                        "fr": "{spdx} est un copyleft réseau, que vous avez exclu."},
    "licence_unknown": {"en": "Licence {spdx} is not in the catalogue.", "fr": "La licence {spdx} n'est pas au catalogue."},
    "hosting_either": {"en": "Any hosting mode is fine.", "fr": "Tout mode d'hébergement convient."},
    "hosting_self_yes": {"en": "Source code is published: it can be self-hosted.",
                         "fr": "Le code source est publié : auto-hébergement possible."},
    "hosting_self_no": {"en": "No public repository recorded for self-hosting.",
                        "fr": "Aucun dépôt public enregistré pour l'auto-hébergement."},
    "hosting_hosted_yes": {"en": "A hosted offer is recorded.", "fr": "Une offre hébergée est recensée."},
    "hosting_hosted_no": {"en": "No hosted offer recorded in the catalogue.",
                          "fr": "Aucune offre hébergée recensée dans le catalogue."},
    "languages_none": {"en": "No language asked for.", "fr": "Aucune langue demandée."},
    "languages_unknown": {"en": "The catalogue has no interface-language data (neutral score).",
                          "fr": "Le catalogue n'a pas de données sur les langues d'interface (score neutre)."},
    "languages": {"en": "Interface available in {n} of {k} wanted languages.",
                  "fr": "Interface disponible dans {n} des {k} langues voulues."},
    "languages_multi_yes": {"en": "Multilingual interface claimed (the languages are not itemised in the catalogue).",
                            "fr": "Interface multilingue déclarée (les langues ne sont pas détaillées dans le catalogue)."},
    "languages_multi_no": {"en": "No multilingual interface recorded, and you need several languages.",
                           "fr": "Aucune interface multilingue recensée, alors que vous avez besoin de plusieurs langues."},
    "maturity": {"en": "Status: {status}.", "fr": "Statut : {status}."},
    "adoption": {"en": "{n} known live deployments.", "fr": "{n} déploiements actifs connus."},
    "excluded": {"en": "Excluded: {reason}", "fr": "Exclu : {reason}"},
    "budget": {"en": "Budget is not scored: the catalogue has no cost data.",
               "fr": "Le budget n'est pas noté : le catalogue n'a pas de données de coût."},
}


def criterion_label(criterion: str, lang: str) -> str:
    return CRITERION_LABELS[criterion]["fr" if lang == "fr" else "en"]


def _say(key: str, lang: str, **fmt: object) -> str:
    return _TEXT[key]["fr" if lang == "fr" else "en"].format(**fmt)


@dataclass(frozen=True)
class _Facts:
    """Catalogue facts the criteria read, loaded once per ranking."""

    tools: pd.DataFrame
    claims: pd.DataFrame
    deployments: dict[str, int]
    licence_catalogue: dict[str, lic.LicenceFacts]


def _load_facts(con: duckdb.DuckDBPyConnection) -> _Facts:
    tools = queries.run(con, "tools")
    claims = queries.run(con, "all_tool_features")
    by_tool = queries.run(con, "deployments_by_tool")
    deployments = {str(r.tool_id): int(r.deployments) for r in by_tool.itertuples() if isinstance(r.tool_id, str)}
    catalogue = lic.catalogue_from_rows(queries.run(con, "licences").to_dict("records"))
    return _Facts(tools, claims, deployments, catalogue)


def _score_tool(tool: Mapping[str, object], facts: _Facts, needs: Needs, lang: str) -> dict[str, object]:
    tool_id = str(tool["tool_id"])
    claims = facts.claims[facts.claims["tool_id"] == tool_id]
    evidence = dict(zip(claims["feature_id"], claims["evidence_level"], strict=True))
    scores: dict[str, float] = {}
    notes: dict[str, str] = {}
    excluded: str | None = None

    wanted = list(dict.fromkeys(needs.processes))
    if wanted:
        covered = [f for f in wanted if f in evidence]
        scores["features"] = sum(EVIDENCE_WEIGHT.get(str(evidence[f]), 0.7) for f in covered) / len(wanted)
        missing = [f for f in wanted if f not in evidence]
        miss = _say("missing", lang, items=", ".join(missing)) if missing else ""
        notes["features"] = _say("features", lang, n=len(covered), k=len(wanted), missing=miss)
    else:
        scores["features"], notes["features"] = 1.0, _say("features_none", lang)

    spdx = str(tool["licence_spdx"])
    expl = lic.explain(spdx, lang, facts.licence_catalogue)
    if expl.family == "unknown":
        scores["licence"], notes["licence"] = 0.3, _say("licence_unknown", lang, spdx=spdx)
    elif needs.must_be_osi and not expl.osi_approved:
        scores["licence"], notes["licence"] = 0.0, _say("licence_not_osi", lang, spdx=spdx)
        excluded = notes["licence"]
    elif not needs.network_copyleft_ok and expl.family == "network_copyleft":
        scores["licence"], notes["licence"] = 0.0, _say("licence_network", lang, spdx=spdx)
        excluded = notes["licence"]
    else:
        scores["licence"] = 1.0 if expl.osi_approved else 0.5
        notes["licence"] = _say("licence_ok", lang, spdx=spdx, family=expl.family.replace("_", " "))

    if needs.hosting == "self_host":
        has_repo = isinstance(tool.get("repo_url"), str) and bool(tool["repo_url"])
        scores["hosting"] = 1.0 if has_repo else 0.0
        notes["hosting"] = _say("hosting_self_yes" if has_repo else "hosting_self_no", lang)
    elif needs.hosting == "hosted":
        hosted = bool(HOSTED_FEATURE_IDS & set(evidence))
        scores["hosting"] = 1.0 if hosted else 0.0
        notes["hosting"] = _say("hosting_hosted_yes" if hosted else "hosting_hosted_no", lang)
    else:
        scores["hosting"], notes["hosting"] = 1.0, _say("hosting_either", lang)

    scores["languages"], notes["languages"] = _language_score(needs, evidence, facts, lang)

    status = str(tool.get("status") or "unknown").lower()
    scores["maturity"] = (1.0 if status in ACTIVE_STATUSES else 0.75 if status in MAINTENANCE_STATUSES
                          else 0.0 if status in INACTIVE_STATUSES else 0.5)
    notes["maturity"] = _say("maturity", lang, status=status)

    live = facts.deployments.get(tool_id, 0)
    most = max(facts.deployments.values(), default=0)
    scores["adoption"] = math.log1p(live) / math.log1p(most) if most else 0.0
    notes["adoption"] = _say("adoption", lang, n=live)

    sources = [str(tool["source_url"])] + sorted({str(u) for u in claims["source_url"] if isinstance(u, str)})
    return {"tool_id": tool_id, "name": tool["name"], "licence_spdx": spdx, "scores": scores, "notes": notes,
            "excluded": excluded, "sources": sources}


def _language_score(needs: Needs, evidence: Mapping[str, object], facts: _Facts, lang: str) -> tuple[float, str]:
    """Per-language claims when the catalogue has them; else the multilingual claim; else neutral."""
    if not needs.languages:
        return 1.0, _say("languages_none", lang)
    claimed = facts.claims["feature_id"].astype(str)
    if claimed.str.startswith(LANGUAGE_FEATURE_PREFIX).any():
        n = sum(f"{LANGUAGE_FEATURE_PREFIX}{code.lower()}" in evidence for code in needs.languages)
        return n / len(needs.languages), _say("languages", lang, n=n, k=len(needs.languages))
    if (claimed == MULTILINGUAL_FEATURE).any():
        if MULTILINGUAL_FEATURE in evidence:
            return 1.0, _say("languages_multi_yes", lang)
        if len(needs.languages) > 1:
            return 0.0, _say("languages_multi_no", lang)
    return 0.5, _say("languages_unknown", lang)


def _table(rows: list[dict[str, object]], weights: dict[str, float], needs: Needs, lang: str) -> pd.DataFrame:
    records = []
    for row in rows:
        scores: dict[str, float] = row["scores"]  # type: ignore[assignment]
        notes: dict[str, str] = row["notes"]  # type: ignore[assignment]
        total = sum(weights[c] * scores[c] for c in CRITERIA)
        lines = [f"{criterion_label(c, lang)} : {notes[c]}" if lang == "fr" else f"{criterion_label(c, lang)}: {notes[c]}"
                 for c in CRITERIA]
        if needs.budget is not None:
            lines.append(_say("budget", lang))
        if row["excluded"]:
            lines.insert(0, _say("excluded", lang, reason=row["excluded"]))
        records.append({
            "tool_id": row["tool_id"], "name": row["name"], "licence_spdx": row["licence_spdx"],
            "score": round(total, 4), "excluded": bool(row["excluded"]),
            **{f"score_{c}": round(scores[c], 4) for c in CRITERIA},
            "explanation": "\n".join(lines), "sources": " ; ".join(row["sources"]),  # type: ignore[arg-type]
        })
    columns = ["tool_id", "name", "licence_spdx", "score", "rank", "excluded",
               *[f"score_{c}" for c in CRITERIA], "explanation", "sources"]
    if not records:
        return pd.DataFrame(columns=columns)
    df = pd.DataFrame(records).sort_values(["excluded", "score", "name"], ascending=[True, False, True])
    df["rank"] = pd.array([i + 1 if not ex else None for i, ex in enumerate(df["excluded"])], dtype="Int64")
    return df[columns].reset_index(drop=True)


def rank_tools(
    con: duckdb.DuckDBPyConnection, needs: Needs, weights: Mapping[str, float] | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Ranked shortlist: one row per tool, excluded tools last with rank NA, explanation in ``lang``."""
    facts = _load_facts(con)
    rows = [_score_tool(t, facts, needs, lang) for t in facts.tools.to_dict("records")]
    return _table(rows, _normalised(weights or default_weights()), needs, lang)


def _top(rows: list[dict[str, object]], weights: dict[str, float], needs: Needs) -> list[str]:
    table = _table(rows, weights, needs, "en")
    return list(table.loc[~table["excluded"], "tool_id"].head(TOP_N))


def sensitivity(
    con: duckdb.DuckDBPyConnection, needs: Needs, weights: Mapping[str, float] | None = None,
    factors: tuple[float, ...] = (0.0, 0.5, 2.0),
) -> pd.DataFrame:
    """For each criterion and factor, rescale that weight and say whether the top ranks change."""
    base = dict(weights or default_weights())
    facts = _load_facts(con)
    rows = [_score_tool(t, facts, needs, "en") for t in facts.tools.to_dict("records")]
    before = _top(rows, _normalised(base), needs)
    out = []
    for criterion in CRITERIA:
        for factor in factors:
            changed_weights = {**base, criterion: base.get(criterion, 0.0) * factor}
            after = _top(rows, _normalised(changed_weights), needs)
            out.append({"criterion": criterion, "factor": factor, "weight": round(_normalised(changed_weights)[criterion], 4),
                        "top_before": ", ".join(before), "top_after": ", ".join(after),
                        "leader_changes": bool(before and after and before[0] != after[0]),
                        "top_changes": before != after})
    return pd.DataFrame(out)
