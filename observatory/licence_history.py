"""Licence history of a repository: every change of what its licence files and manifests state.

Walks the default branch's first-parent line (what the branch said, day by day; a change made on a side
branch counts when it is merged), oldest first, reading only the commits that touch a root licence
file or a root package manifest, and compares what each path states before and after.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from observatory import licence_detect
from observatory.gitlog import git

PATHSPECS = (":(glob,icase)licen[cs]e*", ":(glob,icase)copying*", ":(glob,icase)unlicense*",
             ":(glob)*.gemspec", *licence_detect.MANIFESTS)
_REC = "\x1e"


@dataclass(frozen=True)
class LicenceChange:
    commit: str
    committed_at: datetime
    path: str
    kind: str                 # licence_file | manifest
    from_spdx: str | None
    to_spdx: str | None


def stated_by(path: str, text: str | None) -> str | None:
    """What one file states (None: the file is absent, or a manifest has no licence field)."""
    if text is None:
        return None
    if licence_detect.is_licence_file(path):
        return licence_detect.from_text(text)
    return licence_detect.from_manifest(path, text)


def _contents(git_dir: Path, specs: list[str]) -> list[str | None]:
    """``git cat-file --batch`` for many ``commit:path`` at once (None when missing)."""
    if not specs:
        return []
    proc = subprocess.run(["git", f"--git-dir={git_dir}", "cat-file", "--batch"], input="\n".join(specs).encode() + b"\n",
                          capture_output=True, check=True)
    out: list[str | None] = []
    data, pos = proc.stdout, 0
    for _ in specs:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] == b"missing":
            out.append(None)
            continue
        size = int(header[2])
        out.append(data[pos:pos + size].decode("utf-8", "replace"))
        pos += size + 1
    return out


def licence_changes(git_dir: Path, head: str) -> list[LicenceChange]:
    log = git(git_dir, "log", "--first-parent", "--reverse", "--no-renames", "--name-status",
              f"--format={_REC}%H %ct", head, "--", *PATHSPECS)
    touched: list[tuple[str, datetime, str, str]] = []
    sha, when = "", datetime.min
    for line in log.split("\n"):
        if line.startswith(_REC):
            sha, epoch = line[1:].split()
            when = datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
        elif "\t" in line:
            status, path = line.split("\t", 1)
            if licence_detect.is_licence_file(path) or licence_detect.is_manifest(path):
                touched.append((sha, when, status[0], path))
    texts = _contents(git_dir, [f"{c}:{p}" for c, _, s, p in touched if s != "D"])
    states: dict[str, str | None] = {}
    out: list[LicenceChange] = []
    it = iter(texts)
    for commit, when, status, path in touched:
        now = None if status == "D" else stated_by(path, next(it))
        if now == licence_detect.UNREADABLE:
            continue   # keep what the file said before: a broken manifest states nothing new
        before = states.get(path)
        states[path] = now
        if now != before:
            kind = "licence_file" if licence_detect.is_licence_file(path) else "manifest"
            out.append(LicenceChange(commit, when, path, kind, before, now))
    return out


def declaration_source(path: str) -> str:
    """licence_events.declaration_source of a path (the vocabulary of the catalogue)."""
    if licence_detect.is_licence_file(path):
        return "licence_file"
    return "publiccode" if path.startswith("publiccode.") else "manifest"


def licence_events(changes: list[LicenceChange]) -> list[dict[str, object]]:
    """``licence_events`` rows (source = git): one per day and kind of declaration that ends on a new licence.

    Changes of one day are folded (first "before", last "after") so a file rewritten twice in a day is one
    event; removals and texts not recognised (NOASSERTION) state no licence and give no event.
    """
    folded: dict[tuple[object, str], list[LicenceChange]] = {}
    for change in changes:
        folded.setdefault((change.committed_at.date(), declaration_source(change.path)), []).append(change)
    out = []
    for (day, declared), group in sorted(folded.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        before, after = group[0].from_spdx, group[-1].to_spdx
        if after in (None, licence_detect.NOASSERTION) or after == before:
            continue
        last = group[-1]
        paths = ", ".join(dict.fromkeys(c.path for c in group))
        out.append({"date": day, "from_spdx": before if before != licence_detect.NOASSERTION else None,
                    "to_spdx": after, "declaration_source": declared, "commit": last.commit, "path": last.path,
                    "note": f"git: {paths} states {after}" + (f" (was {before})" if before else "")})
    return out
