"""Plain-language text builders: numbers to words people can quote, with their coverage."""

from __future__ import annotations

import polars as pl

from observatory_data.queries import Aggregate


def compact_number(value: float) -> str:
    """12,345,678 -> '12.3 million'; 45,678 -> '45,678'."""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:,.1f} million"
    return f"{value:,.0f}"


def headline_text(label: str, unit: str, summary: Aggregate) -> tuple[str, str]:
    """The headline value and its caption: the rate per 1,000 and the coverage beside it."""
    if summary.total is None:
        return "No data", f"{summary.coverage} (England)"
    caption = (
        f"{summary.rate:,.0f} {unit} per 1,000 residents of the reporting services; "
        f"{summary.reported} of {summary.of} English services reported. "
        "Services with partial, flagged or no returns are not counted."
    )
    return compact_number(summary.total), caption


def nation_summary(services: pl.DataFrame, branches: pl.DataFrame) -> str:
    """What is known outside England, where ACE's activity collection does not reach."""
    lines = []
    for nation, note in (
        ("Wales", "Welsh Public Library Standards returns are not yet in the observatory; WIMD 2019 is shown"),
        ("Northern Ireland", "one service, Libraries NI; no activity return in these sources"),
        ("Crown Dependency", "Jersey, Guernsey and the Isle of Man; members with no return"),
    ):
        group = services.filter(pl.col("nation") == nation)
        points = branches.filter(
            pl.col("service_code").is_in(group["service_code"].implode()) & (pl.col("status") == "open")
        ).height
        population = group["population"].sum() if group["population"].null_count() < group.height else None
        people = f"{population:,} residents (ONS mid-2024)" if population else "population not in these sources"
        points_text = f"{points:,} open service points listed" if points else "service points not listed"
        count = "1 service" if group.height == 1 else f"{group.height} services"
        lines.append(f"- **{nation}**: {count}; {people}; {points_text}; {note}.")
    return "\n".join(lines)


METHODS = """
- **Rates** are per 1,000 of the right population (ONS mid-2024): children's metrics per 1,000 aged 0-11,
  young people's per 1,000 aged 12-17, the rest per 1,000 residents. Group rates are population-weighted:
  the group's total divided by the population of the services that reported.
- **Statuses.** `reported`: the year's months or quarters as returned. `derived`: the sum of the metric's
  lines (the note says which). `partial`: some months or a required line (for example eBooks) missing; kept,
  never summed. `flagged`: a plausibility rule fired; kept as returned, never summed. `no_return`: an English
  service that did not return the line. `not_collected`: ACE collects activity in England only.
- **Quarterly totals** are entered in the quarter's last month (ACE's field notes); trend charts show them
  as quarters, not spikes, and monthly group lines use only services that reported every month.
- **Plausibility rules**: active users above residents; a per-capita rate (per 1,000 of the right age group)
  beyond 5x (or 1/5) of the median
  service and a robust z-score above 3.5 on a log scale; a month beyond 5x (or 1/5) of the median of the
  service's other months; PC hours above PCs x days x 12 hours; age lines adding to over 110% of the total.
- **Deprivation**: English IMD 2019 rebuilt on April 2023 services from LSOA ranks with mid-2015 population
  weights (the MHCLG File 11 method; higher average rank = more deprived). WIMD 2019 for Wales is kept
  apart (unweighted, not comparable with the English index).
- **Codes**: April 2023 ONS codes; older codes are remapped through ONS's code-change table. The Crown
  Dependencies have no ONS code: this observatory uses JEY (Jersey), GGY (Guernsey) and IMN (Isle of Man).
- **Peers**: ONS statistical nearest neighbours for upper-tier authorities (October 2025 release).
"""


def coverage_by_nation(annual: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame, year: int) -> pl.DataFrame:
    """Services per status for every metric and nation: how much each figure rests on."""
    statuses = ["reported", "derived", "partial", "flagged", "no_return", "not_collected"]
    labels = metrics.select("metric", pl.col("label").alias("Metric"))
    counts = (
        annual.filter(pl.col("year") == year)
        .join(labels, on="metric")
        .join(services.select("service_code", "nation"), on="service_code")
        .group_by("Metric", "nation")
        .agg([(pl.col("status") == status).sum().alias(status) for status in statuses])
    )
    return counts.sort("Metric", "nation").rename({"nation": "Nation"})


def financial_year(year: int) -> str:
    """2023 -> '2023/24': the label of a financial year that starts in April of `year`."""
    return f"{year}/{(year + 1) % 100:02d}"


def sentence_case(text: str) -> str:
    """The first letter upper case and the rest as written ('index, April 2023' keeps its April)."""
    return text[:1].upper() + text[1:]
