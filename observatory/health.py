"""Software-health metrics of one repository from its commits and tags (CHAOSS definitions).

Pure functions of the facts read by :mod:`observatory.gitlog` and a reference date (the date the
repository was read), so the collector, the dataset compiler and the tests compute the same numbers.
Every threshold is a constant here and is documented in docs/health.md; the dashboard shows them.
Counts use non-merge commits dated by their commit date (when the change landed on the branch).
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from observatory.gitlog import Commit, Tag

WINDOW_FACTORS_DAYS = 730          # bus / elephant factor: last 24 months
WINDOW_CADENCE_DAYS = 3 * 365      # release cadence: last 3 years
STOPPED_AFTER_MONTHS = 12          # an author "stopped" after 12 months without a commit
DORMANT_AFTER_DAYS = 365           # no commit for a year: dormant
SLOWING_AFTER_DAYS = 180           # no commit for six months: slowing
ACTIVE_MIN_COMMITS_12M = 12        # fewer commits in the last 12 months: slowing
HALVED_MIN_PREV_COMMITS = 24       # "activity halved" is judged only above this many commits the year before
RELEASE_ACTIVE_DAYS = 365          # partial rows (releases only): a release within a year is active
RELEASE_DORMANT_DAYS = 730         # partial rows: no release for two years is dormant
THRESHOLDS = {
    "window_factors_days": WINDOW_FACTORS_DAYS, "window_cadence_days": WINDOW_CADENCE_DAYS,
    "stopped_after_months": STOPPED_AFTER_MONTHS, "dormant_after_days": DORMANT_AFTER_DAYS,
    "slowing_after_days": SLOWING_AFTER_DAYS, "active_min_commits_12m": ACTIVE_MIN_COMMITS_12M,
    "halved_min_prev_commits": HALVED_MIN_PREV_COMMITS, "release_active_days": RELEASE_ACTIVE_DAYS,
    "release_dormant_days": RELEASE_DORMANT_DAYS,
}
ARCHIVE_NOTICE = re.compile(
    r"(no longer (?:actively )?(?:maintained|developed|supported)|not (?:actively )?maintained anymore"
    r"|\bunmaintained\b|this (?:project|repository) (?:is|has been) (?:archived|deprecated|discontinued))",
    re.IGNORECASE)


@dataclass(frozen=True)
class Release:
    """One release: a version-like tag (the earliest tag name when several point at one commit)."""

    name: str
    on: date


def month_of(when: datetime | date) -> date:
    return date(when.year, when.month, 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def releases_of(tags: Iterable[Tag]) -> list[Release]:
    """Release tags, one per commit (monorepos tag each package of one release), oldest first."""
    first: dict[str, Tag] = {}
    for tag in sorted((t for t in tags if t.is_release), key=lambda t: (t.tagged_at, t.tag)):
        first.setdefault(tag.commit, tag)
    return sorted((Release(t.tag, t.tagged_at.date()) for t in first.values()), key=lambda r: (r.on, r.name))


def monthly(commits: Sequence[Commit], releases: Sequence[Release], as_of: date) -> list[dict[str, Any]]:
    """One row per month from the first commit to the month of ``as_of`` (months without commits included)."""
    work = [c for c in commits if not c.is_merge and c.committed_at.date() <= as_of]
    if not work:
        return []
    by_month: dict[date, list[Commit]] = defaultdict(list)
    author_months: dict[str, set[date]] = defaultdict(set)
    for c in work:
        m = month_of(c.committed_at)
        by_month[m].append(c)
        author_months[c.author_key].add(m)
    first_month = {a: min(ms) for a, ms in author_months.items()}
    release_months = Counter(month_of(r.on) for r in releases if r.on <= as_of)
    rows = []
    month, last = min(by_month), month_of(as_of)
    while month <= last:
        authors = {c.author_key for c in by_month.get(month, [])}
        known = add_months(month, STOPPED_AFTER_MONTHS + 1) <= as_of
        stopped = None
        if known:
            horizon = {add_months(month, k) for k in range(1, STOPPED_AFTER_MONTHS + 1)}
            stopped = sum(1 for a in authors if not author_months[a] & horizon)
        rows.append({"month": month, "commits": len(by_month.get(month, [])), "active_authors": len(authors),
                     "new_authors": sum(1 for a in authors if first_month[a] == month),
                     "stopped_authors": stopped, "releases": release_months.get(month, 0)})
        month = add_months(month, 1)
    return rows


def smallest_majority(counts: Counter[str]) -> int | None:
    """CHAOSS bus/elephant factor: fewest keys whose counts reach half of the total."""
    total = sum(counts.values())
    if not total:
        return None
    running = 0
    for k, (_, n) in enumerate(counts.most_common(), start=1):
        running += n
        if 2 * running >= total:
            return k
    return None  # pragma: no cover - the loop always reaches the total


def release_facts(releases: Sequence[Release], as_of: date) -> dict[str, Any]:
    past = [r for r in releases if r.on <= as_of]
    last = past[-1] if past else None
    recent = sorted({r.on for r in past if (as_of - r.on).days <= WINDOW_CADENCE_DAYS})
    gaps = [(b - a).days for a, b in zip(recent, recent[1:], strict=False)]
    return {"last_release": last.name if last else None, "last_release_at": last.on if last else None,
            "last_release_age_days": (as_of - last.on).days if last else None,
            "releases_3y": len(recent), "release_cadence_days": float(statistics.median(gaps)) if gaps else None}


def repo_metrics(commits: Sequence[Commit], releases: Sequence[Release], as_of: date,
                 archive_notice: str | None = None) -> dict[str, Any]:
    """The per-repository row (without identity columns); see docs/health.md for each definition."""
    work = [c for c in commits if not c.is_merge and c.committed_at.date() <= as_of]
    if not work:
        return {**release_facts(releases, as_of), "commits_total": 0, "authors_total": 0}

    def age(c: Commit) -> int:
        return (as_of - c.committed_at.date()).days

    window = [c for c in work if age(c) < WINDOW_FACTORS_DAYS]
    org_counts = Counter(c.author_org for c in window if c.author_org)
    top_org, top_n = org_counts.most_common(1)[0] if org_counts else (None, 0)
    last = max(c.committed_at for c in work)
    row = {
        "first_commit_at": min(c.committed_at for c in work), "last_commit_at": last,
        "commits_total": len(work), "authors_total": len({c.author_key for c in work}),
        "commits_12m": sum(1 for c in work if age(c) < 365),
        "commits_prev_12m": sum(1 for c in work if 365 <= age(c) < 730),
        **release_facts(releases, as_of),
        "bus_factor": smallest_majority(Counter(c.author_key for c in window)),
        "elephant_factor": smallest_majority(org_counts),
        "top_org": top_org, "top_org_share": round(top_n / len(window), 4) if window and top_org else None,
    }
    row.update(liveliness(row, as_of, archive_notice))
    return row


def liveliness(row: dict[str, Any], as_of: date, archive_notice: str | None = None) -> dict[str, Any]:
    """Status (active / slowing / dormant / archived) with its reason code and parameters."""
    if archive_notice:
        return _status("archived", "archived_notice", path=archive_notice)
    if row.get("last_commit_at") is None:
        return release_liveliness(row)
    days = (as_of - row["last_commit_at"].date()).days
    c12, prev = row["commits_12m"], row["commits_prev_12m"]
    if days > DORMANT_AFTER_DAYS:
        return _status("dormant", "no_commit", days=days, threshold=DORMANT_AFTER_DAYS)
    if c12 < ACTIVE_MIN_COMMITS_12M:
        return _status("slowing", "few_commits", commits_12m=c12, threshold=ACTIVE_MIN_COMMITS_12M)
    if days > SLOWING_AFTER_DAYS:
        return _status("slowing", "quiet", days=days, threshold=SLOWING_AFTER_DAYS)
    if prev >= HALVED_MIN_PREV_COMMITS and 2 * c12 < prev:
        return _status("slowing", "halved", commits_12m=c12, commits_prev_12m=prev)
    return _status("active", "active", commits_12m=c12, days=days)


def release_liveliness(row: dict[str, Any]) -> dict[str, Any]:
    """Partial rows (no history readable): judged from the age of the last release only."""
    age = row.get("last_release_age_days")
    if age is None:
        return {"status": None, "status_reason": "unknown", "status_params": "{}"}
    if age <= RELEASE_ACTIVE_DAYS:
        return _status("active", "recent_release", days=age, threshold=RELEASE_ACTIVE_DAYS)
    if age <= RELEASE_DORMANT_DAYS:
        return _status("slowing", "old_release", days=age, threshold=RELEASE_ACTIVE_DAYS)
    return _status("dormant", "no_release", days=age, threshold=RELEASE_DORMANT_DAYS)


def _status(status: str, reason: str, **params: Any) -> dict[str, Any]:
    return {"status": status, "status_reason": reason, "status_params": json.dumps(params, sort_keys=True)}


def archive_notice_in(readme_path: str, text: str) -> str | None:
    """``readme_path`` when the README's opening says the project is archived or unmaintained."""
    return readme_path if ARCHIVE_NOTICE.search(text[:3000]) else None




