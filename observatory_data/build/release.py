"""Annual rows for the years ACE published as official statistics, from the per-service headline file.

ACE's monthly workbook (and so the Offer breakdowns) exists for 2023/24 only. For later years ACE released
whole-year headline figures per service; Libraries Hacked's `services.csv` carries them, each with their own
audit's verdict. We take the figure as returned (`value_as_returned` = the file's figure) and apply our
own rules to it (build/rates.py, per year and across years); their verdicts only appear in the build
report's comparison. The workbook year stays the workbook's: the file's rows for it are a cross-check.
"""

from __future__ import annotations

import polars as pl

from observatory_data.build.annual import COVERED_NATION, as_annual
from observatory_data.serving.catalogue import ACE_SOURCE_PREFIX, Status
from observatory_data.serving.periods import financial_year


def release_source(year: int) -> str:
    """The `source` of an annual value from ACE's official-statistics release (starts with the ACE prefix)."""
    return f"{ACE_SOURCE_PREFIX} {financial_year(year)} (official statistics, headline figures via Libraries Hacked)"


def annual_from_release(release: pl.DataFrame, register: pl.DataFrame, years: list[int]) -> pl.DataFrame:
    """One row per register service x headline metric x year: the figure as returned, `reported`; blank or
    absent English services `no_return`; other nations `not_collected` (ACE collects England only)."""
    metrics = release["metric"].unique(maintain_order=True).to_list()
    grid = (
        register.select("service_code", "nation")
        .join(pl.DataFrame({"year": years}, schema={"year": pl.Int32}), how="cross")
        .join(pl.DataFrame({"metric": metrics}), how="cross")
    )
    given = release.filter(pl.col("year").is_in(years)).select("service_code", "year", "metric", "value_as_returned")
    rows = grid.join(given, on=["service_code", "year", "metric"], how="left")
    english = pl.col("nation") == COVERED_NATION
    returned = pl.col("value_as_returned").is_not_null()
    period = pl.col("year").map_elements(financial_year, return_dtype=pl.String)
    return as_annual(
        rows.with_columns(
            value="value_as_returned",
            status=pl.when(~english)
            .then(pl.lit(Status.NOT_COLLECTED))
            .when(returned)
            .then(pl.lit(Status.REPORTED))
            .otherwise(pl.lit(Status.NO_RETURN)),
            months_covered=pl.when(returned).then(pl.lit(12)),
            source=pl.col("year").map_elements(release_source, return_dtype=pl.String),
            note=pl.when(~english)
            .then(pl.format("ACE collects activity for England only ({})", "nation"))
            .when(returned)
            .then(pl.format("whole-year figure for {} as returned in ACE's official statistics release", period))
            .otherwise(pl.format("no figure in ACE's official statistics release for {}", period)),
            caveat=pl.lit(None, dtype=pl.String),
        )
    )
