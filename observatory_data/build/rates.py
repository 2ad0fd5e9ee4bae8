"""Rules on whole-year values: a denominator effect is counted with a caveat, a single odd metric is flagged,
active users above residents are flagged unless the denominator explains them, and a figure that jumps
against the service's other years is flagged.

A service unusual on (nearly) every per-resident metric is not mistyping all of them: its residents are
not its users (City of London: about 15,000 residents and a large daytime population). Its counts are
real and count in totals; its rates carry a caveat and are left out of medians and map classes. A
service unusual on one metric while its others are ordinary may have counted something else (a visits
count covering a whole civic building): that value is flagged with the reason. Thresholds: rules.py.
"""

from __future__ import annotations

import math

import polars as pl

from observatory_data.serving.catalogue import ACE_SOURCE_PREFIX, COUNTABLE, Status
from observatory_data.serving.periods import financial_year
from observatory_data.serving.rules import (
    DENOMINATOR_MIN_METRICS,
    DENOMINATOR_SHARE,
    OUTCOME_OF_RULE,
    RATE_RATIO_LIMIT,
    RATED_METRICS,
    ROBUST_Z_LIMIT,
    ROBUST_Z_MIN_SERVICES,
    YEAR_JUMP_FACTOR,
)

# Annual active-user metrics -> the residents they are compared with, and how those are named.
USER_BANDS = {
    "active_users": ("population", "residents"),
    "active_users_children": ("population_0_11", "residents aged 0-11"),
    "active_users_young_people": ("population_12_17", "residents aged 12-17"),
}
ANNUAL_OUTCOME_COLUMNS = {
    "service_code": pl.String,
    "year": pl.Int32,
    "metric": pl.String,
    "rule": pl.String,
    "reason": pl.String,
}


def rate_positions(annual: pl.DataFrame, population: pl.DataFrame) -> pl.DataFrame:
    """Each countable rated value's rate per resident, its ratio to the median service and its robust z (log
    scale), per year and metric among at least ROBUST_Z_MIN_SERVICES services."""
    rated = (
        annual.filter(
            pl.col("metric").is_in(RATED_METRICS),
            pl.col("status").is_in(COUNTABLE),
            pl.col("source").str.starts_with(ACE_SOURCE_PREFIX),
            pl.col("value") > 0,
        )
        .join(population.select("service_code", "population"), on="service_code")
        .filter(pl.col("population") > 0)
        .with_columns(log_rate=(pl.col("value") / pl.col("population")).log10())
    )
    over = ["year", "metric"]
    median = pl.col("log_rate").median().over(over)
    mad = (pl.col("log_rate") - median).abs().median().over(over)
    return rated.with_columns(
        ratio=10 ** (pl.col("log_rate") - median),
        z=pl.when(mad > 0).then(0.6745 * (pl.col("log_rate") - median) / mad),
        services=pl.len().over(over),
    ).filter(pl.col("services") >= ROBUST_Z_MIN_SERVICES)


BEYOND = (pl.col("ratio") > RATE_RATIO_LIMIT) | (pl.col("ratio") < 1 / RATE_RATIO_LIMIT)


def denominator_effects(positions: pl.DataFrame) -> dict[tuple[str, int], str]:
    """(service, year) -> the caveat, for services beyond the ratio limit on most of their rated metrics."""
    caveats = {}
    for (code, year), group in positions.group_by("service_code", "year"):
        unusual = group.filter(BEYOND)
        rated = group.height
        if rated >= DENOMINATOR_MIN_METRICS and unusual.height >= max(
            DENOMINATOR_MIN_METRICS, DENOMINATOR_SHARE * rated
        ):
            low, high = unusual["ratio"].min(), unusual["ratio"].max()
            caveats[(code, year)] = (
                f"denominator effect: rates per resident are {low:.1f}-{high:.1f}x the median service on "
                f"{unusual.height} of {rated} headline metrics; its residents are not its users (a large daytime "
                "or visiting population), so its counts count but its rates are not comparable"
            )
    return caveats


def single_rate_outliers(positions: pl.DataFrame, caveated: dict[tuple[str, int], str]) -> list[tuple]:
    """Rated values beyond both limits on a service whose other metrics are ordinary."""
    rows = []
    for row in positions.filter(BEYOND, pl.col("z").abs() > ROBUST_Z_LIMIT).iter_rows(named=True):
        if (row["service_code"], row["year"]) not in caveated:
            reason = (
                f"rate outlier: {row['metric'].replace('_', ' ')} {row['value']:,.0f} is "
                f"{10 ** row['log_rate'] * 1000:,.1f} per 1,000 residents, {row['ratio']:.2g}x the median service; "
                f"robust z {row['z']:+.1f} among {row['services']} services, while the service's other metrics "
                "are ordinary"
            )
            rows.append((row["service_code"], row["year"], row["metric"], "rate_outlier", reason))
    return rows


