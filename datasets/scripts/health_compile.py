"""Compile datasets/health/ (software health and licence history) from git snapshots of the catalogued tools.

For every tool of ``datasets/catalogue/tools.csv`` whose ``repo_url`` is a public repository, the snapshot
``SNAPSHOTS/<owner>+<name>/repo`` (a bare git directory, or a clone) is read with the same code as
``observatory collect git`` (observatory.gitlog, observatory.health, observatory.licence_history), at its HEAD,
with ``--checked-on`` as the reference date. Repositories too large to be copied here get a *partial* row built
from the dated release sources listed in ``health_partial_sources.csv`` (publiccode.yml versions, CHANGELOG files
at a pinned commit) and, for Decidim, the release posts of the decidim.org website repository.

Deterministic: same snapshots and date, same bytes. Author identities never leave this script (only counts).

    python datasets/scripts/health_compile.py --snapshots DIR --checked-on YYYY-MM-DD [--fixture TOOL_ID]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from observatory import gitlog, health, licence_history  # noqa: E402

OUT = ROOT / "datasets" / "health"
PARTIAL_SOURCES = Path(__file__).with_name("health_partial_sources.csv")
FIXTURES = ROOT / "tests" / "fixtures" / "health"
SALT = "health-compile"          # keys are compared within one run only and never written
TOO_LARGE = {"decidim", "consul-democracy", "go-vocal", "loomio", "discourse"}
RELEASE_POST = re.compile(r"^(\d{4}-\d{2}-\d{2})-(?:release-|new-version-|new-release-)([0-9][0-9.-]*?)\.?\.html\.md$")

HEALTH_COLUMNS = ["tool_id", "repo", "coverage", "missing_reason", "commit_read", "read_on", "first_commit_at",
                  "last_commit_at", "commits_total", "authors_total", "commits_12m", "commits_prev_12m", "last_release",
                  "last_release_at", "last_release_age_days", "releases_3y", "release_cadence_days", "bus_factor",
                  "elephant_factor", "top_org", "top_org_share", "status", "status_reason", "status_params", "source",
                  "source_url", "checked_on"]
MONTHLY_COLUMNS = ["tool_id", "repo", "month", "commits", "active_authors", "new_authors", "stopped_authors",
                   "releases", "commit_read"]
CHANGE_COLUMNS = ["tool_id", "repo", "commit", "committed_at", "path", "kind", "stated_before", "stated_after",
                  "evidence_url", "checked_on"]
EVENT_COLUMNS = ["tool_id", "date", "from_spdx", "to_spdx", "evidence_url", "note", "source_url", "checked_on",
                 "source", "declaration_source", "conflict"]


def slug(url: str) -> str:
    return "/".join(url.rstrip("/").removesuffix(".git").split("/")[-2:])


def snapshot_of(snapshots: Path, repo_url: str) -> Path | None:
    base = snapshots / slug(repo_url).replace("/", "+") / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "HEAD").is_file():
            return candidate
    return None


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


def full_rows(tool_id: str, repo: str, git_dir: Path, checked_on: date) -> dict[str, list[dict[str, Any]]]:
    head = gitlog.head_commit(git_dir)
    commits = gitlog.read_commits(git_dir, head, SALT)
    tags = gitlog.read_tags(git_dir)
    readme = gitlog.readme_text(git_dir, head)
    notice = health.archive_notice_in(*readme) if readme else None
    metrics, months = health.health_rows(commits, tags, checked_on, notice)
    row = {"tool_id": tool_id, "repo": repo, "coverage": "full", "commit_read": head, "read_on": checked_on,
           "source": "git", "source_url": f"{repo}/commit/{head}", "checked_on": checked_on, **metrics}
    changes = licence_history.licence_changes(git_dir, head)
    return {
        "repo_health": [row],
        "repo_health_monthly": [{"tool_id": tool_id, "repo": repo, "commit_read": head, **m} for m in months],
        "git_licence_changes": [{"tool_id": tool_id, "repo": repo, "commit": c.commit, "committed_at": c.committed_at,
                                 "path": c.path, "kind": c.kind, "stated_before": c.from_spdx,
                                 "stated_after": c.to_spdx,
                                 "evidence_url": f"{repo}/commit/{c.commit}", "checked_on": checked_on}
                                for c in changes],
        "licence_events": [{"tool_id": tool_id, "date": e["date"], "from_spdx": e["from_spdx"], "to_spdx": e["to_spdx"],
                            "evidence_url": f"{repo}/commit/{e['commit']}", "note": e["note"],
                            "source_url": f"{repo}/blob/{e['commit']}/{e['path']}", "checked_on": checked_on,
                            "source": "git", "declaration_source": e["declaration_source"], "conflict": None}
                           for e in licence_history.licence_events(changes)],
        "_fixture": [{"commits": commits, "tags": tags, "head": head, "notice": notice}],
    }


def decidim_release_posts(site: Path) -> tuple[list[health.Release], str]:
    """Release announcements of the decidim.org website (file name = date and version)."""
    head = gitlog.head_commit(site)
    names = gitlog.git(site, "ls-tree", "--name-only", f"{head}:source/blog/en").split("\n")
    releases = []
    for name in names:
        found = RELEASE_POST.match(name)
        if found:
            version = found.group(2).replace("-", ".").strip(".")
            releases.append(health.Release(version, date.fromisoformat(found.group(1))))
    return sorted(releases, key=lambda r: (r.on, r.name)), \
        f"https://github.com/decidim/decidim.org/tree/{head}/source/blog/en"


def partial_row(tool_id: str, repo: str, checked_on: date, sources: list[dict[str, str]],
                decidim_posts: tuple[list[health.Release], str] | None) -> dict[str, Any]:
    """What public evidence readable offline says, the rest NULL; status only from official release series."""
    mine = [s for s in sources if s["tool_id"] == tool_id]
    if tool_id == "decidim" and decidim_posts:
        releases, url = decidim_posts
        kind = "release_posts"
    else:
        releases = sorted((health.Release(s["release"], date.fromisoformat(s["released_on"])) for s in mine
                           if s["released_on"]), key=lambda r: (r.on, r.name))
        kind = mine[0]["kind"] if mine else "none"
        url = mine[-1]["source_url"] if mine else repo
    row: dict[str, Any] = {"tool_id": tool_id, "repo": repo, "coverage": "partial",
                           "missing_reason": "too_large_to_read", "read_on": checked_on, "source": kind,
                           "source_url": url, "checked_on": checked_on, **health.release_facts(releases, checked_on)}
    if kind in ("release_posts", "publiccode"):
        row.update(health.release_liveliness(row))
    else:
        reason = "changelog_only" if kind == "changelog" else "no_release_source"
        row.update({"status": None, "status_reason": reason,
                    "status_params": json.dumps({"last_entry": cell(row["last_release_at"])} if releases else {},
                                                sort_keys=True)})
    if kind != "release_posts":    # a handful of dated versions is not a release series
        row["releases_3y"] = row["release_cadence_days"] = None
    return row


def write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in columns])
            n += 1
    return n


def write_fixture(tool_id: str, repo: str, data: dict[str, Any], checked_on: date) -> Path:
    """Every commit of one shipped repository with opaque author ids: a test recomputes its rows from it."""
    ids: dict[str, str] = {}
    commits = [[c.commit, cell(c.committed_at), ids.setdefault(c.author_key, f"a{len(ids) + 1}"), c.author_org,
                c.is_merge] for c in sorted(data["commits"], key=lambda c: (c.committed_at, c.commit))]
    payload = {"tool_id": tool_id, "repo": repo, "commit_read": data["head"], "as_of": checked_on.isoformat(),
               "archive_notice": data["notice"], "commits": commits,
               "tags": [[t.tag, t.commit, cell(t.tagged_at), t.is_release] for t in data["tags"]]}
    FIXTURES.mkdir(parents=True, exist_ok=True)
    path = FIXTURES / f"{tool_id}.json"
    path.write_text(json.dumps(payload, indent=0, sort_keys=True) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snapshots", type=Path, required=True, help="folder of <owner>+<name>/repo git snapshots")
    parser.add_argument("--checked-on", type=date.fromisoformat, required=True, help="reference date (YYYY-MM-DD)")
    parser.add_argument("--fixture", help="also write tests/fixtures/health/<TOOL_ID>.json")
    args = parser.parse_args(argv)
    with (ROOT / "datasets" / "catalogue" / "tools.csv").open(encoding="utf-8") as fh:
        tools = [r for r in csv.DictReader(fh) if r["repo_url"].startswith("https://github.com/")]
    with (ROOT / "datasets" / "catalogue" / "licences.csv").open(encoding="utf-8") as fh:
        known_licences = {r["spdx_id"] for r in csv.DictReader(fh)}
    with PARTIAL_SOURCES.open(encoding="utf-8") as fh:
        sources = list(csv.DictReader(fh))
    site = snapshot_of(args.snapshots, "https://github.com/decidim/decidim.org")
    posts = decidim_release_posts(site) if site else None
    tables: dict[str, list[dict[str, Any]]] = {"repo_health": [], "repo_health_monthly": [],
                                               "git_licence_changes": [], "licence_events": []}
    for tool in sorted(tools, key=lambda t: t["tool_id"]):
        tool_id, repo = tool["tool_id"], tool["repo_url"].rstrip("/")
        git_dir = snapshot_of(args.snapshots, repo)
        if git_dir is not None:
            rows = full_rows(tool_id, repo, git_dir, args.checked_on)
            if args.fixture == tool_id:
                print(f"fixture: {write_fixture(tool_id, repo, rows['_fixture'][0], args.checked_on)}", file=sys.stderr)
            for name in tables:
                tables[name].extend(rows[name])
            print(f"{tool_id}: full ({rows['repo_health'][0]['commits_total']} commits)", file=sys.stderr)
        elif tool_id in TOO_LARGE:
            tables["repo_health"].append(partial_row(tool_id, repo, args.checked_on, sources, posts))
            print(f"{tool_id}: partial", file=sys.stderr)
        else:
            print(f"{tool_id}: NO SNAPSHOT at {slug(repo)} - no row", file=sys.stderr)
    kept = []
    for event in tables["licence_events"]:
        ids = {event["to_spdx"], event["from_spdx"]} - {None}
        if ids <= known_licences:
            kept.append(event)
        else:
            print(f"licence event left out (no licences row for {sorted(ids - known_licences)}): "
                  f"{event['tool_id']} {event['date']} {event['from_spdx']} -> {event['to_spdx']}", file=sys.stderr)
    tables["licence_events"] = kept
    OUT.mkdir(parents=True, exist_ok=True)
    for name, columns in (("repo_health", HEALTH_COLUMNS), ("repo_health_monthly", MONTHLY_COLUMNS),
                          ("git_licence_changes", CHANGE_COLUMNS), ("licence_events", EVENT_COLUMNS)):
        key = {"repo_health": ("tool_id",), "repo_health_monthly": ("repo", "month"),
               "git_licence_changes": ("repo", "committed_at", "commit", "path"),
               "licence_events": ("tool_id", "date", "declaration_source")}[name]
        rows = sorted(tables[name], key=lambda r: tuple(cell(r[k]) for k in key))
        n = write_csv(OUT / f"{name}.csv", columns, rows)
        print(f"{name}.csv: {n} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
