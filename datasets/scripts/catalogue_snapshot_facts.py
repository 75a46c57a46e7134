"""Print the licence and history facts the catalogue cites, read from local git snapshots of tool repositories.

Why: every `tools` / `licence_events` / `tool_features` row must point at a pinned commit. Running this over the
same snapshots reproduces the commit SHAs, licence-file texts, licence-file history and module paths the CSVs
were compiled from, so a reviewer can re-check a row (or refresh it) without trusting the compiler.

Usage:  python datasets/scripts/catalogue_snapshot_facts.py SNAPSHOT_GIT_DIR [SNAPSHOT_GIT_DIR ...] [--paths P,Q]

Each SNAPSHOT_GIT_DIR is a (bare or normal) git directory of one repository. Output: one JSON object per line.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

LICENCE_FILE = re.compile(r"^(licen[cs]e|copying|notice)([-._].*)?$", re.IGNORECASE)
MANIFESTS = ("package.json", "composer.json", "setup.py", "setup.cfg", "pyproject.toml", "publiccode.yml",
             "publiccode.yaml", "Cargo.toml", "mix.exs")
LICENCE_FIELD = re.compile(r"""^\s*["']?licen[cs]e["']?\s*[:=]\s*(.+)$""", re.IGNORECASE | re.MULTILINE)
EXTENSION_LANGUAGE = {
    ".rb": "Ruby", ".py": "Python", ".js": "JavaScript", ".jsx": "JavaScript", ".mjs": "JavaScript", ".cjs": "JavaScript",
    ".ts": "TypeScript", ".tsx": "TypeScript", ".php": "PHP", ".clj": "Clojure", ".cljs": "Clojure", ".ml": "OCaml",
    ".go": "Go", ".java": "Java", ".pl": "Perl", ".pm": "Perl", ".lua": "Lua", ".ex": "Elixir", ".cs": "C#",
}
KNOWN_TEXTS = {
    "GNU AFFERO GENERAL PUBLIC LICENSE": "AGPL-3.0 text",
    "GNU LESSER GENERAL PUBLIC LICENSE": "LGPL text",
    "GNU GENERAL PUBLIC LICENSE": "GPL text",
    "Apache License": "Apache-2.0 text",
    "Mozilla Public License": "MPL text",
    "MIT License": "MIT text",
    "The MIT License": "MIT text",
    "Permission is hereby granted, free of charge": "MIT text",
    "BSD 3-Clause": "BSD-3-Clause text",
    "Redistribution and use in source and binary forms": "BSD-style text",
    "European Union Public Licence": "EUPL text",
}


def git(repo: Path, *args: str) -> str:
    """Run one read-only git command against the snapshot and return its stdout."""
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def show(repo: Path, path: str) -> str:
    """A file's text at HEAD, or "" when the snapshot lacks the blob (snapshots omit very large files)."""
    done = subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{path}"], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else ""


def licence_kind(text: str) -> str:
    """Name the licence family a file's opening lines announce (a hint for the compiler, not a verdict)."""
    for head in (text[:400], text[:3000]):  # the title first: GPL preambles mention the Lesser GPL further down
        for marker, kind in KNOWN_TEXTS.items():
            if marker.lower() in head.lower():
                return kind
    return "unrecognised"


def or_later_hint(text: str) -> bool:
    """True when the file itself grants 'any later version' (the GNU 'or later' clause in a notice)."""
    return bool(re.search(r"(any later version|or later)", text[:4000], re.IGNORECASE)) and "Preamble" not in text[:4000]


def licence_history(repo: Path, path: str) -> list[dict[str, str]]:
    """Commits that touched a licence file, oldest first: where relicensings show up."""
    args = ["log", "--reverse", "--format=%H%x09%cs%x09%s", "HEAD", "--", path]
    try:
        out = git(repo, *args[:1], "--follow", *args[1:])
    except subprocess.CalledProcessError:  # --follow reads blobs; snapshots may lack some, so fall back
        out = git(repo, *args)
    rows = []
    for line in out.splitlines():
        sha, date, subject = line.split("\t", 2)
        rows.append({"commit": sha, "date": date, "subject": subject[:120]})
    return rows


def manifest_licences(repo: Path, names: list[str]) -> dict[str, list[str]]:
    """`license` fields declared in package manifests at the repository root."""
    found: dict[str, list[str]] = {}
    for name in names:
        if name in MANIFESTS:
            text = show(repo, name)
            values = [v.strip().strip(",").strip() for v in LICENCE_FIELD.findall(text)]
            if values:
                found[name] = values[:5]
    return found


def main_languages(repo: Path, top: int = 2) -> list[str]:
    """Languages with the most source files at HEAD (file count, vendored/minified files excluded)."""
    counts: dict[str, int] = {}
    for name in git(repo, "ls-tree", "-r", "--name-only", "HEAD").splitlines():
        if re.search(r"(^|/)(vendor|node_modules|dist|third_party|3rdparty)/|\.min\.js$", name):
            continue
        language = EXTENSION_LANGUAGE.get(Path(name).suffix.lower())
        if language:
            counts[language] = counts.get(language, 0) + 1
    return [lang for lang, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:top]]


