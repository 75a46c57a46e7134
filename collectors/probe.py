"""Liveness and platform probes of every known deployment URL -> ``deployment_probes``.

For each deployment with a URL (curated or collected, not marked removed): GET the page (status,
redirect count, final URL, TLS error, response time), read the HTML with BeautifulSoup for the
``generator`` meta and platform-specific asset paths, and for Decidim ask its GraphQL API
(``POST <site>/api`` with ``{ decidim { version } }``) for the running version. Several hosts are
probed at once (bounded thread pool) but never more than one request per second to one host (the
client's politeness gate is shared across threads). Text from pages is stored as text only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urljoin, urlsplit

import duckdb
from bs4 import BeautifulSoup

from observatory.collector import Collector, Item, RunContext
from observatory.http import FetchError, Response, TlsFetchError

MAX_WORKERS = 4
# Substrings of script/link/img paths that give a platform away (lower-case).
ASSET_HINTS: dict[str, tuple[str, ...]] = {
    "decidim": ("decidim", "/packs/js/decidim_core"),
    "consul": ("consul",),
    "democracyos": ("democracyos",),
    "openstad": ("openstad",),
    "loomio": ("loomio",),
    "your-priorities": ("yrpri", "your-priorities"),
}
_VERSION = re.compile(r"(\d+\.\d+(?:\.\d+)*(?:[.-]?[a-z]+\d*)?)", re.I)
DECIDIM_VERSION_QUERY = {"query": "{ decidim { version } }"}


def detect_platform(html: str) -> tuple[str | None, str | None, str | None]:
    """(platform, version, generator) from a page: generator meta first, then asset paths."""
    soup = BeautifulSoup(html, "html.parser")
    meta = soup.find("meta", attrs={"name": re.compile("^generator$", re.I)})
    generator = str(meta.get("content")).strip() if meta and meta.get("content") else None
    platform = version = None
    if generator:
        low = generator.lower()
        platform = next((p for p in ASSET_HINTS if p in low), None)
        m = _VERSION.search(generator)
        version = m.group(1) if m and platform else None
    if platform is None:
        paths = " ".join(str(tag.get(attr) or "") for tag in soup.find_all(["script", "link", "img"])
                         for attr in ("src", "href")).lower()
        platform = next((p for p, hints in ASSET_HINTS.items() if any(h in paths for h in hints)), None)
    return platform, version, generator


class ProbeCollector(Collector):
    name = "probe"
    version = "1"
    default_endpoint = ""
    tables = ("deployment_probes",)
    politeness_s = 1.0
    # A dead site is an observation, not an outage to wait out: one retry, short timeout, small pages.
    client_overrides = {"max_retries": 1, "timeout_s": 15.0, "max_bytes": 5 * 1024 * 1024}
    description = "Reachability, redirects, TLS, platform and version of every deployment URL."

    def targets(self, ctx: RunContext) -> list[tuple[str, str, str]]:
        """(deployment_id, tool_id, url) to probe; ``--endpoint`` rebases every URL's host (tests, mirrors)."""
        rows = ctx.query("SELECT deployment_id, tool_id, url FROM deployments WHERE url IS NOT NULL AND url <> '' "
                         "AND removed_on IS NULL ORDER BY deployment_id")
        return [(d, t, u) for d, t, u in rows]

    def _rebase(self, url: str) -> str:
        if not self.endpoint:
            return url
        parts = urlsplit(url if "://" in url else f"http://{url}")
        return f"{self.endpoint}/{parts.hostname}{parts.path or '/'}"

    def fetch(self, ctx: RunContext) -> Iterable[Item]:
        targets = self.targets(ctx)
        with ThreadPoolExecutor(max_workers=MAX_WORKERS) as pool:
            results = list(pool.map(lambda t: self._probe(ctx, *t), targets))
        for (deployment_id, _tool, _url), (data, resp, problem) in zip(targets, results, strict=True):
            if problem:
                ctx.skip(deployment_id, problem)
            yield ctx.item("probe", deployment_id, data["url"], data, resp)

    def _probe(self, ctx: RunContext, deployment_id: str, tool_id: str, url: str
               ) -> tuple[dict[str, Any], Response | None, str | None]:
        target = self._rebase(url)
        data: dict[str, Any] = {"deployment_id": deployment_id, "url": url, "probed_at": ctx.started_at,
                                "reachable": False, "status": None, "final_url": None, "redirects": None,
                                "tls_error": False, "error": None, "platform": None, "platform_version": None,
                                "generator": None, "response_ms": None, "run_id": ctx.run_id}
        try:
            resp = ctx.client.get(target, accept="text/html,application/xhtml+xml", conditional=False)
        except FetchError as exc:
            data.update(status=exc.status, tls_error=isinstance(exc, TlsFetchError), error=str(exc))
            return data, None, None
        data.update(probed_at=resp.fetched_at, reachable=True, status=resp.status, final_url=resp.final_url,
                    redirects=resp.redirects, response_ms=resp.elapsed_ms)
        problem = None
        if "html" in resp.content_type or not resp.content_type:
            platform, version, generator = detect_platform(resp.text())
            data.update(platform=platform, platform_version=version, generator=generator)
        else:
            problem = f"not an HTML page ({resp.content_type})"
        if tool_id == "decidim" or data["platform"] == "decidim":
            data["platform"] = data["platform"] or "decidim"
            data["platform_version"] = self._decidim_version(ctx, resp.final_url) or data["platform_version"]
        return data, resp, problem

    def _decidim_version(self, ctx: RunContext, site: str) -> str | None:
        """Decidim's public GraphQL API answers ``{ decidim { version } }`` unless an admin hid it."""
        try:
            answer = ctx.client.post_json(urljoin(site.rstrip("/") + "/", "api"), DECIDIM_VERSION_QUERY).json()
            version = ((answer or {}).get("data") or {}).get("decidim", {}).get("version")
        except (FetchError, AttributeError):
            return None
        return str(version) if version else None

    def load(self, con: duckdb.DuckDBPyConnection, items: list[Item], ctx: RunContext) -> None:
        """One probe per deployment and day: a same-day re-run replaces it."""
        cols = ("deployment_id", "url", "probed_at", "reachable", "status", "final_url", "redirects", "tls_error",
                "error", "platform", "platform_version", "generator", "response_ms", "run_id")
        for item in items:
            d = item.data
            con.execute("DELETE FROM deployment_probes WHERE deployment_id = ? "
                        "AND CAST(probed_at AS DATE) = CAST(? AS DATE)", [d["deployment_id"], d["probed_at"]])
            con.execute("INSERT INTO deployment_probes (deployment_id, url, probed_at, reachable, status, final_url, "
                        "redirects, tls_error, error, platform, platform_version, generator, response_ms, run_id) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [d[c] for c in cols])
