"""The `services` table: the register joined with population, area, deprivation and places flags."""

from __future__ import annotations

import polars as pl


def build_services(
    register: pl.DataFrame,
    population: pl.DataFrame,
    areas: pl.DataFrame,
    deprivation: pl.DataFrame,
    place_flags: pl.DataFrame,
) -> pl.DataFrame:
    """One row per service; every join is on service_code and may not add or drop a row."""
    services = register.drop("aliases")
    for part in (population, areas, deprivation, place_flags):
        services = services.join(part, on="service_code", how="left", validate="1:1")
    density = pl.when(pl.col("area_km2") > 0).then(pl.col("population") / pl.col("area_km2"))
    # Whether a service made a return is a fact of each year: the annual table's statuses say it.
    return services.with_columns(density=density).sort("service_code")
