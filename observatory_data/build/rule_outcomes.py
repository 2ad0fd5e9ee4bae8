"""The outcome rows the rules on monthly lines return, and how a stage's outcomes are applied to a table.

An outcome row is (row, rule, new status, new value, months covered, reason); a caveat changes no status.
"""

from __future__ import annotations

import polars as pl

from observatory_data.serving.catalogue import ActivityStatus, Outcome
from observatory_data.serving.rules import OUTCOME_OF_RULE, SLIP_POWERS

OUTCOME_COLUMNS = {
    "row_id": pl.UInt32,
    "rule": pl.String,
    "status": pl.String,
    "value": pl.Float64,
    "covers": pl.Int8,
    "reason": pl.String,
}
LINE = ["service_code", "metric", "mode", "format", "location"]
CHANGED = (ActivityStatus.FLAGGED, ActivityStatus.CORRECTED, ActivityStatus.DERIVED)


def outcomes(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=OUTCOME_COLUMNS, orient="row").sort("row_id", maintain_order=True)


def flag(row_id: int, rule: str, reason: str) -> tuple:
    return (row_id, rule, ActivityStatus.FLAGGED, None, None, reason)


def caveat(row_id: int, rule: str, reason: str) -> tuple:
    return (row_id, rule, None, None, None, reason)


def power_of_ten(ratio: float, tolerance: float) -> int | None:
    """The k in SLIP_POWERS with ratio within 10^k x (1 +- tolerance) (a multiplicative band when tolerance > 1)."""
    for power in SLIP_POWERS:
        scaled = ratio / 10**power
        if (tolerance > 1 and 1 / tolerance <= scaled <= tolerance) or (
            tolerance <= 1 and abs(scaled - 1) <= tolerance
        ):
            return power
    return None


def apply_outcomes(table: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    """Status, value, months covered and reasons from the outcomes (flagged wins); caveats go to `caveat`."""
    kinds = pl.col("rule").replace_strict(OUTCOME_OF_RULE)
    found = found.with_columns(kind=kinds)
    precedence = pl.col("status").replace_strict(
        {
            ActivityStatus.FLAGGED: 0,
            ActivityStatus.CORRECTED: 1,
            ActivityStatus.DERIVED: 2,
            ActivityStatus.REPORTED: 3,
            ActivityStatus.MISSING: 4,
        },
        default=5,
    )
    changes = (
        found.filter(pl.col("kind") != Outcome.CAVEATED)
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
        found.filter(pl.col("kind") == Outcome.CAVEATED)
        .group_by("row_id")
        .agg(caveats=pl.col("reason").unique(maintain_order=True).str.join("; "))
    )
    marked = table.join(changes, on="row_id", how="left").join(caveats, on="row_id", how="left")
    missing = pl.col("new_status") == ActivityStatus.MISSING
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
