"""GitLab API v4: repository health snapshots for tools hosted on gitlab.com or a self-hosted GitLab.

Per project (``/projects/:url-encoded-path``): stars, forks, open issues, default branch, licence
(``?license=true``; GitLab gives licensee keys such as ``agpl-3.0``), archived flag, dates; then
``/releases``, ``/repository/tags``, ``/repository/contributors`` (every page through ``Link``) and
commits of the last 52 weeks (``/repository/commits?since=``) bucketed by week. GitLab has no
watcher count, so ``watchers`` stays NULL. Without ``--endpoint`` each project is asked on its own
host (``https://<host>/api/v4``); the token (``GITLAB_TOKEN``) is only ever sent to gitlab.com.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import duckdb

from collectors._forge import licence_mismatch, parse_ts, release_stats, save_snapshots, tools_on
from observatory.collector import Collector, Item, RunContext
from observatory.http import FetchError, Response

JSON = ("application/json",)
MAX_PAGES = 50


class GitlabCollector(Collector):
    name = "gitlab"
    version = "1"
    default_endpoint = "https://gitlab.com/api/v4"
    tables = ("repo_snapshots",)
    token_env = "GITLAB_TOKEN"
    politeness_s = 0.2
    description = "Repository health of each tool hosted on a GitLab (API v4)."

    def __init__(self, endpoint: str | None = None) -> None:
        super().__init__(endpoint)
        self.endpoint_forced = endpoint is not None

    def reset(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute("DELETE FROM repo_snapshots WHERE forge = 'gitlab'")

    def _api(self, host: str) -> str:
        return self.endpoint if self.endpoint_forced or host == "gitlab.com" else f"https://{host}/api/v4"

    def fetch(self, ctx: RunContext) -> Iterable[Item]:
        for tool_id, host, path, curated in tools_on(ctx.con, "gitlab"):
            base = f"{self._api(host)}/projects/{quote(path, safe='')}"
            try:
                snapshot, resp = self._snapshot(ctx, base, tool_id, curated)
            except FetchError as exc:
                ctx.fail(f"{tool_id} ({path})", exc)
                continue
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                ctx.fail(f"{tool_id} ({path})", f"unexpected response shape: {type(exc).__name__}: {exc}")
                continue
            yield ctx.item("repository", tool_id, resp.url, snapshot, resp)

    def _pages(self, ctx: RunContext, url: str, **params: Any) -> list[Any]:
        resp = ctx.client.get(url, params={"per_page": 100, **params}, expect=JSON)
        out: list[Any] = []
        for _ in range(MAX_PAGES):
            out.extend(resp.json())
            nxt = resp.links().get("next")
            if not nxt:
                break
            resp = ctx.client.get(nxt, expect=JSON)
        return out

    def _snapshot(self, ctx: RunContext, base: str, tool_id: str, curated: str | None) -> tuple[dict[str, Any], Response]:
        resp = ctx.client.get(base, params={"license": "true"}, expect=JSON)
        info = resp.json()
        if not isinstance(info, dict) or "path_with_namespace" not in info:
            raise ValueError("project answer has no path_with_namespace")
        key = (info.get("license") or {}).get("key")
        detected = key.upper() if key else None
        releases = [r for r in self._pages(ctx, f"{base}/releases") if not r.get("upcoming_release")]
        latest = max(releases, key=lambda r: r.get("released_at") or "", default=None)
        tags = ctx.client.get(f"{base}/repository/tags", params={"per_page": 1}, expect=JSON).json()
        dates = [d for r in releases if (d := parse_ts(r.get("released_at")))]
        count, cadence = release_stats(dates, resp.fetched_at)
        weeks = self._commit_weeks(ctx, base, resp)
        return {
            "tool_id": tool_id, "repo": info["path_with_namespace"], "forge": "gitlab", "fetched_at": resp.fetched_at,
            "stars": info.get("star_count"), "forks": info.get("forks_count"), "watchers": None,
            "open_issues": info.get("open_issues_count"), "default_branch": info.get("default_branch"),
            "licence_spdx": detected, "licence_mismatch": licence_mismatch(detected, curated),
            "archived": bool(info.get("archived")), "created_at": parse_ts(info.get("created_at")),
            "pushed_at": parse_ts(info.get("last_activity_at")),
            "latest_release": latest.get("tag_name") if latest else None,
            "latest_release_at": parse_ts(latest.get("released_at")) if latest else None,
            "latest_tag": tags[0]["name"] if tags else None, "releases_last_year": count,
            "release_cadence_days": cadence,
            "contributors": len(self._pages(ctx, f"{base}/repository/contributors")),
            "commits_last_52w": sum(weeks), "commit_weeks": weeks,
            "run_id": ctx.run_id, "source_url": info.get("web_url") or resp.url,
        }, resp

    def _commit_weeks(self, ctx: RunContext, base: str, resp: Response) -> list[int]:
        """52 weekly commit counts ending at the fetch time (oldest first), like GitHub's."""
        start = resp.fetched_at - timedelta(weeks=52)
        commits = self._pages(ctx, f"{base}/repository/commits", since=start.strftime("%Y-%m-%dT%H:%M:%SZ"))
        weeks = [0] * 52
        for commit in commits:
            when = parse_ts(commit.get("committed_date") or commit.get("created_at"))
            if when is None or when < start:
                continue
            weeks[min(51, int((when - start).days // 7))] += 1
        return weeks

    def load(self, con: duckdb.DuckDBPyConnection, items: list[Item], ctx: RunContext) -> None:
        save_snapshots(con, "gitlab", [item.data for item in items])
