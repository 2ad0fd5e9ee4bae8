"""Services in ACE's Priority Places and Levelling Up for Culture Places against the rest of England.

The groups overlap (most Priority Places are also culture places), so a service can be in both place
groups. "The rest" holds only services known to be in neither list: a service with an unknown flag is
kept apart, because unknown is not "no".
"""

from __future__ import annotations

import polars as pl

from observatory_data.queries import aggregate

PRIORITY = "Contains a Priority Place"
CULTURE = "Contains a Levelling Up for Culture Place"
REST = "Neither (known)"
UNKNOWN = "Not known"
GROUPS = (PRIORITY, CULTURE, REST)


def group_members(rates: pl.DataFrame) -> pl.DataFrame:
    """English services, one row per service and group it belongs to (a service can be in two groups)."""
    english = rates.filter(pl.col("nation") == "England")
    pp, lucp = pl.col("priority_place"), pl.col("lucp")
    parts = [
        english.filter(pp == "yes").with_columns(group=pl.lit(PRIORITY)),
        english.filter(lucp == "yes").with_columns(group=pl.lit(CULTURE)),
        english.filter((pp == "no") & (lucp == "no")).with_columns(group=pl.lit(REST)),
        english.filter((pp != "yes") & (lucp != "yes") & ((pp == "unknown") | (lucp == "unknown"))).with_columns(
            group=pl.lit(UNKNOWN)
        ),
    ]
    return pl.concat(parts)


def overlap_table(services: pl.DataFrame) -> pl.DataFrame:
    """How many English services fall in each combination of the two flags."""
    return (
        services.filter(pl.col("nation") == "England")
        .group_by("priority_place", "lucp")
        .len("services")
        .sort("priority_place", "lucp", descending=True)
        .rename({"priority_place": "Priority Place", "lucp": "Levelling Up for Culture Place"})
    )


def group_rates(members: pl.DataFrame, groups: tuple[str, ...] = (*GROUPS, UNKNOWN)) -> pl.DataFrame:
    """Population-weighted rate per group with its coverage, and the gap to the rest of England."""
    rows = []
    for group in groups:
        summary = aggregate(members.filter(pl.col("group") == group))
        rows.append({"group": group, "rate": summary.rate, "reported": summary.reported, "services": summary.of})
    table = pl.DataFrame(
        rows, schema={"group": pl.String, "rate": pl.Float64, "reported": pl.Int64, "services": pl.Int64}
    )
    rest = table.filter(pl.col("group") == REST)["rate"].item()
    return table.with_columns(
        gap=pl.col("rate") - rest if rest is not None else pl.lit(None, pl.Float64),
        gap_percent=(pl.col("rate") / rest - 1) * 100 if rest else pl.lit(None, pl.Float64),
    )


def rates_by_decile(members: pl.DataFrame) -> pl.DataFrame:
    """Weighted rate per IMD decile and group, with coverage, so a gap can be told apart from deprivation."""
    rows = []
    for (decile, group), part in members.filter(pl.col("group").is_in(GROUPS)).group_by("imd_decile", "group"):
        summary = aggregate(part)
        rows.append(
            {
                "imd_decile": decile,
                "group": group,
                "rate": summary.rate,
                "reported": summary.reported,
                "services": summary.of,
            }
        )
    order = {group: index for index, group in enumerate(GROUPS)}
    return (
        pl.DataFrame(rows)
        .with_columns(order=pl.col("group").replace_strict(order, return_dtype=pl.Int8))
        .sort("order", "imd_decile")
        .drop("order")
    )
