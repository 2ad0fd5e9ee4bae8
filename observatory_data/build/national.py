"""National estimates: what a nation's total would be if every service had reported, with an interval.

A sum over the services that reported is not a national figure: for loans in 2023/24 they hold about 60% of
England's residents. The estimate grosses the reported values up by population within each region (ratio
estimation by stratum: a region's rate among its reporting services, times the region's whole population);
a region where no service reported takes the nation's rate. A service whose rates carry a caveat (a
denominator effect: City of London's residents are not its users) adds its count as it is and lends no rate
to its region, so its tiny population does not gross anything up. The interval comes from a bootstrap that
resamples the reporting services within each region. Below the coverage threshold (DCMS's convention: at
least 70% of authorities or 70% of the population) the estimate is published as indicative, with the reason.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from observatory_data.serving.catalogue import CATALOGUE, COUNTABLE, COVERAGE_THRESHOLD, ENGLAND, HEADLINE_METRICS
from observatory_data.serving.schema import polars_schema

BOOTSTRAP_DRAWS = 2_000
BOOTSTRAP_SEED = 20231  # fixed, so a rebuild from the same sources gives the same interval
INTERVAL = (2.5, 97.5)
COVERED_NATION = ENGLAND
METHOD = (
    "Ratio estimate by region: each region's rate among its reporting services times the region's population "
    "({denominator}); a region with no reporting service takes England's rate; a service whose rate carries a "
    "caveat adds its count and lends no rate. 95% interval: bootstrap of the "
    f"reporting services within regions ({BOOTSTRAP_DRAWS:,} draws)."
)


def national_estimates(annual: pl.DataFrame, services: pl.DataFrame, years: list[int]) -> pl.DataFrame:
    """One row per year and headline metric for England, from the annual table's countable values."""
    rows = [_estimate(annual, services, metric, year) for year in years for metric in HEADLINE_METRICS]
    return pl.DataFrame(rows, schema=polars_schema("national"))


def _estimate(annual: pl.DataFrame, services: pl.DataFrame, metric: str, year: int) -> dict:
    denominator = CATALOGUE[metric].denominator
    values = annual.filter((pl.col("metric") == metric) & (pl.col("year") == year)).select(
        "service_code", "value", "status", "caveat"
    )
    frame = (
        services.filter(pl.col("nation") == COVERED_NATION)
        .select("service_code", "region", pl.col(denominator).alias("people"))
        .join(values, on="service_code", how="left")
        .with_columns(reporting=pl.col("status").is_in(COUNTABLE) & pl.col("value").is_not_null())
    )
    reporting = frame.filter(pl.col("reporting"))
    population = float(frame["people"].sum())
    share = float(reporting["people"].sum()) / population if population else 0.0
    authority_share = reporting.height / frame.height
    estimate, low, high = _ratio_estimate(frame)
    indicative = authority_share < COVERAGE_THRESHOLD and share < COVERAGE_THRESHOLD
    return {
        "nation": COVERED_NATION,
        "year": year,
        "metric": metric,
        "reported_total": float(reporting["value"].sum()) if reporting.height else None,
        "services_reporting": reporting.height,
        "services_total": frame.height,
        "population_share": share,
        "estimate": estimate,
        "estimate_low": low,
        "estimate_high": high,
        "method": METHOD.format(denominator=denominator.replace("_", " ")),
        "indicative": indicative,
        "indicative_reason": (
            f"reporting services are {authority_share:.1%} of authorities and hold {share:.1%} of the population, "
            f"both under the {COVERAGE_THRESHOLD:.0%} threshold"
        )
        if indicative
        else None,
    }


def _ratio_estimate(frame: pl.DataFrame) -> tuple[float | None, float | None, float | None]:
    """The estimate and its bootstrap interval; nothing when no service reported."""
    known = frame.filter(pl.col("reporting") & pl.col("caveat").is_not_null())
    frame = frame.join(known, on="service_code", how="anti")
    reporting = frame.filter(pl.col("reporting"))
    if reporting.is_empty():
        return None, None, None
    added = float(known["value"].sum())
    regions = frame.group_by("region").agg(people=pl.col("people").sum()).sort("region")
    strata = {
        region: (group["value"].to_numpy(), group["people"].to_numpy().astype(float))
        # In a fixed order, so the seeded draws (and the interval) are the same on every build.
        for (region,), group in reporting.sort("region", "service_code").group_by("region", maintain_order=True)
    }
    region_people = dict(regions.iter_rows())
    estimate = added + _gross_up(strata, region_people)
    generator = np.random.default_rng(BOOTSTRAP_SEED)
    draws = []
    for _ in range(BOOTSTRAP_DRAWS):
        resampled = {}
        for region, (values, people) in strata.items():
            picks = generator.integers(0, len(values), len(values))
            resampled[region] = (values[picks], people[picks])
        draws.append(added + _gross_up(resampled, region_people))
    low, high = np.percentile(draws, INTERVAL)
    return estimate, float(low), float(high)


def _gross_up(strata: dict[str, tuple[np.ndarray, np.ndarray]], region_people: dict[str, float]) -> float:
    """Each region's reporting rate times its whole population; regions without reports take the overall rate."""
    overall = sum(values.sum() for values, _ in strata.values()) / sum(people.sum() for _, people in strata.values())
    total = 0.0
    for region, people in region_people.items():
        if region in strata:
            values, reporting_people = strata[region]
            total += values.sum() / reporting_people.sum() * people
        else:
            total += overall * people
    return float(total)
