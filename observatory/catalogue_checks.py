"""Checks on the catalogue's meaning that a Table Schema cannot express, run on the rows as corrected.

- a tool's ``status`` is in the vocabulary and, when set, carries its evidence URL and the date it was checked;
- ``open_source`` agrees with the licence families of ``licence_spdx`` (an open-source tool needs at least one
  licence of a free family, a proprietary one none), and an open-source row cites its licence evidence and the
  commit it read when it names a repository;
- every feature claim and licence event cites a source;
- a licence-event ``conflict`` id groups at least two declarations of the same tool.

Why here: these facts decide a city's choice (the chooser scores status and licence), so a row that breaks them
must stop ``validate`` and ``build``, including when a correction introduced the break.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from observatory import checks, corrections

if TYPE_CHECKING:
    from observatory.datapackage import DataPackage, Issue, Resource

STATUSES = ("active", "maintained", "inactive", "archived", "historical")
NOT_FREE_FAMILIES = frozenset({"proprietary", "source_available"})
TRUE, FALSE = "true", "false"


def _issue(resource: Resource, row: int | None, fld: str | None, message: str) -> Issue:
    from observatory.datapackage import Issue

    return Issue(resource.display_path, row, fld, message)


def _resources(packages: list[DataPackage], name: str) -> list[Resource]:
    return [r for p in packages for r in p.resources if r.name == name and r.path.exists()]


def _families(packages: list[DataPackage]) -> dict[str, str]:
    return {row["spdx_id"]: row.get("family", "") for res in _resources(packages, "licences")
            for row in res.read_rows()[1]}


def check_tools(packages: list[DataPackage]) -> Iterator[Issue]:
    families = _families(packages)
    for resource in _resources(packages, "tools"):
        header = resource.read_rows()[0]
        for line, row in enumerate(corrections.corrected_rows(packages, resource), start=2):
            yield from _status_issues(resource, line, row)
            if "open_source" in header:
                yield from _openness_issues(resource, line, row, families)


def _status_issues(resource: Resource, line: int, row: dict[str, str]) -> Iterator[Issue]:
    status = (row.get("status") or "").strip()
    if not status:
        return
    if status not in STATUSES:
        yield _issue(resource, line, "status", f"{status!r} is not a status ({', '.join(STATUSES)})")
    for fld in ("status_evidence_url", "status_checked_on"):
        if fld in row and not (row.get(fld) or "").strip():
            yield _issue(resource, line, fld, f"status {status!r} needs {fld} (where and when it was read)")


def _openness_issues(resource: Resource, line: int, row: dict[str, str], families: dict[str, str]) -> Iterator[Issue]:
    openness = (row.get("open_source") or "").strip().lower()
    if openness not in {TRUE, FALSE}:
        yield _issue(resource, line, "open_source", "must be true or false")
        return
    expression = (row.get("licence_spdx") or "").strip()
    if not expression or checks.spdx_problem(expression):
        return  # reported by the cell checks
    kinds = {families.get(key, "") for key in checks.spdx_keys(expression)}
    free = {k for k in kinds if k and k not in NOT_FREE_FAMILIES}
    if openness == TRUE and not free:
        yield _issue(resource, line, "open_source", f"open_source is true but {expression!r} has no free licence "
                                                     f"(families: {', '.join(sorted(kinds))})")
    if openness == FALSE and free:
        yield _issue(resource, line, "open_source", f"open_source is false but {expression!r} includes a free "
                                                     f"licence ({', '.join(sorted(free))})")
    if openness == TRUE:
        if not (row.get("licence_evidence_url") or "").strip():
            yield _issue(resource, line, "licence_evidence_url", "an open-source tool must cite where its licence is stated")
        if (row.get("repo_url") or "").strip() and not (row.get("source_commit") or "").strip():
            yield _issue(resource, line, "source_commit", "a row read from a repository must pin the commit it read")


CITATION_FIELDS = ("evidence_url", "source_url")


def check_evidence(packages: list[DataPackage]) -> Iterator[Issue]:
    """A citation field a package makes required stays filled once corrections are applied (frictionless only
    sees the file as shipped). The tables and fields come from the packages' own schemas."""
    for package in packages:
        for resource in package.resources:
            required = {f["name"] for f in resource.schema.get("fields", []) if f.get("constraints", {}).get("required")}
            fields = [f for f in CITATION_FIELDS if f in required]
            if not fields or not resource.path.exists():
                continue
            for line, row in enumerate(corrections.corrected_rows(packages, resource), start=2):
                for fld in fields:
                    if fld in row and not (row.get(fld) or "").strip():
                        yield _issue(resource, line, fld, "every claim must cite its source")


def check_conflicts(packages: list[DataPackage]) -> Iterator[Issue]:
    for resource in _resources(packages, "licence_events"):
        groups: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
        for line, row in enumerate(resource.read_rows()[1], start=2):
            conflict = (row.get("conflict") or "").strip()
            if conflict:
                groups[conflict].append((line, row))
        for conflict, members in groups.items():
            tools = {row["tool_id"] for _, row in members}
            line = members[0][0]
            if len(members) < 2:
                yield _issue(resource, line, "conflict", f"conflict {conflict!r} has one declaration; a conflict "
                                                         "needs every disagreeing declaration as its own row")
            elif len(tools) > 1:
                yield _issue(resource, line, "conflict", f"conflict {conflict!r} mixes tools {sorted(tools)}")
            elif len({row["to_spdx"] for _, row in members}) < 2:
                yield _issue(resource, line, "conflict", f"the declarations of conflict {conflict!r} all say the "
                                                         "same licence; drop the conflict id")


def run_all(packages: list[DataPackage]) -> list[Issue]:
    return [*check_tools(packages), *check_evidence(packages), *check_conflicts(packages)]
