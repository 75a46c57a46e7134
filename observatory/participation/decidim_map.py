"""Decidim rows → participation records, for the open-data CSVs and for GraphQL nodes alike.

CSV columns vary by version (``supports`` became ``votes`` in 0.29, multilingual fields are split in
``title/<locale>`` columns, 2019 exports have plain ``title``); GraphQL nodes use camelCase and
``TranslatedField`` objects. Both paths meet in the same normalisers so the stored rows agree.
See the shared FORMAT.md of the Decidim data for the version table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from observatory.participation.context import SourceContext
from observatory.participation.records import Budget, BudgetProject, Comment, Meeting, Proposal, Result, Space
from observatory.participation.text import (
    empty_to_none,
    junk_flag,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_timestamp,
    plain_text,
    pseudonym,
    rich_text_to_text,
    unguard,
)

KNOWN_STATES = {"accepted", "rejected", "evaluating", "withdrawn", "not_answered", "published"}

Getter = Callable[[str], str | None]


def normalise_state(state_raw: str | None, withdrawn: bool | None = None) -> str:
    """One vocabulary across versions: unanswered → ``published``; 0.29+ ``withdrawn`` flag wins."""
    if withdrawn:
        return "withdrawn"
    state = (state_raw or "").strip().lower()
    if not state:
        return "published"
    return state if state in KNOWN_STATES else f"custom:{state}"


def space_id_from(space_type: str | None, space_number: str | None) -> str | None:
    """``ParticipatoryProcess/12`` style ids, as documented in 0002."""
    if not space_number:
        return None
    kind = (space_type or "ParticipatoryProcess").split("::")[-1]
    return f"{kind}/{space_number}"


def slug_from_url(url: str | None) -> str | None:
    """Slug of a space from its URL (``.../processes/<slug>?...``)."""
    if not url or "/processes/" not in url and "/assemblies/" not in url:
        return None
    tail = url.split("/processes/" if "/processes/" in url else "/assemblies/", 1)[1]
    return tail.split("?", 1)[0].split("/", 1)[0] or None


def translated(get: Getter, header: list[str], base: str) -> str | None:
    """First non-empty value of ``base`` or ``base/<locale>`` columns, in header order (original language first)."""
    plain = get(base)
    if plain and plain.strip():
        return plain
    prefix = base + "/"
    for column in header:
        if column.startswith(prefix) and "/machine_translations" not in column and column.count("/") == base.count("/") + 1:
            value = get(column)
            if value and value.strip():
                return value
    return None


def clean_text(value: str | None) -> str | None:
    """A plain-text field (title, name, comment): as served, minus Decidim's formula guard."""
    return empty_to_none(plain_text(unguard(value)))


def clean_body(value: str | None) -> str | None:
    """A proposal body: HTML in some Decidim versions (0.27.2), plain text in others (see FORMAT.md §3.4)."""
    return empty_to_none(rich_text_to_text(unguard(value)))


# ---------------------------------------------------------------- CSV (open-data export)

def proposal_from_csv(get: Getter, header: list[str], ctx: SourceContext) -> Proposal:
    supports_column = "supports" if "supports" in header else "votes"
    withdrawn = parse_bool(get("withdrawn")) if "withdrawn" in header else None
    state_raw = empty_to_none(get("state"))
    title = clean_text(translated(get, header, "title"))
    space = space_id_from(None, empty_to_none(get("participatory_space/id")))
    return Proposal(
        instance_id=ctx.instance_id, proposal_id=_required(get, "id"), platform="decidim",
        source_url=ctx.source_url, checked_on=ctx.checked_on, space_id=space,
        component_id=empty_to_none(get("component/id")), title=title,
        body=clean_body(translated(get, header, "body")),
        state=normalise_state(state_raw, withdrawn), state_raw=state_raw,
        supports=parse_int(get(supports_column)), comments_count=parse_int(get("comments")),
        published_at=parse_timestamp(get("published_at") or get("created_at")),
        author_hash=pseudonym(ctx.instance_id, get("author/id")),
        category=clean_text(translated(get, header, "category/name")),
        scope=clean_text(translated(get, header, "scope/name")),
        url=empty_to_none(get("url")), platform_version=ctx.platform_version, quality_flag=junk_flag(title),
    )


