"""Read files of a pinned repository snapshot without a work tree.

Sources are read from git directories (bare mirrors or clones) at HEAD, so every row can name the exact commit
and a permalink to the file it came from, and a refresh is just "point at a newer snapshot and re-run".
"""

from __future__ import annotations

import hashlib
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
    rev: str = "HEAD"  # the pinned revision; `at()` gives the same repository at an earlier commit

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
        return self._git("rev-parse", f"{self.rev}^{{commit}}").decode().strip()

    def at(self, commit: str) -> GitSnapshot:
        """The same repository pinned at another commit (to read an earlier version of a list)."""
        return GitSnapshot(repo=self.repo, git_dir=self.git_dir, rev=commit)

    def read_text(self, path: str) -> str:
        """Content of `path` at the pinned commit."""
        return self.read_text_at(self.commit, path)

    def read_text_at(self, commit: str, path: str) -> str:
        """Content of `path` at an earlier commit of the snapshot (lists the project has since removed)."""
        return self._git("show", f"{commit}:{path}").decode("utf-8")

    def last_commit_with(self, path: str) -> str:
        """Full SHA of the newest commit at which `path` exists: in the pinned commit's history, else on any ref
        of the snapshot (a list kept only on a branch or pull request; `refs_containing` says which).

        A list removed from the repository is read there, so its rows still name a commit that shows them.
        """
        for scope in ([self.commit], ["--all"]):
            touching = self._git("log", "--format=%H", *scope, "--", path).decode().split()
            for commit in touching:
                if self._git("ls-tree", "--name-only", commit, "--", path).strip():
                    return commit
        raise SnapshotError(f"{self.git_dir}: {path}: never present in any ref of the snapshot")

    def commits_touching(self, path: str, all_refs: bool = False) -> list[str]:
        """Commits of the pinned history (or of every ref) that changed `path`, newest first (each version)."""
        scope = ["--all"] if all_refs else [self.commit]
        return self._git("log", "--format=%H", *scope, "--", path).decode().split()

    def has_path(self, commit: str, path: str) -> bool:
        """True when `path` exists at `commit`."""
        return bool(self._git("ls-tree", "--name-only", commit, "--", path).strip())

    def refs_containing(self, commit: str) -> list[str]:
        """Names of the snapshot's refs whose history contains `commit` (sorted)."""
        raw = self._git("for-each-ref", "--contains", commit, "--format=%(refname)")
        return sorted(raw.decode().split())

    def deleted_files(self, folder: str, renames: bool = True) -> list[tuple[str, str, str]]:
        """(path, last commit that has it, deletion date) for files once under `folder` and gone at the pin.

        With `renames` a file moved elsewhere is not deleted (git compares contents); without, every path that
        disappeared counts (for snapshots missing the large blobs rename detection needs; callers then judge
        by folder).
        """
        log = self._git("-c", "core.quotePath=false", "log", "--diff-filter=D", "--name-only", "--format=@%H %cs",
                        *([] if renames else ["--no-renames"]), self.commit, "--", folder)
        found: dict[str, tuple[str, str, str]] = {}
        deleting, day = "", ""
        for line in log.decode("utf-8").splitlines():
            if line.startswith("@"):
                deleting, day = line[1:].split()
            elif line.strip() and line not in found:
                parent = self._git("rev-parse", f"{deleting}^").decode().strip()
                found[line] = (line, parent, day)
        present = set(self._git("-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", self.commit, "--",
                                folder).decode("utf-8").split("\n"))
        return sorted(entry for path, entry in found.items() if path not in present)

    def list_dir(self, path: str) -> list[str]:
        """File names directly under `path` at the pinned commit, sorted (NUL-separated: names hold non-ASCII)."""
        raw = self._git("ls-tree", "-z", "--name-only", f"{self.commit}:{path}")
        return sorted(name for name in raw.decode("utf-8").split("\0") if name)

    def list_dir_at(self, commit: str, path: str) -> list[str]:
        """File names directly under `path` at an earlier commit, sorted."""
        raw = self._git("ls-tree", "-z", "--name-only", f"{commit}:{path}")
        return sorted(name for name in raw.decode("utf-8").split("\0") if name)

    def permalink(self, path: str) -> str:
        """GitHub URL of `path` at the pinned commit (percent-encoded), the `source_url` of rows read from it."""
        return self.permalink_at(self.commit, path)

    def permalink_at(self, commit: str, path: str) -> str:
        """GitHub URL of `path` at `commit`."""
        return f"https://github.com/{self.repo}/blob/{commit}/{quote(path)}"


@dataclass(frozen=True)
class PinnedFile:
    """One file of a repository too large to snapshot, read through a public-code index at a known commit.

    The compile step is given a local copy of the file; its git blob id must equal the one recorded when the file
    was read (`blob`), so a refresh cannot silently use a different text. Rows cite `commit` like a snapshot's.
    """

    repo: str
    commit: str
    path: str
    blob: str
    local_copy: Path

    def read_text(self, path: str) -> str:
        if path != self.path:
            raise SnapshotError(f"{self.local_copy}: only {self.path} of {self.repo} was read, not {path}")
        data = self.local_copy.read_bytes()
        found = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        if found != self.blob:
            raise SnapshotError(f"{self.local_copy}: git blob {found} is not the {self.blob} of {self.repo}:"
                                f"{self.path} read at {self.commit}; fetch that commit's file or update the reader")
        return data.decode("utf-8")

    def permalink(self, path: str) -> str:
        return f"https://github.com/{self.repo}/blob/{self.commit}/{quote(path)}"
