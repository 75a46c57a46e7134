"""Numbered sources: every fact in a report cites one, numbered in reading order.

Sections cite while they are built (in any order); :meth:`SourceRegistry.finalise` then numbers the
sources 1..N in the order a reader meets them and rewrites every reference, so the PDF's [1] is the
first citation on the first page whatever order the sections were computed in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import duckdb

from observatory.reports.document import BarChart, Cited, Fact, Report, Source, Table

_GITHUB_BLOB = re.compile(r"^https://github\.com/([^/]+)/([^/]+)/(?:blob|tree|commit)/([0-9a-f]{7,40})(?:/(.+))?$")


def is_web_url(url: str | None) -> bool:
    """Only http(s) URLs become links: collected data must never produce ``javascript:`` or ``file:`` links."""
    return bool(url) and bool(re.match(r"^https?://[^\s<>\"']+$", url or "", re.IGNORECASE))


def title_for(url: str) -> str:
    """A readable title for a bare URL: ``owner/repo · path @ commit`` for GitHub permalinks."""
    m = _GITHUB_BLOB.match(url)
    if m:
        owner, repo, commit, path = m.groups()
        return f"{owner}/{repo} · {path} @ {commit[:7]}" if path else f"{owner}/{repo} @ {commit[:7]}"
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def folder_collapser(urls: Iterable[str | None], threshold: int = 4) -> Callable[[str | None], str | None]:
    """Cite a GitHub folder at its commit instead of each of its files when one aggregate draws on
    more than ``threshold`` files of it (e.g. 500 per-installation YAML files of one repository)."""
    folders: Counter[str] = Counter()
    for url in set(u for u in urls if u):
        m = _GITHUB_BLOB.match(url)
        if m and "/" in (m.group(4) or ""):
            folders[_folder(m)] += 1

    def collapse(url: str | None) -> str | None:
        if not url:
            return url
        m = _GITHUB_BLOB.match(url)
        if m and "/" in (m.group(4) or "") and folders[_folder(m)] > threshold:
            return _folder(m)
        return url

    return collapse


def _folder(m: re.Match[str]) -> str:
    owner, repo, commit, path = m.groups()
    return f"https://github.com/{owner}/{repo}/tree/{commit}/{path.rsplit('/', 1)[0]}"


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


class SourceRegistry:
    """Hands out provisional ids while sections are built; numbers them in reading order at the end."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        cur = con.cursor()
        try:
            cur.execute("SELECT url, title, publisher, source_commit, checked_on FROM sources")
            self._catalogue = [dict(zip(("url", "title", "publisher", "commit", "checked_on"), r, strict=True))
                               for r in cur.fetchall()]
            cur.execute("SELECT table_name, package, title, source, checked_on FROM table_meta")
            self._tables = {r[0]: r for r in cur.fetchall()}
        finally:
            cur.close()
        self._by_key: dict[str, int] = {}
        self._entries: list[Source] = []

    def cite(self, url: str | None, *, title: str | None = None, key: str | None = None, commit: str | None = None,
             checked_on: Any = None, publisher: str | None = None) -> int:
        """Provisional id of the source at ``url`` (or named by ``key`` when it has no URL)."""
        key = key or url or title
        if not key:
            raise ValueError("a source needs a URL, a key or a title")
        if key in self._by_key:
            return self._by_key[key]
        known = self._lookup(url) if url else None
        entry = Source(
            number=len(self._entries) + 1,
            title=title or (known["title"] if known and known["url"] == url else None) or title_for(url or key),
            url=url,
            publisher=publisher or (known["publisher"] if known else None),
            commit=commit or (known["commit"] if known and known["url"] == url else None) or _commit_in(url),
            checked_on=_as_date(checked_on) or (_as_date(known["checked_on"]) if known else None),
        )
        self._entries.append(entry)
        self._by_key[key] = entry.number
        return entry.number

    def cite_table(self, table_name: str) -> int | None:
        """The dataset a table was loaded from (``table_meta``), for facts aggregated over many rows."""
        row = self._tables.get(table_name)
        if row is None:
            return None
        _, package, title, source, checked_on = row
        label = " · ".join(x for x in (package, title or table_name) if x)
        # table_meta.source may be a long summary of every upstream source; those are cited one by one
        # where the facts are used, so only a real URL is kept here.
        return self.cite(source if is_web_url(source) else None, key=f"table:{table_name}", title=label,
                         checked_on=checked_on, publisher=package)

    def _lookup(self, url: str) -> dict[str, Any] | None:
        """The catalogue source with the longest URL that prefixes ``url`` (a repo for a file permalink)."""
        best = None
        for row in self._catalogue:
            base = (row["url"] or "").rstrip("/")
            if base and (url == row["url"] or url.startswith(base + "/")):
                if best is None or len(base) > len(best["url"].rstrip("/")):
                    best = row
        return best

    def finalise(self, report: Report) -> None:
        """Number sources by first appearance in reading order; drop unreferenced ones; rewrite references."""
        order: dict[int, int] = {}

        def see(ids: Iterable[int]) -> None:
            for i in ids:
                order.setdefault(i, len(order) + 1)

        def walk_table(tbl: Table) -> None:
            for row, ids in zip(tbl.rows, tbl.row_sources, strict=True):
                for cell in row:
                    if isinstance(cell, Cited):
                        see(cell.sources)
                see(ids)

        for sec in report.sections:
            for fact in sec.facts:
                see(fact.sources)
            for tbl in sec.tables:
                walk_table(tbl)
            for chart in sec.charts:
                see(chart.sources)
        walk_table(report.data_tables)

        def remap(ids: Iterable[int]) -> tuple[int, ...]:
            return tuple(sorted(order[i] for i in ids))

        def remap_table(tbl: Table) -> None:
            tbl.row_sources = [remap(ids) for ids in tbl.row_sources]
            tbl.rows = [[Cited(c.value, remap(c.sources)) if isinstance(c, Cited) else c for c in row] for row in tbl.rows]

        for sec in report.sections:
            sec.facts = [Fact(f.text, remap(f.sources)) for f in sec.facts]
            for tbl in sec.tables:
                remap_table(tbl)
            sec.charts = [BarChart(c.key, c.title, c.labels, c.values, c.unit, remap(c.sources)) for c in sec.charts]
        remap_table(report.data_tables)
        report.sources = sorted((replace(self._entries[i - 1], number=n) for i, n in order.items()),
                                key=lambda s: s.number)


def _commit_in(url: str | None) -> str | None:
    m = _GITHUB_BLOB.match(url or "")
    return m.group(3) if m else None