def project_from_csv(get: Getter, header: list[str], ctx: SourceContext) -> BudgetProject:
    return BudgetProject(
        instance_id=ctx.instance_id, project_id=_required(get, "id"), source_url=ctx.source_url,
        checked_on=ctx.checked_on, budget_id=empty_to_none(get("budget/id")),
        title=clean_text(translated(get, header, "title")), cost=parse_float(get("budget_amount")),
        supports=parse_int(get("confirmed_votes")),
        selected=parse_bool(get("selected")) if "selected" in header else None,
        scope=clean_text(translated(get, header, "scope/name")),
        category=clean_text(translated(get, header, "category/name")), platform_version=ctx.platform_version,
    )


def budget_from_project_csv(get: Getter, ctx: SourceContext) -> Budget | None:
    """The projects export names its budget only by id; total and title need the API."""
    budget_id = empty_to_none(get("budget/id"))
    if budget_id is None:
        return None
    return Budget(instance_id=ctx.instance_id, budget_id=budget_id, source_url=ctx.source_url,
                  checked_on=ctx.checked_on, space_id=space_id_from(None, empty_to_none(get("participatory_space/id"))),
                  currency="EUR" if ctx.instance_id.endswith(".barcelona") else None,
                  platform_version=ctx.platform_version)


def space_from_csv(get: Getter, ctx: SourceContext) -> Space | None:
    number = empty_to_none(get("participatory_space/id"))
    if number is None:
        return None
    url = empty_to_none(get("participatory_space/url"))
    return Space(instance_id=ctx.instance_id, space_id=space_id_from(None, number) or number,
                 source_url=ctx.source_url, checked_on=ctx.checked_on, space_type="ParticipatoryProcess",
                 slug=slug_from_url(url), platform_version=ctx.platform_version)


def comment_from_csv(get: Getter, header: list[str], ctx: SourceContext) -> Comment:
    return Comment(
        instance_id=ctx.instance_id, comment_id=_required(get, "id"), source_url=ctx.source_url,
        checked_on=ctx.checked_on, commentable_type=_short_type(get("commentable_type")),
        commentable_id=empty_to_none(get("commentable_id")), body=clean_text(get("body")),
        created_at=parse_timestamp(get("created_at")), author_hash=pseudonym(ctx.instance_id, get("author/id")),
        platform_version=ctx.platform_version,
    )


def meeting_from_csv(get: Getter, header: list[str], ctx: SourceContext) -> Meeting:
    return Meeting(
        instance_id=ctx.instance_id, meeting_id=_required(get, "id"), source_url=ctx.source_url,
        checked_on=ctx.checked_on, space_id=space_id_from(None, empty_to_none(get("participatory_space/id"))),
        title=clean_text(translated(get, header, "title")), start_time=parse_timestamp(get("start_time")),
        end_time=parse_timestamp(get("end_time")), attendees_count=parse_int(get("attendees")),
        platform_version=ctx.platform_version,
    )


def result_from_csv(get: Getter, header: list[str], ctx: SourceContext) -> Result:
    return Result(
        instance_id=ctx.instance_id, result_id=_required(get, "id"), source_url=ctx.source_url,
        checked_on=ctx.checked_on, space_id=space_id_from(None, empty_to_none(get("participatory_space/id"))),
        title=clean_text(translated(get, header, "title")), progress=parse_float(get("progress")),
        status=clean_text(translated(get, header, "status/name")), start_date=parse_date(get("start_date")),
        end_date=parse_date(get("end_date")), platform_version=ctx.platform_version,
    )


# ---------------------------------------------------------------- GraphQL nodes (live API)

def text_of(field: Any) -> str | None:
    """A ``TranslatedField`` asked as ``{ translation(locale:) }`` or ``{ translations { text } }``, or a plain string."""
    if field is None or isinstance(field, str):
        return field
    if isinstance(field, Mapping):
        if field.get("translation"):
            return str(field["translation"])
        for item in field.get("translations") or []:
            if item.get("text"):
                return str(item["text"])
    return None


