"""Fixtures for the deployments dataset: the compile scripts on sys.path and tiny git snapshots of each list."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "datasets" / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

MakeSnapshot = Callable[[str, dict[str, str]], Path]


def _git(directory: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(directory), "-c", "user.name=test", "-c", "user.email=test@example.org",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


@pytest.fixture
def make_snapshot(tmp_path: Path) -> MakeSnapshot:
    """Create a one-commit git repository holding `files` (path -> text); returns its directory."""

    def make(name: str, files: dict[str, str]) -> Path:
        directory = tmp_path / name
        for path, text in files.items():
            target = directory / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        _git(directory.parent, "init", "-q", directory.name)
        _git(directory, "add", "-A")
        _git(directory, "commit", "-q", "-m", "snapshot")
        return directory

    return make
