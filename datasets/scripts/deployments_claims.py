"""What each project or vendor says about its own reach (`deployment_claims.csv`), curated with its source.

A count of listed deployments is what we can trace; a claim is what the project says. Both are shown side by side
so neither is read as market share. Every claim quotes its source: a file at a pinned commit (permalink and
`source_commit`) or a page (address of the exact page or revision read, `source_commit` empty). `claimed_on` is
the commit date of the file, the page's publication date, or the revision date.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

from deployments_model import CLAIM_COLUMNS


@dataclass(frozen=True)
class Claim:
    tool_id: str
    claimed_count: int
    claim_text: str
    claim_scope: str
    source_url: str
    source_commit: str
    claimed_on: str


CLAIMS: tuple[Claim, ...] = (
    Claim("decidim", 390, "390 instances (decidim.org headline figures: value 390, text 'instances')",
          "installations",
          "https://github.com/decidim/decidim.org/blob/115e36b5c57a08854ab5d51bc02f363a0637557a/data/facts.yml#L1",
          "115e36b5c57a08854ab5d51bc02f363a0637557a", "2024-12-16"),
    Claim("decidim", 30, "30 countries (decidim.org headline figures)", "countries",
          "https://github.com/decidim/decidim.org/blob/115e36b5c57a08854ab5d51bc02f363a0637557a/data/facts.yml#L3",
          "115e36b5c57a08854ab5d51bc02f363a0637557a", "2024-12-16"),
    Claim("consul-democracy", 250,
          "the CONSUL DEMOCRACY community consists of around 250 cities, regional governments, and regional and tech "
          "partners", "organisations",
          "https://github.com/consuldemocracy/consuldemocracy/blob/0cbbaa34c3bf941e596a223de06bb7d16978a14d/"
          "publiccode.yml#L39",
          "0cbbaa34c3bf941e596a223de06bb7d16978a14d", "2026-06-04"),
    Claim("go-vocal", 500, "Today, Go Vocal serves 500 governments and organizations globally", "organisations",
          "https://govocal.com/news/citizenlab-rebrands-to-go-vocal", "", ""),
    Claim("ushahidi", 125000, "The Ushahidi platform has been deployed over 125,000 times in over 160 countries",
          "deployments", "https://en.wikipedia.org/?oldid=794902715&title=Ushahidi", "", "2017-08-10"),
    Claim("ushahidi", 160, "deployed over 125,000 times in over 160 countries", "countries",
          "https://en.wikipedia.org/?oldid=794902715&title=Ushahidi", "", "2017-08-10"),
)


def claim_records(checked_on: str) -> list[dict[str, str]]:
    """Rows of deployment_claims.csv, sorted by tool then scope then source."""
    rows = sorted(CLAIMS, key=lambda c: (c.tool_id, c.claim_scope, c.source_url))
    return [dict(zip(CLAIM_COLUMNS, (*(str(v) for v in astuple(c)), checked_on), strict=True)) for c in rows]
