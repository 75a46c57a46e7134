"""Git: software health and licence history read from each tool's own git history (docs/health.md).

``observatory collect git [--repo PATH_OR_URL ...] [--since DATE]`` reads local git directories (bare or
not) or clones URLs (bare, into ``git-mirrors/`` beside the raw archive; later runs fetch). Without
``--repo`` it clones every catalogued ``repo_url``. ``--repo TOOL_ID=PATH_OR_URL`` names the tool when it
cannot be told from the remote URL or the folder name.

What was read (commit ids and their facts, tags, licence changes) is archived as one JSON document per
repository under the pseudo-method ``GIT``, so ``observatory rebuild`` replays it without the repository.
A later run reads only the commits that are new since the last head read (when that head is still on the
branch), then recomputes the metrics from every stored commit. ``--since`` limits the monthly rows
written to months from that date (the repository-level metrics always use the whole history).
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from observatory import gitlog, health, licence_history
from observatory.collector import Collector, Item, RunContext
from observatory.errors import ObservatoryError
from observatory.gitlog import Commit, Tag
from observatory.http import Response

METHOD = "GIT"
_URL = re.compile(r"^(https?|file|ssh|git)://|^[\w.-]+@[\w.-]+:")


def repo_slug(url: str) -> str:
    """``owner/name`` of a forge URL or path (lower case, no ``.git``)."""
    tail = re.sub(r"\.git$", "", url.rstrip("/"))
    parts = re.split(r"[/:]", tail)
    return "/".join(parts[-2:]).lower()


def evidence_url(repo: str, commit: str) -> str:
    return f"{repo}/commit/{commit}" if repo.startswith(("https://github.com/", "https://gitlab.com/")) else f"{repo}@{commit}"


class GitCollector(Collector):
    name = "git"
    version = "1"
    default_endpoint = ""
    takes_repos = True
    tables = ("git_commits", "git_tags", "git_licence_changes", "repo_health_monthly", "repo_health")
    description = "Commits, tags, releases, authors and licence history read from each tool's git repository."

    def reset(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute("DELETE FROM git_commits")
        con.execute("DELETE FROM git_tags")
        for table in ("git_licence_changes", "repo_health_monthly", "repo_health"):
            con.execute(f"DELETE FROM {table} WHERE origin = 'git'")  # noqa: S608 - constant names
        con.execute("DELETE FROM licence_events WHERE source = 'git'")

    # -- fetch --------------------------------------------------------------------------------

    def fetch(self, ctx: RunContext) -> Iterable[Item]:
        if ctx.client.mode == "replay":
            yield from self._replay(ctx)
            return
        archive = ctx.client.archive
        assert archive is not None
        tools = ctx.query("SELECT tool_id, repo_url FROM tools WHERE repo_url IS NOT NULL AND repo_url <> '' "
                          "ORDER BY tool_id")
        targets = self.repos or [url for _, url in tools]
        for target in targets:
            try:
                tool_id, repo, git_dir = self._resolve(ctx, target, tools, archive.dir)
                payload = self._read(ctx, tool_id, repo, git_dir)
            except (ObservatoryError, subprocess.CalledProcessError, OSError, ValueError) as exc:
                ctx.fail(target, exc)
                continue
            body = json.dumps(payload, sort_keys=True, default=str).encode()
            resp = Response(url=f"git+{repo}", status=200, headers={"content-type": "application/json"}, body=body,
                            fetched_at=ctx.started_at, final_url=f"git+{repo}")
            archive.record(ctx.run_id, METHOD, resp.url, None, resp)
            yield ctx.item("repository", repo, resp.url, payload, resp)

    def _replay(self, ctx: RunContext) -> Iterable[Item]:
        archive = ctx.client.archive
        assert archive is not None
        for (url,) in ctx.query("SELECT url FROM raw_responses WHERE run_id = ? AND method = ? ORDER BY seq",
                                [ctx.run_id, METHOD]):
            resp = archive.replay(ctx.run_id, METHOD, url, None)
            payload = resp.json()
            yield ctx.item("repository", payload["repo"], url, payload, resp)

    def _resolve(self, ctx: RunContext, target: str, tools: list[tuple[Any, ...]],
                 archive_dir: Path) -> tuple[str, str, Path]:
        """(tool_id, repository URL as catalogued, local git directory) of one ``--repo`` value."""
        explicit, _, where = target.partition("=") if "=" in target and not _URL.match(target) else ("", "", target)
        if _URL.match(where):
            git_dir = self._mirror(where, archive_dir)
            hints = [where]
        else:
            git_dir = gitlog.git_dir_of(Path(where).expanduser())
            remote = gitlog.git(git_dir, "config", "--get", "remote.origin.url", check=False).strip()
            hints = [h for h in (remote, str(Path(where).resolve()).replace("+", "/")) if h]
        by_slug = {repo_slug(url): (tool_id, url) for tool_id, url in tools}
        by_tool = dict(tools)
        if explicit:
            if explicit not in by_tool and not ctx.query("SELECT 1 FROM tools WHERE tool_id = ?", [explicit]):
                raise ValueError(f"unknown tool_id {explicit!r}: it is not in the catalogue's tools")
            return explicit, by_tool.get(explicit) or where, git_dir
        for hint in hints:
            for slug in (repo_slug(hint), repo_slug(hint.rsplit("/", 1)[0])):
                if slug in by_slug:
                    tool_id, url = by_slug[slug]
                    return tool_id, url, git_dir
        raise ValueError("cannot tie this repository to a catalogue tool; write --repo TOOL_ID=PATH_OR_URL")

    @staticmethod
    def _mirror(url: str, archive_dir: Path) -> Path:
        """A bare clone of ``url`` beside the archive (fetched again when it exists)."""
        dest = Path(archive_dir).parent / "git-mirrors" / (re.sub(r"[^\w.-]+", "+", repo_slug(url)) + ".git")
        if dest.exists():
            gitlog.git(dest, "fetch", "--quiet", "--prune", "origin", "+refs/heads/*:refs/heads/*",
                       "+refs/tags/*:refs/tags/*")
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            proc = subprocess.run(["git", "clone", "--bare", "--quiet", url, str(dest)], capture_output=True,
                                  text=True, check=False)
            if proc.returncode != 0:
                raise ValueError(f"git clone failed: {proc.stderr.strip()[:300]}")
        return dest

    def _read(self, ctx: RunContext, tool_id: str, repo: str, git_dir: Path) -> dict[str, Any]:
        head = gitlog.head_commit(git_dir)
        base = self._previous_head(ctx, repo)
        if base and base != head and not gitlog.reachable(git_dir, head, [base]):
            base = None   # history rewritten since the last read: read it all again
        commits = [] if base == head else gitlog.read_commits(git_dir, head, _salt(ctx), [base] if base else [])
        readme = gitlog.readme_text(git_dir, head)
        return {
            "repo": repo, "tool_id": tool_id, "head": head, "base": base, "read_on": ctx.today.isoformat(),
            "commits": [_commit_row(c) for c in commits],
            "tags": [[t.tag, t.commit, t.tagged_at.isoformat(), t.is_release] for t in gitlog.read_tags(git_dir)],
            "licence_changes": [[c.commit, c.committed_at.isoformat(), c.path, c.kind, c.from_spdx, c.to_spdx]
                                for c in licence_history.licence_changes(git_dir, head)],
            "archive_notice": health.archive_notice_in(*readme) if readme else None,
        }

    @staticmethod
    def _previous_head(ctx: RunContext, repo: str) -> str | None:
        rows = ctx.query("SELECT commit_read FROM repo_health WHERE repo = ? AND origin = 'git'", [repo])
        known = ctx.query("SELECT count(*) FROM git_commits WHERE repo = ?", [repo])[0][0]
        return rows[0][0] if rows and known else None

    # -- load ---------------------------------------------------------------------------------

    def load(self, con: duckdb.DuckDBPyConnection, items: list[Item], ctx: RunContext) -> None:
        for item in items:
            self._load_one(con, item.data, ctx)

    def _load_one(self, con: duckdb.DuckDBPyConnection, p: dict[str, Any], ctx: RunContext) -> None:
        repo, tool_id, head = p["repo"], p["tool_id"], p["head"]
        read_on = date.fromisoformat(p["read_on"])
        if not p["base"]:
            con.execute("DELETE FROM git_commits WHERE repo = ?", [repo])
        if p["commits"]:
            con.execute('DELETE FROM git_commits WHERE repo = ? AND list_contains(?, "commit")',
                        [repo, [row[0] for row in p["commits"]]])
        _insert(con, "git_commits", ("tool_id", "repo", "commit", "authored_at", "committed_at", "author_key",
                                     "author_org", "files_changed", "insertions", "deletions", "is_merge", "run_id"),
                [[tool_id, repo, *row, ctx.run_id] for row in p["commits"]])
        con.execute("DELETE FROM git_tags WHERE repo = ?", [repo])
        _insert(con, "git_tags", ("tool_id", "repo", "tag", "commit", "tagged_at", "is_release", "run_id"),
                [[tool_id, repo, *t, ctx.run_id] for t in p["tags"]])
        con.execute("DELETE FROM git_licence_changes WHERE repo = ? AND origin = 'git'", [repo])
        _insert(con, "git_licence_changes", ("tool_id", "repo", "commit", "committed_at", "path", "kind",
                                             "stated_before", "stated_after", "evidence_url", "origin", "checked_on"),
                [[tool_id, repo, *c, evidence_url(repo, c[0]), "git", read_on] for c in p["licence_changes"]])
        self._load_licence_events(con, tool_id, repo, p["licence_changes"], read_on)
        commits = [Commit(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]) for r in con.execute(
            'SELECT "commit", authored_at, committed_at, author_key, author_org, files_changed, insertions, '
            "deletions, is_merge FROM git_commits WHERE repo = ?", [repo]).fetchall()]
        tags = [Tag(t[0], t[1], datetime.fromisoformat(t[2]), t[3]) for t in p["tags"]]
        metrics, months = health.health_rows(commits, tags, read_on, p["archive_notice"])
        if ctx.since:
            months = [m for m in months if m["month"] >= health.month_of(ctx.since)]
            con.execute("DELETE FROM repo_health_monthly WHERE repo = ? AND origin = 'git' AND month >= ?",
                        [repo, health.month_of(ctx.since)])
        else:
            con.execute("DELETE FROM repo_health_monthly WHERE repo = ? AND origin = 'git'", [repo])
        _insert(con, "repo_health_monthly", ("tool_id", "repo", "month", "commits", "active_authors", "new_authors",
                                             "stopped_authors", "releases", "commit_read", "origin"),
                [[tool_id, repo, m["month"], m["commits"], m["active_authors"], m["new_authors"],
                  m["stopped_authors"], m["releases"], head, "git"] for m in months])
        con.execute("DELETE FROM repo_health WHERE repo = ? AND origin = 'git'", [repo])
        row = {"tool_id": tool_id, "repo": repo, "coverage": "full", "commit_read": head, "read_on": read_on,
               "source": "git", "source_url": evidence_url(repo, head), "origin": "git", "checked_on": read_on,
               **metrics}
        cols = ", ".join(row)
        con.execute(f"INSERT INTO repo_health ({cols}) VALUES ({', '.join('?' for _ in row)})",  # noqa: S608
                    list(row.values()))


    @staticmethod
    def _load_licence_events(con: duckdb.DuckDBPyConnection, tool_id: str, repo: str, changes: list[list[Any]],
                             read_on: date) -> None:
        """The licence changes as ``licence_events`` rows with source = git, beside the curated ones."""
        parsed = [licence_history.LicenceChange(c[0], datetime.fromisoformat(c[1]), c[2], c[3], c[4], c[5])
                  for c in changes]
        con.execute("DELETE FROM licence_events WHERE tool_id = ? AND source = 'git'", [tool_id])
        _insert(con, "licence_events", ("tool_id", "date", "from_spdx", "to_spdx", "evidence_url", "note",
                                        "source_url", "checked_on", "source", "declaration_source"),
                [[tool_id, e["date"], e["from_spdx"], e["to_spdx"], evidence_url(repo, str(e["commit"])), e["note"],
                  source_url(repo, str(e["commit"]), str(e["path"])), read_on, "git", e["declaration_source"]]
                 for e in licence_history.licence_events(parsed)])


def source_url(repo: str, commit: str, path: str) -> str:
    """Permalink to a file at a commit (forge URL when the repository is on GitHub or GitLab)."""
    if repo.startswith("https://github.com/"):
        return f"{repo}/blob/{commit}/{path}"
    if repo.startswith("https://gitlab.com/"):
        return f"{repo}/-/blob/{commit}/{path}"
    return f"{repo}@{commit}:{path}"


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
    """Bulk insert through a data frame (DuckDB's executemany costs milliseconds a row)."""
    if not rows:
        return
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(columns), dtype="object")
    con.register("git_rows", frame)
    try:
        cols = ", ".join(f'"{c}"' for c in columns)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM git_rows")  # noqa: S608 - constant names
    finally:
        con.unregister("git_rows")


def _commit_row(c: Commit) -> list[Any]:
    return [c.commit, c.authored_at.isoformat(), c.committed_at.isoformat(), c.author_key, c.author_org,
            c.files_changed, c.insertions, c.deletions, c.is_merge]


def _salt(ctx: RunContext) -> str:
    """Per-installation salt kept beside the archive: author keys stay stable across runs, never reversible
    from a public list of e-mails. (Rebuilds replay the hashed keys, so they never need it.)"""
    archive = ctx.client.archive
    assert archive is not None
    path = Path(archive.dir) / "git-author-salt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(16))
    return path.read_text().strip()
