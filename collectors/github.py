"""GitHub REST v3: repository health snapshots for every tool hosted on github.com.

Per repository: ``/repos/{o}/{r}`` (stars, forks, watchers = ``subscribers_count``, open issues,
licence, archived, dates), ``/releases`` and ``/tags`` (first page: newest first), ``/contributors``
(every page through ``Link: rel="next"``) and ``/stats/commit_activity`` (52 weekly totals; GitHub
answers 202 while it computes them, so we wait and ask again a few times, then leave them empty).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb

from collectors._forge import licence_mismatch, parse_ts, release_stats, save_snapshots, tools_on
from observatory.collector import Collector, Item, RunContext
from observatory.http import FetchError, Response

JSON = ("application/json",)
HEADERS = {"X-GitHub-Api-Version": "2022-11-28"}
ACCEPT = "application/vnd.github+json"


class GithubCollector(Collector):
    name = "github"
    version = "1"
    default_endpoint = "https://api.github.com"
    tables = ("repo_snapshots",)
    token_env = "GITHUB_TOKEN"
    politeness_s = 0.1
    description = "Repository health of each tool hosted on GitHub (REST v3)."
    stats_attempts = 3
    stats_wait_s = 3.0

    def reset(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute("DELETE FROM repo_snapshots WHERE forge = 'github'")

    def _get(self, ctx: RunContext, path: str, **params: Any) -> Response:
        return ctx.client.get(f"{self.endpoint}{path}", params=params or None, headers=HEADERS, accept=ACCEPT,
                              expect=JSON)

    def fetch(self, ctx: RunContext) -> Iterable[Item]:
        for tool_id, _host, repo, curated in tools_on(ctx.con, "github.com"):
            try:
                snapshot, resp = self._snapshot(ctx, tool_id, repo, curated)
            except FetchError as exc:
                ctx.fail(f"{tool_id} ({repo})", exc)
                continue
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                ctx.fail(f"{tool_id} ({repo})", f"unexpected response shape: {type(exc).__name__}: {exc}")
                continue
            yield ctx.item("repository", tool_id, resp.url, snapshot, resp)

    def _snapshot(self, ctx: RunContext, tool_id: str, repo: str, curated: str | None) -> tuple[dict[str, Any], Response]:
        resp = self._get(ctx, f"/repos/{repo}")
        info = resp.json()
        if not isinstance(info, dict) or "full_name" not in info:
            raise ValueError("repository answer has no full_name")
        detected = (info.get("license") or {}).get("spdx_id")
        releases = [r for r in self._get(ctx, f"/repos/{repo}/releases", per_page=100).json() if not r.get("draft")]
        stable = [r for r in releases if not r.get("prerelease")]
        latest = max(stable or releases, key=lambda r: r.get("published_at") or "", default=None)
        tags = self._get(ctx, f"/repos/{repo}/tags", per_page=100).json()
        dates = [d for r in releases if (d := parse_ts(r.get("published_at") or r.get("created_at")))]
        count, cadence = release_stats(dates, resp.fetched_at)
        weeks = self._commit_weeks(ctx, repo)
        return {
            "tool_id": tool_id, "repo": info["full_name"], "forge": "github", "fetched_at": resp.fetched_at,
            "stars": info.get("stargazers_count"), "forks": info.get("forks_count"),
            "watchers": info.get("subscribers_count"), "open_issues": info.get("open_issues_count"),
            "default_branch": info.get("default_branch"), "licence_spdx": detected,
            "licence_mismatch": licence_mismatch(detected, curated), "archived": bool(info.get("archived")),
            "created_at": parse_ts(info.get("created_at")), "pushed_at": parse_ts(info.get("pushed_at")),
            "latest_release": latest.get("tag_name") if latest else None,
            "latest_release_at": parse_ts(latest.get("published_at")) if latest else None,
            "latest_tag": tags[0]["name"] if tags else None,
            "releases_last_year": count, "release_cadence_days": cadence,
            "contributors": self._contributors(ctx, repo),
            "commits_last_52w": sum(weeks) if weeks is not None else None, "commit_weeks": weeks,
            "run_id": ctx.run_id, "source_url": info.get("html_url") or resp.url,
        }, resp

    def _contributors(self, ctx: RunContext, repo: str) -> int:
        """Count contributors across every page, following ``Link: rel="next"``."""
        resp = self._get(ctx, f"/repos/{repo}/contributors", per_page=100, anon=1)
        total = 0
        for _ in range(1000):
            page = resp.json() if resp.status != 204 else []   # 204: empty repository
            total += len(page)
            nxt = resp.links().get("next")
            if not nxt:
                return total
            resp = ctx.client.get(nxt, headers=HEADERS, accept=ACCEPT, expect=JSON)
        raise ValueError("contributors pagination did not end after 1000 pages")

    def _commit_weeks(self, ctx: RunContext, repo: str) -> list[int] | None:
        """Weekly commit totals (oldest first); None when GitHub is still computing them."""
        url = f"{self.endpoint}/repos/{repo}/stats/commit_activity"
        for attempt in range(self.stats_attempts):
            resp = ctx.client.get(url, headers=HEADERS, accept=ACCEPT, conditional=False)
            if resp.status == 200 and resp.body.strip():
                data = resp.json()
                return [int(w["total"]) for w in sorted(data, key=lambda w: w["week"])][-52:]
            if resp.status not in (202, 204) or attempt == self.stats_attempts - 1:
                break
            if ctx.client.mode == "live":
                ctx.client.clock.sleep(self.stats_wait_s)
        ctx.skip(f"{repo} commit activity", "GitHub still computing statistics (202)")
        return None

    def load(self, con: duckdb.DuckDBPyConnection, items: list[Item], ctx: RunContext) -> None:
        save_snapshots(con, "github", [item.data for item in items])
