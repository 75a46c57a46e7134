"""Sequential Phragmén (pabutools 1.2.3 ``sequential_phragmen``) on the approval projection.

Voters earn money continuously; the project whose supporters can first afford it (smallest new
maximal load) is bought; the rule stops as soon as a tied best project does not fit. Loads only take
the values of earlier rounds, so exact values are sums of a few ``Fraction``s: floats screen the
candidates, exact loads settle near-ties.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from observatory.pb.model import Election
from observatory.pb.rules.base import NEAR_TIE


def phragmen(election: Election) -> list[int]:
    election.require_ballots("phragmen")
    groups = election.approval_groups
    sup = groups.project_supporters
    w = groups.weights
    wf = w.astype(np.float64)
    counts = election.approval_counts
    rank = election.lexico_rank
    load = np.zeros(len(w))
    load_round = np.zeros(len(w), dtype=np.int64)  # index into exact_loads
    exact_loads: list[Fraction] = [Fraction(0)]
    remaining = [p for p in range(election.n_projects) if election.costs[p] <= election.budget]
    spent = Fraction(0)
    selected: list[int] = []

    def exact_new_load(p: int) -> Fraction:
        s = sup[p]
        hist = np.bincount(load_round[s], weights=w[s], minlength=len(exact_loads))
        total = sum((exact_loads[r] * int(round(hist[r])) for r in np.flatnonzero(hist)), Fraction(0))
        return (total + election.costs[p]) / int(counts[p])

    while remaining:
        values = np.array([(float(wf[sup[p]] @ load[sup[p]]) + float(election.costs[p])) / counts[p]
                           if counts[p] > 0 else np.inf for p in remaining])
        best = values.min()
        if np.isinf(best):
            tied = [remaining[i] for i in np.flatnonzero(np.isinf(values))]
            new_load = None
        else:
            near = [remaining[i] for i in np.flatnonzero(values <= best * (1 + NEAR_TIE))]
            exact = {p: exact_new_load(p) for p in near}
            new_load = min(exact.values())
            tied = [p for p in near if exact[p] == new_load]
        if any(spent + election.costs[p] > election.budget for p in tied):
            break
        p = min(tied, key=lambda q: rank[q])
        if new_load is not None:
            s = sup[p]
            exact_loads.append(new_load)
            load[s] = float(new_load)
            load_round[s] = len(exact_loads) - 1
        spent += election.costs[p]
        selected.append(p)
        remaining.remove(p)
    return selected
