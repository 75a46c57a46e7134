"""Declared studies: the YAML, the variants, and the same rows locally, on processes and on a Dask cluster.

The cluster tests start a real ``distributed.LocalCluster`` (worker processes, 127.0.0.1 only) and kill a
worker while it holds a task: the task must be re-run elsewhere, with nothing lost or doubled.
"""

from __future__ import annotations

import os
import random
import signal
import threading
from fractions import Fraction
from pathlib import Path

import pytest

from observatory.pb import pabulib
from observatory.pb import study as st

RULES = ["greedy", "mes", "mes-add1-greedy", "phragmen", "max-supports"]


def _election_text(seed: int, n_voters: int = 300, n_projects: int = 16) -> str:
    rnd = random.Random(seed)
    costs = [rnd.choice([100, 150, 200, 250, 300, 400, 500]) for _ in range(n_projects)]
    ballots = [sorted(rnd.sample(range(n_projects), rnd.randint(1, 5))) for _ in range(n_voters)]
    lines = ["META", "key;value", "country;Testland", "instance;2024", f"num_projects;{n_projects}",
             f"num_votes;{n_voters}", f"budget;{sum(costs) // 3}", "vote_type;approval", "PROJECTS",
             "project_id;cost", *[f"{i + 1};{c}" for i, c in enumerate(costs)], "VOTES", "voter_id;vote",
             *[f"v{k};{','.join(str(p + 1) for p in b)}" for k, b in enumerate(ballots)]]
    return "\n".join(lines) + "\n"


def _write_study(tmp_path: Path, n_files: int = 2, scales: str = "{from: 0.5, to: 2.0, step: 0.5}") -> Path:
    for k in range(n_files):
        (tmp_path / f"Testland_City{k}_2024.pb").write_text(_election_text(k), encoding="utf-8")
    spec = tmp_path / "study.yaml"
    spec.write_text(f"name: t\neditions: ['Testland_*.pb']\nrules: [{', '.join(RULES)}]\n"
                    f"budget_scale: {scales}\nsubsample: {{fraction: [1.0, 0.5], seeds: [1, 2]}}\n"
                    "tie_breaking: [id, id-reverse]\n", encoding="utf-8")
    return spec


def test_study_file_expands_editions_and_parameters_exactly(tmp_path: Path) -> None:
    study = st.load_study(_write_study(tmp_path))
    assert [p.name for p in study.files] == ["Testland_City0_2024.pb", "Testland_City1_2024.pb"]
    assert st.budget_scales({"from": 0.5, "to": 2.0, "step": 0.25}) == [Fraction(k, 4) for k in range(2, 9)]
    # 4 scales x (1 full + 2 seeded halves) x 2 tie-breakings
    assert len(study.params) == 4 * 3 * 2 and len(list(study.tasks())) == 48
    assert len({t.task_id for t in study.tasks()}) == 48


@pytest.mark.parametrize("text, message", [
    ("name: x\neditions: ['*.pb']\nrules: [nope]\n", "unknown nope"),
    ("name: x\neditions: ['*.pb']\nbudget_scale: {from: 2, to: 1, step: 0.5}\n", "from <= to"),
    ("name: x\neditions: ['*.pb']\nrulez: all\n", "unknown key"),
    ("name: x\neditions: ['none-*.pb']\n", "nothing matches"),
    ("name: x\neditions: ['*.pb']\ntie_breaking: [coin]\n", "tie_breaking"),
])
def test_bad_study_files_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "a.pb").write_text(_election_text(0, 5, 6), encoding="utf-8")
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(st.StudyError, match=message):
        st.load_study(tmp_path / "s.yaml")


def test_variants_scale_the_budget_subsample_voters_and_reverse_ties() -> None:
    data = _election_text(3).encode()
    base = pabulib.parse_bytes(data, "x.pb").election
    half = st._variant(pabulib.parse_bytes(data, "x.pb").election, st.Params(Fraction(3, 2), 0.5, 7, "id"))
    assert half.budget == base.budget * Fraction(3, 2)
    assert half.n_voters == 150
    again = st._variant(pabulib.parse_bytes(data, "x.pb").election, st.Params(Fraction(3, 2), 0.5, 7, "id"))
    assert again.ballots.voter_ids == half.ballots.voter_ids      # the seed decides, nothing else
    other = st._variant(pabulib.parse_bytes(data, "x.pb").election, st.Params(Fraction(3, 2), 0.5, 8, "id"))
    assert other.ballots.voter_ids != half.ballots.voter_ids
    # two projects of equal cost and support: the tie-breaking order decides
    tie = (b"META\nkey;value\nnum_projects;2\nnum_votes;2\nbudget;5\nvote_type;approval\nPROJECTS\n"
           b"project_id;cost\na;5\nb;5\nVOTES\nvoter_id;vote\nv0;a,b\nv1;b,a\n")
    rows = {t: st.run_task(st.Task("tie.pb", tie, st.Params(tie_breaking=t), ("greedy", "mes")))
            for t in ("id", "id-reverse")}
    assert [r["selected"] for r in rows["id"]] == [["a"], ["a"]]
    assert [r["selected"] for r in rows["id-reverse"]] == [["b"], ["b"]]


