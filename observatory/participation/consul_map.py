"""Consul Democracy rows → participation records: Madrid CSV dumps, research extracts, GraphQL nodes.

Consul has no proposal state: withdrawn = ``retired_at`` set; the research extract adds
``archived``/``open``. Reaching the support threshold is an analysis (the threshold is an
installation setting the API does not expose), not a stored state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from observatory.participation.context import SourceContext
from observatory.participation.records import Budget, BudgetProject, Comment, Proposal
from observatory.participation.text import (
    empty_to_none,
    html_to_text,
    junk_flag,
    parse_int,
    parse_timestamp,
    plain_text,
    pseudonym,
)

Getter = Callable[[str], str | None]


def proposal_state(retired_at: object, status: str | None = None) -> str:
    if retired_at:
        return "withdrawn"
    if status and status.strip().lower() == "archived":
        return "archived"
    return "published"


def clean_text(value: str | None) -> str | None:
    """A plain-text field (title, summary, comment, name): stored as served."""
    return empty_to_none(plain_text(value))


def clean_html(value: str | None) -> str | None:
    """A field Consul stores as HTML (a proposal's description, written in its rich-text editor)."""
    return empty_to_none(html_to_text(value))


def _join(*parts: str | None) -> str | None:
    kept = [p for p in parts if p]
    return "\n\n".join(kept) if kept else None


# ---------------------------------------------------------------- Madrid dump (`/system/api/proposals.csv`)

def proposal_from_dump(get: Getter, header: list[str], ctx: SourceContext) -> Proposal:
    """Columns of the Madrid dump or of its filtered 2025 copy
    (``id;title;description;cached_votes_up;created_at;retired_at``)."""
    title = clean_text(get("title"))
    retired_raw = empty_to_none(get("retired_at"))
    retired = parse_timestamp(retired_raw) if retired_raw else None
    proposal_id = empty_to_none(get("id"))
    if proposal_id is None:
        raise ValueError("id: required value is empty")
    return Proposal(
        instance_id=ctx.instance_id, proposal_id=proposal_id, platform="consul", source_url=ctx.source_url,
        checked_on=ctx.checked_on, title=title,
        body=_join(clean_text(get("summary")), clean_html(get("description"))),
        state=proposal_state(retired), state_raw=empty_to_none(get("retired_reason")) or ("retired" if retired else None),
        supports=parse_int(get("cached_votes_up")), comments_count=parse_int(get("comments_count")),
        published_at=parse_timestamp(get("created_at")),
        author_hash=pseudonym(ctx.instance_id, get("author_name")),
        scope=empty_to_none(get("geozone_id")), url=f"https://{ctx.instance_id}/proposals/{proposal_id}",
        platform_version=ctx.platform_version, quality_flag=junk_flag(title),
    )


def comment_from_dump(get: Getter, header: list[str], ctx: SourceContext) -> Comment:
    comment_id = empty_to_none(get("id"))
    if comment_id is None:
        raise ValueError("id: required value is empty")
    return Comment(
        instance_id=ctx.instance_id, comment_id=comment_id, source_url=ctx.source_url, checked_on=ctx.checked_on,
        commentable_type=empty_to_none(get("commentable_type")), commentable_id=empty_to_none(get("commentable_id")),
        body=clean_text(get("body")), created_at=parse_timestamp(get("created_at")),
        platform_version=ctx.platform_version,
    )


# ---------------------------------------------------------------- research extract (argrecsys, 2019)

def proposal_from_extract(get: Getter, header: list[str], ctx: SourceContext) -> Proposal:
    title = clean_text(get("title"))
    proposal_id = empty_to_none(get("id"))
    if proposal_id is None:
        raise ValueError("id: required value is empty")
    status = empty_to_none(get("status"))
    url_path = empty_to_none(get("url"))
    return Proposal(
        instance_id=ctx.instance_id, proposal_id=proposal_id, platform="consul", source_url=ctx.source_url,
        checked_on=ctx.checked_on, title=title, body=_join(clean_text(get("summary")), clean_text(get("text"))),
        state=proposal_state(None, status), state_raw=status, supports=parse_int(get("numSupports")),
        comments_count=parse_int(get("numComments")), published_at=parse_timestamp(get("date")),
        author_hash=pseudonym(ctx.instance_id, get("userId")),
        url=f"https://{ctx.instance_id}{url_path}" if url_path else None,
        platform_version=ctx.platform_version, quality_flag=junk_flag(title),
    )


def comment_from_extract(get: Getter, header: list[str], ctx: SourceContext) -> Comment:
    comment_id = empty_to_none(get("id"))
    if comment_id is None:
        raise ValueError("id: required value is empty")
    day = parse_timestamp(get("date"))
    created = _add_pandas_timedelta(day, get("time")) if day else None
    return Comment(
        instance_id=ctx.instance_id, comment_id=comment_id, source_url=ctx.source_url, checked_on=ctx.checked_on,
        commentable_type="Proposal", commentable_id=empty_to_none(get("proposalId")), body=clean_text(get("text")),
        created_at=created, author_hash=pseudonym(ctx.instance_id, get("userId")),
        platform_version=ctx.platform_version,
    )


def _add_pandas_timedelta(day: datetime, value: str | None) -> datetime:
    """``'0 days 10:50:19'`` (pandas' text form of a time of day) added to the date."""
    value = empty_to_none(value)
    if value is None:
        return day
    days_part, _, clock = value.partition(" days ")
    if not clock:
        raise ValueError(f"unrecognised time {value!r}")
    hours, minutes, seconds = (int(float(x)) for x in clock.split(":"))
    from datetime import timedelta

    return day + timedelta(days=int(days_part), hours=hours, minutes=minutes, seconds=seconds)


# ---------------------------------------------------------------- GraphQL nodes (snake_case or camelCase)

def field(node: Mapping[str, Any], snake: str) -> Any:
    """Read a field under its snake_case name (all versions) or camelCase name (1.5.0+)."""
    if snake in node:
        return node[snake]
    head, *rest = snake.split("_")
    return node.get(head + "".join(part.title() for part in rest))


def proposal_from_graphql(node: Mapping[str, Any], ctx: SourceContext) -> Proposal:
    title = clean_text(field(node, "title"))
    retired = field(node, "retired_at")
    author = field(node, "public_author") or {}
    geozone = field(node, "geozone") or {}
    return Proposal(
        instance_id=ctx.instance_id, proposal_id=str(node["id"]), platform="consul", source_url=ctx.source_url,
        checked_on=ctx.checked_on, title=title,
        body=_join(clean_text(field(node, "summary")), clean_html(field(node, "description"))),
        state=proposal_state(retired), state_raw=field(node, "retired_reason") or ("retired" if retired else None),
        supports=field(node, "cached_votes_up"), comments_count=field(node, "comments_count"),
        published_at=parse_timestamp(field(node, "public_created_at")),
        author_hash=pseudonym(ctx.instance_id, str(author.get("id")) if author.get("id") is not None else None),
        scope=(geozone.get("name") if isinstance(geozone, Mapping) else None) or _str_or_none(field(node, "geozone_id")),
        url=f"{ctx.source_url.rsplit('/graphql', 1)[0]}/proposals/{node['id']}",
        platform_version=ctx.platform_version, quality_flag=junk_flag(title),
    )


def comment_from_graphql(node: Mapping[str, Any], ctx: SourceContext) -> Comment:
    author = field(node, "public_author") or {}
    return Comment(
        instance_id=ctx.instance_id, comment_id=str(node["id"]), source_url=ctx.source_url, checked_on=ctx.checked_on,
        commentable_type=field(node, "commentable_type"), commentable_id=_str_or_none(field(node, "commentable_id")),
        body=clean_text(field(node, "body")), created_at=parse_timestamp(field(node, "public_created_at")),
        author_hash=pseudonym(ctx.instance_id, str(author.get("id")) if author.get("id") is not None else None),
        platform_version=ctx.platform_version,
    )


def budget_from_graphql(node: Mapping[str, Any], ctx: SourceContext) -> Budget:
    return Budget(instance_id=ctx.instance_id, budget_id=str(node["id"]), source_url=ctx.source_url,
                  checked_on=ctx.checked_on, title=clean_text(field(node, "name")),
                  platform_version=ctx.platform_version)


def investment_from_graphql(node: Mapping[str, Any], ctx: SourceContext, budget_id: str | None) -> BudgetProject:
    """Consul 2.2.1 investments: price and feasibility only; no votes and no winner flag in the API."""
    price = field(node, "price")
    return BudgetProject(
        instance_id=ctx.instance_id, project_id=str(node["id"]), source_url=ctx.source_url, checked_on=ctx.checked_on,
        budget_id=budget_id, title=clean_text(field(node, "title")), cost=None if price is None else float(price),
        platform_version=ctx.platform_version,
    )


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)