def active_users_above_residents(
    annual: pl.DataFrame, population: pl.DataFrame, caveated: dict[tuple[str, int], str]
) -> list[tuple]:
    """Active users above the residents of that age: flagged, or kept with the caveat where the denominator
    explains it (recorded as a caveat outcome)."""
    rows = []
    users = annual.filter(pl.col("metric").is_in(list(USER_BANDS)), pl.col("status").is_in(COUNTABLE))
    for row in users.join(population, on="service_code").iter_rows(named=True):
        band, who = USER_BANDS[row["metric"]]
        residents = row[band]
        if residents and row["value"] > residents:
            reason = (
                f"active users above residents: {row['value']:,.0f} active users but {residents:,.0f} {who} "
                f"(ONS mid-2024), {row['value'] / residents:.1f}x"
            )
            explained = (row["service_code"], row["year"]) in caveated
            rule = "denominator_effect" if explained else "active_users_above_residents"
            rows.append((row["service_code"], row["year"], row["metric"], rule, reason))
    return rows


def year_on_year_jumps(positions: pl.DataFrame) -> list[tuple]:
    """Headline figures that jump against the same service's other years (see rules.py). While the service's
    years span more than the factor, the year whose rate is farthest from that year's median service is
    flagged: the figures themselves cannot say which year is wrong, the other services can."""
    rows = []
    for (code, metric), group in positions.group_by("service_code", "metric"):
        years = {row["year"]: row for row in group.iter_rows(named=True)}
        listed = ", ".join(f"{financial_year(y)} {r['value']:,.0f}" for y, r in sorted(years.items()))
        while len(years) > 1 and max(r["value"] for r in years.values()) > YEAR_JUMP_FACTOR * min(
            r["value"] for r in years.values()
        ):
            year, row = max(years.items(), key=lambda item: abs(math.log10(item[1]["ratio"])))
            reason = (
                f"year on year jump: the service's years span more than {YEAR_JUMP_FACTOR:g}x ({listed}); "
                f"{financial_year(year)} is the farthest from the median service ({row['ratio']:.2g}x its rate)"
            )
            rows.append((code, year, metric, "year_on_year_jump", reason))
            del years[year]
    return rows


def apply_rate_rules(annual: pl.DataFrame, population: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The annual table with rate outliers flagged and denominator caveats set, and one row per outcome."""
    positions = rate_positions(annual, population)
    caveated = denominator_effects(positions)
    found = pl.DataFrame(
        single_rate_outliers(positions, caveated)
        + active_users_above_residents(annual, population, caveated)
        + year_on_year_jumps(positions),
        schema=ANNUAL_OUTCOME_COLUMNS,
        orient="row",
    )
    caveat_rows = pl.DataFrame(
        [(code, year, reason) for (code, year), reason in caveated.items()],
        schema={"service_code": pl.String, "year": pl.Int32, "caveat_text": pl.String},
        orient="row",
    )
    flagged = (
        found.filter(pl.col("rule") != "denominator_effect")
        .group_by("service_code", "year", "metric")
        .agg(flag_text=pl.col("reason").str.join("; "))
    )
    ace = pl.col("source").str.starts_with(ACE_SOURCE_PREFIX)
    marked = (
        annual.join(caveat_rows, on=["service_code", "year"], how="left")
        .join(flagged, on=["service_code", "year", "metric"], how="left")
        .with_columns(
            caveat=pl.when(ace & pl.col("status").is_in(COUNTABLE)).then(pl.coalesce("caveat_text", "caveat")),
            status=pl.when(pl.col("flag_text").is_not_null()).then(pl.lit(Status.FLAGGED)).otherwise("status"),
            note=pl.when(pl.col("flag_text").is_not_null())
            .then(pl.format("{}; flagged: {}", "note", "flag_text"))
            .otherwise("note"),
        )
        .drop("caveat_text", "flag_text")
    )
    caveat_outcomes = (
        marked.filter(pl.col("caveat").is_not_null())
        .select("service_code", "year", "metric", rule=pl.lit("denominator_effect"), reason="caveat")
        .join(found.filter(pl.col("rule") == "denominator_effect"), on=["service_code", "year", "metric"], how="anti")
    )
    outcomes = pl.concat([found, caveat_outcomes]).join(
        annual.select("service_code", "year", "metric", value_as_returned="value_as_returned", value_used="value"),
        on=["service_code", "year", "metric"],
    )
    outcome = pl.col("rule").replace_strict(OUTCOME_OF_RULE)
    return marked, outcomes.with_columns(table=pl.lit("annual"), outcome=outcome)
