"""Each service's rate per 1,000 residents of a metric, in a year or over several, and which rates may be compared.

A counted value with a `caveat` (its per-resident rate is not comparable, e.g. the City of London's small resident
and large daytime population) keeps its rate, shown, but that rate is left out of every median, rank, distribution
and class break (COMPARABLE).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import polars as pl

from observatory_data.serving.audit_marks import AUDIT_COLUMNS, with_audit_columns
from observatory_data.serving.catalogue import COUNTABLE, PER, Status
from observatory_data.serving.coverage import returned_codes

# A rate that may enter a median, a rank, a distribution or a class break: counted, and with no caveat.
COMPARABLE = pl.col("rate").is_not_null() & pl.col("caveat").is_null()


def denominator_of(metrics: pl.DataFrame, metric: str) -> str:
    """The population column a metric is divided by (children's metrics by children, and so on)."""
    return metrics.filter(pl.col("metric") == metric)["denominator"].item()


def metrics_reported(metrics: pl.DataFrame, annual: pl.DataFrame, year: int | None = None) -> list[str]:
    """The catalogue's metrics with values for `year` (any year if None), in catalogue order."""
    rows = annual.filter(pl.col("value").is_not_null())
    present = set((rows if year is None else rows.filter(pl.col("year") == year))["metric"].unique())
    return [metric for metric in metrics["metric"] if metric in present]


def service_rates(
    annual: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame, metric: str, year: int
) -> pl.DataFrame:
    """One row per service: value, status, denominator population, rate per 1,000 (null if not countable) and
    caveat (why the rate is not comparable; kept only where there is a rate, since it speaks of the rate); beside
    them the figure as returned and the audit's mark (audit_marks.AUDIT_COLUMNS), whether the value counts or not,
    and `returned`: whether the service sent ACE a return for the year."""
    denominator = denominator_of(metrics, metric)
    values = with_audit_columns(annual.filter((pl.col("metric") == metric) & (pl.col("year") == year))).select(
        "service_code", "value", "status", "months_covered", "caveat", "value_as_returned", *AUDIT_COLUMNS
    )
    table = services.select(
        "service_code",
        "service_name",
        "nation",
        "region",
        "priority_place",
        "lucp",
        "imd_decile",
        pl.col(denominator).alias("denominator"),
    ).join(values, on="service_code", how="left")
    countable = pl.col("status").is_in(COUNTABLE) & pl.col("value").is_not_null() & (pl.col("denominator") > 0)
    return table.with_columns(
        status=pl.col("status").fill_null(Status.NO_RETURN.value),
        rate=pl.when(countable).then(pl.col("value") / pl.col("denominator") * PER),
        caveat=pl.when(countable).then(pl.col("caveat")),
        # Whether the service sent a return for the year at all: a metric missing from a return is not "no return".
        # (Only a table with its sources can say; a frame without them leaves it unknown.)
        returned=pl.col("service_code").is_in(returned_codes(annual, year))
        if "source" in annual.columns
        else pl.lit(None, pl.Boolean),
    )


def service_rates_by_year(
    annual: pl.DataFrame,
    services: pl.DataFrame,
    metrics: pl.DataFrame,
    metric: str,
    years: list[int],
    rates_of: Callable[[str, int], pl.DataFrame] | None = None,
) -> pl.DataFrame:
    """`service_rates` of one metric for each of `years`, stacked with a year column. `rates_of(metric, year)`: the
    same `service_rates` where a caller keeps them (a page's cache); computed here if None."""
    rates_of = rates_of or partial(service_rates, annual, services, metrics)
    return pl.concat(rates_of(metric, year).with_columns(year=pl.lit(year, pl.Int32)) for year in years)


def not_comparable(rates: pl.DataFrame) -> list[str]:
    """The names of the services whose rate is shown but left out of medians, ranks and class breaks."""
    return rates.filter(pl.col("rate").is_not_null() & pl.col("caveat").is_not_null())["service_name"].to_list()


def service_caveats(annual: pl.DataFrame, service_code: str, year: int, metric: str | None = None) -> list[str]:
    """The distinct caveats on a service's counted values for a year (one metric's, if given)."""
    rows = annual.filter(
        (pl.col("service_code") == service_code)
        & (pl.col("year") == year)
        & pl.col("status").is_in(COUNTABLE)
        & pl.col("caveat").is_not_null()
    )
    if metric is not None:
        rows = rows.filter(pl.col("metric") == metric)
    return rows["caveat"].unique(maintain_order=True).to_list()
