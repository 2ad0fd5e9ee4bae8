"""Plausibility rules: each on a tiny frame, then the real returns (Bracknell Forest's active users)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from observatory_data.build.activity import ACE_SOURCE, ACTIVITY_SCHEMA, POINT_SCHEMA, read_activity, read_point_in_time
from observatory_data.build.plausibility import (
    active_users_above_residents,
    age_parts_above_total,
    apply_plausibility,
    month_out_of_line,
    pc_hours_beyond_capacity,
    rate_outliers,
)
from observatory_data.build.population import read_population
from observatory_data.build.register import read_register

FY_MONTHS = [date(2023, m, 1) for m in range(4, 13)] + [date(2024, m, 1) for m in range(1, 4)]


def activity_rows(values: list[float | None], covers: int = 1, code: str = "E1", **series: str) -> pl.DataFrame:
    """One series of twelve months (or quarter-end rows when covers=3) in the activity layout."""
    months = FY_MONTHS if covers == 1 else [p for p in FY_MONTHS if p.month in (6, 9, 12, 3)]
    rows = [
        {
            "service_code": code, "metric": "loans", "mode": None, "format": None, "content_age": None,
            "user_age": None, "location": None, **series, "period": period, "period_type": "month",
            "quarter": None, "covers_months": covers if value is not None else None, "value": value,
            "status": "reported", "flag_reason": None, "source_column": "X", "source": ACE_SOURCE,
        }
        for period, value in zip(months, values, strict=True)
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=ACTIVITY_SCHEMA)


def point_rows(rows: list[tuple[str, str, str | None, float | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"service_code": code, "year": 2023, "metric": metric, "user_age": age, "value": value, "text": None,
             "status": "reported", "flag_reason": None, "source_column": "C", "source": ACE_SOURCE}
            for code, metric, age, value in rows
        ],
        schema=POINT_SCHEMA,
    )  # fmt: skip


def population(rows: dict[str, float]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "service_code": list(rows),
            "population": list(rows.values()),
            "population_0_11": [v * 0.14 for v in rows.values()],
            "population_12_17": [v * 0.07 for v in rows.values()],
        }
    )


def test_active_users_above_residents() -> None:
    points = point_rows(
        [("E1", "active_users", "total", 259_229.0), ("E2", "active_users", "total", 10_000.0)]
    ).with_row_index("row_id")
    found = active_users_above_residents(points, population({"E1": 130_806.0, "E2": 100_000.0}))
    assert found["row_id"].to_list() == [0]
    assert "259,229 active users (total) but 130,806 residents" in found["reason"].item()


def test_month_out_of_line_high_low_and_small_counts() -> None:
    high = activity_rows([1000.0] * 11 + [9000.0]).with_row_index("row_id")
    found = month_out_of_line(high)
    assert found["row_id"].to_list() == [11]
    assert "9.00x the median month (1,000)" in found["reason"].item()
    low = activity_rows([1000.0] * 11 + [150.0]).with_row_index("row_id")
    assert month_out_of_line(low)["row_id"].to_list() == [11]
    within = activity_rows([1000.0] * 11 + [4900.0]).with_row_index("row_id")
    assert month_out_of_line(within).is_empty()
    small = activity_rows([10.0] * 11 + [200.0]).with_row_index("row_id")  # median 10 < 50 a month
    assert month_out_of_line(small).is_empty()


def test_month_out_of_line_compares_quarterly_totals_per_month() -> None:
    # Sefton-like: Q1 1,244,990 against quarters of ~120,000 (~40,000 a month) is ~10x
    quarters = activity_rows([1_244_990.0, 140_684.0, 113_301.0, 115_841.0], covers=3).with_row_index("row_id")
    found = month_out_of_line(quarters)
    assert found["row_id"].to_list() == [0]
    assert "quarterly total" in found["reason"].item()
    ordinary = activity_rows([120_000.0, 140_684.0, 113_301.0, 115_841.0], covers=3).with_row_index("row_id")
    assert month_out_of_line(ordinary).is_empty()


def test_rate_outliers_need_both_ratio_and_robust_z() -> None:
    rates = {f"E{i}": 1000.0 + 10 * i for i in range(30)}  # per 1,000 residents, population 1,000
    rates["E99"] = 12_000.0  # ~11x the median
    totals = pl.DataFrame(
        {
            "service_code": list(rates),
            "series": ["loans"] * len(rates),
            "value": list(rates.values()),
            "row_ids": [[i] for i in range(len(rates))],
        }
    )
    found = rate_outliers(totals, population(dict.fromkeys(rates, 1000.0)))
    assert found["row_id"].to_list() == [30]
    assert "per 1,000 residents" in found["reason"].item()
    fewer = totals.filter(pl.col("service_code").is_in(["E1", "E2", "E99"]))
    assert rate_outliers(fewer, population(dict.fromkeys(rates, 1000.0))).is_empty()  # under 20 services


def test_pc_hours_beyond_capacity() -> None:
    hours = activity_rows([60_000.0] + [1000.0] * 11, metric="pc_hours").with_row_index("row_id")
    points = point_rows([("E1", "pcs_in_service", None, 100.0)])
    found = pc_hours_beyond_capacity(hours, points)
    # April: 100 PCs x 30 days x 12 h = 36,000 < 60,000
    assert found["row_id"].to_list() == [0]
    assert "36,000" in found["reason"].item()


def test_age_parts_above_total_flags_parts_and_a_zero_total() -> None:
    total = activity_rows([100.0] + [None] * 11, content_age="total")
    adult = activity_rows([90.0] + [None] * 11, content_age="adult")
    child = activity_rows([60.0] + [None] * 11, content_age="child")
    table = pl.concat([total, adult, child]).with_row_index("row_id")
    keys = ["service_code", "metric", "mode", "format", "location", "period"]
    found = age_parts_above_total(table, "content_age", keys)
    assert sorted(found["row_id"].to_list()) == [12, 24]  # the adult and child lines, not the total
    zero_total = pl.concat([activity_rows([0.0] + [None] * 11, content_age="total"), adult]).with_row_index("row_id")
    assert sorted(age_parts_above_total(zero_total, "content_age", keys)["row_id"].to_list()) == [0, 12]


def test_apply_marks_flagged_rows_and_keeps_values() -> None:
    activity = activity_rows([1000.0] * 11 + [9000.0], format="physical_book", content_age="total")
    points = point_rows([("E1", "active_users", "total", 5000.0)])
    checked = apply_plausibility(activity, points, population({"E1": 1000.0}))
    march = checked.activity.filter(pl.col("period") == date(2024, 3, 1)).row(0, named=True)
    assert (march["value"], march["status"]) == (9000.0, "flagged")
    assert march["flag_reason"].startswith("month out of line")
    assert checked.activity.filter(pl.col("status") == "reported").height == 11
    assert checked.point_in_time["status"].item() == "flagged"
    assert set(checked.flags["table"]) == {"activity", "point_in_time"}
    assert checked.activity.columns == list(ACTIVITY_SCHEMA)


@pytest.fixture(scope="module")
def real_checked(real_source):
    register = read_register()
    workbook = real_source("ace/Libraries Activity Data 2023-24 FINAL.xlsx")
    population_frame = read_population(real_source("ons/mye24tablesew.csv"), register)
    return apply_plausibility(
        read_activity(workbook, register), read_point_in_time(workbook, register), population_frame
    )


def test_real_bracknell_forest_active_users_flagged(real_checked) -> None:
    # Workbook row 9, column C: 259,229 active users; ONS mid-2024 Bracknell Forest (E06000036): 130,806.
    row = real_checked.point_in_time.filter(
        pl.col("service_code") == "E06000036", pl.col("metric") == "active_users", pl.col("user_age") == "total"
    ).row(0, named=True)
    assert row["status"] == "flagged" and row["value"] == 259_229.0
    assert "259,229 active users (total) but 130,806 residents" in row["flag_reason"]


def test_real_peterborough_and_sefton_flagged(real_checked) -> None:
    # Peterborough (row 84, column C) 170,757 active users: 76% of its residents, ~9x the median service.
    peterborough = real_checked.point_in_time.filter(
        pl.col("service_code") == "E06000031", pl.col("metric") == "active_users", pl.col("user_age") == "total"
    )
    assert peterborough["flag_reason"].item().startswith("rate outlier")
    # Sefton (row 93), physical book issues, quarterly: June (HQ) 1,244,990 vs 140,684 / 113,301 / 115,841.
    sefton = real_checked.activity.filter(pl.col("service_code") == "E08000014", pl.col("source_column") == "HQ")
    assert sefton["status"].item() == "flagged"
