"""Listing-order exposure on sequences small enough to compute by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from observatory.participation.analysis import exposure


def test_first_page_exposure_of_a_known_sequence() -> None:
    # publications at days 0, 1, 3, 6, 10; two per page: proposal i leaves page one when i+2 arrives
    t = np.array([0.0, 1.0, 3.0, 6.0, 10.0])
    days, censored = exposure.first_page_exposure(t, page_size=2)
    assert days[:3].tolist() == [3.0, 5.0, 7.0]            # 3-0, 6-1, 10-3
    assert days[3:].tolist() == [4.0, 0.0]                 # still on page one at the end (day 10)
    assert censored.tolist() == [False, False, False, True, True]


def test_first_page_exposure_with_later_end_and_page_of_one() -> None:
    days, censored = exposure.first_page_exposure(np.array([0.0, 2.0]), page_size=1, end=5.0)
    assert days.tolist() == [2.0, 3.0] and censored.tolist() == [False, True]


def test_unsorted_times_are_refused() -> None:
    with pytest.raises(ValueError, match="sorted"):
        exposure.first_page_exposure(np.array([1.0, 0.0]), 1)


def test_date_only_data_spreads_arrivals_within_the_day_and_orders_ties_by_id() -> None:
    frame = pd.DataFrame({
        "proposal_id": ["10", "9", "11"],
        "published_at": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-02"]),
        "supports": [1, 2, 3],
    })
    df = exposure.add_exposure(frame, page_size=1)
    assert df["proposal_id"].tolist() == ["9", "10", "11"]          # same day: lower id first
    assert df["t"].tolist() == pytest.approx([0.25, 0.75, 1.5])      # halves of day 1, middle of day 2
    assert df["exposure_days"].tolist()[:2] == pytest.approx([0.5, 0.75])
    assert df["day_count"].tolist() == [2, 2, 1]


def test_spearman_interval_brackets_rho_and_is_exact_for_monotone_data() -> None:
    x = np.arange(20, dtype=float)
    result = exposure.spearman_with_ci(x, x ** 2)
    assert result.rho == pytest.approx(1.0)
    noisy = exposure.spearman_with_ci(x, np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4.0]))
    assert noisy.low < noisy.rho < noisy.high
    # Bonett-Wright half-width on the z scale: 1.96 * sqrt((1 + rho^2/2) / 17)
    z_half = (np.arctanh(noisy.high) - np.arctanh(noisy.low)) / 2
    assert z_half == pytest.approx(1.959964 * np.sqrt((1 + noisy.rho ** 2 / 2) / 17), rel=1e-5)


def test_fitted_curve_recovers_a_power_law() -> None:
    exposure_days = np.array([1.0, 3.0, 7.0, 15.0])
    supports = np.expm1(0.5 + 2.0 * np.log1p(exposure_days))
    curve = exposure.fit_log_curve(exposure_days, supports)
    assert curve.slope == pytest.approx(2.0) and curve.intercept == pytest.approx(0.5)


def test_busy_vs_quiet_split_on_the_median_day() -> None:
    days = pd.to_datetime(["2024-01-01"] * 3 + ["2024-01-02"] + ["2024-01-03"])
    df = pd.DataFrame({"published_at": days, "day_count": [3, 3, 3, 1, 1], "supports": [1, 2, 3, 10, 20],
                       "exposure_days": [0.5, 0.5, 0.5, 2.0, 3.0]})
    result = exposure.busy_vs_quiet(df)
    assert result.threshold == 1.0                  # median of per-day counts (3, 1, 1)
    assert (result.busy_n, result.quiet_n) == (3, 2)
    assert result.busy_median_supports == 2.0 and result.quiet_median_supports == 15.0
    assert result.quiet_median_exposure == 2.5


def test_eligible_drops_censored_young_withdrawn_and_flagged() -> None:
    df = pd.DataFrame({
        "published_at": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-06-01", "2024-01-01", "2024-01-01"]),
        "censored": [False, True, False, False, False], "supports": [1, 1, 1, 1, 1],
        "state": ["published", "published", "published", "withdrawn", "published"],
        "quality_flag": [None, None, None, None, "test_entry"],
    })
    kept = exposure.eligible(df, pd.Timestamp("2025-01-01"), min_age_days=365)
    assert kept.index.tolist() == [0]


def test_sequence_coverage() -> None:
    assert exposure.sequence_coverage(pd.Series(["1", "2", "4"])) == pytest.approx(0.75)
