"""Decidim budgets: cost vs supports vs selection per budget, and what other PB rules would fund.

The rules are the PB module's (``observatory.pb.rules.RULES``) run on an election built from vote
counts (``Election.from_counts``); rules that need individual ballots (MES) raise ``NeedsBallots``,
which is reported, never worked around. Decidim's open-data projects export (0.26-0.28) has neither
the budget's total nor the ``selected`` flag, so budget totals are an explicit, sourced assumption.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

COMPARED_RULES: tuple[str, ...] = ("greedy", "max-supports", "mes")


@dataclass(frozen=True)
class BudgetAssumption:
    """Budget totals the export does not carry, with where they come from."""

    instance_id: str
    totals: dict[str, float]            # budget_id -> amount
    labels: dict[str, str]              # budget_id -> district name
    published_winners: dict[str, int]   # budget_id -> number of funded projects published by the city
    statement: str
    sources: tuple[str, ...]


_BCN_DISTRICTS = {"5": "Ciutat Vella", "6": "Eixample", "7": "Gràcia", "8": "Horta-Guinardó", "9": "Les Corts",
                  "10": "Nou Barris", "11": "Sant Andreu", "12": "Sant Martí", "13": "Sants-Montjuïc",
                  "14": "Sarrià-Sant Gervasi"}
_BCN_WINNERS = {"5": 9, "6": 8, "13": 5, "9": 8, "14": 6, "7": 8, "8": 7, "10": 9, "11": 9, "12": 7}

BARCELONA_2021 = BudgetAssumption(
    instance_id="www.decidim.barcelona",
    totals={b: 3_000_000.0 for b in _BCN_DISTRICTS},
    labels=_BCN_DISTRICTS | {"1": "Gràcia co-production (2017)", "3": "Pilot (Eixample)"},
    published_winners=_BCN_WINNERS,
    statement="Barcelona's 2021 participatory budget put 30 M EUR to the vote in 10 districts; the export does not "
              "give each district's share, so an equal split (3 M EUR each) is assumed. Districts are matched to "
              "budget ids by their projects' scopes and by the district vote totals published in 2021 "
              "(Eixample 35,023; Sants-Montjuïc 34,187; Les Corts 11,513; Sarrià-Sant Gervasi 9,654 — equal to the "
              "sums of confirmed_votes of budgets 6, 13, 9 and 14).",
    sources=("https://beteve.cat/politica/barcelona-presenta-projectes-guanyadors-pressupostos-participatius-2021/ "
             "(30 M EUR, 184 projects, 76 winners per district, district vote totals)",
             "https://www.naciodigital.cat/noticia/218341/barcelona-defineix-200-projectes-optaran-30-milions-euros-"
             "pressupost-participatiu (30 M EUR)"),
)
ASSUMPTIONS: dict[str, BudgetAssumption] = {BARCELONA_2021.instance_id: BARCELONA_2021}


def by_budget(projects: pd.DataFrame, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Per budget: projects, requested cost, supports, and selected count/cost where known."""
    df = projects.copy()
    df["selected_cost"] = df["cost"].where(df["selected"].fillna(False).astype(bool), 0.0)
    out = df.groupby("budget_id", dropna=False).agg(
        projects=("project_id", "size"), requested_cost=("cost", "sum"), supports=("supports", "sum"),
        selected_known=("selected", lambda s: bool(s.notna().any())), selected=("selected", lambda s: int(s.fillna(False).sum())),
        selected_cost=("selected_cost", "sum"),
    ).reset_index()
    out["label"] = [(labels or {}).get(str(b), _scope_label(df[df["budget_id"] == b])) for b in out["budget_id"]]
    return out


def _scope_label(rows: pd.DataFrame) -> str:
    scopes = rows["scope"].dropna()
    return f"budget {rows['budget_id'].iloc[0]}" + (f" ({scopes.mode().iloc[0]})" if len(scopes) else "")


@dataclass
class RuleOutcome:
    rule: str
    budget_id: str
    funded: list[str] = field(default_factory=list)
    funded_cost: float = 0.0
    moved_share: float | None = None   # cost funded by the rule but not by the reference, / budget
    reference: str = ""
    unavailable: str | None = None     # why the rule could not run (e.g. needs ballots)


def run_rules(projects: pd.DataFrame, budget: float, budget_id: str,
              rules: tuple[str, ...] = COMPARED_RULES) -> list[RuleOutcome]:
    """Run each rule on one budget's projects; compare with the actual selection, else with ``greedy``."""
    from observatory.pb.model import Election, NeedsBallots  # the same rules as PB editions, not a copy
    from observatory.pb.rules import RULES

    df = projects.dropna(subset=["cost"]).reset_index(drop=True)
    ids = [str(p) for p in df["project_id"]]
    costs = [Fraction(str(c)) for c in df["cost"]]
    votes = [int(v) for v in df["supports"].fillna(0)]
    election = Election.from_counts(ids, costs, votes, Fraction(str(budget)), file_name=f"budget {budget_id}")
    actual = set(df.loc[df["selected"].fillna(False).astype(bool), "project_id"].astype(str)) \
        if df["selected"].notna().any() else None
    outcomes: list[RuleOutcome] = []
    for name in rules:
        rule = RULES.get(name)
        if rule is None:
            outcomes.append(RuleOutcome(name, budget_id, unavailable=f"rule {name!r} is not registered in observatory.pb.rules"))
            continue
        try:
            chosen = rule(election)
        except NeedsBallots as exc:
            outcomes.append(RuleOutcome(name, budget_id, unavailable=f"needs individual ballots: {exc}"))
            continue
        positions = getattr(chosen, "selected", chosen)
        funded = [ids[int(i)] for i in positions]
        outcomes.append(RuleOutcome(name, budget_id, funded=funded,
                                    funded_cost=float(sum(df.loc[df["project_id"].astype(str).isin(funded), "cost"]))))
    greedy_funded = next((set(o.funded) for o in outcomes if o.rule == "greedy" and o.unavailable is None), None)
    reference, ref_name = (actual, "selected") if actual is not None else (greedy_funded, "greedy")
    if reference is not None:
        cost_of = dict(zip(df["project_id"].astype(str), df["cost"].astype(float), strict=True))
        for outcome in outcomes:
            if outcome.unavailable is None:
                moved = sum(cost_of[p] for p in set(outcome.funded) - reference)
                outcome.moved_share, outcome.reference = moved / budget if budget else None, ref_name
    return outcomes


def compare_rules(projects: pd.DataFrame, totals: dict[str, float],
                  rules: tuple[str, ...] = COMPARED_RULES) -> pd.DataFrame:
    """One row per (budget, rule) for every budget with a known total."""
    rows = []
    for budget_id, group in projects.groupby("budget_id"):
        total = totals.get(str(budget_id))
        if total is None:
            continue
        for o in run_rules(group, total, str(budget_id), rules):
            rows.append({"budget_id": str(budget_id), "budget": total, "rule": o.rule, "funded_projects": len(o.funded),
                         "funded_cost": o.funded_cost, "moved_share": o.moved_share, "reference": o.reference,
                         "unavailable": o.unavailable})
    return pd.DataFrame(rows, columns=["budget_id", "budget", "rule", "funded_projects", "funded_cost",
                                       "moved_share", "reference", "unavailable"])
