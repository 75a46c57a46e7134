"""Read commits and tags from a git directory (bare or not) with the git command.

Why the git command and not pygit2 or dulwich: on the largest history readable here (16,302 commits)
``git log --numstat`` costs about 1 ms a commit, pygit2's diff stats about 6 ms and a tree-only diff
about 3 ms (bench/git_health_bench.py); dulwich computes line counts in Python, slower still. git also
applies ``.mailmap`` itself (``%aE``) and is on every machine that has a repository to read.

Snapshots read here may lack blobs (files over 4 MiB are left out): ``git log --numstat`` stops at
the first missing blob, so on failure the stats are read again commit by commit with ``diff-tree``,
leaving the missing files out of the line counts (they still count as changed files).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from observatory.errors import BadData, BadUsage

FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.fr", "outlook.com", "live.com", "yahoo.com",
    "yahoo.fr", "icloud.com", "me.com", "mac.com", "gmx.de", "gmx.net", "web.de", "protonmail.com",
    "proton.me", "posteo.de", "mailbox.org", "free.fr", "orange.fr", "laposte.net", "yandex.ru", "mail.ru",
    "qq.com", "163.com", "aol.com", "fastmail.com", "riseup.net", "users.noreply.github.com",
    "noreply.github.com", "github.com", "users.noreply.gitlab.com", "localhost", "example.com",
})
_RELEASE_TAG = re.compile(r"^(?:.*[/@_-])?v?(\d+)(\.\d+)+$", re.IGNORECASE)
_SEP, _REC = "\x1f", "\x1e"
_META_FORMAT = _SEP.join(("%H", "%P", "%at", "%ct", "%aE", "%aN"))


@dataclass(frozen=True)
class Commit:
    commit: str
    authored_at: datetime
    committed_at: datetime
    author_key: str
    author_org: str | None
    files_changed: int | None
    insertions: int | None
    deletions: int | None
    is_merge: bool


@dataclass(frozen=True)
class Tag:
    tag: str
    commit: str
    tagged_at: datetime
    is_release: bool


def git(git_dir: Path, *args: str, check: bool = True, stdin: str | None = None) -> str:
    """Run git on ``git_dir``; text out. Raises BadData with git's own message when it fails."""
    cmd = ["git", f"--git-dir={git_dir}", *args]
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, errors="replace", check=False)
    except FileNotFoundError:
        raise BadUsage("the git command is not installed", todo="install git") from None
    if check and proc.returncode != 0:
        raise BadData(f"git {args[0]} failed on {git_dir}: {proc.stderr.strip()[:300]}")
    return proc.stdout


def git_dir_of(path: Path) -> Path:
    """The git directory of a bare repository or of a work tree."""
    if (path / ".git").exists():
        return path / ".git"
    if (path / "HEAD").is_file() and (path / "objects").is_dir():
        return path
    raise BadUsage(f"{path} is not a git repository", todo="give a clone (bare or not) or a repository URL")


def head_commit(git_dir: Path) -> str:
    return git(git_dir, "rev-parse", "--verify", "HEAD^{commit}").strip()


def author_key(email: str, salt: str) -> str:
    """Salted hash of the normalised e-mail: authors can be counted, never named."""
    return hashlib.sha256(f"{salt}\n{email.strip().lower()}".encode()).hexdigest()[:20]


def author_org(email: str) -> str | None:
    """The e-mail domain as an organisation, or None for web-mail / no-reply (an individual)."""
    local, _, domain = email.strip().lower().rpartition("@")
    if not domain or "@" not in email or domain in FREE_MAIL or domain.endswith(".local") \
            or "noreply" in domain or local.replace("-", "") == "noreply":
        return None
    return domain


def is_release_tag(name: str) -> bool:
    """Version-like (``v1.2``, ``1.2.3``, ``decidim-core@0.27.0``) and not a pre-release."""
    return bool(_RELEASE_TAG.match(name))


def _ts(epoch: str) -> datetime:
    return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)


def _mailmap_args(head: str) -> list[str]:
    # The .mailmap of the commit read (not of a work tree that may have moved on): reproducible.
    return ["-c", "mailmap.file=", "-c", f"mailmap.blob={head}:.mailmap"]


def read_commits(git_dir: Path, head: str, salt: str, exclude: Sequence[str] = ()) -> list[Commit]:
    """Every commit reachable from ``head`` but not from ``exclude`` (already read), newest first."""
    revs = [head, *(f"^{c}" for c in exclude)]
    meta = git(git_dir, *_mailmap_args(head), "log", f"--format={_REC}{_META_FORMAT}", *revs, "--")
    stats = _numstat(git_dir, revs)
    out: list[Commit] = []
    for record in meta.split(_REC)[1:]:
        sha, parents, at, ct, email, name = record.rstrip("\n").split(_SEP)
        merge = len(parents.split()) > 1
        files, ins, dels = (None, None, None) if merge else stats.get(sha, (0, 0, 0))
        out.append(Commit(sha, _ts(at), _ts(ct), author_key(email or f"name:{name}", salt), author_org(email),
                          files, ins, dels, merge))
    return out


