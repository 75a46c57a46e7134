"""Package registries: versions, release dates and (where published) downloads of the tools' packages.

Which tool publishes what was checked against the registries' own listings (see ``PACKAGES``):
Decidim ships every module as a RubyGem (``decidim``, ``decidim-core``, ...), front-end packages
under the ``@decidim`` npm scope and a ``decidim/decidim`` image on Docker Hub; OpenSlides (up to
3.x) was published on PyPI as ``openslides``. Adding a package = adding one line to ``PACKAGES``.

APIs: RubyGems ``/api/v1/versions/<gem>.json`` (per-version ``downloads_count``), npm registry
packument ``/<name>`` (``time`` per version), PyPI ``/pypi/<name>/json`` (upload time per file),
Docker Hub ``/v2/repositories/<ns>/<repo>/tags`` (``tag_last_pushed``; paginated by ``next``).
``--endpoint URL`` serves every registry from ``URL/<registry>`` (one mirror or test server).
``--since DATE`` keeps only versions released on or after that date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote

import duckdb

from collectors._forge import parse_ts
from observatory.collector import Collector, Item, RunContext
from observatory.http import FetchError, Response

JSON = ("application/json",)
BASES = {"rubygems": "https://rubygems.org", "npm": "https://registry.npmjs.org", "pypi": "https://pypi.org",
         "dockerhub": "https://hub.docker.com"}
# (tool_id, registry, package)
PACKAGES: tuple[tuple[str, str, str], ...] = (
    ("decidim", "rubygems", "decidim"),
    ("decidim", "rubygems", "decidim-core"),
    ("decidim", "rubygems", "decidim-proposals"),
    ("decidim", "rubygems", "decidim-budgets"),
    ("decidim", "rubygems", "decidim-meetings"),
    ("decidim", "npm", "@decidim/core"),
    ("decidim", "npm", "@decidim/webpacker"),
    ("decidim", "dockerhub", "decidim/decidim"),
    ("openslides", "pypi", "openslides"),
)
MAX_PAGES = 5
Row = tuple[str, datetime | None, int | None, Response]   # version, released at, downloads, answer


class RegistriesCollector(Collector):
    name = "registries"
    version = "1"
    default_endpoint = ""
    tables = ("package_versions",)
    politeness_s = 0.5
    description = "Published versions of the tools' packages on RubyGems, npm, PyPI and Docker Hub."

    def base(self, registry: str) -> str:
        return f"{self.endpoint}/{registry}" if self.endpoint else BASES[registry]

    def fetch(self, ctx: RunContext) -> Iterable[Item]:
        known = {row[0] for row in ctx.query("SELECT tool_id FROM tools")}
        for tool_id, registry, package in PACKAGES:
            if tool_id not in known:
                ctx.skip(f"{registry}:{package}", f"tool {tool_id!r} not in the catalogue")
                continue
            reader = getattr(self, f"_{registry}")
            try:
                versions = list(reader(ctx, package))
            except FetchError as exc:
                ctx.fail(f"{registry}:{package}", exc)
                continue
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                ctx.fail(f"{registry}:{package}", f"unexpected response shape: {type(exc).__name__}: {exc}")
                continue
            for version, released, downloads, resp in versions:
                if ctx.since and released and released.date() < ctx.since:
                    continue
                yield ctx.item("package_version", f"{registry}:{package}@{version}", resp.url, {
                    "tool_id": tool_id, "registry": registry, "package": package, "version": version,
                    "released_at": released, "downloads": downloads, "source_url": resp.url,
                    "fetched_at": resp.fetched_at, "run_id": ctx.run_id}, resp)

    def _rubygems(self, ctx: RunContext, gem: str) -> Iterator[Row]:
        resp = ctx.client.get(f"{self.base('rubygems')}/api/v1/versions/{quote(gem)}.json", expect=JSON)
        for v in resp.json():
            yield str(v["number"]), parse_ts(v.get("created_at")), v.get("downloads_count"), resp

    def _npm(self, ctx: RunContext, package: str) -> Iterator[Row]:
        resp = ctx.client.get(f"{self.base('npm')}/{quote(package, safe='@')}", accept="application/json",
                              expect=JSON)
        doc = resp.json()
        times = doc.get("time", {})
        for version in doc.get("versions", {}):
            yield version, parse_ts(times.get(version)), None, resp

    def _pypi(self, ctx: RunContext, package: str) -> Iterator[Row]:
        resp = ctx.client.get(f"{self.base('pypi')}/pypi/{quote(package)}/json", expect=JSON)
        for version, files in resp.json().get("releases", {}).items():
            uploads = [t for f in files if (t := parse_ts(f.get("upload_time_iso_8601") or f.get("upload_time")))]
            yield version, min(uploads) if uploads else None, None, resp

    def _dockerhub(self, ctx: RunContext, repo: str) -> Iterator[Row]:
        url: str | None = f"{self.base('dockerhub')}/v2/repositories/{repo}/tags"
        params: dict[str, Any] | None = {"page_size": 100}
        for _ in range(MAX_PAGES):
            if not url:
                return
            resp = ctx.client.get(url, params=params, expect=JSON)
            page = resp.json()
            for tag in page.get("results", []):
                yield tag["name"], parse_ts(tag.get("tag_last_pushed") or tag.get("last_updated")), None, resp
            url, params = page.get("next"), None

    def load(self, con: duckdb.DuckDBPyConnection, items: list[Item], ctx: RunContext) -> None:
        """One row per (registry, package, version): a re-run refreshes downloads, never duplicates."""
        for item in items:
            d = item.data
            con.execute("DELETE FROM package_versions WHERE registry = ? AND package = ? AND version = ?",
                        [d["registry"], d["package"], d["version"]])
            con.execute(
                "INSERT INTO package_versions (tool_id, registry, package, version, released_at, downloads, "
                "source_url, fetched_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [d["tool_id"], d["registry"], d["package"], d["version"], d["released_at"], d["downloads"],
                 d["source_url"], d["fetched_at"], d["run_id"]])
