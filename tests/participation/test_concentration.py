"""Support concentration on distributions whose answers are known."""

from __future__ import annotations

import pandas as pd
import pytest

from observatory.participation.analysis import concentration


def test_gini_of_known_distributions() -> None:
    assert concentration.gini([1, 1, 1, 1]) == 0.0
    assert concentration.gini([0, 0, 0, 1]) == pytest.approx(0.75)      # (n-1)/n: all on one
    # mean absolute difference of 1,2,3,4 is 20/16; Gini = 1.25 / (2 * 2.5) = 0.25
    assert concentration.gini([4, 1, 3, 2]) == pytest.approx(0.25)
    assert concentration.gini([0, 0]) == 0.0


def test_gini_refuses_negative_or_empty() -> None:
    with pytest.raises(ValueError):
        concentration.gini([])
    with pytest.raises(ValueError):
        concentration.gini([-1, 2])


def test_top_shares_round_up_to_at_least_one_item() -> None:
    values = list(range(1, 21))                       # total 210
    assert concentration.top_share(values, 0.10) == pytest.approx((20 + 19) / 210)   # top 2 of 20
    assert concentration.top_share(values, 0.01) == pytest.approx(20 / 210)          # at least 1 item


def test_log_bins_cover_every_value_once() -> None:
    bins = concentration.log_bins([0, 0, 1, 2, 3, 4, 9])
    assert bins["bin"].tolist() == ["0", "1", "2-3", "4-7", "8-15"]
    assert bins["count"].tolist() == [2, 1, 2, 1, 1]


def test_summary_counts_proposals_reaching_the_threshold() -> None:
    summary = concentration.summarise(pd.Series([10, 28_413, 30_000, None]), threshold=28_413)
    assert summary.n == 3 and summary.reached_threshold == 2 and summary.total == 58_423


def test_madrid_threshold_matches_the_published_counter() -> None:
    # "73 apoyos - faltan 28.340" and "2 apoyos - faltan 28.411" on decide.madrid.es
    assert concentration.MADRID_THRESHOLD.supports == 73 + 28_340 == 2 + 28_411
