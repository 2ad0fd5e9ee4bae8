"""Rules on the monthly lines: they separate typing slips, impossible values and genuine but unusual months.

Every rule and threshold is stated once, in observatory_data/serving/rules.py. A rule's decision is an
outcome row (row, rule, new status, new value, reason). Nothing is dropped: `value_as_returned` keeps
the figure as returned; `value` is the figure used; `status` says what happened:
- derived: a total line left blank or typed as 0 whose age lines are filled, or a total read from its lines;
- corrected: a decimal slip, divided back only where the corrected figure reconciles with the service's
  own figures (its age lines for the same month, or its other months);
- flagged: a value that cannot be right and cannot be reconciled (kept, left out of aggregates);
- a caveat (status unchanged, counted): a genuine but unusual month, explained.

The stages run in order, each on the values the previous one left: lines (same months only), then the
months of each series, then PC capacity. Rates per resident are judged on whole years (build/rates.py).
"""

from __future__ import annotations

import calendar
import statistics
from dataclasses import dataclass
from datetime import date

import polars as pl

from observatory_data.build.activity import SERIES_KEYS as SERIES
from observatory_data.serving.rules import (
    MARCH_MONTH_BAND,
    OUT_OF_LINE_FACTOR,
    OUT_OF_LINE_MIN_MEDIAN,
    OUT_OF_LINE_MIN_OTHERS,
    OUTCOME_OF_RULE,
    PARTS_MIN_EXCESS,
    PARTS_TOLERANCE,
    PC_HOURS_PER_DAY,
    REPEAT_TOLERANCE,
    SLIP_LEVEL_BAND,
    SLIP_LINE_TOLERANCE,
    SLIP_POWERS,
)

OUTCOME_COLUMNS = {
    "row_id": pl.UInt32,
    "rule": pl.String,
    "status": pl.String,
    "value": pl.Float64,
    "covers": pl.Int8,
    "reason": pl.String,
}
LINE = ["service_code", "metric", "mode", "format", "location"]
CHANGED = ("flagged", "corrected", "derived")


@dataclass(frozen=True)
class Checked:
    """The activity and point-in-time tables with the rules applied, and one row per rule outcome."""

    activity: pl.DataFrame
    point_in_time: pl.DataFrame
    outcomes: pl.DataFrame


@dataclass(frozen=True)
class _Value:
    row_id: int
    age: str
    value: float | None
    covers: int | None
    status: str


def _outcomes(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=OUTCOME_COLUMNS, orient="row").sort("row_id", maintain_order=True)


def _flag(row_id: int, rule: str, reason: str) -> tuple:
    return (row_id, rule, "flagged", None, None, reason)


def _caveat(row_id: int, rule: str, reason: str) -> tuple:
    return (row_id, rule, None, None, None, reason)


def _power_of_ten(ratio: float, tolerance: float) -> int | None:
    """The k in SLIP_POWERS with ratio within 10^k x (1 +- tolerance) (a multiplicative band when tolerance > 1)."""
    for power in SLIP_POWERS:
        scaled = ratio / 10**power
        if (tolerance > 1 and 1 / tolerance <= scaled <= tolerance) or (
            tolerance <= 1 and abs(scaled - 1) <= tolerance
        ):
            return power
    return None


def _lines(frame: pl.DataFrame, keys: list[str]) -> list[tuple[_Value | None, list[_Value]]]:
    """Per group of `keys`: the total line and the age lines (age = content_age or user_age)."""
    aged = frame.with_columns(age=pl.coalesce("content_age", "user_age") if "content_age" in frame else "user_age")
    if "covers_months" not in aged.columns:
        aged = aged.with_columns(covers_months=pl.lit(1, dtype=pl.Int8))
    aged = aged.filter(pl.col("age").is_not_null())
    groups = []
    for _, group in aged.group_by(keys):
        values = [
            _Value(r["row_id"], r["age"], r["value"], r["covers_months"], r["status"])
            for r in group.iter_rows(named=True)
        ]
        total = next((v for v in values if v.age == "total"), None)
        groups.append((total, [v for v in values if v.age != "total"]))
    return groups