def test_one_process_and_two_processes_give_the_same_table(tmp_path: Path) -> None:
    tasks = list(st.load_study(_write_study(tmp_path, 1, "[1, 2]")).tasks())
    one = st.to_table(tasks, st.run_local(tasks, 1))
    two = st.to_table(tasks, st.run_local(tasks, 2))
    assert one.num_rows == len(tasks) * len(RULES) and one.equals(two)
    assert not any(one.column("error").to_pylist())
    out = st.write_parquet(one, tmp_path / "out")
    import pyarrow.parquet as pq

    assert pq.read_table(out).equals(one)


def test_big_editions_are_handed_out_first_and_rows_stay_in_task_order(tmp_path: Path) -> None:
    """Largest file first (a long edition must not start last); the table is in task order all the same."""
    for k, voters in enumerate([40, 400, 120]):
        (tmp_path / f"Testland_City{k}_2024.pb").write_text(_election_text(k, voters, 10), encoding="utf-8")
    tasks = list(st.whole_library([tmp_path], ["greedy", "mes"]).tasks())
    assert [t.file_name[:-3] for t in st.largest_first(tasks)] == [
        "Testland_City1_2024", "Testland_City2_2024", "Testland_City0_2024"]
    finished: list[str] = []
    table = st.to_table(tasks, st.run_local(tasks, 2, lambda t, rows: finished.append(t.file_name)))
    assert sorted(finished) == sorted(t.file_name for t in tasks)
    assert table.column("edition_id").to_pylist() == [f"Testland_City{k}_2024" for k in (0, 0, 1, 1, 2, 2)]


@pytest.fixture(scope="module")
def cluster():
    import distributed  # a dev dependency: the cluster tests run on every CI run

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=50) as c:
        yield c


def test_cluster_gives_the_local_rows_bit_for_bit(tmp_path: Path, cluster) -> None:
    tasks = list(st.load_study(_write_study(tmp_path, 1, "[1, 2]")).tasks())
    local = st.to_table(tasks, st.run_local(tasks, 1))
    remote = st.to_table(tasks, st.run_dask(tasks, cluster.scheduler_address))
    assert remote.equals(local)
    st.write_parquet(local, tmp_path / "a")
    st.write_parquet(remote, tmp_path / "b")
    assert (tmp_path / "a" / "results.parquet").read_bytes() == (tmp_path / "b" / "results.parquet").read_bytes()


def test_a_worker_killed_mid_study_is_recovered(tmp_path: Path, cluster) -> None:
    from distributed import Client

    tasks = list(st.load_study(_write_study(tmp_path, 2, "[1, 2]")).tasks())
    expected = st.to_table(tasks, st.run_local(tasks, 1))
    killed: dict[str, object] = {}
    lock = threading.Lock()
    with Client(cluster.scheduler_address) as spy:
        pids = spy.run(os.getpid)

        def kill_a_busy_worker(task: st.Task, rows: list[dict]) -> None:
            with lock:
                if killed:
                    return
                busy = {w: keys for w, keys in spy.processing().items() if keys}
                if not busy:
                    return
                worker, keys = next(iter(busy.items()))
                killed.update(worker=worker, keys=list(keys))
                os.kill(pids[worker], signal.SIGKILL)

        got = st.run_dask(tasks, cluster.scheduler_address, kill_a_busy_worker)
    assert killed and killed["keys"], "no worker held a task when the first result came back"
    table = st.to_table(tasks, got)
    assert sorted(got) == sorted(t.task_id for t in tasks)               # nothing lost
    assert table.num_rows == len(tasks) * len(RULES)                     # nothing doubled
    assert table.equals(expected)


def test_cli_study_writes_parquet_and_ends_mistakes_in_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from observatory.cli import app

    spec = _write_study(tmp_path, 1, "[1]")
    out = tmp_path / "res"
    ok = CliRunner().invoke(app, ["pb", "study", str(spec), "--out", str(out), "--workers", "1"])
    assert ok.exit_code == 0, ok.output
    import pyarrow.parquet as pq

    assert pq.read_table(out / "results.parquet").num_rows == 3 * 2 * len(RULES)
    (tmp_path / "bad.yaml").write_text("name: x\neditions: ['none*.pb']\n", encoding="utf-8")
    bad = CliRunner().invoke(app, ["pb", "study", str(tmp_path / "bad.yaml")])
    assert bad.exit_code == 2 and "error: editions: nothing matches" in bad.output
    assert "Traceback" not in bad.output
