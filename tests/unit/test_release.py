"""The years ACE released as official statistics: the figure as returned for every service, our rules on top."""

from __future__ import annotations

import polars as pl

from observatory_data.build.rates import year_on_year_jumps


def test_a_jump_flags_the_year_farthest_from_the_other_services() -> None:
    # Cornwall-like visits: 796,390 then 82,796 and 36,500; the later years are far below every other service.
    positions = pl.DataFrame(
        {
            "service_code": ["C"] * 3 + ["D"] * 2,
            "metric": ["visits"] * 5,
            "year": [2023, 2024, 2025, 2023, 2024],
            "value": [796_390.0, 82_796.0, 36_500.0, 1000.0, 1400.0],
            "ratio": [0.6, 0.065, 0.028, 1.0, 1.4],
        }
    )
    found = sorted((code, year) for code, year, *_ in year_on_year_jumps(positions))
    assert found == [("C", 2024), ("C", 2025)]  # D's years agree within 5x
