"""Figures over time: a group's or a service's monthly line within a year, and groups' yearly sums on the same
services every year.

Only countable values (catalogue.COUNTABLE) are summed; a group's line over years counts, by default, only its
services countable in every year (matched_codes), so it moves with their use, not with who reported. Caveated
values stay in: a caveat removes a rate from comparisons, never a count from a sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from observatory_data.serving.catalogue import PER
from observatory_data.serving.same_services import COUNTED_VALUE, in_every_year


@dataclass(frozen=True)
class MonthlySeries:
    """A monthly line: value per month, its rate, and how many services it rests on."""

    frame: pl.DataFrame  # period, value, rate
    services: int
    shape: str  # monthly, quarterly or none


def group_monthly(
    monthly: pl.DataFrame, services: pl.DataFrame, metric: str, denominator: str, codes: list[str]
) -> MonthlySeries:
    """The sum over the services in `codes` that reported every month (and their rate per 1,000)."""
    complete = monthly.filter(
        (pl.col("metric") == metric) & (pl.col("shape") == "monthly") & pl.col("service_code").is_in(codes)
    )
    members = complete["service_code"].unique()
    population = services.filter(pl.col("service_code").is_in(members.implode()))[denominator].sum()
    frame = (
        complete.group_by("period")
        .agg(value=pl.col("value").sum())
        .sort("period")
        .with_columns(rate=pl.col("value") / population * PER if population else pl.lit(None, pl.Float64))
    )
    return MonthlySeries(frame, members.len(), "monthly" if members.len() else "none")


def service_monthly(
    monthly: pl.DataFrame, services: pl.DataFrame, metric: str, denominator: str, code: str
) -> MonthlySeries:
    """One service's own line; quarterly totals are spread as monthly averages over their quarter."""
    own = monthly.filter((pl.col("metric") == metric) & (pl.col("service_code") == code))
    shape = own["shape"][0] if own.height else "none"
    if shape not in ("monthly", "quarterly"):
        return MonthlySeries(
            pl.DataFrame(schema={"period": pl.Date, "value": pl.Float64, "rate": pl.Float64}), 0, "none"
        )
    if shape == "quarterly":
        own = (
            own.with_columns(pl.col("value") / 3)
            .with_columns(
                period=pl.concat_list([pl.col("period").dt.offset_by(f"-{offset}mo") for offset in (2, 1, 0)])
            )
            .explode("period")
        )
    population = services.filter(pl.col("service_code") == code)[denominator].item()
    frame = (
        own.select("period", "value")
        .sort("period")
        .with_columns(rate=pl.col("value") / population * PER if population else pl.lit(None, pl.Float64))
    )
    return MonthlySeries(frame, 1, shape)


def matched_codes(annual: pl.DataFrame, metric: str, years: list[int]) -> list[str]:
    """The services with a countable value of `metric` in every one of `years` (sorted): the matched set."""
    rows = annual.filter(pl.col("metric") == metric)
    return in_every_year(rows, COUNTED_VALUE, years)["service_code"].to_list()


def yearly_sums(
    annual: pl.DataFrame,
    services: pl.DataFrame,
    metric: str,
    denominator: str,
    years: list[int],
    groups: dict[str, list[str]],
    matched: bool = True,
) -> pl.DataFrame:
    """One row per group and year: series, year, value (sum), population, rate per 1,000 (population-weighted:
    sum of values / sum of population), services (how many the sum rests on) and of (the group's size).

    With `matched`, each group counts only its services with a countable value in every year (the same services
    each year); without, whichever were countable that year (a one-service group: that service's own values).
    A group with nothing to count keeps its rows, with null value and rate: missing is never zero.
    Caveated values stay in: a caveat removes a rate from comparisons, never a count from a sum.
    """
    members = pl.DataFrame(
        [(label, code) for label, codes in groups.items() for code in dict.fromkeys(codes)],
        schema={"series": pl.String, "service_code": pl.String},
        orient="row",
    )
    sizes = pl.DataFrame(
        {"series": list(groups), "of": [len(set(codes)) for codes in groups.values()]},
        schema={"series": pl.String, "of": pl.Int64},
    )
    population = services.select("service_code", pl.col(denominator).alias("population")).filter(
        pl.col("population") > 0
    )
    values = annual.filter(pl.col("metric") == metric, pl.col("year").is_in(years), COUNTED_VALUE).select(
        "service_code", "year", "value"
    )
    if matched:
        values = values.filter(pl.col("service_code").is_in(matched_codes(annual, metric, years)))
    sums = (
        members.join(population, on="service_code")
        .join(values, on="service_code")
        .group_by("series", "year")
        .agg(pl.col("value").sum(), pl.col("population").sum(), services=pl.len())
    )
    grid = sizes.join(pl.DataFrame({"year": sorted(set(years))}, schema={"year": pl.Int32}), how="cross")
    return (
        grid.join(sums, on=["series", "year"], how="left")
        .with_columns(
            rate=pl.col("value") / pl.col("population") * PER,
            services=pl.col("services").fill_null(0).cast(pl.Int64),
        )
        .select("series", "year", "value", "population", "rate", "services", "of")
    )
