"""``consul``: a Consul Democracy instance's public GraphQL API (``POST {instance}/graphql``).

Sources (see the shared Consul FORMAT.md, section 1): ``proposals`` and ``comments`` paged 25 at a
time (the schema's maximum and default), and, from Consul 2.2.1, ``budgets`` with their
``investments``. Field names are asked in snake_case, which every version accepts (camelCase
exists only from 1.5.0); answers in either case are read. Queries stay at depth ≤ 4 and one
collection each, well inside the depth (8) and complexity (2500) limits. Debates and individual
votes are not stored (no table; the vote list is enormous on large instances).

Consul exposes no proposal state and no budget winners: outcomes are derived in the analyses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import duckdb

from collectors._graphql import GraphQLError, pages
from observatory.collector import Collector, Item, RunContext
from observatory.http import FetchError
from observatory.participation import consul_map
from observatory.participation.context import SourceContext, host_of
from observatory.participation.load import register_tables, write_records
from observatory.participation.records import Instance, Record

PAGE = 25

Q_PROPOSALS = """query Proposals($after: String, $first: Int!) {
  proposals(first: $first, after: $after) { pageInfo { hasNextPage endCursor }
    edges { node { id title summary description cached_votes_up comments_count public_created_at
      retired_at retired_reason geozone_id public_author { id } } } } }"""
Q_COMMENTS = """query Comments($after: String, $first: Int!) {
  comments(first: $first, after: $after) { pageInfo { hasNextPage endCursor }
    edges { node { id commentable_id commentable_type body public_created_at public_author { id } } } } }"""
Q_BUDGETS = """query Budgets($after: String, $first: Int!) {
  budgets(first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id name phase } } } }"""
Q_INVESTMENTS = """query Investments($id: ID!, $after: String, $first: Int!) {
  budget(id: $id) { id investments(first: $first, after: $after) { pageInfo { hasNextPage endCursor }
    edges { node { id title price feasibility comments_count } } } } }"""

COLLECTIONS: tuple[tuple[str, str, str], ...] = (
    # (category, operation, query) — each paged on its own so one failing leaves the others
    ("proposals", "Proposals", Q_PROPOSALS),
    ("comments", "Comments", Q_COMMENTS),
)


class ConsulCollector(Collector):
    name: ClassVar[str] = "consul"
    version: ClassVar[str] = "1"
    default_endpoint: ClassVar[str] = "https://decide.madrid.es"
    tables: ClassVar[tuple[str, ...]] = ("instances", "proposals", "comments", "budgets", "budget_projects")
    politeness_s: ClassVar[float] = 1.0
    description: ClassVar[str] = "Consul Democracy instance: GraphQL API into the participation tables"

    @property
    def api_url(self) -> str:
        return f"{self.endpoint}/graphql"

    @property
    def instance_id(self) -> str:
        return host_of(self.endpoint) or self.endpoint

    def fetch(self, ctx: RunContext) -> Iterator[Item]:
        yield ctx.item("instance", self.instance_id, self.api_url, {})
        for category, operation, text in COLLECTIONS:
            try:
                for nodes, resp in pages(ctx.client, self.api_url, text, operation, {"first": PAGE}, (category,)):
                    for node in nodes:
                        yield ctx.item(category, str(node["id"]), self.api_url, {"node": node}, resp)
            except (FetchError, GraphQLError, KeyError) as exc:
                ctx.fail(f"{self.api_url} {category}", exc)
        yield from self._budgets(ctx)

    def _budgets(self, ctx: RunContext) -> Iterator[Item]:
        try:
            budgets = [n for nodes, _ in pages(ctx.client, self.api_url, Q_BUDGETS, "Budgets", {"first": PAGE},
                                               ("budgets",)) for n in nodes]
        except GraphQLError as exc:
            if "budgets" in str(exc) and "doesn't exist" in str(exc):
                ctx.skip(f"{self.api_url} budgets", "not in this Consul version (added in 2.2.1)")
            else:
                ctx.fail(f"{self.api_url} budgets", exc)
            return
        except FetchError as exc:
            ctx.fail(f"{self.api_url} budgets", exc)
            return
        for budget in budgets:
            yield ctx.item("budget", str(budget["id"]), self.api_url, {"node": budget})
        if not budgets:
            return
        # Consul 2.2.1 returns every public investment under any budget (no budget id on the type),
        # so investments are read once, through the first budget, and stored without a budget id.
        first = str(budgets[0]["id"])
        try:
            for nodes, resp in pages(ctx.client, self.api_url, Q_INVESTMENTS, "Investments",
                                     {"id": first, "first": PAGE}, ("budget", "investments")):
                for node in nodes:
                    yield ctx.item("investment", str(node["id"]), self.api_url, {"node": node}, resp)
        except (FetchError, GraphQLError, KeyError) as exc:
            ctx.fail(f"{self.api_url} investments", exc)

    def load(self, con: duckdb.DuckDBPyConnection, items: list[Item], ctx: RunContext) -> None:
        written = write_records(con, list(self.records(items, ctx)))
        register_tables(con, written, source=f"collector consul ({self.endpoint})",
                        licence="as published by the instance", checked_on=ctx.today)

    def records(self, items: Iterable[Item], ctx: RunContext) -> Iterator[Record]:
        src = SourceContext(self.instance_id, "consul", self.api_url, ctx.today)
        for item in items:
            node: dict[str, Any] = item.data.get("node", {})
            if item.category == "instance":
                yield Instance(instance_id=self.instance_id, platform="consul", base_url=self.endpoint,
                               source_url=self.api_url, checked_on=ctx.today)
            elif item.category == "proposals":
                yield consul_map.proposal_from_graphql(node, src)
            elif item.category == "comments":
                yield consul_map.comment_from_graphql(node, src)
            elif item.category == "budget":
                yield consul_map.budget_from_graphql(node, src)
            elif item.category == "investment":
                yield consul_map.investment_from_graphql(node, src, None)

    def reset(self, con: duckdb.DuckDBPyConnection) -> None:
        """Delete only collected Consul rows: imported CSVs (``file:`` sources) and other platforms stay."""
        for table in sorted(self.tables, key=lambda name: name == "instances"):  # instances last: the filter reads it
            con.execute(
                f'DELETE FROM "{table}" WHERE source_url NOT LIKE \'file:%\' AND instance_id IN '  # noqa: S608
                "(SELECT instance_id FROM instances WHERE platform = 'consul')")