def proposal_from_graphql(node: Mapping[str, Any], ctx: SourceContext, space_id: str | None,
                          component_id: str | None) -> Proposal:
    title = clean_text(text_of(node.get("title")))
    state_raw = node.get("state")
    author = node.get("author") or {}
    return Proposal(
        instance_id=ctx.instance_id, proposal_id=str(node["id"]), platform="decidim", source_url=ctx.source_url,
        checked_on=ctx.checked_on, space_id=space_id, component_id=component_id, title=title,
        body=clean_body(text_of(node.get("body"))), state=normalise_state(state_raw, node.get("withdrawn")),
        state_raw=state_raw, supports=node.get("voteCount"), comments_count=node.get("totalCommentsCount"),
        published_at=parse_timestamp(node.get("publishedAt") or node.get("createdAt")),
        author_hash=pseudonym(ctx.instance_id, author.get("id") if isinstance(author, Mapping) else None),
        url=node.get("url"), platform_version=ctx.platform_version, quality_flag=junk_flag(title),
    )


def budget_from_graphql(node: Mapping[str, Any], ctx: SourceContext, space_id: str | None) -> Budget:
    return Budget(instance_id=ctx.instance_id, budget_id=str(node["id"]), source_url=ctx.source_url,
                  checked_on=ctx.checked_on, space_id=space_id, title=clean_text(text_of(node.get("title"))),
                  total_budget=_float_or_none(node.get("total_budget")), platform_version=ctx.platform_version)


def project_from_graphql(node: Mapping[str, Any], ctx: SourceContext, budget_id: str) -> BudgetProject:
    return BudgetProject(
        instance_id=ctx.instance_id, project_id=str(node["id"]), source_url=ctx.source_url,
        checked_on=ctx.checked_on, budget_id=budget_id, title=clean_text(text_of(node.get("title"))),
        cost=_float_or_none(node.get("budget_amount")), supports=node.get("confirmedVotes"),
        selected=node.get("selected"), platform_version=ctx.platform_version,
    )


def result_from_graphql(node: Mapping[str, Any], ctx: SourceContext, space_id: str | None) -> Result:
    status = node.get("status") or {}
    return Result(
        instance_id=ctx.instance_id, result_id=str(node["id"]), source_url=ctx.source_url,
        checked_on=ctx.checked_on, space_id=space_id, title=clean_text(text_of(node.get("title"))),
        progress=_float_or_none(node.get("progress")),
        status=clean_text(text_of(status.get("name"))) if isinstance(status, Mapping) else None,
        start_date=parse_date(node.get("startDate")), end_date=parse_date(node.get("endDate")),
        platform_version=ctx.platform_version,
    )


def meeting_from_graphql(node: Mapping[str, Any], ctx: SourceContext, space_id: str | None) -> Meeting:
    return Meeting(
        instance_id=ctx.instance_id, meeting_id=str(node["id"]), source_url=ctx.source_url,
        checked_on=ctx.checked_on, space_id=space_id, title=clean_text(text_of(node.get("title"))),
        start_time=parse_timestamp(node.get("startTime")), end_time=parse_timestamp(node.get("endTime")),
        attendees_count=node.get("attendeeCount"), platform_version=ctx.platform_version,
    )


def space_from_graphql(node: Mapping[str, Any], ctx: SourceContext, space_type: str) -> Space:
    return Space(
        instance_id=ctx.instance_id, space_id=space_id_from(space_type, str(node["id"])) or str(node["id"]),
        source_url=ctx.source_url, checked_on=ctx.checked_on, space_type=space_type,
        title=clean_text(text_of(node.get("title"))), slug=node.get("slug"),
        start_date=parse_date(node.get("startDate")), end_date=parse_date(node.get("endDate")),
        platform_version=ctx.platform_version,
    )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _short_type(value: str | None) -> str | None:
    """``Decidim::Meetings::Meeting`` → ``Meeting``; replies keep ``Comment``."""
    value = empty_to_none(value)
    return value.split("::")[-1] if value else None


def _required(get: Getter, name: str) -> str:
    value = empty_to_none(get(name))
    if value is None:
        raise ValueError(f"{name}: required value is empty")
    return value
