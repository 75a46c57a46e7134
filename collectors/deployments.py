"""Published deployment lists -> ``deployments`` (origin ``collector:deployments``) + dated changes.

Sources (all read through the GitHub contents API at a pinned commit, recorded in ``source_commit``):

- decidim.org ``data/installations/*.yml`` (one YAML file per installation: title, url, type,
  optional GeoJSON ``location``); the file name is the stable key, so a renamed URL stays one row;
- ``publiccode.yml`` ``usedBy`` of every catalogued tool hosted on GitHub (Decidim and OpenStad have
  one; a 404 is a skip, not a failure). Names only; a name already listed by another source of the
  same tool is not added twice (Decidim's list is a copy of decidim.org's);
- DemocracyOS ``IMPLEMENTATIONS.md`` (``[Organisation - Place, Country](url)`` lines).

Each run compares a source's complete list with the rows it produced before: new keys are
``added``, keys missing now are ``removed`` (``removed_on`` set, the row is kept), keys back after a
removal ``reappeared``. A source that cannot be listed records a failure and changes nothing; an
unreadable file of a listed source counts as still present. Curated rows (origin ``dataset``) are
never touched.
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import duckdb
import pycountry
import yaml

from collectors._forge import tools_on
from observatory.collector import Collector, Item, RunContext
from observatory.http import FetchError, HttpStatusError, Response

ORIGIN = "collector:deployments"
JSON = ("application/json",)
HEADERS = {"X-GitHub-Api-Version": "2022-11-28"}


@dataclass(frozen=True)
class Source:
    kind: str        # "decidim_installations" | "publiccode_usedby" | "implementations_md"
    tool_id: str
    repo: str
    path: str

    @property
    def url(self) -> str:
        """Stable identity of the list (also the rows' ``source_url``)."""
        return f"https://github.com/{self.repo}/blob/HEAD/{self.path}"


# Lists kept outside the tools' own repositories (or in a file only one project has).
FIXED_SOURCES: tuple[Source, ...] = (
    Source("decidim_installations", "decidim", "decidim/decidim.org", "data/installations"),
    Source("implementations_md", "democracyos", "DemocracyOS/democracyos", "IMPLEMENTATIONS.md"),
)


def slug(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", norm).strip("-")


def canonical_url(url: str) -> str:
    """Scheme added when missing; host lower-cased; trailing slash dropped (dedup across lists)."""
    url = url.strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
        url = f"http://{url}"
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}{parts.path.rstrip('/')}"


def country_from_host(url: str | None) -> str | None:
    """ISO alpha-2 from a country-code top-level domain (``.uk`` -> GB); None for generic ones."""
    if not url:
        return None
    tld = (urlsplit(url).hostname or "").rsplit(".", 1)[-1].upper()
    tld = {"UK": "GB"}.get(tld, tld)
    return tld if len(tld) == 2 and pycountry.countries.get(alpha_2=tld) else None


def country_from_name(name: str) -> str | None:
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        return None


class DeploymentsCollector(Collector):
    name = "deployments"
    version = "1"
    default_endpoint = "https://api.github.com"
    tables = ("deployments", "deployment_changes")
    token_env = "GITHUB_TOKEN"
    politeness_s = 0.2
    description = "Deployment lists published by the projects (decidim.org, publiccode.yml usedBy, DemocracyOS)."

    def reset(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute("DELETE FROM deployments WHERE origin = ?", [ORIGIN])
        con.execute("DELETE FROM deployment_changes")

    # -- fetch ---------------------------------------------------------------------------------

    def _api(self, ctx: RunContext, path: str, **params: Any) -> Response:
        return ctx.client.get(f"{self.endpoint}{path}", params=params or None, headers=HEADERS,
                              accept="application/vnd.github+json", expect=JSON)

    def sources(self, ctx: RunContext) -> list[Source]:
        """The fixed lists of catalogued tools, then ``publiccode.yml`` of every tool hosted on GitHub."""
        known = {r[0] for r in ctx.query("SELECT tool_id FROM tools")}
        out = [s for s in FIXED_SOURCES if s.tool_id in known]
        for tool_id, _host, repo, _licence in tools_on(ctx.con, "github.com"):
            out.append(Source("publiccode_usedby", tool_id, repo, "publiccode.yml"))
        return out

    def fetch(self, ctx: RunContext) -> Iterable[Item]:
        seen_names: dict[str, set[str]] = {}
        for source in self.sources(ctx):
            try:
                commit = self._api(ctx, f"/repos/{source.repo}/commits", per_page=1).json()[0]["sha"]
                entries = list(getattr(self, f"_{source.kind}")(ctx, source, commit))
            except HttpStatusError as exc:
                if exc.status == 404 and source.kind == "publiccode_usedby":
                    ctx.skip(source.url, "no publiccode.yml")
                else:
                    ctx.fail(source.url, exc)
                continue
            except FetchError as exc:
                ctx.fail(source.url, exc)
                continue
            except (KeyError, IndexError, TypeError, ValueError, yaml.YAMLError) as exc:
                ctx.fail(source.url, f"unexpected content: {type(exc).__name__}: {exc}")
                continue
            names = seen_names.setdefault(source.tool_id, set())
            if source.kind == "publiccode_usedby":
                # Names known from the tool's other lists (also from earlier runs, should one fail now).
                names |= {slug(r[0]) for r in ctx.query(
                    "SELECT organisation FROM deployments WHERE tool_id = ? AND source_url <> ? "
                    "AND removed_on IS NULL", [source.tool_id, source.url])}
            present: list[str] = []
            for entry in entries:
                present.append(entry["deployment_id"])
                if entry.get("unreadable"):
                    continue
                if source.kind == "publiccode_usedby" and slug(entry["organisation"]) in names:
                    continue     # already listed, with more detail, by another source of this tool
                names.add(slug(entry["organisation"]))
                entry.update(tool_id=source.tool_id, source_url=source.url, source_commit=commit)
                yield ctx.item("deployment", entry["deployment_id"], source.url, entry)
            yield Item(self.name, self.version, "listing", source.url, source.url, ctx.started_at,
                       {"source_url": source.url, "present": present})

    def _contents(self, ctx: RunContext, source: Source, commit: str) -> Response:
        return self._api(ctx, f"/repos/{source.repo}/contents/{source.path}", ref=commit)

    def _decidim_installations(self, ctx: RunContext, source: Source, commit: str) -> Iterator[dict[str, Any]]:
        listing = self._contents(ctx, source, commit).json()
        for f in sorted(listing, key=lambda f: f["name"]):
            if f.get("type") != "file" or not f["name"].endswith((".yml", ".yaml")):
                continue
            key = f"decidim:decidim.org/{f['name'].rsplit('.', 1)[0]}"
            try:
                raw = ctx.client.get(f["download_url"]).text()
                doc = yaml.safe_load(raw)
                if not isinstance(doc, dict) or not doc.get("title"):
                    raise ValueError("no title")
            except (FetchError, yaml.YAMLError, ValueError) as exc:
                ctx.fail(f"{source.repo}/{f['path']}", exc)
                yield {"deployment_id": key, "unreadable": True}
                continue
            lat = lon = None
            if doc.get("location"):
                try:
                    lon, lat = (float(c) for c in json.loads(doc["location"])["coordinates"][:2])
                except (ValueError, KeyError, TypeError):
                    ctx.skip(f"{f['path']} location", "not a GeoJSON point")
            url = str(doc["url"]).strip() if doc.get("url") else None
            country = country_from_host(url)
            yield {"deployment_id": key, "organisation": str(doc["title"]).strip(),
                   "organisation_type": doc.get("type"), "url": url, "latitude": lat, "longitude": lon,
                   "country": country, "country_method": "cctld" if country else None}

    def _publiccode_usedby(self, ctx: RunContext, source: Source, commit: str) -> Iterator[dict[str, Any]]:
        doc = self._contents(ctx, source, commit).json()
        text = base64.b64decode(doc["content"]).decode("utf-8") if doc.get("encoding") == "base64" else doc["content"]
        used_by = (yaml.safe_load(text) or {}).get("usedBy") or []
        if not isinstance(used_by, list):
            raise ValueError("usedBy is not a list")
        for name in dict.fromkeys(str(n).strip() for n in used_by if str(n).strip()):
            yield {"deployment_id": f"{source.tool_id}:usedby/{slug(name)}", "organisation": name,
                   "organisation_type": None, "url": None, "latitude": None, "longitude": None,
                   "country": None, "country_method": None}

    _LINK = re.compile(r"\[([^\]]+)\]\s*\(([^)\s]+)\)")

    def _implementations_md(self, ctx: RunContext, source: Source, commit: str) -> Iterator[dict[str, Any]]:
        doc = self._contents(ctx, source, commit).json()
        text = base64.b64decode(doc["content"]).decode("utf-8")
        for label, url in self._LINK.findall(text):
            organisation, _, place = label.partition(" - ")
            country_name = place.rsplit(",", 1)[-1] if place else ""
            country = country_from_name(country_name) if country_name else None
            method = "source_text" if country else None
            if country is None and (country := country_from_host(url)):
                method = "cctld"
            yield {"deployment_id": f"{source.tool_id}:{canonical_url(url).split('://', 1)[1]}",
                   "organisation": organisation.strip(), "organisation_type": None, "url": canonical_url(url),
                   "latitude": None, "longitude": None, "country": country, "country_method": method}

    # -- load ----------------------------------------------------------------------------------

    def load(self, con: duckdb.DuckDBPyConnection, items: list[Item], ctx: RunContext) -> None:
        today = ctx.today
        entries = [i.data for i in items if i.category == "deployment"]
        for listing in (i.data for i in items if i.category == "listing"):
            src = listing["source_url"]
            existing = dict(con.execute("SELECT deployment_id, removed_on FROM deployments WHERE origin = ? "
                                        "AND source_url = ?", [ORIGIN, src]).fetchall())
            for e in (e for e in entries if e["source_url"] == src):
                did = e["deployment_id"]
                values = [e["tool_id"], e["organisation"], e.get("organisation_type"), e.get("country"),
                          e.get("country_method"), e.get("url"), e.get("latitude"), e.get("longitude"),
                          e["source_commit"], today]
                if did in existing:
                    con.execute("UPDATE deployments SET tool_id = ?, organisation = ?, organisation_type = ?, "
                                "country = ?, country_method = ?, url = ?, latitude = ?, longitude = ?, "
                                "source_commit = ?, checked_on = ?, last_seen = ?, removed_on = NULL "
                                "WHERE deployment_id = ?", [*values, today, did])
                    if existing[did] is not None:
                        self._change(con, did, "reappeared", today, src, ctx.run_id)
                    continue
                if con.execute("SELECT 1 FROM deployments WHERE deployment_id = ?", [did]).fetchone():
                    continue    # a curated (or other-source) row owns this id: never overwrite it
                con.execute("INSERT INTO deployments (tool_id, organisation, organisation_type, country, "
                            "country_method, url, latitude, longitude, source_commit, checked_on, deployment_id, "
                            "source_url, origin, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [*values, did, src, ORIGIN, today, today])
                self._change(con, did, "added", today, src, ctx.run_id)
            present = set(listing["present"])
            for did, removed_on in existing.items():
                if did not in present and removed_on is None:
                    con.execute("UPDATE deployments SET removed_on = ? WHERE deployment_id = ?", [today, did])
                    self._change(con, did, "removed", today, src, ctx.run_id)

    @staticmethod
    def _change(con: duckdb.DuckDBPyConnection, did: str, change: str, day: Any, src: str, run_id: str) -> None:
        con.execute("INSERT INTO deployment_changes (deployment_id, change, changed_on, source_url, run_id) "
                    "VALUES (?, ?, ?, ?, ?)", [did, change, day, src, run_id])
