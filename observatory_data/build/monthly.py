"""The `monthly` table: each composite metric (loans = books + audiobooks + eBooks + eAudio, ...) per month.

Built once at build time so trend pages only filter. A service's series is `monthly` when every month
of the year has a returned, unflagged value for every part it returned; `quarterly` when its values
are quarterly totals (shown as quarters, not spikes); anything else is `incomplete` and is kept out of
group series.
"""

from __future__ import annotations

import polars as pl

from observatory_data.build.activity import SERIES_KEYS, year_of
from observatory_data.build.annual import MONTHLY_METRICS
from observatory_data.serving.catalogue import ACE_SOURCE_PREFIX, COUNTABLE

GIVEN = ("reported", "corrected", "derived", "quarterly_total", "annual_total", "flagged")
MONTHS_IN_YEAR = 12


def _parts_frame() -> pl.DataFrame:
    rows = []
    for metric, parts in MONTHLY_METRICS.items():
        for part in parts:
            key = {name: getattr(part.series, name) for name in SERIES_KEYS if name != "service_code"}
            rows.append({"composite": metric, **key})
    return pl.DataFrame(rows, schema={"composite": pl.String, **{k: pl.String for k in SERIES_KEYS[1:]}})


def build_monthly(activity: pl.DataFrame, annual: pl.DataFrame) -> pl.DataFrame:
    """One row per service x composite metric x month with the summed value and the series' shape.

    A series whose annual value is not countable (partial, e.g. eBooks not returned) is `incomplete`
    whatever its months look like, so group lines add like with like.
    """
    ace = activity.filter(pl.col("source").str.starts_with(ACE_SOURCE_PREFIX) & pl.col("status").is_in(GIVEN))
    keys = SERIES_KEYS[1:]
    joined = ace.join(_parts_frame(), on=keys, how="inner", nulls_equal=True)
    per_month = joined.group_by("service_code", "composite", "period").agg(
        value=pl.col("value").sum(),
        covers_months=pl.col("covers_months").max(),
        flagged=(pl.col("status") == "flagged").any(),
        parts=pl.len(),
    )
    per_month = per_month.with_columns(year=pl.col("period").map_elements(year_of, return_dtype=pl.Int32))
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
