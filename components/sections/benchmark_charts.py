"""The Service benchmark page's charts: one metric's rates of every English service in a year, with the service and
its comparison group picked out, and the service's rate over the years against its group's median."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import polars as pl

from components.benchmark import group_roll_call, matched_members_note
from components.charts.lines import benchmark_trend_chart
from components.charts.strip import strip_chart
from components.exports import CAVEAT, caveat_column
from components.figure_layout import Labels
from components.sections.benchmark_sections import Comparison, Measured
from components.sections.chart_section import ChartSection, metric_about
from components.sections.rates_table import rates_table
from components.sentences import left_out_note
from components.text import change_sentence, years_words
from observatory_data.serving.benchmarks import change_between, median_by_year, steady_members
from observatory_data.serving.catalogue import (
    DENOMINATORS,
    POPULATION_VINTAGE,
    ace_source,
    ace_years_source,
    years_with_data,
)
from observatory_data.serving.formats import status_words_expr
from observatory_data.serving.periods import financial_year, span_of
from observatory_data.serving.rates import not_comparable, service_rates_by_year


def strip_section(measured: Measured, comparison: Comparison, year: int, width: int | None = None) -> ChartSection:
    """Every English service's rate as a dot, the service and its group coloured, the group's median and England's
    rate as lines; the footer names every member of the group (so a PNG does too). `width`: the chart's, in px, as
    on a phone fewer names fit on the strip. The table: the services with a countable value, highest rate first."""
    entry, rates, result = measured.entry, measured.rates, measured.result
    service, name, group = comparison.service, comparison.name, comparison.group
    per = DENOMINATORS[entry["denominator"]]
    period = financial_year(year)
    shown = rates.filter(pl.col("rate").is_not_null())
    apart = [member for member in not_comparable(rates) if member != name]
    notes = [
        f"{shown.height} of {rates.height} English services have a countable value; "
        "partial, flagged and missing returns are not shown."
    ]
    if apart:
        notes.append(
            left_out_note(apart, " of the group median, drawn apart (open diamond, or an arrow at the axis end)") + "."
        )
    if result.caveat:
        notes.append(f"{name}'s rate is not comparable: {result.caveat.rstrip('.')}.")
    notes.append(group_roll_call(rates, service, group))
    title = f"{entry['label']} {per}: {name} among English library services, {period}"
    figure = strip_chart(
        rates,
        Labels(
            title=title,
            subtitle=f"Each dot is a service; coloured: its comparison group ({len(group)} services, "
            f"{comparison.label}); named: the group's highest, lowest and middle rates, where they fit.",
            source=ace_source(year),
            note=" ".join(notes),
            axis=f"{entry['unit']} {per}",
        ),
        highlight=service,
        group=group,
        group_name="Comparison group",
        polarity=entry["polarity"],
        reference_lines={"Group median": result.group_median, "England": result.england_rate.rate},
        width=width,
    )
    in_group = pl.col("service_code").is_in(group).alias("In comparison group")
    table = rates_table(
        shown.sort("rate", descending=True),
        entry,
        ["service", "code", "region", "count", "population", "rate", in_group, "selected", "caveat", "audit"],
        selected=service,
    )
    return ChartSection(figure, table.frame, metric_about(entry, title, period, ace_source(year), table.described))


@dataclass(frozen=True)
class Trend:
    """The years' section: its heading, the change in one sentence, and the chart with its table."""

    heading: str
    change: str
    chart: ChartSection


def trend_section(
    annual: pl.DataFrame,
    services: pl.DataFrame,
    metrics: pl.DataFrame,
    entry: dict,
    comparison: Comparison,
    year: int,
    names: Mapping[str, str],
    rates_of: Callable[[str, int], pl.DataFrame] | None = None,
) -> Trend:
    """The service's rate in each year up to `year` against the median of its group's members comparable in every
    one of those years (the same members each year, so the median moves with their use, not with who reported);
    the table adds each year's median over every member comparable that year. `rates_of(metric, year)`:
    rates.service_rates where a page keeps them (the same for every service); computed here if None."""
    service, name, group, members = comparison.service, comparison.name, comparison.group, comparison.members
    per = DENOMINATORS[entry["denominator"]]
    years = [known for known in years_with_data(annual, entry["metric"]) if known <= year]
    span = span_of(years)
    yearly_rates = service_rates_by_year(annual, services, metrics, entry["metric"], years, rates_of)
    over = median_by_year(yearly_rates, service, group).join(
        median_by_year(yearly_rates, service, group, matched=True).select("year", "median", "members"),
        on="year",
        suffix="_matched",
    )
    steady = over["members_matched"].max() or 0
    steady_codes = steady_members(yearly_rates, service, group)
    when = years_words(years)
    rest = [names[code] for code in group if code not in steady_codes]
    rests_on = matched_members_note([names[code] for code in steady_codes], rest, members, when)
    change = change_sentence(f"{entry['label']} {per}", change_between(yearly_rates, service, group), members)
    title = f"{entry['label']} {per} by year, {span}: {name} and its comparison group's median"
    several = len(years) > 1
    median_label = (
        f"Median rate of the {steady} {members} comparable {when}"
        if several
        else ("Group median (without the service)")
    )
    measured = (
        f"Its rate per year against the median rate of its comparison group: the {steady} of {len(group)} {members} "
        f"comparable {when} (the same every year; the service left out), so the median moves with their use, not "
        "with who reported"
        if several
        else f"Its rate against the median rate of its comparison group's {members} (the service left out)"
    )
    year_name = pl.col("year").map_elements(financial_year, return_dtype=pl.String)
    lines = pl.concat(
        [  # the median first, so the service keeps the strip chart's orange
            over.select(series=pl.lit(median_label), year="year", value="median_matched"),
            over.select(series=pl.lit(name), year="year", value="rate"),
        ]
    ).select("series", year_name.alias("period"), "value", shape=pl.lit("linear"))
    figure = benchmark_trend_chart(
        lines,
        Labels(
            title=title,
            subtitle=f"{measured}. Comparison group: {len(group)} services, {comparison.label}.",
            source=ace_years_source(years),
            note=f"{change} {rests_on} Each year's median over every member with a comparable rate (that year's "
            f"benchmark) is in the table. Every year's rate uses the {POPULATION_VINTAGE} population.",
            axis=f"{entry['unit']} {per}",
        ),
    )
    table = over.select(
        year_name.alias("Year"),
        pl.col("rate").round(1).alias(f"{name}: rate {per}"),
        status_words_expr().alias(f"{name}: status"),
        pl.col("median_matched").round(1).alias(f"Group median, the same {steady} members every year"),
        pl.col("median").round(1).alias("Group median, every member comparable that year"),
        pl.col("members").alias("Members comparable that year"),
        pl.col("of").alias("Group members"),
        caveat_column(),
    )
    about = replace(
        metric_about(entry, title, f"financial years {span}", ace_years_source(years), (CAVEAT,)),
        notes=f"{measured}. {change} {rests_on}",
    )
    return Trend(f"{entry['label']} over the years", change, ChartSection(figure, table, about))
