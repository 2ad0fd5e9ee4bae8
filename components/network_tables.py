"""The tables behind the library network page's figures, with headers a reader (and a spreadsheet) understands."""

from __future__ import annotations

import polars as pl

from components.network_definitions import HOURS, MODELS
from observatory_data.serving.catalogue import POPULATION_VINTAGE
from observatory_data.serving.network_queries import BASE_YEAR


def network_table(totals: pl.DataFrame) -> pl.DataFrame:
    return totals.select(
        pl.col("year").alias("Year"),
        pl.col("libraries_open").alias("Service points listed as open at the end of the year"),
        pl.col("openings").alias("Openings"),
        pl.col("closures").alias("Closures"),
        pl.col("libraries_open_known").alias("Services counted (the list records their changes)"),
        pl.col("services").alias("Services in the area"),
    )


def rate_table(rates: pl.DataFrame) -> pl.DataFrame:
    return rates.select(
        pl.col("area").alias("Area"),
        pl.col("year").alias("Year"),
        pl.col("rate_libraries").alias("Listed as open (services with a population)"),
        pl.col("rate_population").alias(f"Residents ({POPULATION_VINTAGE})"),
        pl.col("libraries_per_100k").round(1).alias("Libraries per 100,000 residents"),
        pl.col("rate_services").alias("Services counted"),
        pl.col("services").alias("Services in the area"),
    )


def ace_table(totals: pl.DataFrame) -> pl.DataFrame:
    shown = totals.filter(pl.any_horizontal(pl.col(column).is_not_null() for column, *_ in MODELS))
    return shown.select(
        pl.col("year").alias("Year"),
        *[pl.col(column).alias(name) for column, name, *_ in MODELS],
        pl.col("statutory_libraries_known").alias("Services with a statutory count"),
        pl.col("community_run_known").alias("Services with operating models"),
        pl.col("services").alias("Services in the area"),
    )


def hours_frame(paired: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The like-for-like hours per measure (HOURS column -> network_queries.paired_totals) in one frame."""
    names = dict(HOURS)
    return pl.concat(
        [
            frame.select(pl.lit(names[column]).alias("measure"), "year", "total", "services")
            for column, frame in paired.items()
        ]
    )


def hours_table(hours: pl.DataFrame) -> pl.DataFrame:
    return hours.select(
        pl.col("measure").alias("Measure"),
        pl.col("year").alias("Year"),
        pl.col("total").round(1).alias("Hours a week"),
        pl.col("services").alias("Services with hours in both years"),
    )


def change_table(change: pl.DataFrame, services: pl.DataFrame, year: int) -> pl.DataFrame:
    return (
        change.join(services, on="service_code")
        .sort("change_pct", "service_name", nulls_last=True)
        .select(
            pl.col("service_name").alias("Service"),
            pl.col("service_code").alias("Service code"),
            pl.col("nation").alias("Nation"),
            pl.col("region").alias("Region"),
            pl.col("before").alias(f"Listed as open, end of {BASE_YEAR} (empty: not recorded)"),
            pl.col("after").alias(f"Listed as open, end of {year}"),
            pl.col("change").alias("Change"),
            pl.col("change_pct").round(1).alias("Change (%)"),
        )
    )


def openings_and_closures(branches: pl.DataFrame, service_code: str) -> pl.DataFrame:
    """The service's points with an opening or closing year in the list, latest first; unknown years stay empty."""
    dated = branches.filter(
        pl.col("service_code") == service_code,
        pl.col("year_opened").is_not_null() | pl.col("year_closed").is_not_null(),
    )
    return dated.sort(pl.max_horizontal("year_opened", "year_closed"), "name", descending=[True, False]).select(
        pl.col("name").alias("Service point"),
        pl.col("year_opened").alias("Year opened"),
        pl.col("year_closed").alias("Year closed"),
        pl.col("status").alias("Status now"),
        pl.col("type_label").alias("Run as"),
    )
