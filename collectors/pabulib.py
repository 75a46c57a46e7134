"""Pabulib: the site's file index and ``.pb`` downloads, handed to the PB importer.

The site (pabulib.org; its code is the ``pabulib/pabulib_front`` repository, read at commit
6f332370d64b797018f1a645aa4d2e22ec876251, ``app/templates/index.html`` and ``app/routes.py``)
renders one ``<section class="tile" data-file="NAME.pb">`` per file on its home page, each with an
``<a class="download" href="/download/NAME.pb">`` link; ``/download/<file>`` sends the file.

Each download is a conditional request (the site answers with ETag/Last-Modified), so re-runs
only transfer files that changed. Bodies are not held in memory: the item keeps the archive hash
and ``load`` reads the bytes back from the raw archive, in batches, into
``observatory.pb.importer.import_editions(con, [(file_name, data, source_url)], strict=False)``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urljoin

import duckdb
from bs4 import BeautifulSoup

from observatory.collector import Collector, Item, RunContext
from observatory.http import FetchError

BATCH = 20


def parse_index(html: str, base: str) -> list[tuple[str, str]]:
    """(file name, absolute download URL) for every tile of the home page, in page order."""
    soup = BeautifulSoup(html, "html.parser")
    out: dict[str, str] = {}
    for tile in soup.select("section.tile[data-file]"):
        name = str(tile["data-file"]).strip()
        if not name.endswith(".pb") or "/" in name or ".." in name:
            continue
        link = tile.select_one("a.download[href]")
        href = str(link["href"]) if link else f"/download/{quote(name)}"
        out.setdefault(name, urljoin(base + "/", href))
    return list(out.items())


class PabulibCollector(Collector):
    name = "pabulib"
    version = "1"
    default_endpoint = "https://pabulib.org"
    tables = ()          # the PB tables belong to the PB importer, which replaces an edition on re-import
    politeness_s = 0.5
    client_overrides = {"max_bytes": 200 * 1024 * 1024, "timeout_s": 60.0}
    description = "Participatory-budgeting files (.pb) from the Pabulib library."

    def fetch(self, ctx: RunContext) -> Iterable[Item]:
        try:
            index = ctx.client.get(f"{self.endpoint}/", accept="text/html", expect=("text/html",))
        except FetchError as exc:
            ctx.fail(f"{self.endpoint}/ (file index)", exc)
            return
        files = parse_index(index.text(), self.endpoint)
        if not files:
            ctx.fail(f"{self.endpoint}/", "the file index lists no .pb file (page layout changed?)")
            return
        for file_name, url in files:
            try:
                resp = ctx.client.get(url)
            except FetchError as exc:
                ctx.fail(file_name, exc)
                continue
            if not resp.body.lstrip(b"\xef\xbb\xbf").lstrip().upper().startswith(b"META"):
                ctx.fail(file_name, f"not a .pb file (starts with {resp.body[:20]!r})")
                continue
            yield ctx.item("pb_file", file_name, resp.url, {"file_name": file_name, "source_url": resp.url,
                                                            "size": len(resp.body)}, resp)

    def load(self, con: duckdb.DuckDBPyConnection, items: list[Item], ctx: RunContext) -> None:
        # resolved at call time so tests can stand in a recording importer
        importer: Any = importlib.import_module("observatory.pb.importer")
        archive = ctx.client.archive
        assert archive is not None, "collectors always run with an archive"
        for start in range(0, len(items), BATCH):
            batch = [(i.data["file_name"], archive.load(i.archive_sha256 or ""), i.data["source_url"])
                     for i in items[start:start + BATCH]]
            report = importer.import_editions(con, batch, strict=False)
            for result in report.files:  # a failed file is kept out of the tables: the run says so
                if result.status == "failed":
                    ctx.fail(result.file_name, result.error or "failed")
