"""Rules that flag returned values that cannot be right, so no chart or total is built on them.

Each rule is a small function with its threshold stated here; it returns the rows to flag (row_id, rule,
reason) and the reason names the rule and the numbers. A flagged value is kept as returned, its status
becomes `flagged` with the reasons in `flag_reason`, and aggregates leave it out (an annual total that
contains a flagged month is flagged too, in annual.py).

Thresholds, chosen on the 2023/24 returns:
- active users above residents: more active users than people live in the area (total against all
  ages, children against 0-11, young people against 12-17). A service's users can include some
  non-residents, but not more people than live there.
- month out of line: a value more than 5x, or less than 1/5 of, the median of the same series' other
  values, compared per month (a quarterly total counts as three months, so it is set against 3x the
  monthly median). It needs at least 3 other values and a median of at least 50 a month: series of
  small counts (a few digital events) swing by more than 5x in ordinary months. Year totals are not
  tested.
- rate outlier: a whole-year total (all ages, 12 months covered, nothing flagged yet; visits summed
  over both kinds of site) whose rate per 1,000 residents is both more than 5x (or under 1/5 of) the
  median service's and beyond a robust z-score of 3.5 on a log scale (0.6745 * (x - median) / MAD,
  Iglewicz and Hoaglin's cut-off), among at least 20 services. Both, because the spread differs by
  series: in 2023/24 physical book loans per resident span 0.3x-9x the median, home deliveries
  0.03x-52x. The z-score alone flags plausible values of narrow series (eBook loans at 0.22x the
  median); the ratio alone flags ordinary values of wide ones. City of London is flagged on several
  series: its 15,000 residents are not its users (a large daytime workforce), so its per-resident
  rates are not comparable.
- PC hours beyond capacity: more hours than the service's PCs and devices in service (31 March) could
  give if every one were used 12 hours a day, every day of the period.
- age parts above total: the age lines of one month add up to more than 110% of the total line (and by
  more than 10). The age lines are flagged: the total is the headline and is tested on its own.
"""

from __future__ import annotations

import calendar
import math
import statistics
from dataclasses import dataclass
from datetime import date

import polars as pl

from observatory_data.catalogue import (
    OUT_OF_LINE_FACTOR,
    OUT_OF_LINE_MIN_MEDIAN,
    OUT_OF_LINE_MIN_OTHERS,
    PARTS_MIN_EXCESS,
    PARTS_TOLERANCE,
    PC_HOURS_PER_DAY,
    RATE_RATIO_LIMIT,
    ROBUST_Z_LIMIT,
    ROBUST_Z_MIN_SERVICES,
)

AGE_BANDS = {"total": "population", "child": "population_0_11", "young_person": "population_12_17"}
BAND_LABELS = {
    "population": "residents",
    "population_0_11": "residents aged 0-11",
    "population_12_17": "residents aged 12-17",
}
RULE_COLUMNS = {"row_id": pl.UInt32, "rule": pl.String, "reason": pl.String}
SERIES = ["service_code", "metric", "mode", "format", "content_age", "user_age", "location"]


@dataclass(frozen=True)
class Checked:
    """The activity and point-in-time tables with flags applied, and one row per flagged value."""

    activity: pl.DataFrame
    point_in_time: pl.DataFrame
    flags: pl.DataFrame


