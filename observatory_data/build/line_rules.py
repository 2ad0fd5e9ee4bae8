"""Rules on a total line and its age lines: a total derived from its lines, a decimal slip that reconciles with
them, a line that repeats the total, lines that add up to more than it, and a single March value that is March alone.
Lines are compared over the same months only (monthly against monthly, otherwise whole year against whole year).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from observatory_data.build.rule_outcomes import CHANGED, LINE, flag, outcomes, power_of_ten
from observatory_data.serving.catalogue import ActivityStatus
from observatory_data.serving.rules import (
    MARCH_MONTH_BAND,
    PARTS_MIN_EXCESS,
    PARTS_TOLERANCE,
    REPEAT_TOLERANCE,
    SLIP_LINE_TOLERANCE,
    SLIP_POWERS,
)


@dataclass(frozen=True)
class _Value:
    row_id: int
    age: str
    value: float | None
    covers: int | None
    status: str


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
    singles = aged.filter(
        pl.col("status") == ActivityStatus.ANNUAL_TOTAL, pl.col("age") == "total", pl.col("value") > 0
    )
    for single in singles.iter_rows(named=True):
        lines = aged.filter(
            *[pl.col(k).eq_missing(single[k]) for k in LINE], pl.col("age") != "total", pl.col("value").is_not_null()
        )
        per_age = lines.group_by("age").agg(
            value=pl.col("value").sum(), months=pl.col("covers_months").cast(pl.Int32).sum()
        )
        if per_age.is_empty() or (per_age["months"] != 12).any() or (lines["status"] == ActivityStatus.FLAGGED).any():
            continue
        year = per_age["value"].sum()
        times = year / single["value"]
        if 12 / MARCH_MONTH_BAND <= times <= 12 * MARCH_MONTH_BAND:
            reason = (
                f"march value is a month: the single March total {single['value']:,.0f} is 1/{times:.1f} of its "
                f"own age lines' year ({year:,.0f}), so it is March alone; the year is derived from the age lines"
            )
            rows.append((single["row_id"], "march_value_is_a_month", ActivityStatus.DERIVED, year, 12, reason))
    return outcomes(rows)


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
            blank = total.value is None and total.status == ActivityStatus.MISSING
            if derive and summed > 0 and (blank or total.value == 0) and {p.covers for p in given} == {1}:
                how = "left blank" if blank else "returned as 0"
                reason = f"total derived from lines: the total was {how}; its age lines add up to {summed:,.0f}"
                rows.append((total.row_id, "total_derived_from_lines", ActivityStatus.DERIVED, summed, 1, reason))
            continue
        power = power_of_ten(total.value / summed, SLIP_LINE_TOLERANCE) if summed else None
        if power:
            corrected = total.value / 10**power
            reason = (
                f"decimal slip: the total {total.value:,.0f} is {10**power:,}x its age lines' sum {summed:,.0f}; "
                f"corrected to {corrected:,.0f} (agrees within {SLIP_LINE_TOLERANCE:.0%})"
            )
            rows.append((total.row_id, "decimal_slip", ActivityStatus.CORRECTED, corrected, None, reason))
        elif summed > total.value * PARTS_TOLERANCE and summed - total.value > PARTS_MIN_EXCESS:
            rows.extend(_parts_above_total(total, given, summed))
        elif summed * PARTS_TOLERANCE >= total.value:
            agreeing.update([total.row_id, *(p.row_id for p in given)])
    return outcomes(rows), agreeing


def _parts_above_total(total: _Value, parts: list[_Value], summed: float) -> list[tuple]:
    """One age line slipped, one line repeating the total, or lines that do not add up."""
    for part in parts:
        rest = summed - part.value
        if abs(part.value / total.value - 1) <= REPEAT_TOLERANCE and rest <= total.value * PARTS_TOLERANCE:
            reason = (
                f"line repeats total: the {part.age.replace('_', ' ')} line {part.value:,.0f} equals the total "
                f"{total.value:,.0f} while the other age lines add up to {rest:,.0f}"
            )
            return [flag(part.row_id, "line_repeats_total", reason)]
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
                return [(part.row_id, "decimal_slip", ActivityStatus.CORRECTED, corrected, None, reason)]
    reason = (
        f"age parts above total: the age lines add up to {summed:,.0f} but the total line is {total.value:,.0f} "
        f"({summed / total.value:.2f}x), same months"
    )
    return [flag(part.row_id, "age_parts_above_total", reason) for part in parts]


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
            rows.extend(flag(row_id, "age_parts_above_total", reason) for ids in parts["row_ids"] for row_id in ids)
    return outcomes(rows)
