"""Run pabutools 1.2.3 rules on one file, printing one JSON line per rule as each finishes.

Launched in a subprocess by the oracle tests and the benchmark. Each rule gets a time budget
(SIGALRM; pabutools is pure Python so the alarm interrupts it); a rule over budget prints
``{"rule": ..., "timeout": true}`` instead of a selection.
Usage: ``python -m tests.pb.oracle_worker FILE SECONDS RULE [RULE ...]`` (SECONDS <= 0: no limit).
"""

from __future__ import annotations

import json
import signal
import sys
import time


class _Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _run_rule(rule: str, instance, profile) -> tuple[list, int | None]:  # noqa: ANN001
    from pabutools.election import Cardinality_Sat, Cost_Sat
    from pabutools.rules import (
        greedy_utilitarian_welfare,
        max_additive_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    if rule == "greedy":
        return greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat), None
    if rule == "greedy-ratio":
        return greedy_utilitarian_welfare(instance, profile, sat_class=Cardinality_Sat), None
    if rule == "mes":
        return method_of_equal_shares(instance, profile, sat_class=Cost_Sat), None
    if rule == "mes-add1":
        return method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1), None
    if rule == "mes-add1-greedy":
        first = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
        return greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat,
                                          initial_budget_allocation=first), None
    if rule == "mes-points":  # on the file's own (cumulative or scoring) profile
        from pabutools.election import Additive_Cardinal_Sat

        return method_of_equal_shares(instance, profile, sat_class=Additive_Cardinal_Sat), None
    if rule == "phragmen":
        return sequential_phragmen(instance, profile), None
    if rule == "max-supports":
        chosen = max_additive_utilitarian_welfare(instance, profile, sat_class=Cardinality_Sat)
        return chosen, sum(profile.approval_score(p) for p in chosen)
    raise SystemExit(f"unknown rule {rule}")


def main(path: str, seconds: float, rules: list[str]) -> None:
    from pabutools.election import ApprovalBallot, ApprovalProfile, parse_pabulib

    t0 = time.perf_counter()
    instance, profile = parse_pabulib(path)
    print(json.dumps({"rule": "parse", "seconds": time.perf_counter() - t0}), flush=True)
    if not isinstance(profile, ApprovalProfile):
        # our rules run on the approval projection (a listed project counts as approved): give pabutools the same
        profile = ApprovalProfile([ApprovalBallot(set(b)) for b in profile])
    signal.signal(signal.SIGALRM, _on_alarm)
    for rule in rules:
        start = time.perf_counter()
        if seconds > 0:
            signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            chosen, objective = _run_rule(rule, instance, profile)
        except _Timeout:
            print(json.dumps({"rule": rule, "timeout": True, "seconds": seconds}), flush=True)
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        print(json.dumps({"rule": rule, "selected": sorted(str(p.name) for p in chosen), "objective": objective,
                          "seconds": time.perf_counter() - start}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), sys.argv[3:])
