"""The Offer trends page's sections: a metric across the years of ACE returns, by month within the one year with
months, and a service's own long runs; each a chart with its table and About, or the words saying why there is
none.

Every group's line rests on the same services in every year it spans, and the words under the chart say which
(England's headline change, as the Overview gives it, rests on a different set, so it is named apart).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from components.figure_layout import Labels
from components.sections.chart_section import ChartSection, metric_about
from components.sections.trends_choices import Groups
from components.text import long_run_note, matched_words
from components.trends import annual_lines, trend_chart, trend_lines, year_trend_lines
from observatory_data.serving.catalogue import (
    ENGLAND,
    POPULATION_VINTAGE,
    ace_source,
    ace_years_source,
    years_with_data,
)
from observatory_data.serving.change import england_change
from observatory_data.serving.formats import sentence_case
from observatory_data.serving.periods import financial_year, span_of, year_of
from observatory_data.serving.rates import service_caveats


@dataclass(frozen=True)
class TrendSection:
    """A heading, then the chart, or (`chart` None) the notice saying why there is none; captions under the chart."""

    heading: str
    chart: ChartSection | None = None
    notice: str = ""
    captions: tuple[str, ...] = ()


def years_section(
    annual: pl.DataFrame,
    services: pl.DataFrame,
    entry: dict,
    groups: Groups,
    service: str,
    measure: str,
    year: int,
) -> TrendSection:
    """The metric across ACE's years up to `year`: each group's total over the services countable in every one of
    those years, the service's own values beside them; under the chart each line's change and England's headline."""
    ace_years = years_with_data(annual, entry["metric"])  # none for a service's own count (Newcastle's issues)
    years = [known for known in ace_years if known <= year]
    span = span_of(years)
    if not years:
        return TrendSection(
            "Across years",
            notice=f"{entry['label']}: not in ACE's returns, only in a service's own data. See the long runs below.",
        )
    metric = entry["metric"]
    caveat = "; ".join(service_caveats(annual, service, years[-1], metric)) or None
    yearly = year_trend_lines(
        annual, services, entry, groups.members, service, groups.service_name, measure, years, caveat, groups.roles
    )
    england_set = yearly.frame.filter(pl.col("series") == ENGLAND)["services"].max() or 0
    title = f"{entry['label']} by year, {span}: {groups.where}"
    in_england = f"{england_set} of {services.filter(pl.col('nation') == ENGLAND).height} services in England"
    subtitle = f"{sentence_case(yearly.axis)}. {yearly.measure} ({in_england})."
    # England's headline (as on the Overview and the map) rests on the services countable in the first and last year
    # only; over more years the lines rest on fewer, so both are given, each named.
    headline = (
        f"England's headline change: {matched_words(england_change(annual, services, metric, years[0], years[-1]))}."
        if len(years) > 2
        else ""
    )
    change = f"{yearly.change} {headline}".strip()
    population = f" Every year's rate uses the {POPULATION_VINTAGE} population." if measure == "rate" else ""
    labels = Labels(
        title=title,
        subtitle=subtitle,
        source=ace_years_source(years),
        note=yearly.note + population,
        axis=yearly.axis,
    )
    table = yearly.frame.select(
        pl.col("series").alias("Line"),
        pl.col("period").alias("Year"),
        pl.col("value").round(1).alias(sentence_case(yearly.axis)),
        pl.col("services").alias("Services counted"),
    )
    about = replace(
        metric_about(entry, title, f"financial years {span}", ace_years_source(years)),
        notes=f"{subtitle} {yearly.note} {change}".strip(),
    )
    captions = [change] if change else []
    if len(years) == 1 and len(ace_years) > 1:
        captions.append("Choose a later year to see the change over the years.")
    elif len(ace_years) == 1:
        captions.append(
            f"ACE's later releases carry only the headline metrics: {financial_year(ace_years[0])} is the one year "
            "of this metric. Its months are below."
        )
    chart = ChartSection(trend_chart(yearly, labels, x_title="Financial year"), table, about)
    return TrendSection(f"Across years, {span}", chart, captions=tuple(captions))


def months_section(
    monthly: pl.DataFrame,
    annual: pl.DataFrame,
    services: pl.DataFrame,
    entry: dict,
    groups: Groups,
    service: str,
    measure: str,
) -> TrendSection:
    """The metric month by month in the one year with months: each group over the services that reported every
    month, the service's own months (a quarter's total drawn as a flat quarter)."""
    first_month, last_month = monthly["period"].min(), monthly["period"].max()
    monthly_year = year_of(first_month)
    heading = f"Within {financial_year(monthly_year)}, by month"
    metric = entry["metric"]
    if metric not in set(monthly["metric"].unique()):
        return TrendSection(
            heading,
            notice=f"No monthly series for {entry['label'].lower()}: ACE's {financial_year(monthly_year)} workbook, "
            "the one source with months, does not give it by month.",
        )
    caveat = "; ".join(service_caveats(annual, service, monthly_year, metric)) if service else None
    lines = trend_lines(
        monthly, services, entry, groups.members, service, groups.service_name, measure, caveat, groups.roles
    )
    title = f"{entry['label']} by month, {financial_year(monthly_year)}: {groups.where}"
    labels = Labels(
        title=title,
        subtitle=f"{sentence_case(lines.axis)}. England, region and peers: services that reported every month.",
        source=ace_source(monthly_year),
        note=lines.note,
        axis=lines.axis,
    )
    table = lines.frame.select(
        pl.col("series").alias("Line"),
        pl.col("period").dt.strftime("%B %Y").alias("Month"),
        pl.col("value").round(1).alias(sentence_case(lines.axis)),
        pl.when(pl.col("shape") == "hv")
        .then(pl.lit("quarterly total shown as a monthly average"))
        .otherwise(pl.lit("month as returned"))
        .alias("How the month is drawn"),
    )
    period = f"{first_month:%B %Y} to {last_month:%B %Y}, by month"
    about = metric_about(entry, title, period, ace_source(monthly_year))
    return TrendSection(heading, ChartSection(trend_chart(lines, labels), table, about))


def long_run_section(
    annual: pl.DataFrame, metrics: pl.DataFrame, entry: dict, offer: str, service: str, service_name: str
) -> TrendSection:
    """A service's own long-run series of the Offer's metrics, where it has published more than one year; else
    which years ACE's returns cover and which services have longer runs."""
    heading = "Long runs from services' own data"
    long_run = annual_lines(annual, metrics, service, service_name, offer) if service else None
    if long_run is None:
        return TrendSection(heading, notice=long_run_note(annual))
    table = long_run.frame.select(
        pl.col("label").alias("Metric"),
        pl.col("year").map_elements(financial_year, return_dtype=pl.String).alias("Year"),
        pl.col("value").alias("Value"),
        pl.col("status").alias("Status"),
        pl.col("source").alias("Source"),
        pl.col("note").alias("Note"),
    )
    about = metric_about(entry, f"{service_name}: long-run series by financial year", "financial years", "various")
    return TrendSection(heading, ChartSection(long_run.figure, table, about))
