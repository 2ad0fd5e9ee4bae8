"""Rules on single months: months of one series that fall into two levels (a decimal slip, a month out of line or
an unusual month), and PC hours beyond what the PCs in service could give."""

from __future__ import annotations

import calendar
import statistics
from datetime import date

import polars as pl

from observatory_data.build.activity import SERIES_KEYS as SERIES
from observatory_data.build.rule_outcomes import CHANGED, caveat, flag, outcomes, power_of_ten
from observatory_data.serving.catalogue import ActivityStatus
from observatory_data.serving.rules import (
    OUT_OF_LINE_FACTOR,
    OUT_OF_LINE_MIN_MEDIAN,
    OUT_OF_LINE_MIN_OTHERS,
    PC_HOURS_PER_DAY,
    SLIP_LEVEL_BAND,
)


def month_levels(activity: pl.DataFrame, confirmed: set[int]) -> pl.DataFrame:
    """Months of one series that fall into two levels: a decimal slip (corrected where it reconciles with the
    other months, else flagged), a high month out of line (flagged unless its age lines confirm it), or a low
    month (counted, with a caveat)."""
    rows = []
    values = activity.filter(
        pl.col("value") > 0, pl.col("covers_months").is_in([1, 3]), ~pl.col("status").is_in(CHANGED)
    )
    for _, series in values.group_by(SERIES):
        if series.height <= OUT_OF_LINE_MIN_OTHERS:
            continue
        entries = sorted(
            zip(
                series["row_id"],
                series["value"] / series["covers_months"],
                series["value"],
                series["period"],
                strict=True,
            ),
            key=lambda entry: entry[1],
        )
        per_month = [entry[1] for entry in entries]
        if statistics.median(per_month) < OUT_OF_LINE_MIN_MEDIAN:
            continue
        gap, cut = max((per_month[i + 1] / per_month[i], i + 1) for i in range(len(per_month) - 1))
        if gap <= OUT_OF_LINE_FACTOR:
            continue
        lower, upper = entries[:cut], entries[cut:]
        rows.extend(_two_levels(lower, upper, confirmed))
    return outcomes(rows)


def _two_levels(lower: list[tuple], upper: list[tuple], confirmed: set[int]) -> list[tuple]:
    low_median = statistics.median(e[1] for e in lower)
    high_median = statistics.median(e[1] for e in upper)
    level = high_median / low_median
    power = power_of_ten(level, SLIP_LEVEL_BAND)
    rows = []
    if power and len(lower) >= OUT_OF_LINE_MIN_OTHERS:
        low, high = min(e[1] for e in lower) / SLIP_LEVEL_BAND, max(e[1] for e in lower) * SLIP_LEVEL_BAND
        for row_id, month_value, value, period in upper:
            corrected = value / 10**power
            where = f"{period:%b %Y} {value:,.0f} sits in a level {level:.1f}x the series' other {len(lower)} months"
            if row_id in confirmed:
                rows.append(caveat(row_id, "unusual_month", f"unusual month: {where}, but its age lines agree"))
            elif low <= month_value / 10**power <= high:
                reason = (
                    f"decimal slip: {where} (median {low_median:,.0f}); corrected to {corrected:,.0f}, inside their "
                    f"range widened x{SLIP_LEVEL_BAND:g} ({low:,.0f}-{high:,.0f} a month)"
                )
                rows.append((row_id, "decimal_slip", ActivityStatus.CORRECTED, corrected, None, reason))
            else:
                rows.append(flag(row_id, "decimal_slip_unreconciled", f"decimal slip unreconciled: {where}"))
        return rows
    if power:
        for row_id, _, value, period in lower:
            where = f"{period:%b %Y} {value:,.0f} is 1/{level:.1f} of the series' other {len(upper)} months"
            if row_id in confirmed:
                rows.append(caveat(row_id, "unusual_month", f"unusual month: {where}, but its age lines agree"))
            else:
                reason = f"decimal slip unreconciled: {where}; too few months to tell which level is right"
                rows.append(flag(row_id, "decimal_slip_unreconciled", reason))
        return rows
    if len(upper) <= len(lower):
        for row_id, _, value, period in upper:
            where = f"{period:%b %Y} {value:,.0f} is {level:.1f}x the median of the series' other months"
            if row_id in confirmed:
                rows.append(caveat(row_id, "unusual_month", f"unusual month: {where}, but its age lines agree"))
            else:
                rows.append(flag(row_id, "month_out_of_line", f"month out of line: {where}"))
        return rows
    for row_id, _, value, period in lower:
        reason = f"unusual month: {period:%b %Y} {value:,.0f} is 1/{level:.1f} of the series' other months; counted"
        rows.append(caveat(row_id, "unusual_month", reason))
    return rows


def pc_hours_beyond_capacity(activity: pl.DataFrame, point_in_time: pl.DataFrame) -> pl.DataFrame:
    """PC hours above PCs in service x days in the period x 12 hours."""
    pcs = point_in_time.filter(pl.col("metric") == "pcs_in_service", pl.col("value") > 0).select(
        "service_code", pcs=pl.col("value")
    )
    hours = activity.filter(
        pl.col("metric") == "pc_hours", pl.col("value").is_not_null(), pl.col("status") != ActivityStatus.FLAGGED
    )
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
            rows.append(flag(row["row_id"], "pc_hours_beyond_capacity", reason))
    return outcomes(rows)


def _days_covered(period: date, covers_months: int) -> int:
    """Days in the `covers_months` months ending with the month of `period`."""
    days, year, month = 0, period.year, period.month
    for _ in range(covers_months):
        days += calendar.monthrange(year, month)[1]
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return days
