"""The `monthly` table: each composite metric (loans = books + audiobooks + eBooks + eAudio, ...) per month.

Built once at build time so trend pages only filter. A service's series is `monthly` when every month
of the year has a returned, unflagged value for every part it returned; `quarterly` when its values
are quarterly totals (shown as quarters, not spikes); anything else is `incomplete` and is kept out of
group series.
"""

from __future__ import annotations

import polars as pl

from observatory_data.build.activity import SERIES_KEYS
from observatory_data.build.annual import metric_parts
from observatory_data.serving.catalogue import ACE_SOURCE_PREFIX, COUNTABLE, ActivityStatus
from observatory_data.serving.periods import year_of_expr

GIVEN = (
    ActivityStatus.REPORTED,
    ActivityStatus.CORRECTED,
    ActivityStatus.DERIVED,
    ActivityStatus.QUARTERLY_TOTAL,
    ActivityStatus.ANNUAL_TOTAL,
    ActivityStatus.FLAGGED,
)
MONTHS_IN_YEAR = 12


def build_monthly(activity: pl.DataFrame, annual: pl.DataFrame) -> pl.DataFrame:
    """One row per service x composite metric x month with the summed value and the series' shape.

    A series whose annual value is not countable (partial, e.g. eBooks not returned) is `incomplete`
    whatever its months look like, so group lines add like with like.
    """
    ace = activity.filter(pl.col("source").str.starts_with(ACE_SOURCE_PREFIX) & pl.col("status").is_in(GIVEN))
    keys = SERIES_KEYS[1:]
    joined = ace.join(metric_parts().drop("part"), on=keys, how="inner", nulls_equal=True)
    per_month = joined.group_by("service_code", "composite", "period").agg(
        value=pl.col("value").sum(),
        covers_months=pl.col("covers_months").max(),
        flagged=(pl.col("status") == ActivityStatus.FLAGGED).any(),
        parts=pl.len(),
    )
    per_month = per_month.with_columns(year=year_of_expr(pl.col("period")))
    per_series = per_month.group_by("service_code", "composite", "year").agg(
        months=pl.col("covers_months").cast(pl.Int32).sum(),
        max_cover=pl.col("covers_months").max(),
        any_flagged=pl.col("flagged").any(),
        parts_constant=pl.col("parts").n_unique() == 1,
    )
    shape = (
        pl.when(pl.col("any_flagged"))
        .then(pl.lit("flagged"))
        .when((pl.col("months") == MONTHS_IN_YEAR) & (pl.col("max_cover") == 1) & pl.col("parts_constant"))
        .then(pl.lit("monthly"))
        .when((pl.col("months") == MONTHS_IN_YEAR) & (pl.col("max_cover") == 3) & pl.col("parts_constant"))
        .then(pl.lit("quarterly"))
        .otherwise(pl.lit("incomplete"))
    )
    countable = annual.filter(pl.col("status").is_in(COUNTABLE)).select(
        "service_code", "year", pl.col("metric").alias("composite"), countable=pl.lit(True)
    )
    per_series = per_series.join(countable, on=["service_code", "composite", "year"], how="left").with_columns(
        shape=pl.when(pl.col("countable").is_null() & pl.col("any_flagged").not_())
        .then(pl.lit("incomplete"))
        .otherwise(shape)
    )
    result = per_month.join(per_series, on=["service_code", "composite", "year"])
    return result.select(
        "service_code",
        pl.col("composite").alias("metric"),
        "period",
        "value",
        pl.col("covers_months").cast(pl.Int8),
        "flagged",
        "shape",
    ).sort("service_code", "metric", "period")
