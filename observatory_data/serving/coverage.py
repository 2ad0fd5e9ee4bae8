"""Who reported, and totals that say how many services they rest on: the services that sent ACE a return for a year,
the English services that sent none, and a group's total and population-weighted rate with its coverage.

Only countable values (catalogue.COUNTABLE) count in an aggregate; every aggregate carries its coverage. A counted
value with a caveat stays in a total: a caveat removes a rate from comparisons, never a count from a sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from observatory_data.serving.catalogue import ACE_SOURCE_PREFIX, ENGLAND, PER, Status, years_with_data


@dataclass(frozen=True)
class Aggregate:
    """A group total with the population-weighted rate and how many services it rests on."""

    total: float | None
    rate: float | None
    reported: int
    of: int

    @property
    def coverage(self) -> str:
        return f"{self.reported} of {self.of} services reported"


def aggregate(rates: pl.DataFrame, codes: list[str] | None = None) -> Aggregate:
    """Sum and population-weighted rate over the services in `codes` (all rows when None) of a rates frame
    (rates.service_rates).

    A caveated value stays in: it is a real count of real use, and a total must not lose it.
    """
    group = rates if codes is None else rates.filter(pl.col("service_code").is_in(codes))
    counted = group.filter(pl.col("rate").is_not_null())
    if counted.is_empty():
        return Aggregate(None, None, 0, group.height)
    total = float(counted["value"].sum())
    population = float(counted["denominator"].sum())
    return Aggregate(total, total / population * PER, counted.height, group.height)


def returned_codes(annual: pl.DataFrame, year: int) -> list[str]:
    """The services that sent ACE a return for `year` (any value, counted or not), sorted: the year's own status,
    never the 2023/24 workbook's."""
    returned = annual.filter(
        (pl.col("year") == year)
        & pl.col("source").str.starts_with(ACE_SOURCE_PREFIX)
        & ~pl.col("status").is_in([Status.NO_RETURN.value, Status.NOT_COLLECTED.value])
    )
    return sorted(returned["service_code"].unique().to_list())


def services_returning(annual: pl.DataFrame, year: int) -> int:
    """How many services sent ACE a return for `year` (any value, counted or not): the year's own coverage,
    not the 2023/24 workbook's."""
    return len(returned_codes(annual, year))


def no_return_by_year(annual: pl.DataFrame, services: pl.DataFrame) -> pl.DataFrame:
    """For each year of ACE returns, the English services that sent none: year, service_code, service_name (by year,
    then name). A service counts as returning in a year if any of its figures for that year came back."""
    english = services.filter(pl.col("nation") == ENGLAND).select("service_code", "service_name")
    rows = [
        english.filter(~pl.col("service_code").is_in(returned_codes(annual, year))).with_columns(
            year=pl.lit(year, pl.Int32)
        )
        for year in years_with_data(annual)
    ]
    schema = {"year": pl.Int32, "service_code": pl.String, "service_name": pl.String}
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.concat(rows).select(*schema).sort("year", "service_name")
