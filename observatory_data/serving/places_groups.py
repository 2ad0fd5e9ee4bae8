"""English services in ACE's Priority Places and Levelling Up for Culture Places (LUCP) against the rest.

Most Priority Places are also culture places, so the services are put in mutually exclusive groups by the
combination of the two flags, and the overlapping "any" groups are added as summary rows. "The rest" holds
only services known to be in neither list: a service with an unknown flag on either list is kept apart,
because unknown is not "no".
"""

from __future__ import annotations

import polars as pl

from observatory_data.serving.catalogue import CODES_VINTAGE, ENGLAND, IMD_NAME
from observatory_data.serving.coverage import aggregate
from observatory_data.serving.rates import service_rates_by_year
from observatory_data.serving.same_services import in_every_year

BOTH = "Priority Place and LUCP"
PRIORITY_ONLY = "Priority Place only"
CULTURE_ONLY = "LUCP only"
NEITHER = "Neither (known)"
UNKNOWN = "Unknown"
GROUPS = (BOTH, PRIORITY_ONLY, CULTURE_ONLY, NEITHER, UNKNOWN)
KNOWN_GROUPS = GROUPS[:4]
ANY_PRIORITY = "Any Priority Place"
ANY_CULTURE = "Any LUCP"
# services.imd_decile is the decile of imd_rank_of_avg_rank, which ranks today's authorities, not 2019's.
IMD_DECILE_NOTE = (
    f"Deciles are of the {IMD_NAME} rank of average rank among England's upper-tier authorities as of "
    f"{CODES_VINTAGE} (1 = most deprived), which may differ by 1-2 places from MHCLG's File 11 (ranked among the "
    "authorities of 2019)."
)
PRIORITY_PLACES_NAMED = 54  # ACE Priority Places 2021-24, extended to 2027
CULTURE_PLACES_NAMED = 109  # Levelling Up for Culture Places 2022-26

SUMMARY_SCHEMA = {
    "group": pl.String,
    "kind": pl.String,
    "services": pl.Int64,
    "reported": pl.Int64,
    "coverage": pl.String,
    "total": pl.Float64,
    "rate": pl.Float64,
    "gap": pl.Float64,
    "gap_percent": pl.Float64,
}
DECILE_SCHEMA = {
    "imd_decile": pl.Int64,
    "group": pl.String,
    "services": pl.Int64,
    "reported": pl.Int64,
    "coverage": pl.String,
    "rate": pl.Float64,
}


def assign_groups(rates: pl.DataFrame) -> pl.DataFrame:
    """English services only, each with its one `group` from the two flags (an Enum: sorts in GROUPS order)."""
    pp, lucp = pl.col("priority_place"), pl.col("lucp")
    group = (
        pl.when((pp == "yes") & (lucp == "yes"))
        .then(pl.lit(BOTH))
        .when((pp == "yes") & (lucp == "no"))
        .then(pl.lit(PRIORITY_ONLY))
        .when((pp == "no") & (lucp == "yes"))
        .then(pl.lit(CULTURE_ONLY))
        .when((pp == "no") & (lucp == "no"))
        .then(pl.lit(NEITHER))
        .otherwise(pl.lit(UNKNOWN))
        .cast(pl.Enum(GROUPS))
    )
    return rates.filter(pl.col("nation") == ENGLAND).with_columns(group=group)


def _summary_row(group: str, kind: str, members: pl.DataFrame) -> dict[str, object]:
    result = aggregate(members)
    return {
        "group": group,
        "kind": kind,
        "services": result.of,
        "reported": result.reported,
        "coverage": result.coverage,
        "total": result.total,
        "rate": result.rate,
    }


def group_summary(grouped: pl.DataFrame) -> pl.DataFrame:
    """Population-weighted rate and coverage per group, and the gap to 'Neither (known)'.

    `grouped` is assign_groups' output. The exclusive groups come first, then the overlapping totals of
    every service with a Priority Place and with a culture place (kind 'any'). Gaps are left null for
    the comparison group itself and for the unknowns, which are not a place group.
    """
    rows = [_summary_row(group, "exclusive", grouped.filter(pl.col("group") == group)) for group in GROUPS]
    rows.append(_summary_row(ANY_PRIORITY, "any", grouped.filter(pl.col("priority_place") == "yes")))
    rows.append(_summary_row(ANY_CULTURE, "any", grouped.filter(pl.col("lucp") == "yes")))
    table = pl.DataFrame(rows, schema={k: v for k, v in SUMMARY_SCHEMA.items() if not k.startswith("gap")})
    rest = table.filter(pl.col("group") == NEITHER)["rate"].item()
    compared = ~pl.col("group").is_in([NEITHER, UNKNOWN])
    gap = pl.col("rate") - rest if rest is not None else pl.lit(None, pl.Float64)
    gap_percent = (pl.col("rate") / rest - 1) * 100 if rest else pl.lit(None, pl.Float64)
    return table.with_columns(
        gap=pl.when(compared).then(gap),
        gap_percent=pl.when(compared).then(gap_percent),
    )


