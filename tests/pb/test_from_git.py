"""`observatory collect pabulib --from-git`: every tracked file at the commit, missing ones recorded, re-runs
incremental, the commit in every edition's source."""

from __future__ import annotations

import subprocess
from pathlib import Path

from observatory.pb.from_git import import_clone
from observatory.store import connect_writer
from tests.pb.test_study import _election_text


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
                   check=True, capture_output=True)


def test_clone_is_imported_at_its_commit_then_incrementally(tmp_path: Path) -> None:
    repo = tmp_path / "pabulib_files"
    (repo / "pb_files").mkdir(parents=True)
    _git(repo, "init", "-q")
    for k in range(3):
        (repo / "pb_files" / f"Testland_C{k}_2024.pb").write_text(_election_text(k, 60, 8), encoding="utf-8")
    (repo / "pb_files" / "Broken_2024.pb").write_text("META\nkey;value\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "files")
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    (repo / "pb_files" / "Testland_C2_2024.pb").unlink()  # tracked, but absent from the work tree
    con = connect_writer(tmp_path / "db.duckdb")
    rules = ["greedy", "mes", "max-supports"]
    first = import_clone(con, repo, workers=1, rules=rules)
    assert (first.listed, first.imported, first.failed, first.missing) == (4, 2, 1, ["pb_files/Testland_C2_2024.pb"])
    urls = [r[0] for r in con.execute("SELECT source_url FROM pb_editions ORDER BY edition_id").fetchall()]
    assert len(urls) == 2 and all(f"/blob/{commit}/pb_files/" in u for u in urls)
    assert con.execute("SELECT count(*) FROM pb_outcomes WHERE error IS NULL").fetchone()[0] == 2 * len(rules)
    fatal = {r[0] for r in con.execute("SELECT edition_id FROM pb_problems WHERE fatal").fetchall()}
    assert fatal == {"Broken_2024", "Testland_C2_2024"}
    again = import_clone(con, repo, workers=1, rules=rules)
    assert (again.imported, again.unchanged) == (0, 2)
    con.close()
