"""Checks that frictionless cannot make on its own: SPDX ids, ISO countries, URLs, dates,
references across packages, and agreement between each package and the DDL.

Each check returns :class:`observatory.datapackage.Issue` objects so that every message names the
file, the row (CSV header = row 1, as frictionless counts) and the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pycountry
from license_expression import ExpressionError, get_spdx_licensing

from observatory import checks_choice
from observatory.deployment_rules import level_problem, url_kind_problem

if TYPE_CHECKING:
    from observatory.datapackage import DataPackage, Issue, Resource

COUNTRY_FIELDS = {"country", "origin_country"}
SPDX_FIELDS = {"spdx_id", "licence_spdx", "from_spdx", "to_spdx"}
DATE_FIELDS = {"checked_on", "date", "first_seen", "last_seen", "removed_on", "status_checked_on", "corrected_on",
               "audited_on"}


def _issue(resource: Resource, row: int | None, fld: str | None, message: str) -> Issue:
    from observatory.datapackage import Issue

    return Issue(resource.display_path, row, fld, message)


@cache
def _licensing():  # noqa: ANN202 - library object
    return get_spdx_licensing()


def spdx_problem(expression: str) -> str | None:
    """None when ``expression`` is a valid SPDX expression of known ids (LicenseRef-* allowed)."""
    try:
        info = _licensing().validate(expression, strict=True)
    except ExpressionError as exc:
        return f"invalid SPDX expression {expression!r}: {exc}"
    except AttributeError:  # license-expression raises this on some syntax errors (e.g. a dangling AND)
        return f"invalid SPDX expression {expression!r}"
    unknown = [k for k in info.invalid_symbols if not str(k).startswith("LicenseRef-")]
    if info.errors and not unknown:
        bad = [e for e in info.errors if "LicenseRef-" not in e]
        if bad:
            return f"invalid SPDX expression {expression!r}: {'; '.join(bad)}"
    if unknown:
        return f"unknown SPDX licence id(s) {', '.join(map(str, unknown))} in {expression!r}"
    canonical = info.normalized_expression or expression
    if _tokens(canonical) != _tokens(expression):
        return f"write the SPDX expression in its canonical form {canonical!r}, not {expression!r}"
    return None


def _tokens(expression: str) -> list[str]:
    return expression.replace("(", " ").replace(")", " ").split()


def spdx_keys(expression: str) -> list[str]:
    return [str(k) for k in _licensing().license_keys(_licensing().parse(expression))]


def country_problem(code: str) -> str | None:
    if len(code) != 2 or not code.isupper() or pycountry.countries.get(alpha_2=code) is None:
        return f"{code!r} is not an ISO 3166-1 alpha-2 country code"
    return None


def url_problem(value: str) -> str | None:
    parsed = urlparse(value)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc or " " in value:
        return f"{value!r} is not an absolute http(s) URL"
    return None


def date_problem(value: str, today: dt.date) -> str | None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not an ISO date (YYYY-MM-DD)"
    if day > today:
        return f"{value} is in the future"
    return None


def _cell_checks(today: dt.date) -> list[tuple[Callable[[str], bool], Callable[[str], str | None]]]:
    return [
        (lambda f: f in COUNTRY_FIELDS, country_problem),
        (lambda f: f in SPDX_FIELDS, spdx_problem),
        (lambda f: f.endswith("url") or f == "homepage", url_problem),
        (lambda f: f in DATE_FIELDS, lambda v: date_problem(v, today)),
        *((lambda f, name=name: f == name, rule) for name, rule in checks_choice.CELL_RULES.items()),
    ]


def cell_problem(fld: str, value: str, today: dt.date) -> str | None:
    """The first problem the shared cell checks find in one value of ``fld`` (e.g. a corrected value)."""
    for match, check in _cell_checks(today):
        if match(fld):
            problem = check(value)
            if problem:
                return problem
    return None


def check_cells(resource: Resource, today: dt.date) -> Iterator[Issue]:
    header, rows = resource.read_rows()
    rules = [(fld, check) for fld in header for match, check in _cell_checks(today) if match(fld)]
    for index, row in enumerate(rows, start=2):
        for fld, check in rules:
            value = (row.get(fld) or "").strip()
            if value:
                problem = check(value)
                if problem:
                    yield _issue(resource, index, fld, problem)


def check_columns(resource: Resource, table_columns: dict[str, list[str]]) -> Iterator[Issue]:
    """The CSV header, the Table Schema and the DDL must agree, so types are written once, checked twice."""
    header, _ = resource.read_rows()
    if resource.name not in table_columns:
        yield _issue(resource, None, None, f"resource {resource.name!r} has no table of that name in the schema")
        return
    ddl = set(table_columns[resource.name])
    for col in header:
        if col not in ddl:
            yield _issue(resource, 1, col, f"column not in table {resource.name!r} (columns: {', '.join(sorted(ddl))})")
    schema_fields = [f.get("name") for f in resource.schema.get("fields", [])]
    if schema_fields and schema_fields != header:
        yield _issue(resource, 1, None, f"CSV header {header} differs from the Table Schema fields {schema_fields}")


def _resource_index(packages: list[DataPackage]) -> dict[tuple[str, str], Resource]:
    return {(p.path.resolve().as_posix(), r.name): r for p in packages for r in p.resources}


def check_references(packages: list[DataPackage]) -> Iterator[Issue]:
    """``x-foreignKeys`` may point into another package (``"package": "../catalogue"``)."""
    index = _resource_index(packages)
    for package in packages:
        for resource in package.resources:
            for fk in resource.schema.get("x-foreignKeys", []):
                ref = fk.get("reference", {})
                target_pkg = (package.path / ref.get("package", ".")).resolve().as_posix()
                target = index.get((target_pkg, ref.get("resource", "")))
                fields = fk.get("fields")
                ref_fields = ref.get("fields")
                if target is None:
                    yield _issue(resource, None, str(fields), f"foreign key target {ref} not found")
                    continue
                _, target_rows = target.read_rows()
                keys = {r.get(ref_fields) for r in target_rows}
                _, rows = resource.read_rows()
                for index_row, row in enumerate(rows, start=2):
                    value = row.get(fields)
                    if value and value not in keys:
                        yield _issue(resource, index_row, fields,
                                     f"{value!r} not found in {target.display_path} field {ref_fields!r}")


def check_licence_keys(packages: list[DataPackage]) -> Iterator[Issue]:
    """Every licence id used in an SPDX expression must be described in ``licences``."""
    licences = [r for p in packages for r in p.resources if r.name == "licences"]
    known = {row["spdx_id"] for res in licences for row in res.read_rows()[1]}
    for package in packages:
        for resource in package.resources:
            if resource.name not in {"tools", "licence_events"}:
                continue
            _, rows = resource.read_rows()
            for index, row in enumerate(rows, start=2):
                for fld in ("licence_spdx", "from_spdx", "to_spdx"):
                    value = (row.get(fld) or "").strip()
                    if not value or spdx_problem(value):
                        continue
                    for key in spdx_keys(value):
                        if key not in known:
                            yield _issue(resource, index, fld, f"licence {key!r} has no row in licences")


def check_unique_across_packages(packages: list[DataPackage]) -> Iterator[Issue]:
    """Tables fed by several packages (e.g. ``sources``) must not repeat a primary key."""
    seen: dict[tuple[str, tuple[str, ...]], str] = {}
    for package in packages:
        for resource in package.resources:
            pk = resource.schema.get("primaryKey")
            if not pk:
                continue
            pk = [pk] if isinstance(pk, str) else list(pk)
            _, rows = resource.read_rows()
            for index, row in enumerate(rows, start=2):
                key = (resource.name, tuple(row.get(k, "") for k in pk))
                where = f"{resource.display_path}:{index}"
                if key in seen and not seen[key].startswith(resource.display_path + ":"):
                    yield _issue(resource, index, ",".join(pk), f"duplicate key {key[1]} (also at {seen[key]})")
                seen.setdefault(key, where)


def check_deployments(packages: list[DataPackage]) -> Iterator[Issue]:
    """Every deployment URL is an installation or flagged as what it is, and types agree with the name's level.

    A proposal page, blog post, archive-only link or fork must say so in ``url_kind`` (when the column exists), and
    an organisation whose name fixes its level ("Assemblée Nationale", "Département", "Ministry") must carry a
    type of that level. Rules and vocabulary: :mod:`observatory.deployment_rules`.
    """
    for package in packages:
        for resource in package.resources:
            if resource.name != "deployments":
                continue
            header, rows = resource.read_rows()
            for index, row in enumerate(rows, start=2):
                if "url_kind" in header:
                    problem = url_kind_problem(row.get("url") or "", (row.get("url_kind") or "").strip())
                    if problem:
                        yield _issue(resource, index, "url_kind", problem)
                organisation_type = (row.get("organisation_type") or "").strip()
                if organisation_type:
                    problem = level_problem(row.get("organisation") or "", organisation_type)
                    if problem:
                        yield _issue(resource, index, "organisation_type", problem)


def run_all(packages: list[DataPackage], table_columns: dict[str, list[str]], today: dt.date | None = None) -> list[Issue]:
    today = today or dt.date.today()
    issues: list[Issue] = []
    for package in packages:
        for resource in package.resources:
            if not resource.path.exists():
                issues.append(_issue(resource, None, None, "file not found"))
                continue
            issues.extend(check_columns(resource, table_columns))
            issues.extend(check_cells(resource, today))
    issues.extend(check_references(packages))
    issues.extend(check_licence_keys(packages))
    issues.extend(check_unique_across_packages(packages))
    issues.extend(checks_choice.run(packages))
    issues.extend(check_deployments(packages))
    return issues
