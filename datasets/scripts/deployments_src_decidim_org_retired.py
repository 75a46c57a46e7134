"""Reader for installation files removed from the decidim.org website (decidim/decidim.org history).

When an installation leaves the decidim.org list its file is deleted; the deleted files are past listings. Each
is read at the last commit that has it (the row's `source_commit`) exactly as the current files are
(`deployments_src_decidim_org.entry_row`), with `source_status = past`. A file removed as an error ("Remove
wrong installation") is not a deployment. When the same installation is still listed under another file, the
current file's row wins (the compiler reports the merge).
"""

from __future__ import annotations

from deployments_model import Deployment, SourceInfo
from deployments_snapshot import GitSnapshot
from deployments_src_decidim_org import FOLDER, entry_row

REPO = "decidim/decidim.org"
SOURCE_ID = "dep-decidim-org-retired-installations"

# Deleted files that were never installations, with the deleting commit's own words.
_NOT_DEPLOYMENTS: dict[str, str] = {
    "shiga.yml": "deleted by commit 'Remove wrong installation'",
}


def read(snapshot: GitSnapshot) -> list[Deployment]:
    """One row per deleted installation file."""
    rows = []
    for path, commit, _deleted_on in snapshot.deleted_files(FOLDER):
        name = path.removeprefix(f"{FOLDER}/")
        if "/" in name or not name.endswith((".yml", ".yaml")) or name in _NOT_DEPLOYMENTS:
            continue
        row = entry_row(name, snapshot.read_text_at(commit, path), commit, snapshot.permalink_at(commit, path),
                        SOURCE_ID)
        row.source_status = "past"
        row.preference = (-1, 0)  # a file still listed for the same installation wins
        rows.append(row)
    return rows


def describe(snapshot: GitSnapshot) -> SourceInfo:
    """sources.csv row for this list."""
    return SourceInfo(
        source_id=SOURCE_ID,
        title="decidim.org installation files removed from data/installations (git history)",
        url=f"https://github.com/{REPO}/commits/{snapshot.commit}/{FOLDER}",
        publisher="Decidim Free Software Association (decidim.org website repository)",
        kind="list",
        source_commit=snapshot.commit,
        licence="AGPL-3.0 (repository LICENSE file)",
        notes="Past listings: every installation file deleted before the pinned commit, read at the last commit "
        "that has it (each row's source_commit); source_status past. 'shiga.yml' was removed as a wrong entry "
        "and is left out.",
    )