def health_rows(commits: Sequence[Commit], tags: Sequence[Tag], as_of: date,
                archive_notice: str | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(repo_health metrics, repo_health_monthly rows) of one fully read repository."""
    releases = releases_of(tags)
    return repo_metrics(commits, releases, as_of, archive_notice), monthly(commits, releases, as_of)


def monthly_status(commits_by_month: dict[date, int], month: date) -> str | None:
    """The liveliness rule applied at the end of ``month`` with month granularity (None before the first commit).

    Used for the landscape over time: days become months (dormant after 12 months without a commit, slowing
    after 6), and README notices are undated, so "archived" only ever appears in the current status.
    """
    active = sorted(m for m, n in commits_by_month.items() if n and m <= month)
    if not active:
        return None
    since = (month.year - active[-1].year) * 12 + month.month - active[-1].month
    last12 = sum(commits_by_month.get(add_months(month, -k), 0) for k in range(12))
    prev12 = sum(commits_by_month.get(add_months(month, -k), 0) for k in range(12, 24))
    if since >= DORMANT_AFTER_DAYS // 30:
        return "dormant"
    if last12 < ACTIVE_MIN_COMMITS_12M or since >= SLOWING_AFTER_DAYS // 30:
        return "slowing"
    if prev12 >= HALVED_MIN_PREV_COMMITS and 2 * last12 < prev12:
        return "slowing"
    return "active"


def landscape_over_time(rows: Iterable[tuple[str, date, int]], start: date, end: date) -> list[dict[str, Any]]:
    """How many tools were active / slowing / dormant at the end of each month from ``start`` to ``end``."""
    per_tool: dict[str, dict[date, int]] = defaultdict(dict)
    for tool_id, month, commits in rows:
        per_tool[tool_id][month_of(month)] = int(commits)
    out = []
    month = month_of(start)
    while month <= end:
        counts = Counter(s for series in per_tool.values() if (s := monthly_status(series, month)))
        out += [{"month": month, "status": s, "tools": counts.get(s, 0)} for s in ("active", "slowing", "dormant")]
        month = add_months(month, 1)
    return out


def landscape_from_monthly(monthly: Any, start: date, end: date) -> list[dict[str, Any]]:
    """:func:`landscape_over_time` over a ``repo_health_monthly`` frame (columns tool_id, month, commits).

    A pure function of its arguments, so the dashboard caches it per table content (it re-derives every
    tool's status for every month: about half a second on the shipped data).
    """
    months = [m.date() if isinstance(m, datetime) else m for m in monthly["month"]]
    return landscape_over_time(zip(monthly["tool_id"], months, monthly["commits"], strict=True), start, end)
