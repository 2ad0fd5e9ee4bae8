"""Change over time (issue 10): the matched sets of the real returns."""

from __future__ import annotations

import polars as pl

from observatory_data.serving.catalogue import HEADLINE_METRICS, years_with_data
from observatory_data.serving.series import matched_codes
from observatory_data.serving.tables import read_table

# The real tables.


def test_matched_sets_of_the_real_returns_are_no_larger_than_any_years_reporting() -> None:
    annual = read_table("annual")
    for metric in HEADLINE_METRICS:
        years = years_with_data(annual, metric)
        matched = matched_codes(annual, metric, years)
        counted = annual.filter(
            pl.col("metric") == metric, pl.col("status").is_in(["reported", "derived", "corrected"])
        )
        assert 0 < len(matched) <= min(counted.filter(pl.col("year") == year).height for year in years), metric
    # Loans: 107, 112 and 107 services counted in 2023/24, 2024/25 and 2025/26; 69 of them in all three.
    assert len(matched_codes(annual, "loans", [2023, 2024, 2025])) == 69
    assert years_with_data(annual, "physical_issues") == []  # a service's own count: no ACE year