def read_march_values_as_months(activity: pl.DataFrame) -> pl.DataFrame:
    """A single March total (normally read as the year) that is March alone: its own age lines give the year
    (12 months, monthly or as year figures) at about 12 times it. The year is derived from those lines."""
    rows = []
    aged = activity.with_columns(age=pl.coalesce("content_age", "user_age"))
    singles = aged.filter(pl.col("status") == "annual_total", pl.col("age") == "total", pl.col("value") > 0)
    for single in singles.iter_rows(named=True):
        lines = aged.filter(
            *[pl.col(k).eq_missing(single[k]) for k in LINE], pl.col("age") != "total", pl.col("value").is_not_null()
        )
        per_age = lines.group_by("age").agg(
            value=pl.col("value").sum(), months=pl.col("covers_months").cast(pl.Int32).sum()
        )
        if per_age.is_empty() or (per_age["months"] != 12).any() or (lines["status"] == "flagged").any():
            continue
        year = per_age["value"].sum()
        times = year / single["value"]
        if 12 / MARCH_MONTH_BAND <= times <= 12 * MARCH_MONTH_BAND:
            reason = (
                f"march value is a month: the single March total {single['value']:,.0f} is 1/{times:.1f} of its "
                f"own age lines' year ({year:,.0f}), so it is March alone; the year is derived from the age lines"
            )
            rows.append((single["row_id"], "march_value_is_a_month", "derived", year, 12, reason))
    return _outcomes(rows)


def reconcile_lines(frame: pl.DataFrame, keys: list[str], derive: bool = True) -> tuple[pl.DataFrame, set[int]]:
    """Age lines against their total over the same months: derive a blank or zero total, correct a slip that
    reconciles, flag a line that repeats the total or lines that exceed it. Also returns the rows whose lines
    agree (parts within the tolerance of the total), which the month rule takes as confirmed."""
    rows, agreeing = [], set()
    for total, parts in _lines(frame, keys):
        given = [p for p in parts if p.value is not None and p.status not in CHANGED]
        if total is None or not given or total.status in CHANGED:
            continue
        if {p.covers for p in given} != {total.covers} and total.value is not None:
            continue  # not the same months (quarterly or annual lines against monthly ones): see whole_year_parts
        summed = sum(p.value for p in given)
        if total.value is None or total.value == 0:
            blank = total.value is None and total.status == "missing"
            if derive and summed > 0 and (blank or total.value == 0) and {p.covers for p in given} == {1}:
                how = "left blank" if blank else "returned as 0"
                reason = f"total derived from lines: the total was {how}; its age lines add up to {summed:,.0f}"
                rows.append((total.row_id, "total_derived_from_lines", "derived", summed, 1, reason))
            continue
        power = _power_of_ten(total.value / summed, SLIP_LINE_TOLERANCE) if summed else None
        if power:
            corrected = total.value / 10**power
            reason = (
                f"decimal slip: the total {total.value:,.0f} is {10**power:,}x its age lines' sum {summed:,.0f}; "
                f"corrected to {corrected:,.0f} (agrees within {SLIP_LINE_TOLERANCE:.0%})"
            )
            rows.append((total.row_id, "decimal_slip", "corrected", corrected, None, reason))
        elif summed > total.value * PARTS_TOLERANCE and summed - total.value > PARTS_MIN_EXCESS:
            rows.extend(_parts_above_total(total, given, summed))
        elif summed * PARTS_TOLERANCE >= total.value:
            agreeing.update([total.row_id, *(p.row_id for p in given)])
    return _outcomes(rows), agreeing


def _parts_above_total(total: _Value, parts: list[_Value], summed: float) -> list[tuple]:
    """One age line slipped, one line repeating the total, or lines that do not add up."""
    for part in parts:
        rest = summed - part.value
        if abs(part.value / total.value - 1) <= REPEAT_TOLERANCE and rest <= total.value * PARTS_TOLERANCE:
            reason = (
                f"line repeats total: the {part.age.replace('_', ' ')} line {part.value:,.0f} equals the total "
                f"{total.value:,.0f} while the other age lines add up to {rest:,.0f}"
            )
            return [_flag(part.row_id, "line_repeats_total", reason)]
    for part in parts:
        for power in SLIP_POWERS:
            fixed = summed - part.value + part.value / 10**power
            if abs(fixed / total.value - 1) <= SLIP_LINE_TOLERANCE:
                corrected = part.value / 10**power
                reason = (
                    f"decimal slip: the {part.age.replace('_', ' ')} line {part.value:,.0f} makes the age lines add "
                    f"up to {summed:,.0f} against a total of {total.value:,.0f}; at {corrected:,.0f} they agree within "
                    f"{SLIP_LINE_TOLERANCE:.0%}"
                )
                return [(part.row_id, "decimal_slip", "corrected", corrected, None, reason)]
    reason = (
        f"age parts above total: the age lines add up to {summed:,.0f} but the total line is {total.value:,.0f} "
        f"({summed / total.value:.2f}x), same months"
    )
    return [_flag(part.row_id, "age_parts_above_total", reason) for part in parts]


