"""What each platform's proposal list shows by default, read from the platforms' own code.

These are the assumptions of the exposure analysis; each one carries the file and commit it was read
from, so a reader can check it and a later version can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListingDefaults:
    platform: str
    page_size: int
    default_order: str
    newest_first_order: str
    evidence: tuple[str, ...]
    note: str


LISTING_DEFAULTS: dict[str, ListingDefaults] = {
    "consul": ListingDefaults(
        platform="consul",
        page_size=25,
        default_order="hot_score",
        newest_first_order="created_at",
        evidence=(
            "consuldemocracy/consuldemocracy app/models/proposal.rb @35f24b519d6bfebb4088751d371e10fa439a8715: "
            "proposals_orders = hot_score, confidence_score, created_at, relevance, archival_date (first = default); "
            "sort_by_created_at = created_at desc",
            "consuldemocracy/consuldemocracy config/initializers/kaminari_config.rb @07b99fcf19566d962c2ae1c59bfafead59afaa63: "
            "default_per_page left at Kaminari's default of 25",
        ),
        note="Consul's default list is ordered by hot_score, a recency-weighted score; the newest-first "
             "(created_at) order is one click away. The exposure model uses newest-first with 25 per page.",
    ),
    "decidim": ListingDefaults(
        platform="decidim",
        page_size=10,
        default_order="random (most_voted when votes are enabled and blocked)",
        newest_first_order="recent",
        evidence=(
            "decidim/decidim decidim-proposals/app/controllers/concerns/decidim/proposals/orderable.rb "
            "@fa87fe2bd8fe82fc71a818e10375d7993e833b0d: order_by_default = most_voted if votes blocked else random; "
            "'recent' = published_at desc",
            "decidim/decidim decidim-core/app/controllers/concerns/decidim/paginable.rb "
            "@8f72acc3db79b567703541a6249cebcc6e47258b: OPTIONS = [10, 20, 50, 100], default OPTIONS.first = 10",
        ),
        note="Decidim lists proposals in random order by default, so a newest-first exposure is a "
             "counterfactual there; it is shown for comparison only.",
    ),
}
