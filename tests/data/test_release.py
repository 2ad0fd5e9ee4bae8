"""The years ACE released as official statistics: the figure as returned for every service, our rules on top."""

from __future__ import annotations

import polars as pl

from observatory_data.build.audit_file import read_audit
from observatory_data.build.register import read_register
from observatory_data.serving.catalogue import COUNTABLE
from observatory_data.serving.tables import read_table


def test_every_released_figure_is_kept_as_returned(real_source) -> None:
    release = read_audit(real_source("librarieshacked/activity-dataset/services.csv"), read_register())
    later = release.filter(pl.col("year").is_in([2024, 2025]), pl.col("value_as_returned").is_not_null())
    assert later.height > 1200
    annual = read_table("annual").select("service_code", "year", "metric", kept="value_as_returned")
    joined = later.join(annual, on=["service_code", "year", "metric"], how="left")
    assert joined.filter(pl.col("kept") != pl.col("value_as_returned")).is_empty()
    assert joined["kept"].null_count() == 0


def test_annual_holds_three_years_of_headline_figures() -> None:
    annual = read_table("annual").filter(pl.col("source").str.starts_with("ACE"))
    counted = annual.filter(pl.col("status").is_in(COUNTABLE), pl.col("metric") == "loans")
    assert sorted(counted["year"].unique()) == [2023, 2024, 2025]
    # Barnsley (E08000016) visits as released: 2025/26 626,063 (read from the file by hand).
    barnsley = annual.filter(
        pl.col("service_code") == "E08000016", pl.col("metric") == "visits", pl.col("year") == 2025
    )
    assert barnsley.select("value_as_returned", "value", "status").row(0) == (626_063.0, 626_063.0, "reported")
    wales = annual.filter(pl.col("service_code") == "W06000015", pl.col("year") == 2025, pl.col("metric") == "loans")
    assert wales["status"].item() == "not_collected"
