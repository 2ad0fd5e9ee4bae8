"""The rules on monthly lines, each on a tiny frame: what is derived, corrected, flagged or caveated."""

from __future__ import annotations

from datetime import date

import polars as pl

from observatory_data.build.activity import ACTIVITY_SCHEMA, POINT_SCHEMA, workbook_source
from observatory_data.build.line_rules import read_march_values_as_months, reconcile_lines, whole_year_parts
from observatory_data.build.month_rules import month_levels, pc_hours_beyond_capacity
from observatory_data.build.plausibility import apply_plausibility
from observatory_data.build.rule_outcomes import LINE

ACE_SOURCE = workbook_source(2023)
FY_MONTHS = [date(2023, m, 1) for m in range(4, 13)] + [date(2024, m, 1) for m in range(1, 4)]


def activity_rows(values: list[float | None], covers: int = 1, code: str = "E1", **series: str) -> pl.DataFrame:
    """One series of twelve months (quarter-end rows when covers=3, one March row when 12) in the activity layout."""
    ends = {1: (), 3: (6, 9, 12, 3), 12: (3,)}[covers]
    months = [p for p in FY_MONTHS if not ends or p.month in ends]
    status = {1: "reported", 3: "quarterly_total", 12: "annual_total"}[covers]
    rows = [
        {
            "service_code": code, "metric": "loans", "mode": None, "format": None, "content_age": None,
            "user_age": None, "location": None, **series, "period": period, "period_type": "month",
            "quarter": None, "covers_months": covers if value is not None else None, "value_as_returned": value,
            "value": value, "status": status if value is not None else "missing", "flag_reason": None,
            "caveat": None, "source_column": "X", "source": ACE_SOURCE,
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


def lines(total: list[float | None], **ages: list[float | None]) -> pl.DataFrame:
    """A total line and its age lines (physical books), rows numbered in that order."""
    frames = [activity_rows(total, content_age="total", format="physical_book")]
    frames += [activity_rows(values, content_age=age, format="physical_book") for age, values in ages.items()]
    return pl.concat(frames).with_row_index("row_id")


def by_row(found: pl.DataFrame) -> dict[int, tuple]:
    return {row["row_id"]: (row["rule"], row["status"], row["value"]) for row in found.iter_rows(named=True)}


def test_a_total_typed_as_zero_or_left_blank_is_derived_from_its_age_lines() -> None:
    # Greenwich-like: the total typed as 0 (April) or left blank (May) while the age lines are filled.
    table = lines([0.0, None] + [100.0] * 10, adult=[400.0, 300.0] + [60.0] * 10, child=[217.0, 100.0] + [40.0] * 10)
    found, _ = reconcile_lines(table, [*LINE, "period"])
    assert by_row(found) == {
        0: ("total_derived_from_lines", "derived", 617.0),
        1: ("total_derived_from_lines", "derived", 400.0),
    }
    assert "returned as 0" in found["reason"][0] and "left blank" in found["reason"][1]


def test_a_total_ten_times_its_age_lines_is_corrected_and_kept_as_returned() -> None:
    # Bournemouth, Christchurch and Poole, April 2023: total 697,360; age lines 39,673 + 28,597 + 1,466 = 69,736.
    table = lines(
        [697_360.0] + [68_790.0] * 11,
        adult=[39_673.0] + [40_000.0] * 11,
        child=[28_597.0] + [27_400.0] * 11,
        young_person=[1_466.0] + [1_390.0] * 11,
    )
    checked = apply_plausibility(table.drop("row_id"), point_rows([]))
    april = checked.activity.filter(pl.col("content_age") == "total", pl.col("period") == date(2023, 4, 1)).row(
        0, named=True
    )
    assert (april["value_as_returned"], april["value"], april["status"]) == (697_360.0, 69_736.0, "corrected")
    assert "10x its age lines' sum 69,736" in april["flag_reason"]
    outcome = checked.outcomes.filter(pl.col("rule") == "decimal_slip").row(0, named=True)
    assert (outcome["value_as_returned"], outcome["value_used"], outcome["outcome"]) == (
        697_360.0,
        69_736.0,
        "corrected",
    )


def april(total: float, **ages: float) -> pl.DataFrame:
    """April of a total line and its age lines; the other months blank."""
    return lines([total] + [None] * 11, **{age: [value] + [None] * 11 for age, value in ages.items()})


def test_one_age_line_slipped_is_corrected_only_when_the_lines_then_agree() -> None:
    # Bournemouth's March child line 262,343: adult 39,825 + young 1,454 + 26,234 = 67,513, total 67,522.
    found, _ = reconcile_lines(
        april(67_522.0, adult=39_825.0, child=262_343.0, young_person=1_454.0), [*LINE, "period"]
    )
    assert by_row(found) == {24: ("decimal_slip", "corrected", 26_234.3)}
    found, _ = reconcile_lines(
        april(67_522.0, adult=39_825.0, child=150_000.0, young_person=1_454.0), [*LINE, "period"]
    )
    assert by_row(found) == {row: ("age_parts_above_total", "flagged", None) for row in (12, 24, 36)}


def test_an_all_ages_line_repeating_the_total_is_flagged_alone() -> None:
    # Sunderland: the "All Age Groups" line repeats the total, so the lines add up to exactly 2.0x.
    found, _ = reconcile_lines(april(48.0, adult=20.0, child=28.0, all_ages=48.0), [*LINE, "period"])
    assert by_row(found) == {36: ("line_repeats_total", "flagged", None)}
    assert "equals the total 48 while the other age lines add up to 48" in found["reason"].item()


def test_lines_returned_over_different_periods_are_compared_over_the_whole_year() -> None:
    # Norfolk-like: a monthly total against age lines entered once, as year figures in March.
    table = (
        pl.concat(
            [
                activity_rows([3_700.0] * 12, content_age="total", format="physical_audiobook"),
                activity_rows([None] * 11 + [290_920.0], content_age="adult", format="physical_audiobook"),
            ]
        )
        .with_columns(
            covers_months=pl.when(pl.col("value").is_not_null()).then(
                pl.when(pl.col("content_age") == "adult")
                .then(pl.lit(12, dtype=pl.Int8))
                .otherwise(pl.lit(1, dtype=pl.Int8))
            )
        )
        .with_row_index("row_id")
    )
    month_by_month, _ = reconcile_lines(table, [*LINE, "period"])
    assert month_by_month.is_empty()  # March alone is not compared with the year figure
    whole = whole_year_parts(table)
    assert whole["row_id"].to_list() == [23] and "6.55x" in whole["reason"].item()


def test_a_single_march_total_is_march_alone_when_its_age_lines_give_the_year() -> None:
    # Norfolk's eBooks: one March total 104,730; the age lines, entered as year figures, 1,011,379 + 323,510.
    table = pl.concat(
        [
            activity_rows([104_730.0], covers=12, content_age="total", format="ebook"),
            activity_rows([1_011_379.0], covers=12, content_age="adult", format="ebook"),
            activity_rows([323_510.0], covers=12, content_age="child", format="ebook"),
        ]
    ).with_row_index("row_id")
    found = read_march_values_as_months(table)
    assert by_row(found) == {0: ("march_value_is_a_month", "derived", 1_334_889.0)}
    year_figure = table.with_columns(
        value=pl.when(pl.col("content_age") == "total").then(1_300_000.0).otherwise("value")
    )
    assert read_march_values_as_months(year_figure).is_empty()  # a real year figure stays one


def test_two_levels_a_power_of_ten_apart_are_corrected_to_the_lower_level() -> None:
    # Sutton's library visits: seven months near 500,000 and five near 55,000.
    values = [514_910.0, 480_000.0, 470_000.0, 490_000.0, 484_700.0, 500_000.0, 470_000.0]
    values += [53_236.0, 40_210.0, 56_544.0, 55_103.0, 55_802.0]
    table = activity_rows(values, metric="visits", location="library_only").with_row_index("row_id")
    found = by_row(month_levels(table, confirmed=set()))
    assert set(found) == set(range(7))
    assert found[0] == ("decimal_slip", "corrected", 51_491.0)


def test_months_out_of_line_that_are_not_slips() -> None:
    high = activity_rows([1000.0] * 11 + [6000.0]).with_row_index("row_id")
    assert by_row(month_levels(high, confirmed=set())) == {11: ("month_out_of_line", "flagged", None)}
    confirmed = by_row(month_levels(high, confirmed={11}))  # its age lines agree: a Summer Reading peak
    assert confirmed == {11: ("unusual_month", None, None)}
    low = activity_rows([1000.0] * 11 + [150.0]).with_row_index("row_id")  # a month of closure: counted
    assert by_row(month_levels(low, confirmed=set())) == {11: ("unusual_month", None, None)}
    lone_low = activity_rows([1000.0] * 11 + [100.0]).with_row_index("row_id")  # 1/10: which level is right?
    assert by_row(month_levels(lone_low, confirmed=set())) == {11: ("decimal_slip_unreconciled", "flagged", None)}
    within = activity_rows([1000.0] * 11 + [4900.0]).with_row_index("row_id")
    assert month_levels(within, confirmed=set()).is_empty()
    small = activity_rows([10.0] * 11 + [200.0]).with_row_index("row_id")  # median 10 < 50 a month
    assert month_levels(small, confirmed=set()).is_empty()


def test_quarterly_totals_are_compared_per_month() -> None:
    # Sefton-like: Q1 1,244,990 against quarters of ~120,000 is a 10x slip that reconciles.
    quarters = activity_rows([1_244_990.0, 140_684.0, 113_301.0, 115_841.0], covers=3).with_row_index("row_id")
    assert by_row(month_levels(quarters, confirmed=set())) == {0: ("decimal_slip", "corrected", 124_499.0)}


def test_pc_hours_beyond_capacity() -> None:
    hours = activity_rows([60_000.0] + [1000.0] * 11, metric="pc_hours").with_row_index("row_id")
    points = point_rows([("E1", "pcs_in_service", None, 100.0)])
    found = pc_hours_beyond_capacity(hours, points)
    # April: 100 PCs x 30 days x 12 h = 36,000 < 60,000
    assert found["row_id"].to_list() == [0]
    assert "36,000" in found["reason"].item()


def test_apply_keeps_every_returned_value_beside_the_value_used() -> None:
    activity = activity_rows([1000.0] * 11 + [6000.0], format="physical_book", content_age="total")
    checked = apply_plausibility(activity, point_rows([("E1", "active_users", "total", 5000.0)]))
    march = checked.activity.filter(pl.col("period") == date(2024, 3, 1)).row(0, named=True)
    assert (march["value_as_returned"], march["value"], march["status"]) == (6000.0, 6000.0, "flagged")
    assert checked.activity["value_as_returned"].to_list() == activity["value_as_returned"].to_list()
    assert checked.activity.columns == list(ACTIVITY_SCHEMA)
