"""The seed claim per edition and as a distribution, from stored outcomes."""

from __future__ import annotations

from pathlib import Path

from observatory.pb import pabulib
from observatory.pb.importer import import_editions
from observatory.pb.rules import run_rule
from observatory.pb.seed_claim import seed_claim, seed_claim_quantiles
from observatory.store import connect_writer
from tests.pb.test_study import _election_text


def _cost(e, rule: str) -> float:  # noqa: ANN001
    return float(sum(e.costs[e.index_of[p]] for p in run_rule(rule, e)))


def test_gains_are_the_optimum_over_each_greedy_and_the_claim_is_counted(tmp_path: Path) -> None:
    con = connect_writer(tmp_path / "db.duckdb")
    texts = {f"Testland_C{k}_2024.pb": _election_text(k, 80, 10) for k in range(3)}
    rules = ["greedy", "greedy-noskip", "max-budget", "max-supports"]
    import_editions(con, [(n, t.encode(), None) for n, t in texts.items()], rules=rules)
    df = seed_claim(con)
    assert len(df) == 3 * 2
    for name, text in texts.items():
        e = pabulib.parse_string(text, name).election

        row = df[(df.edition_id == name[:-3]) & (df.baseline == "greedy-noskip")].iloc[0]
        assert abs(row.budget_gain - (_cost(e, "max-budget") / _cost(e, "greedy-noskip") - 1)) < 1e-12
        assert row.claim_holds == (row.budget_gain >= 0.3 and row.supports_gain >= 0.7)
    q = seed_claim_quantiles(df)
    skip = q[(q.baseline == "greedy") & (q.gain == "budget_gain")].iloc[0]
    assert skip.editions == 3 and skip.q0 <= skip.q50 <= skip.q100
    assert skip.reaching_claim == int((df[df.baseline == "greedy"].budget_gain >= 0.3).sum())
    con.close()
