"""Points-based MES (``mes-points``) against pabutools 1.2.3 (``Additive_Cardinal_Sat``), in-process."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from observatory.pb import pabulib
from observatory.pb.rules import RuleNotApplicable, run_rule
from tests.pb.test_rules import FOUR

pytestmark = pytest.mark.oracle


def _cumulative_text(seed: int) -> str:
    rnd = random.Random(seed)
    n_projects, n_voters = rnd.randint(4, 9), rnd.randint(5, 40)
    costs = [rnd.choice([0, 50, 100, 150, 200, 300]) if k else 100 for k in range(n_projects)]
    votes = []
    for k in range(n_voters):
        chosen = rnd.sample(range(n_projects), rnd.randint(1, min(4, n_projects)))
        pts = [rnd.randint(1, 5) for _ in chosen]
        votes.append(f"v{k};{','.join(str(p + 1) for p in chosen)};{','.join(map(str, pts))}")
    lines = ["META", "key;value", f"num_projects;{n_projects}", f"num_votes;{n_voters}",
             f"budget;{rnd.choice([300, 500, 700])}", "vote_type;cumulative", "max_sum_points;20", "PROJECTS",
             "project_id;cost", *[f"{i + 1};{c}" for i, c in enumerate(costs)], "VOTES", "voter_id;vote;points",
             *votes]
    return "\n".join(lines) + "\n"


def _pabutools(path: Path) -> list[str]:
    from pabutools.election import Additive_Cardinal_Sat, parse_pabulib
    from pabutools.rules import method_of_equal_shares

    instance, profile = parse_pabulib(str(path))
    return sorted(str(p.name) for p in method_of_equal_shares(instance, profile, sat_class=Additive_Cardinal_Sat))


@pytest.mark.parametrize("seed", range(25))
def test_random_cumulative_elections(seed: int, tmp_path: Path) -> None:
    path = tmp_path / f"c{seed}.pb"
    path.write_text(_cumulative_text(seed), encoding="utf-8")
    assert sorted(run_rule("mes-points", pabulib.load(path))) == _pabutools(path)


SHARED_CUMULATIVE = ["Poland_Gdansk_2020_Letnica.pb", "Worldwide_Mechanical_Turk_Utilities_3.pb",
                     "Poland_Gdansk_2020_Siedlce.pb", "Switzerland_Zurich_D10.pb", "Poland_Katowice_2024_Podlesie.pb"]


@pytest.mark.shared
@pytest.mark.parametrize("file_name", SHARED_CUMULATIVE)
def test_shared_cumulative_files(file_name: str, shared_data: Path) -> None:
    path = shared_data / "pabulib" / "files" / file_name
    assert sorted(run_rule("mes-points", pabulib.load(path))) == _pabutools(path)


def test_approval_ballots_are_not_points() -> None:
    with pytest.raises(RuleNotApplicable):
        run_rule("mes-points", FOUR)