def snapshot_facts(repo: Path, paths: list[str]) -> dict[str, object]:
    """Everything the catalogue cites from one snapshot."""
    head = git(repo, "rev-parse", "HEAD").strip()
    remote = git(repo, "config", "--get", "remote.origin.url").strip() if _has_remote(repo) else ""
    root = git(repo, "ls-tree", "--name-only", "HEAD").split()
    licence_files = [n for n in root if LICENCE_FILE.match(n)]
    first = git(repo, "log", "--reverse", "--format=%cs", "HEAD").splitlines()
    licences = []
    for name in licence_files:
        text = show(repo, name)
        licences.append({"file": name, "kind": licence_kind(text), "or_later_in_file": or_later_hint(text),
                         "first_line": text.strip().splitlines()[0][:120] if text.strip() else "",
                         "history": licence_history(repo, name)})
    present = {p: _exists(repo, p) for p in paths}
    return {"snapshot": repo.name if repo.name != "repo" else repo.parent.name, "remote": remote,
            "head": head, "head_date": git(repo, "log", "-1", "--format=%cs", "HEAD").strip(),
            "newest_ref_date": _newest_ref_date(repo),
            "first_commit_date": first[0] if first else None,
            "oldest_tag": _oldest_tag(repo), "languages": main_languages(repo), "licence_files": licences,
            "manifest_licences": manifest_licences(repo, root), "paths_present": present}


def _has_remote(repo: Path) -> bool:
    return subprocess.run(["git", "-C", str(repo), "config", "--get", "remote.origin.url"],
                          capture_output=True).returncode == 0


def _exists(repo: Path, path: str) -> bool:
    return subprocess.run(["git", "-C", str(repo), "cat-file", "-e", f"HEAD:{path}"],
                          capture_output=True).returncode == 0


def _newest_ref_date(repo: Path) -> str:
    """Newest commit date on any ref: the activity signal behind the `status` column."""
    out = git(repo, "for-each-ref", "--sort=-committerdate", "--count=1", "--format=%(committerdate:short)")
    return out.strip()


def _oldest_tag(repo: Path) -> dict[str, str] | None:
    """Earliest tag by creator date: the first release, when the project tags releases."""
    out = git(repo, "for-each-ref", "--sort=creatordate", "--format=%(refname:short)\t%(creatordate:short)",
              "refs/tags")
    lines = [line for line in out.splitlines() if line.strip()]
    if not lines:
        return None
    name, date = lines[0].split("\t")
    return {"tag": name, "date": date}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshots", nargs="+", type=Path, help="git directories of fetched snapshots")
    parser.add_argument("--paths", default="", help="comma-separated paths to test for (module evidence)")
    args = parser.parse_args(argv)
    paths = [p for p in args.paths.split(",") if p]
    status = 0
    for repo in args.snapshots:
        try:
            print(json.dumps(snapshot_facts(repo, paths), ensure_ascii=False))
        except subprocess.CalledProcessError as exc:
            print(f"{repo}: git failed: {exc.stderr.strip()}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
