"""Earlier versions of a list: entries a project has since dropped are past deployments, not noise.

A reader parses one version of its file; `with_past_entries` runs it on the pinned version and then on every
earlier version of the file (newest first) and keeps each dropped entry once, as read at the newest version
that still lists it (`source_commit` is that commit, `source_status = past`). Entries of the pinned version
keep the status their reader gives them.
"""

from __future__ import annotations

from collections.abc import Callable

from deployments_geo import canonical_url, slug
from deployments_model import Deployment
from deployments_snapshot import GitSnapshot


class NotThisListYet(ValueError):
    """An earlier version of the file does not hold the list yet (no section, other format): nothing to keep.

    Raised by a reader for the structure it looks for; at the pinned version it is an error like any other.
    """


def entry_key(row: Deployment) -> str:
    """The identity the compiler will give the row (URL, else organisation)."""
    address = row.identity_url or row.url
    return f"{row.tool_id}:{canonical_url(address) if address else slug(row.organisation)}"


def with_past_entries(snapshot: GitSnapshot, path: str, read: Callable[[GitSnapshot], list[Deployment]],
                      key: Callable[[Deployment], str] = entry_key) -> list[Deployment]:
    """Rows of the pinned version, then the dropped entries of earlier versions of `path`."""
    rows = read(snapshot)
    seen = {key(row) for row in rows}
    for commit in snapshot.commits_touching(path):
        if commit == snapshot.commit:
            continue
        try:
            earlier = read(snapshot.at(commit))
        except NotThisListYet:
            continue
        for row in earlier:
            if key(row) in seen:
                continue
            seen.add(key(row))
            row.source_status = "past"
            rows.append(row)
    return rows
