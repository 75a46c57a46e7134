"""``decidim``: one Decidim instance's public GraphQL API, with the open-data ZIP as fallback.

Sources (see the shared Decidim FORMAT.md): ``POST {instance}/api`` — ``decidim { version }``,
``participatoryProcesses`` and ``assemblies`` with their components, then per component the
proposals, budgets (with projects), accountability results and meetings, paged by Relay cursors
(``first: 50``, the schema's maximum). Fields that only exist from 0.29 (``withdrawn``) are asked
only when the version allows it, and dropped when the server says they do not exist. When the API
does not answer (disabled, 5xx after retries, not JSON), ``GET {instance}/open-data/download`` is
read instead and parsed by the same code as ``observatory import decidim-open-data``.

Rows go to the shared participation tables through :mod:`observatory.participation.decidim_map`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import duckdb

from collectors._graphql import GraphQLError, pages, query
from observatory.collector import Collector, Item, RunContext
from observatory.errors import ObservatoryError
from observatory.http import FetchError
from observatory.participation import decidim_map
from observatory.participation.context import SourceContext, host_of
from observatory.participation.importer import FileReport, Source, parse_source
from observatory.participation.load import register_tables, write_records
from observatory.participation.records import Instance, Record
from observatory.safezip import ArchiveLimits, BoundedArchive

PAGE = 50
LOCALE = "en"

Q_VERSION = "query Version { decidim { version applicationName } organization { name } }"
Q_SPACES = """query Spaces($locale: String!) {
  participatoryProcesses { id slug startDate endDate title { translation(locale: $locale) }
    components { id __typename } }
  assemblies { id slug title { translation(locale: $locale) } components { id __typename } }
}"""
WITHDRAWN = " withdrawn"
Q_PROPOSALS = """query Proposals($id: ID!, $after: String, $first: Int!, $locale: String!) {
  component(id: $id) { id ... on Proposals { proposals(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id reference state publishedAt createdAt voteCount totalCommentsCount withdrawn
      title { translation(locale: $locale) } author { id } } } } } }"""
Q_BUDGETS = """query Budgets($id: ID!, $after: String, $first: Int!, $locale: String!) {
  component(id: $id) { id ... on Budgets { budgets(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id total_budget title { translation(locale: $locale) }
      projects { id reference budget_amount selected title { translation(locale: $locale) } } } } } } }"""
Q_RESULTS = """query Results($id: ID!, $after: String, $first: Int!, $locale: String!) {
  component(id: $id) { id ... on Accountability { results(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id progress startDate endDate title { translation(locale: $locale) }
      status { name { translation(locale: $locale) } } } } } } }"""
Q_MEETINGS = """query Meetings($id: ID!, $after: String, $first: Int!, $locale: String!) {
  component(id: $id) { id ... on Meetings { meetings(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id startTime endTime attendeeCount title { translation(locale: $locale) } } } } } }"""

COMPONENT_QUERIES: dict[str, tuple[str, str, str]] = {
    # __typename: (operation, query, collection field)
    "Proposals": ("Proposals", Q_PROPOSALS, "proposals"),
    "Budgets": ("Budgets", Q_BUDGETS, "budgets"),
    "Accountability": ("Results", Q_RESULTS, "results"),
    "Meetings": ("Meetings", Q_MEETINGS, "meetings"),
}
SPACE_TYPES = {"participatoryProcesses": "ParticipatoryProcess", "assemblies": "Assembly"}


def version_tuple(version: str | None) -> tuple[int, ...] | None:
    if not version:
        return None
    numbers = re.findall(r"\d+", version)
    return tuple(int(n) for n in numbers[:3]) if numbers else None


def proposals_query(version: str | None) -> str:
    """``withdrawn`` exists from 0.29; unknown versions (hidden since 0.30) try it first."""
    parsed = version_tuple(version)
    return Q_PROPOSALS if parsed is None or parsed >= (0, 29) else Q_PROPOSALS.replace(WITHDRAWN, "")


class DecidimCollector(Collector):
    name: ClassVar[str] = "decidim"
    version: ClassVar[str] = "1"
    default_endpoint: ClassVar[str] = "https://www.decidim.barcelona"
    tables: ClassVar[tuple[str, ...]] = ("instances", "participation_spaces", "proposals", "budgets",
                                         "budget_projects", "results", "meetings", "comments")
    politeness_s: ClassVar[float] = 0.7  # Decidim's default Rack::Attack allows about 100 requests a minute
    description: ClassVar[str] = "Decidim instance: GraphQL API (open-data ZIP fallback) into the participation tables"

    @property
    def api_url(self) -> str:
        return f"{self.endpoint}/api"

    @property
    def instance_id(self) -> str:
        return host_of(self.endpoint) or self.endpoint

    # ---------------------------------------------------------------- fetch

    def fetch(self, ctx: RunContext) -> Iterator[Item]:
        try:
            data, resp = query(ctx.client, self.api_url, Q_VERSION, "Version")
        except (FetchError, GraphQLError) as exc:
            ctx.fail(self.api_url, exc)
            yield from self._open_data(ctx)
            return
        version = (data.get("decidim") or {}).get("version")
        org = data.get("organization") or {}
        name = org.get("name") if isinstance(org.get("name"), str) else decidim_map.text_of(org.get("name"))
        yield ctx.item("instance", self.instance_id, self.api_url, {"version": version, "name": name}, resp)
        try:
            data, resp = query(ctx.client, self.api_url, Q_SPACES, "Spaces", {"locale": LOCALE})
        except (FetchError, GraphQLError) as exc:
            ctx.fail(f"{self.api_url} spaces", exc)
            return
        for field, space_type in SPACE_TYPES.items():
            for space in data.get(field) or []:
                space_id = decidim_map.space_id_from(space_type, str(space["id"]))
                yield ctx.item("space", space_id or str(space["id"]), self.api_url,
                               {"node": space, "space_type": space_type, "version": version}, resp)
                for component in space.get("components") or []:
                    yield from self._component(ctx, component, space_id, version)

    def _component(self, ctx: RunContext, component: dict[str, Any], space_id: str | None,
                   version: str | None) -> Iterator[Item]:
        kind = component.get("__typename")
        if kind not in COMPONENT_QUERIES:
            return
        operation, text, collection = COMPONENT_QUERIES[kind]
        component_id = str(component["id"])
        source = f"{self.api_url} component {component_id} ({kind})"
        if kind == "Proposals":
            text = proposals_query(version)
        try:
            for nodes, resp in self._pages_with_fallback(ctx, text, operation, component_id, collection, kind):
                for node in nodes:
                    yield ctx.item(collection, f"{component_id}:{node['id']}", self.api_url,
                                   {"node": node, "space_id": space_id, "component_id": component_id,
                                    "version": version}, resp)
        except (FetchError, GraphQLError, KeyError) as exc:
            ctx.fail(source, exc)

    def _pages_with_fallback(self, ctx: RunContext, text: str, operation: str, component_id: str, collection: str,
                             kind: str) -> Iterator[tuple[list[dict[str, Any]], Any]]:
        """Page through a component; if a version-dependent field is refused, retry once without it."""
        variables = {"id": component_id, "first": PAGE, "locale": LOCALE}
        try:
            yield from pages(ctx.client, self.api_url, text, operation, variables, ("component", collection))
        except GraphQLError as exc:
            if kind != "Proposals" or WITHDRAWN not in text or "withdrawn" not in str(exc):
                raise
            yield from pages(ctx.client, self.api_url, text.replace(WITHDRAWN, ""), operation, variables,
                             ("component", collection))

    def _open_data(self, ctx: RunContext) -> Iterator[Item]:
        url = f"{self.endpoint}/open-data/download"
        try:
            resp = ctx.client.get(url, expect=("application/zip", "application/x-zip-compressed", "application/octet-stream"))
            archive = BoundedArchive(io.BytesIO(resp.body), url, ArchiveLimits.resolve())  # sizes checked first
        except (FetchError, ObservatoryError) as exc:
            ctx.fail(url, exc)
            return
        yield ctx.item("instance", self.instance_id, url, {"version": None, "name": None}, resp)
        with archive:
            for info in archive.members():
                if not info.filename.lower().endswith(".csv"):
                    continue
                try:
                    text = archive.read(info).decode("utf-8-sig", errors="replace")
                except ObservatoryError as exc:
                    ctx.fail(info.filename, exc)
                    continue
                yield ctx.item("open_data_csv", info.filename, url, {"member": info.filename, "text": text}, resp)

    # ---------------------------------------------------------------- load

    def load(self, con: duckdb.DuckDBPyConnection, items: list[Item], ctx: RunContext) -> None:
        records = list(self.records(items, ctx))
        written = write_records(con, records)
        register_tables(con, written, source=f"collector decidim ({self.endpoint})",
                        licence="as published by the instance (Decidim's newer exports: ODbL 1.0 / DbCL 1.0)",
                        checked_on=ctx.today)

    def records(self, items: Iterable[Item], ctx: RunContext) -> Iterator[Record]:
        version: str | None = None
        for item in items:
            data = item.data
            if item.category == "instance":
                version = data.get("version")
                yield Instance(instance_id=self.instance_id, platform="decidim", base_url=self.endpoint,
                               source_url=item.origin, checked_on=ctx.today, name=data.get("name"),
                               platform_version=version)
                continue
            src = SourceContext(self.instance_id, "decidim", item.origin, ctx.today, data.get("version", version))
            if item.category == "space":
                yield decidim_map.space_from_graphql(data["node"], src, data["space_type"])
            elif item.category == "proposals":
                yield decidim_map.proposal_from_graphql(data["node"], src, data["space_id"], data["component_id"])
            elif item.category == "budgets":
                budget = decidim_map.budget_from_graphql(data["node"], src, data["space_id"])
                yield budget
                for project in data["node"].get("projects") or []:
                    yield decidim_map.project_from_graphql(project, src, budget.budget_id)
            elif item.category == "results":
                yield decidim_map.result_from_graphql(data["node"], src, data["space_id"])
            elif item.category == "meetings":
                yield decidim_map.meeting_from_graphql(data["node"], src, data["space_id"])
            elif item.category == "open_data_csv":
                yield from self._csv_records(data, item.origin, ctx)

    def _csv_records(self, data: dict[str, Any], origin: str, ctx: RunContext) -> Iterator[Record]:
        report = FileReport(label=data["member"])
        try:
            records, _kind, _ctx = parse_source(Source(data["member"], data["text"].encode()), "decidim",
                                                self.instance_id, False, ctx.today, report)
        except Exception as exc:  # noqa: BLE001 - an unreadable member is skipped and logged, the others load
            ctx.skip(f"{origin} {data['member']}", str(exc))
            return
        for issue in report.issues:
            ctx.skip(f"{origin} {data['member']}", str(issue))
        for record in records:
            # the rows came through the instance's open-data URL, not a local file
            yield type(record)(**{**record.__dict__, "source_url": origin})

    def reset(self, con: duckdb.DuckDBPyConnection) -> None:
        """Delete only collected Decidim rows: imported files (``file:`` sources) and other platforms stay."""
        for table in sorted(self.tables, key=lambda name: name == "instances"):  # instances last: the filter reads it
            con.execute(
                f'DELETE FROM "{table}" WHERE source_url NOT LIKE \'file:%\' AND instance_id IN '  # noqa: S608
                "(SELECT instance_id FROM instances WHERE platform = 'decidim')")
