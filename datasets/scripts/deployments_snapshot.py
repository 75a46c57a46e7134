"""Read files of a pinned repository snapshot without a work tree.

Sources are read from git directories (bare mirrors or clones) at HEAD, so every row can name the exact commit
and a permalink to the file it came from, and a refresh is just "point at a newer snapshot and re-run".
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import quote


class SnapshotError(RuntimeError):
    """A snapshot directory cannot be read (not a git directory, missing file)."""


@dataclass(frozen=True)
class GitSnapshot:
    """One repository snapshot: `repo` is the public "owner/name", `git_dir` where it lives on this machine."""

    repo: str
    git_dir: Path

    def _git(self, *args: str) -> bytes:
        completed = subprocess.run(
            ["git", "-C", str(self.git_dir), *args], capture_output=True, check=False
        )
        if completed.returncode != 0:
            message = completed.stderr.decode("utf-8", "replace").strip()
            raise SnapshotError(f"{self.git_dir}: git {' '.join(args)}: {message}")
        return completed.stdout

    @cached_property
    def commit(self) -> str:
        """Full SHA of HEAD: the pinned version every derived row records."""
        return self._git("rev-parse", "HEAD").decode().strip()

    def read_text(self, path: str) -> str:
        """Content of `path` at the pinned commit."""
        return self._git("show", f"{self.commit}:{path}").decode("utf-8")

    def list_dir(self, path: str) -> list[str]:
        """File names directly under `path` at the pinned commit, sorted (NUL-separated: names hold non-ASCII)."""
        raw = self._git("ls-tree", "-z", "--name-only", f"{self.commit}:{path}")
        return sorted(name for name in raw.decode("utf-8").split("\0") if name)

    def permalink(self, path: str) -> str:
        """GitHub URL of `path` at the pinned commit (percent-encoded), the `source_url` of rows read from it."""
        return f"https://github.com/{self.repo}/blob/{self.commit}/{quote(path)}"
