"""Recognise which export a CSV is from its header, and which mapping turns its rows into records.

Detection reads column names only (never positions), because Decidim writes the union of keys in
first-seen order and Madrid's dump drifted over the years. Adding a format = one ``ExportKind``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from observatory.participation import consul_map, decidim_map
from observatory.participation.context import SourceContext
from observatory.participation.records import Record

Getter = Callable[[str], str | None]
RowMapper = Callable[[Getter, list[str], SourceContext], list[Record]]


@dataclass(frozen=True)
class ExportKind:
    name: str                      # e.g. 'decidim/projects'
    platform: str                  # 'decidim' | 'consul'
    matches: Callable[[set[str]], bool]
    to_records: RowMapper
    version_hint: Callable[[set[str]], str | None] = lambda _h: None


def _has_prefix(header: set[str], prefix: str) -> bool:
    return any(h == prefix or h.startswith(prefix + "/") for h in header)


def _decidim_proposals(get: Getter, header: list[str], ctx: SourceContext) -> list[Record]:
    return [decidim_map.proposal_from_csv(get, header, ctx)]


def _decidim_projects(get: Getter, header: list[str], ctx: SourceContext) -> list[Record]:
    records: list[Record] = [decidim_map.project_from_csv(get, header, ctx)]
    for extra in (decidim_map.space_from_csv(get, ctx), decidim_map.budget_from_project_csv(get, ctx)):
        if extra is not None:
            records.append(extra)
    return records


def _decidim_comments(get: Getter, header: list[str], ctx: SourceContext) -> list[Record]:
    return [decidim_map.comment_from_csv(get, header, ctx)]


def _decidim_meetings(get: Getter, header: list[str], ctx: SourceContext) -> list[Record]:
    return [decidim_map.meeting_from_csv(get, header, ctx)]


def _decidim_results(get: Getter, header: list[str], ctx: SourceContext) -> list[Record]:
    return [decidim_map.result_from_csv(get, header, ctx)]


def _consul_dump_proposals(get: Getter, header: list[str], ctx: SourceContext) -> list[Record]:
    return [consul_map.proposal_from_dump(get, header, ctx)]


def _consul_dump_comments(get: Getter, header: list[str], ctx: SourceContext) -> list[Record]:
    return [consul_map.comment_from_dump(get, header, ctx)]


def _consul_extract_proposals(get: Getter, header: list[str], ctx: SourceContext) -> list[Record]:
    return [consul_map.proposal_from_extract(get, header, ctx)]


def _consul_extract_comments(get: Getter, header: list[str], ctx: SourceContext) -> list[Record]:
    return [consul_map.comment_from_extract(get, header, ctx)]


def _decidim_proposal_version(header: set[str]) -> str | None:
    if "withdrawn" in header and "votes" in header:
        return "0.29+ (inferred from columns)"
    if "supports" in header:
        return "0.27.9-0.28 (inferred from columns)" if "author/id" in header else "0.26-0.27 (inferred from columns)"
    if "votes" in header and "title" in header:
        return "<0.20 (inferred from columns)"
    return None


KINDS: tuple[ExportKind, ...] = (
    ExportKind("decidim/projects", "decidim", lambda h: "budget_amount" in h and "id" in h, _decidim_projects,
               lambda h: "0.26-0.28 (inferred from columns)" if "selected" not in h else None),
    ExportKind("decidim/comments", "decidim",
               lambda h: {"commentable_type", "body"} <= h and ("depth" in h or "alignment" in h), _decidim_comments),
    ExportKind("decidim/meetings", "decidim", lambda h: {"id", "start_time", "end_time"} <= h, _decidim_meetings),
    ExportKind("decidim/results", "decidim", lambda h: {"id", "progress"} <= h and _has_prefix(h, "title"),
               _decidim_results),
    ExportKind("decidim/proposals", "decidim",
               lambda h: "id" in h and ("supports" in h or "votes" in h) and _has_prefix(h, "title") and _has_prefix(h, "body"),
               _decidim_proposals, _decidim_proposal_version),
    ExportKind("consul/proposals", "consul", lambda h: {"id", "title", "cached_votes_up", "created_at"} <= h,
               _consul_dump_proposals),
    ExportKind("consul/comments", "consul", lambda h: {"id", "commentable_id", "commentable_type", "body"} <= h,
               _consul_dump_comments),
    ExportKind("consul/research-extract-proposals", "consul", lambda h: {"id", "title", "numSupports", "date"} <= h,
               _consul_extract_proposals),
    ExportKind("consul/research-extract-comments", "consul", lambda h: {"id", "proposalId", "text", "date"} <= h,
               _consul_extract_comments),
)

# Exports we recognise but do not store (no table for them yet): say so instead of guessing.
KNOWN_UNSTORED: tuple[tuple[str, Callable[[set[str]], bool]], ...] = (
    ("decidim/debates", lambda h: _has_prefix(h, "description") and "comments" in h and "budget_amount" not in h),
)


def detect(header: list[str], platform: str | None = None) -> ExportKind | str | None:
    """The matching kind, the name of a recognised-but-unstored export, or ``None``."""
    columns = {c for c in header if c}
    for kind in KINDS:
        if (platform is None or kind.platform == platform) and kind.matches(columns):
            return kind
    for name, matches in KNOWN_UNSTORED:
        if (platform is None or name.startswith(platform)) and matches(columns):
            return name
    return None


_OPEN_DATA_NAME = re.compile(r"^(?P<host>[a-z0-9.-]+\.[a-z]{2,})-open-data-(?P<export>[a-z_]+)\.csv$", re.IGNORECASE)


def host_from_file_name(name: str) -> str | None:
    """``www.decidim.barcelona-open-data-projects.csv`` → ``www.decidim.barcelona``."""
    m = _OPEN_DATA_NAME.match(name.rsplit("/", 1)[-1])
    return m.group("host").lower() if m else None