def whole_year_parts(activity: pl.DataFrame) -> pl.DataFrame:
    """Where a total and its age lines are returned over different periods (monthly against quarterly or one
    year figure), compare whole years, and only when every line covers all 12 months."""
    aged = activity.with_columns(age=pl.coalesce("content_age", "user_age")).filter(
        pl.col("age").is_not_null(), pl.col("value").is_not_null(), ~pl.col("status").is_in(CHANGED)
    )
    per_line = aged.group_by([*LINE, "age"]).agg(
        value=pl.col("value").sum(),
        months=pl.col("covers_months").cast(pl.Int32).sum(),
        shapes=pl.col("covers_months").unique(),
        row_ids=pl.col("row_id"),
    )
    rows = []
    for _, group in per_line.group_by(LINE):
        total = group.filter(pl.col("age") == "total")
        parts = group.filter(pl.col("age") != "total")
        if total.is_empty() or parts.is_empty() or (group["months"] != 12).any():
            continue
        shapes = {shape for line in group["shapes"] for shape in line}
        if len(shapes) == 1:
            continue  # same months: compared month by month in reconcile_lines
        summed, whole = parts["value"].sum(), total["value"][0]
        if summed > whole * PARTS_TOLERANCE and summed - whole > PARTS_MIN_EXCESS:
            reason = (
                f"age parts above total: over the whole year the age lines add up to {summed:,.0f} but the total "
                f"is {whole:,.0f} ({summed / whole:.2f}x)"
            )
            rows.extend(_flag(row_id, "age_parts_above_total", reason) for ids in parts["row_ids"] for row_id in ids)
    return _outcomes(rows)


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
    return _outcomes(rows)


def _two_levels(lower: list[tuple], upper: list[tuple], confirmed: set[int]) -> list[tuple]:
    low_median = statistics.median(e[1] for e in lower)
    high_median = statistics.median(e[1] for e in upper)
    level = high_median / low_median
    power = _power_of_ten(level, SLIP_LEVEL_BAND)
    rows = []
    if power and len(lower) >= OUT_OF_LINE_MIN_OTHERS:
        low, high = min(e[1] for e in lower) / SLIP_LEVEL_BAND, max(e[1] for e in lower) * SLIP_LEVEL_BAND
        for row_id, month_value, value, period in upper:
            corrected = value / 10**power
            where = f"{period:%b %Y} {value:,.0f} sits in a level {level:.1f}x the series' other {len(lower)} months"
            if row_id in confirmed:
                rows.append(_caveat(row_id, "unusual_month", f"unusual month: {where}, but its age lines agree"))
            elif low <= month_value / 10**power <= high:
                reason = (
                    f"decimal slip: {where} (median {low_median:,.0f}); corrected to {corrected:,.0f}, inside their "
                    f"range widened x{SLIP_LEVEL_BAND:g} ({low:,.0f}-{high:,.0f} a month)"
                )
                rows.append((row_id, "decimal_slip", "corrected", corrected, None, reason))
            else:
                rows.append(_flag(row_id, "decimal_slip_unreconciled", f"decimal slip unreconciled: {where}"))
        return rows
    if power:
        for row_id, _, value, period in lower:
            where = f"{period:%b %Y} {value:,.0f} is 1/{level:.1f} of the series' other {len(upper)} months"
            if row_id in confirmed:
                rows.append(_caveat(row_id, "unusual_month", f"unusual month: {where}, but its age lines agree"))
            else:
                reason = f"decimal slip unreconciled: {where}; too few months to tell which level is right"
                rows.append(_flag(row_id, "decimal_slip_unreconciled", reason))
        return rows
    if len(upper) <= len(lower):
        for row_id, _, value, period in upper:
            where = f"{period:%b %Y} {value:,.0f} is {level:.1f}x the median of the series' other months"
            if row_id in confirmed:
                rows.append(_caveat(row_id, "unusual_month", f"unusual month: {where}, but its age lines agree"))
            else:
                rows.append(_flag(row_id, "month_out_of_line", f"month out of line: {where}"))
        return rows
    for row_id, _, value, period in lower:
        reason = f"unusual month: {period:%b %Y} {value:,.0f} is 1/{level:.1f} of the series' other months; counted"
        rows.append(_caveat(row_id, "unusual_month", reason))
    return rows


