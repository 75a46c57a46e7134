"""One dataclass per participation table of migration 0002 (+0005): the shared mapping target.

Importers and collectors build these; :func:`observatory.participation.load.write_records` stores
them. Field names equal column names, so a test can check the two never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import ClassVar


@dataclass(frozen=True)
class Instance:
    TABLE: ClassVar[str] = "instances"
    KEY: ClassVar[tuple[str, ...]] = ("instance_id",)
    instance_id: str
    platform: str
    base_url: str
    source_url: str
    checked_on: date
    name: str | None = None
    platform_version: str | None = None


@dataclass(frozen=True)
class Space:
    TABLE: ClassVar[str] = "participation_spaces"
    KEY: ClassVar[tuple[str, ...]] = ("instance_id", "space_id")
    instance_id: str
    space_id: str
    source_url: str
    checked_on: date
    space_type: str | None = None
    title: str | None = None
    slug: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    platform_version: str | None = None


@dataclass(frozen=True)
class Proposal:
    TABLE: ClassVar[str] = "proposals"
    KEY: ClassVar[tuple[str, ...]] = ("instance_id", "proposal_id")
    instance_id: str
    proposal_id: str
    platform: str
    source_url: str
    checked_on: date
    space_id: str | None = None
    component_id: str | None = None
    title: str | None = None
    body: str | None = None
    state: str | None = None
    state_raw: str | None = None
    supports: int | None = None
    comments_count: int | None = None
    published_at: datetime | None = None
    author_hash: str | None = None
    category: str | None = None
    scope: str | None = None
    url: str | None = None
    platform_version: str | None = None
    quality_flag: str | None = None


@dataclass(frozen=True)
class Budget:
    TABLE: ClassVar[str] = "budgets"
    KEY: ClassVar[tuple[str, ...]] = ("instance_id", "budget_id")
    instance_id: str
    budget_id: str
    source_url: str
    checked_on: date
    space_id: str | None = None
    title: str | None = None
    total_budget: float | None = None
    currency: str | None = None
    platform_version: str | None = None


@dataclass(frozen=True)
class BudgetProject:
    TABLE: ClassVar[str] = "budget_projects"
    KEY: ClassVar[tuple[str, ...]] = ("instance_id", "project_id")
    instance_id: str
    project_id: str
    source_url: str
    checked_on: date
    budget_id: str | None = None
    title: str | None = None
    cost: float | None = None
    supports: int | None = None
    selected: bool | None = None
    scope: str | None = None
    category: str | None = None
    platform_version: str | None = None


@dataclass(frozen=True)
class Result:
    TABLE: ClassVar[str] = "results"
    KEY: ClassVar[tuple[str, ...]] = ("instance_id", "result_id")
    instance_id: str
    result_id: str
    source_url: str
    checked_on: date
    space_id: str | None = None
    title: str | None = None
    progress: float | None = None
    status: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    platform_version: str | None = None


@dataclass(frozen=True)
class Meeting:
    TABLE: ClassVar[str] = "meetings"
    KEY: ClassVar[tuple[str, ...]] = ("instance_id", "meeting_id")
    instance_id: str
    meeting_id: str
    source_url: str
    checked_on: date
    space_id: str | None = None
    title: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    attendees_count: int | None = None
    platform_version: str | None = None


@dataclass(frozen=True)
class Comment:
    TABLE: ClassVar[str] = "comments"
    KEY: ClassVar[tuple[str, ...]] = ("instance_id", "comment_id")
    instance_id: str
    comment_id: str
    source_url: str
    checked_on: date
    commentable_type: str | None = None
    commentable_id: str | None = None
    body: str | None = None
    created_at: datetime | None = None
    author_hash: str | None = None
    platform_version: str | None = None


Record = Instance | Space | Proposal | Budget | BudgetProject | Result | Meeting | Comment
RECORD_TYPES: tuple[type, ...] = (Instance, Space, Proposal, Budget, BudgetProject, Result, Meeting, Comment)


def column_names(record_type: type) -> list[str]:
    return [f.name for f in fields(record_type)]
