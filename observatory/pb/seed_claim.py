"""The seed claim, recomputed per edition: does an optimal selection use ~30 % more budget and represent
~70 % more supports than greedy?

Per approval edition and per greedy variant (``greedy``: skip what does not fit; ``greedy-noskip``: stop at
the first misfit), from the stored outcomes (no rule is re-run):

- ``budget_gain`` = cost of ``max-budget`` / cost of the greedy selection − 1 (more budget *used*);
- ``supports_gain`` = supports of ``max-supports`` / supports of the greedy selection − 1.

The claim *holds* on an edition when both gains reach the claimed values (``CLAIM_BUDGET``,
``CLAIM_SUPPORTS``); each half is also reported on its own. Read by ``observatory pb claim`` and by the PB
page (``seed_claim`` and ``seed_claim_quantiles``).
"""

from __future__ import annotations

import duckdb
import pandas as pd

CLAIM_BUDGET = 0.30
CLAIM_SUPPORTS = 0.70
BASELINES = ("greedy", "greedy-noskip")
QUANTILES = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)


def seed_claim(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per approval edition x greedy baseline with both gains and whether the claim holds."""
    df = con.execute("""
        WITH o AS (
            SELECT edition_id, rule, cost, supports FROM pb_outcomes
            WHERE error IS NULL AND rule IN ('greedy', 'greedy-noskip', 'max-budget', 'max-supports'))
        SELECT e.edition_id, e.country, e.unit AS city,
               TRY_CAST(regexp_extract(e.instance, '(19|20)[0-9]{2}', 0) AS INTEGER) AS year,
               e.n_voters, e.n_projects, e.budget, g.rule AS baseline,
               g.cost AS greedy_cost, g.supports AS greedy_supports,
               mb.cost AS max_budget_cost, ms.supports AS max_supports_supports,
               mb.cost / nullif(g.cost, 0) - 1 AS budget_gain,
               ms.supports / nullif(g.supports, 0) - 1 AS supports_gain,
               (mb.cost - g.cost) / e.budget AS extra_budget_share
        FROM pb_editions e
        JOIN o g ON g.edition_id = e.edition_id AND g.rule IN ('greedy', 'greedy-noskip')
        LEFT JOIN o mb ON mb.edition_id = e.edition_id AND mb.rule = 'max-budget'
        LEFT JOIN o ms ON ms.edition_id = e.edition_id AND ms.rule = 'max-supports'
        WHERE e.vote_type = 'approval'
        ORDER BY e.edition_id, baseline""").df()
    df["budget_claim_holds"] = df["budget_gain"] >= CLAIM_BUDGET
    df["supports_claim_holds"] = df["supports_gain"] >= CLAIM_SUPPORTS
    df["claim_holds"] = df["budget_claim_holds"] & df["supports_claim_holds"]
    return df


def seed_claim_quantiles(df: pd.DataFrame) -> pd.DataFrame:
    """Per baseline and gain: quantiles, and in how many editions the claimed value is reached."""
    rows = []
    for baseline in BASELINES:
        part = df[df["baseline"] == baseline]
        for gain, claimed in (("budget_gain", CLAIM_BUDGET), ("supports_gain", CLAIM_SUPPORTS)):
            values = part[gain].dropna()
            rows.append({"baseline": baseline, "gain": gain, "editions": len(values),
                         **{f"q{int(q * 100)}": (values.quantile(q) if len(values) else None) for q in QUANTILES},
                         "mean": values.mean() if len(values) else None,
                         "reaching_claim": int((values >= claimed).sum()), "claimed": claimed})
        both = part.dropna(subset=["budget_gain", "supports_gain"])
        rows.append({"baseline": baseline, "gain": "both", "editions": len(both),
                     "reaching_claim": int(both["claim_holds"].sum())})
    return pd.DataFrame(rows)
