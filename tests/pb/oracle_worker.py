"""Run one pabutools 1.2.3 rule on one file and print the selection as JSON (one line).

Launched in a subprocess by the oracle tests and the benchmark so a slow pabutools call can be cut
off by a timeout without stopping the caller. Usage: ``python -m tests.pb.oracle_worker FILE RULE``.
"""

from __future__ import annotations

import json
import sys
import time


def run(path: str, rule: str) -> dict:
    from pabutools.election import Cardinality_Sat, Cost_Sat, parse_pabulib
    from pabutools.rules import (
        greedy_utilitarian_welfare,
        max_additive_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    t0 = time.perf_counter()
    instance, profile = parse_pabulib(path)
    parse_s = time.perf_counter() - t0
    if rule != "parse" and profile.__class__.__name__ != "ApprovalProfile":
        # rules run on the approval projection, as ours do (a listed project counts as approved)
        from pabutools.election import ApprovalBallot, ApprovalProfile

        profile = ApprovalProfile([ApprovalBallot(set(b)) for b in profile])
    t1 = time.perf_counter()
    objective = None
    if rule == "parse":
        selected = []
    elif rule == "greedy":
        selected = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    elif rule == "greedy-ratio":
        selected = greedy_utilitarian_welfare(instance, profile, sat_class=Cardinality_Sat)
    elif rule == "mes":
        selected = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    elif rule == "mes-add1":
        selected = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
    elif rule == "mes-add1-greedy":
        first = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
        selected = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat,
                                              initial_budget_allocation=first)
    elif rule == "phragmen":
        selected = sequential_phragmen(instance, profile)
    elif rule == "max-supports":
        selected = max_additive_utilitarian_welfare(instance, profile, sat_class=Cardinality_Sat)
        objective = sum(profile.approval_score(p) for p in selected)
    else:
        raise SystemExit(f"unknown rule {rule}")
    return {"selected": sorted(str(p.name) for p in selected), "parse_seconds": parse_s,
            "rule_seconds": time.perf_counter() - t1, "objective": objective}


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], sys.argv[2])))