def decile_summary(grouped: pl.DataFrame) -> pl.DataFrame:
    """Weighted rate and coverage per IMD decile and known group, every cell listed (empty ones too).

    Comparing within deciles shows whether a gap between the groups is only deprivation.
    """
    english = grouped.filter(pl.col("imd_decile").is_not_null())
    rows = []
    for decile in range(1, 11):
        for group in KNOWN_GROUPS:
            cell = aggregate(english.filter((pl.col("imd_decile") == decile) & (pl.col("group") == group)))
            rows.append(
                {
                    "imd_decile": decile,
                    "group": group,
                    "services": cell.of,
                    "reported": cell.reported,
                    "coverage": f"{cell.reported} of {cell.of}",
                    "rate": cell.rate,
                }
            )
    return pl.DataFrame(rows, schema=DECILE_SCHEMA)


def overlap_table(services: pl.DataFrame) -> pl.DataFrame:
    """English services counted by Priority Place flag (rows) and culture place flag (columns)."""
    values = ["yes", "no", "unknown"]
    english = services.filter(pl.col("nation") == ENGLAND)
    rows = []
    for pp in values:
        row: dict[str, object] = {"Priority Place": pp}
        for lucp in values:
            row[f"LUCP {lucp}"] = english.filter((pl.col("priority_place") == pp) & (pl.col("lucp") == lucp)).height
        row["All"] = english.filter(pl.col("priority_place") == pp).height
        rows.append(row)
    return pl.DataFrame(rows)


# The place groups whose gap to 'Neither (known)' is followed over the years: the overlapping "any" groups.
GAP_GROUPS = {ANY_PRIORITY: pl.col("priority_place") == "yes", ANY_CULTURE: pl.col("lucp") == "yes"}
GAP_SCHEMA = {
    "metric": pl.String,
    "year": pl.Int64,
    "group": pl.String,
    "services": pl.Int64,
    "of": pl.Int64,
    "rate": pl.Float64,
    "rest_services": pl.Int64,
    "rest_of": pl.Int64,
    "rest_rate": pl.Float64,
}


def service_rates_by_metric(
    annual: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame, years: dict[str, list[int]]
) -> pl.DataFrame:
    """rates.service_rates_by_year for every metric and its `years`, stacked with a `metric` column."""
    return pl.concat(
        service_rates_by_year(annual, services, metrics, metric, metric_years).with_columns(
            metric=pl.lit(metric), year=pl.col("year").cast(pl.Int64)
        )
        for metric, metric_years in years.items()
    )


def gap_over_years(rates: pl.DataFrame) -> pl.DataFrame:
    """Per metric, year and place group (GAP_GROUPS): the group's and 'Neither (known)''s population-weighted rates,
    the gap (rate points and %), and the gap's change since the metric's first year (rate points and percentage
    points; null in the first year).

    Each metric is compared on a fixed panel: the services countable in every year `rates` holds for it, so a gap
    does not move because other services reported. `services` and `rest_services` say how many, of `of` and
    `rest_of`. A caveated rate is counted, as in every weighted rate.
    """
    grouped = assign_groups(rates)
    panel = in_every_year(grouped, pl.col("rate").is_not_null(), by=["metric"])
    counted = grouped.join(panel, on=["metric", "service_code"], how="semi")
    rows = []
    for (metric, year), members in grouped.group_by("metric", "year", maintain_order=True):
        compared = counted.filter((pl.col("metric") == metric) & (pl.col("year") == year))
        rest = aggregate(compared.filter(pl.col("group") == NEITHER))
        for group, flag in GAP_GROUPS.items():
            result = aggregate(compared.filter(flag))
            rows.append(
                {
                    "metric": metric,
                    "year": year,
                    "group": group,
                    "services": result.reported,
                    "of": members.filter(flag).height,
                    "rate": result.rate,
                    "rest_services": rest.reported,
                    "rest_of": members.filter(pl.col("group") == NEITHER).height,
                    "rest_rate": rest.rate,
                }
            )
    # In year order within each metric and group, so a group's first row is its first year.
    table = pl.DataFrame(rows, schema=GAP_SCHEMA).sort("year", maintain_order=True)
    later = pl.col("year") > pl.col("year").min().over("metric", "group")
    return table.with_columns(
        gap=pl.col("rate") - pl.col("rest_rate"),
        gap_percent=pl.when(pl.col("rest_rate") > 0).then((pl.col("rate") / pl.col("rest_rate") - 1) * 100),
    ).with_columns(
        pl.when(later).then(pl.col(c) - pl.col(c).first().over("metric", "group")).alias(f"{c}_change")
        for c in ("gap", "gap_percent")
    )