def pc_hours_beyond_capacity(activity: pl.DataFrame, point_in_time: pl.DataFrame) -> pl.DataFrame:
    """PC hours above PCs in service x days in the period x 12 hours."""
    pcs = point_in_time.filter(pl.col("metric") == "pcs_in_service", pl.col("value") > 0).select(
        "service_code", pcs=pl.col("value")
    )
    hours = activity.filter(
        pl.col("metric") == "pc_hours", pl.col("value").is_not_null(), pl.col("status") != "flagged"
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
            rows.append(_flag(row["row_id"], "pc_hours_beyond_capacity", reason))
    return _outcomes(rows)


def _days_covered(period: date, covers_months: int) -> int:
    """Days in the `covers_months` months ending with the month of `period`."""
    days, year, month = 0, period.year, period.month
    for _ in range(covers_months):
        days += calendar.monthrange(year, month)[1]
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return days


def apply_outcomes(table: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    """Status, value, months covered and reasons from the outcomes (flagged wins); caveats go to `caveat`."""
    kinds = pl.col("rule").replace_strict(OUTCOME_OF_RULE)
    found = found.with_columns(kind=kinds)
    precedence = pl.col("status").replace_strict(
        {"flagged": 0, "corrected": 1, "derived": 2, "reported": 3, "missing": 4}, default=5
    )
    changes = (
        found.filter(pl.col("kind") != "caveated")
        .sort(precedence)
        .group_by("row_id", maintain_order=True)
        .agg(
            new_status=pl.col("status").first(),
            new_value=pl.col("value").first(),
            new_covers=pl.col("covers").first(),
            reasons=pl.col("reason").unique(maintain_order=True).str.join("; "),
        )
    )
    caveats = (
        found.filter(pl.col("kind") == "caveated")
        .group_by("row_id")
        .agg(caveats=pl.col("reason").unique(maintain_order=True).str.join("; "))
    )
    marked = table.join(changes, on="row_id", how="left").join(caveats, on="row_id", how="left")
    missing = pl.col("new_status") == "missing"
    if "covers_months" in table.columns:
        marked = marked.with_columns(
            covers_months=pl.when(missing).then(None).otherwise(pl.coalesce("new_covers", "covers_months"))
        )
    return marked.with_columns(
        status=pl.coalesce("new_status", "status"),
        value=pl.when(missing).then(None).otherwise(pl.coalesce("new_value", "value")),
        flag_reason=pl.coalesce("reasons", "flag_reason"),
        caveat=pl.coalesce("caveats", "caveat"),
    ).drop("new_status", "new_value", "new_covers", "reasons", "caveats")


def apply_plausibility(activity: pl.DataFrame, point_in_time: pl.DataFrame) -> Checked:
    """Run the line rules stage by stage, each on what the last one left."""
    table = activity.with_row_index("row_id")
    stages = []

    def run(found: pl.DataFrame) -> None:
        nonlocal table
        stages.append(found)
        table = apply_outcomes(table, found)

    run(read_march_values_as_months(table))
    lines, confirmed = reconcile_lines(table, [*LINE, "period"])
    run(pl.concat([lines, whole_year_parts(table)]))
    run(month_levels(table, confirmed))
    points = point_in_time.with_row_index("row_id").with_columns(caveat=pl.lit(None, dtype=pl.String))
    run(pc_hours_beyond_capacity(table, points))
    point_found, _ = reconcile_lines(points, ["service_code", "metric"], derive=False)
    points = apply_outcomes(points, point_found)
    outcomes = pl.concat(
        [
            _described(pl.concat(stages), activity.with_row_index("row_id"), table, "activity"),
            _described(point_found, point_in_time.with_row_index("row_id"), points, "point_in_time"),
        ],
        how="diagonal",
    )
    return Checked(activity=table.drop("row_id"), point_in_time=points.drop("row_id", "caveat"), outcomes=outcomes)


def _described(found: pl.DataFrame, before: pl.DataFrame, after: pl.DataFrame, table: str) -> pl.DataFrame:
    """One row per rule outcome with where it sits, the value as returned and the value used."""
    keys = [c for c in [*SERIES, "period", "source_column"] if c in before.columns]
    outcome = pl.col("rule").replace_strict(OUTCOME_OF_RULE)
    return (
        found.unique(["row_id", "rule"], maintain_order=True)
        .join(before.select("row_id", *keys, value_as_returned="value"), on="row_id")
        .join(after.select("row_id", value_used="value"), on="row_id")
        .with_columns(table=pl.lit(table), outcome=outcome)
        .select("table", *keys, "value_as_returned", "value_used", "outcome", "rule", "reason")
    )