def _parse_numstat(text: str, marker: str) -> dict[str, tuple[int, int, int]]:
    stats: dict[str, tuple[int, int, int]] = {}
    sha = None
    files = ins = dels = 0
    for line in text.split("\n"):
        if line.startswith(marker):
            if sha:
                stats[sha] = (files, ins, dels)
            sha, files, ins, dels = line[len(marker):].strip(), 0, 0, 0
        elif line and sha:
            added, deleted, _ = line.split("\t", 2)
            files += 1
            ins += int(added) if added != "-" else 0
            dels += int(deleted) if deleted != "-" else 0
    if sha:
        stats[sha] = (files, ins, dels)
    return stats


def _numstat(git_dir: Path, revs: list[str]) -> dict[str, tuple[int, int, int]]:
    """(files, insertions, deletions) per non-merge commit; binary files count 0 lines."""
    missing = {line[1:] for line in git(git_dir, "rev-list", "--objects", "--missing=print", *revs).split("\n")
               if line.startswith("?")}
    if not missing:
        return _parse_numstat(git(git_dir, "log", "--no-renames", "--numstat", f"--format={_REC}%H", *revs, "--"),
                              _REC)
    return _numstat_without_missing(git_dir, revs, missing)


def _numstat_without_missing(git_dir: Path, revs: list[str], missing: set[str]) -> dict[str, tuple[int, int, int]]:
    """Slow path for snapshots with missing blobs: those files count as changed with 0 lines."""
    raw = git(git_dir, "log", "--no-renames", "--raw", "--no-abbrev", f"--format={_REC}%H", *revs, "--")
    touched: dict[str, list[str]] = {}
    sha = ""
    for line in raw.split("\n"):
        if line.startswith(_REC):
            sha = line[1:].strip()
        elif line.startswith(":"):
            fields, path = line.split("\t", 1)
            old, new = fields.split()[2:4]
            if old in missing or new in missing:
                touched.setdefault(sha, []).append(path)
    clean = [c for c in git(git_dir, "rev-list", "--no-merges", *revs).split() if c not in touched]
    text = git(git_dir, "diff-tree", "--stdin", "--root", "-r", "--no-renames", "--numstat",
               f"--format={_REC}%H", stdin="\n".join(clean) + "\n")
    out = _parse_numstat(text, _REC)
    for commit, paths in touched.items():
        excludes = [f":(exclude,literal){p}" for p in paths]
        text = git(git_dir, "diff-tree", "--root", "-r", "--no-renames", "--numstat", f"--format={_REC}%H",
                   commit, "--", ".", *excludes)
        files, ins, dels = _parse_numstat(text, _REC).get(commit, (0, 0, 0))
        out[commit] = (files + len(paths), ins, dels)
    return out


def read_tags(git_dir: Path) -> list[Tag]:
    """Every tag pointing (through annotated tags) at a commit, with the tagger or commit date."""
    fmt = _SEP.join(("%(refname:strip=2)", "%(objecttype)", "%(*objecttype)", "%(*objectname)", "%(objectname)",
                     "%(taggerdate:unix)", "%(*committerdate:unix)", "%(committerdate:unix)"))
    out: list[Tag] = []
    for line in git(git_dir, "for-each-ref", f"--format={fmt}", "refs/tags").splitlines():
        name, kind, peeled_kind, peeled, obj, tagger, peeled_date, commit_date = line.split(_SEP)
        if kind == "commit":
            commit, when = obj, commit_date
        elif kind == "tag" and peeled_kind == "commit":
            commit, when = peeled, tagger or peeled_date
        else:
            continue
        if not when:
            continue
        out.append(Tag(name, commit, _ts(when), is_release_tag(name)))
    return sorted(out, key=lambda t: (t.tagged_at, t.tag))


def reachable(git_dir: Path, head: str, commits: Iterable[str]) -> bool:
    """True when every commit is an ancestor of ``head`` (an incremental read is then safe)."""
    return all(subprocess.run(["git", f"--git-dir={git_dir}", "merge-base", "--is-ancestor", c, head],
                              capture_output=True, check=False).returncode == 0 for c in commits)


def readme_text(git_dir: Path, head: str) -> tuple[str, str] | None:
    """(path, text) of the root README at ``head``, if there is one."""
    names = [n for n in git(git_dir, "ls-tree", "--name-only", head).split("\n") if n.lower().startswith("readme")]
    if not names:
        return None
    name = sorted(names, key=lambda n: (len(n), n))[0]
    return name, git(git_dir, "cat-file", "-p", f"{head}:{name}", check=False)