def _found(rows: list[tuple[int, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=RULE_COLUMNS, orient="row")


def active_users_above_residents(point_in_time: pl.DataFrame, population: pl.DataFrame) -> pl.DataFrame:
    """Active users (total, children, young people) above the residents of that age."""
    rows = []
    joined = point_in_time.filter(pl.col("metric") == "active_users", pl.col("value").is_not_null()).join(
        population, on="service_code", how="left"
    )
    for row in joined.iter_rows(named=True):
        band = AGE_BANDS.get(row["user_age"])
        residents = row[band] if band else None
        if residents and row["value"] > residents:
            reason = (
                f"active users above residents: {row['value']:,.0f} active users ({row['user_age']}) but "
                f"{residents:,.0f} {BAND_LABELS[band]} (ONS mid-2024), {row['value'] / residents:.1f}x"
            )
            rows.append((row["row_id"], "active_users_above_residents", reason))
    return _found(rows)


def month_out_of_line(activity: pl.DataFrame) -> pl.DataFrame:
    """Months (or quarterly totals) far from the median of the same series' other values."""
    rows = []
    values = activity.filter(pl.col("value").is_not_null(), pl.col("covers_months").is_in([1, 3]))
    for _, series in values.group_by(SERIES):
        if series.height <= OUT_OF_LINE_MIN_OTHERS:
            continue
        entries = list(zip(series["row_id"], series["value"], series["covers_months"], series["period"], strict=True))
        for position, (row_id, value, covers, period) in enumerate(entries):
            others = [v / c for i, (_, v, c, _) in enumerate(entries) if i != position]
            median = statistics.median(others)
            per_month = value / covers
            if median < OUT_OF_LINE_MIN_MEDIAN:
                continue
            ratio = per_month / median
            if ratio > OUT_OF_LINE_FACTOR or ratio < 1 / OUT_OF_LINE_FACTOR:
                what = f"{value:,.0f}" if covers == 1 else f"{value:,.0f} (quarterly total, {per_month:,.0f} a month)"
                reason = (
                    f"month out of line: {period:%b %Y} {what} is {ratio:.2f}x the median month "
                    f"({median:,.0f}) of the series' other {len(others)} values (limit {OUT_OF_LINE_FACTOR:g}x or "
                    f"1/{OUT_OF_LINE_FACTOR:g})"
                )
                rows.append((row_id, "month_out_of_line", reason))
    return _found(rows)


def rate_outliers(totals: pl.DataFrame, population: pl.DataFrame) -> pl.DataFrame:
    """Whole-year totals whose rate per 1,000 of the right residents is far outside all services' (log-scale
    robust z): children's lines per 1,000 aged 0-11, young people's per 1,000 aged 12-17, the rest per 1,000.

    `totals` has one row per service and series: service_code, series (a label), value, row_ids (the rows
    the total comes from, all flagged together) and optionally band (an AGE_BANDS key; "total" if absent).
    """
    rows = []
    if "band" not in totals.columns:
        totals = totals.with_columns(band=pl.lit("total"))
    residents = pl.concat(
        [population.select("service_code", band=pl.lit(band), population=column) for band, column in AGE_BANDS.items()]
    )
    rated = totals.join(residents, on=["service_code", "band"], how="inner").filter(
        pl.col("value") > 0, pl.col("population") > 0
    )
    rated = rated.with_columns(rate=pl.col("value") / pl.col("population") * 1000)
    for (label,), group in rated.group_by("series"):
        if group.height < ROBUST_Z_MIN_SERVICES:
            continue
        logs = [math.log10(rate) for rate in group["rate"]]
        median = statistics.median(logs)
        mad = statistics.median(abs(x - median) for x in logs)
        if mad == 0:
            continue
        typical = 10**median
        for row, log_rate in zip(group.iter_rows(named=True), logs, strict=True):
            z = 0.6745 * (log_rate - median) / mad
            ratio = row["rate"] / typical
            if abs(z) > ROBUST_Z_LIMIT and (ratio > RATE_RATIO_LIMIT or ratio < 1 / RATE_RATIO_LIMIT):
                reason = (
                    f"rate outlier: {label} {row['value']:,.0f} in the year is {row['rate']:,.1f} per 1,000 "
                    f"{BAND_LABELS[AGE_BANDS[row['band']]]}, "
                    f"{ratio:.2g}x the median service ({typical:,.1f}); robust z {z:+.1f} among {group.height} "
                    f"services (limits {RATE_RATIO_LIMIT:g}x or 1/{RATE_RATIO_LIMIT:g}, and z {ROBUST_Z_LIMIT})"
                )
                rows.extend((row_id, "rate_outlier", reason) for row_id in row["row_ids"])
    return _found(rows)


def pc_hours_beyond_capacity(activity: pl.DataFrame, point_in_time: pl.DataFrame) -> pl.DataFrame:
    """PC hours above PCs in service x days in the period x 12 hours."""
    pcs = point_in_time.filter(pl.col("metric") == "pcs_in_service", pl.col("value") > 0).select(
        "service_code", pcs=pl.col("value")
    )
    hours = activity.filter(pl.col("metric") == "pc_hours", pl.col("value").is_not_null())
    rows = []
    for row in hours.join(pcs, on="service_code", how="inner").iter_rows(named=True):
        days = _days_covered(row["period"], row["covers_months"])
        capacity = row["pcs"] * days * PC_HOURS_PER_DAY
        if row["value"] > capacity:
            reason = (
                f"PC hours beyond capacity: {row['value']:,.0f} hours in {days} days ending {row['period']:%b %Y}, "
                f"but {row['pcs']:,.0f} PCs x {days} days x {PC_HOURS_PER_DAY} h = {capacity:,.0f} "
                f"({row['value'] / capacity:.1f}x)"
            )
            rows.append((row["row_id"], "pc_hours_beyond_capacity", reason))
    return _found(rows)


def _days_covered(period: date, covers_months: int) -> int:
    """Days in the `covers_months` months ending with the month of `period`."""
    days, year, month = 0, period.year, period.month
    for _ in range(covers_months):
        days += calendar.monthrange(year, month)[1]
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return days


def age_parts_above_total(table: pl.DataFrame, age_column: str, keys: list[str]) -> pl.DataFrame:
    """Age lines that add up to more than the total line of the same series and period (and a total of 0 then)."""
    values = table.filter(pl.col("value").is_not_null(), pl.col(age_column).is_not_null())
    totals = values.filter(pl.col(age_column) == "total").select(*keys, total=pl.col("value"), total_row="row_id")
    parts = values.filter(pl.col(age_column) != "total").join(totals, on=keys, how="inner", nulls_equal=True)
    parts = parts.with_columns(parts_sum=pl.col("value").sum().over(keys)).filter(
        pl.col("parts_sum") > pl.col("total") * PARTS_TOLERANCE,
        pl.col("parts_sum") - pl.col("total") > PARTS_MIN_EXCESS,
    )
    rows = []
    for row in parts.iter_rows(named=True):
        times = f" ({row['parts_sum'] / row['total']:.1f}x)" if row["total"] else ""
        reason = (
            f"age parts above total: the age lines add up to {row['parts_sum']:,.0f} but the total line is "
            f"{row['total']:,.0f}{times}"
        )
        rows.append((row["row_id"], "age_parts_above_total", reason))
        if row["total"] == 0:
            rows.append((row["total_row"], "age_parts_above_total", reason))
    return _found(rows).unique(maintain_order=True)


def _whole_year_totals(activity: pl.DataFrame, flagged: pl.DataFrame) -> pl.DataFrame:
    """Whole-year totals of every line with a resident denominator (all ages, children, young people), every
    month covered and nothing flagged (sites summed), for `rate_outliers`."""
    keys = ["service_code", "metric", "mode", "format", "band"]
    band = pl.coalesce(pl.col("content_age"), pl.col("user_age"), pl.lit("total"))
    totals = (
        activity.with_columns(band=band)
        .filter(pl.col("band").is_in(list(AGE_BANDS)), pl.col("value").is_not_null())
        .group_by(keys)
        .agg(
            value=pl.col("value").sum(),
            months=pl.col("covers_months").cast(pl.Int32).sum(),
            sites=pl.col("location").n_unique(),
            row_ids=pl.col("row_id"),
            tainted=pl.col("row_id").is_in(flagged["row_id"].implode()).any(),
        )
        .filter(pl.col("months") == 12 * pl.col("sites"), ~pl.col("tainted"))
    )
    label = pl.concat_str(
        [pl.col("metric"), pl.col("mode"), pl.col("format"), pl.col("band")], separator=" ", ignore_nulls=True
    )
    return totals.select("service_code", "band", series=label, value="value", row_ids="row_ids")


def _apply(table: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    """Set status `flagged` and the joined reasons on the found rows; drop the helper row_id."""
    reasons = found.group_by("row_id").agg(
        rules=pl.col("rule").unique(maintain_order=True).str.join(", "),
        reasons=pl.col("reason").unique(maintain_order=True).str.join("; "),
    )
    marked = table.join(reasons, on="row_id", how="left", maintain_order="left")
    return marked.with_columns(
        status=pl.when(pl.col("reasons").is_not_null()).then(pl.lit("flagged")).otherwise(pl.col("status")),
        flag_reason=pl.coalesce("reasons", "flag_reason"),
    )


def apply_plausibility(activity: pl.DataFrame, point_in_time: pl.DataFrame, population: pl.DataFrame) -> Checked:
    """Run every rule; the flagged values stay in the tables with status `flagged` and their reasons."""
    activity = activity.with_row_index("row_id")
    point_in_time = point_in_time.with_row_index("row_id")
    activity_keys = [*SERIES, "period"]
    line = ["service_code", "metric", "mode", "format", "location", "period"]
    first = pl.concat(
        [
            month_out_of_line(activity),
            pc_hours_beyond_capacity(activity, point_in_time),
            age_parts_above_total(activity.drop("user_age"), "content_age", line),
            age_parts_above_total(activity.drop("content_age"), "user_age", line),
        ]
    )
    found_activity = pl.concat([first, rate_outliers(_whole_year_totals(activity, first), population)])
    point_first = pl.concat(
        [
            active_users_above_residents(point_in_time, population),
            age_parts_above_total(point_in_time, "user_age", ["service_code", "metric"]),
        ]
    )
    users = point_in_time.filter(
        pl.col("metric") == "active_users",
        pl.col("user_age") == "total",
        ~pl.col("row_id").is_in(point_first["row_id"].implode()),
    ).select("service_code", series=pl.lit("active users"), value="value", row_ids=pl.concat_list("row_id"))
    found_point = pl.concat([point_first, rate_outliers(users, population)])
    checked_activity = _apply(activity, found_activity)
    checked_point = _apply(point_in_time, found_point)
    flags = pl.concat(
        [
            checked_activity.filter(pl.col("rules").is_not_null()).select(
                pl.lit("activity").alias("table"), *activity_keys, "source_column", "value", "rules", "flag_reason"
            ),
            checked_point.filter(pl.col("rules").is_not_null()).select(
                pl.lit("point_in_time").alias("table"),
                "service_code",
                "metric",
                "user_age",
                "source_column",
                "value",
                "rules",
                "flag_reason",
            ),
        ],
        how="diagonal",
    )
    return Checked(
        activity=checked_activity.drop("row_id", "rules", "reasons"),
        point_in_time=checked_point.drop("row_id", "rules", "reasons"),
        flags=flags.rename({"rules": "rule"}),
    )
