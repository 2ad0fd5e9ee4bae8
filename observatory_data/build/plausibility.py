"""Rules on the monthly lines: they separate typing slips, impossible values and genuine but unusual months.

Every rule and threshold is stated once, in observatory_data/serving/rules.py. A rule's decision is an
outcome row (row, rule, new status, new value, reason). Nothing is dropped: `value_as_returned` keeps
the figure as returned; `value` is the figure used; `status` says what happened:
- derived: a total line left blank or typed as 0 whose age lines are filled, or a total read from its lines;
- corrected: a decimal slip, divided back only where the corrected figure reconciles with the service's
  own figures (its age lines for the same month, or its other months);
- flagged: a value that cannot be right and cannot be reconciled (kept, left out of aggregates);
- a caveat (status unchanged, counted): a genuine but unusual month, explained.

The rules live in line_rules.py (a total and its age lines) and month_rules.py (single months); their
outcome rows in rule_outcomes.py. The stages run in order, each on the values the previous one left: lines
(same months only), then the months of each series, then PC capacity. Rates per resident are judged on
whole years (build/rates.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from observatory_data.build.activity import SERIES_KEYS as SERIES
from observatory_data.build.line_rules import read_march_values_as_months, reconcile_lines, whole_year_parts
from observatory_data.build.month_rules import month_levels, pc_hours_beyond_capacity
from observatory_data.build.rule_outcomes import LINE, apply_outcomes
from observatory_data.serving.rules import OUTCOME_OF_RULE


@dataclass(frozen=True)
class Checked:
    """The activity and point-in-time tables with the rules applied, and one row per rule outcome."""

    activity: pl.DataFrame
    point_in_time: pl.DataFrame
    outcomes: pl.DataFrame


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
