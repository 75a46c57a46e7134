"""The rule a Pabulib file declares in META ``rule``, mapped onto the engine's own rules.

It sits in its own module because it composes two families (greedy and equal shares): kept in
``greedy.py`` it made greedy and mes import each other.
"""

from __future__ import annotations

import numpy as np

from observatory.pb.model import Election
from observatory.pb.rules.base import RuleNotApplicable
from observatory.pb.rules.greedy import greedy_fill
from observatory.pb.rules.mes import mes_add1_greedy


def _threshold(election: Election) -> float:
    raw = election.meta.get("min_project_score_threshold", "").strip()
    try:
        return float(raw) if raw else 0.0
    except ValueError:
        return 0.0


def declared(election: Election) -> list[int]:
    """The rule the file declares in META ``rule``, where it is one we implement.

    ``greedy`` / ``greedy-threshold`` (projects below ``min_project_score_threshold`` excluded) /
    ``greedy-no-skip`` use approvals on approval ballots and points on cumulative/ordinal ones;
    ``equalshares/add1`` is ``mes-add1-greedy``.
    """
    rule = election.meta.get("rule", "").strip().lower()
    support = election.approval_counts if election.vote_type in ("approval", "choose-1") else \
        np.round(election.score_totals, 9)
    if rule in ("greedy", "greedy-threshold"):
        eligible = support >= _threshold(election)
        return greedy_fill(election, support, eligible=eligible)
    if rule == "greedy-no-skip":
        eligible = support >= _threshold(election)
        return greedy_fill(election, support, stop_at_first_misfit=True, eligible=eligible)
    if rule.startswith("equalshares"):
        return mes_add1_greedy(election)
    raise RuleNotApplicable(f"declared rule {rule or '(none)'!r} is not one the engine implements")
