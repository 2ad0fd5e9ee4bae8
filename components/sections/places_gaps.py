"""The Priority Places page's gap over the years: for every metric with ACE figures for more than one year, the
population-weighted rate of the services with a Priority Place (and with a LUCP) against 'Neither (known)', each
metric on the same services in every year, so the gap's change is a change in use, not in who reported."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import polars as pl

from components.exports import about_table
from components.figure_layout import Labels
from components.gaps import gap_bars
from components.sections.chart_section import ChartSection
from components.sections.places_sections import PLACES_SOURCE
from components.sentences import gap_trend_sentence
from observatory_data.serving.catalogue import (
    ACE_ACTIVITY,
    DATA_LICENCE,
    DENOMINATORS,
    POPULATION_SOURCE,
    POPULATION_VINTAGE,
    years_with_data,
)
from observatory_data.serving.periods import financial_year, span
from observatory_data.serving.places_groups import ANY_CULTURE, ANY_PRIORITY, NEITHER

# What a rate is per, for a sentence about several metrics at once (one metric: its own DENOMINATORS entry).
RATES_PER = (
    f"{DENOMINATORS['population']} (children's metrics {DENOMINATORS['population_0_11']}, young people's "
    f"{DENOMINATORS['population_12_17']})"
)
GAP_VALUES = ("gap", "gap_percent", "gap_change", "gap_percent_change")
GAP_NOTES = (
    "Each metric's gap on the same services in every year (those countable in every year of the metric: the counts "
    "in 'services compared'), so its change is a change in use, not in who reported. The gap in a single year over "
    "every service countable that year is a different figure (on the page, above)."
)


def gap_metric_years(annual: pl.DataFrame, metric_ids: Sequence[str]) -> dict[str, list[int]]:
    """The metrics with ACE figures for more than one year, with those years: the ones a gap can change over."""
    return {metric: found for metric in metric_ids if len(found := years_with_data(annual, metric)) > 1}


@dataclass(frozen=True)
class GapYears:
    """The section's caption; for the page's metric (if it has years) a heading and a sentence per place group; the
    chart of every metric's gap with its table."""

    caption: str
    heading: str  # '' when the page's metric has one year only
    trend: list[str]  # Markdown list items
    chart: ChartSection


def gap_years_section(
    gaps: pl.DataFrame,
    metrics: pl.DataFrame,
    gap_years: dict[str, list[int]],
    entry: dict,
    chart: ChartSection | None = None,
) -> GapYears:
    """`gaps` is places_groups.gap_over_years over `gap_years` (gap_metric_years); `entry` the page's metric. The
    chart is the same whatever the page's metric: `chart` is gap_years_chart's where a page keeps it (made if None)."""
    metric, (since, _) = entry["metric"], _years(gaps)
    caption = (
        "Every metric with ACE figures for more than one year, each compared on the same services in every year "
        "(those with a countable figure in each), so a gap does not move because other services reported. The gap "
        f"is the difference between the group's population-weighted rate and that of '{NEITHER}', in the metric's "
        f"unit and in %; its change is counted from {since}. These are fewer services than the gap in one year above "
        "counts (every service countable in that year), so a year's gap here can differ from it: read the gap in a "
        "year above, and how it changed here."
    )
    heading, trend = "", []
    if metric in gap_years:
        per = DENOMINATORS[entry["denominator"]]
        heading = f"**{entry['label']} {per}, {span(gap_years[metric][0], gap_years[metric][-1])}**"
        trend = ["- " + gap_trend_sentence(gaps, metric, group) for group in (ANY_PRIORITY, ANY_CULTURE)]
    return GapYears(caption, heading, trend, chart or gap_years_chart(gaps, metrics, gap_years))


def _years(gaps: pl.DataFrame) -> tuple[str, str]:
    """The first year the gaps' change is counted from, and the span they cover, as the section words them."""
    first_year = gaps["year"].min()
    return financial_year(first_year), span(first_year, gaps["year"].max())


def gap_years_chart(gaps: pl.DataFrame, metrics: pl.DataFrame, gap_years: dict[str, list[int]]) -> ChartSection:
    """The section's chart of every metric's gap (gap_chart), the same whatever the page's metric."""
    return gap_chart(gaps, metrics, gap_years, *_years(gaps))


def gap_chart(
    gaps: pl.DataFrame, metrics: pl.DataFrame, gap_years: dict[str, list[int]], since: str, compared: str
) -> ChartSection:
    """The % gap of the services with any Priority Place, by metric and year, each metric labelled with the services
    it is compared on; the table has both place groups, every metric and year, in the rate's unit and in %."""
    pers = {row["metric"]: DENOMINATORS[row["denominator"]] for row in metrics.iter_rows(named=True)}
    units = {row["metric"]: f"{row['unit']} {pers[row['metric']]}" for row in metrics.iter_rows(named=True)}
    labels = dict(metrics.select("metric", "label").iter_rows())
    gaps = gaps.with_columns(
        label=pl.col("metric").replace_strict(labels),
        unit=pl.col("metric").replace_strict(units),
        year_name=pl.col("year").map_elements(financial_year, return_dtype=pl.String),
    ).sort(pl.col("metric").cast(pl.Enum(list(gap_years))), "group", "year")
    title = f"Gap between library services with a Priority Place and the rest of England, {compared}"
    source = f"Source: {ACE_ACTIVITY}, {compared}; {POPULATION_SOURCE}.{PLACES_SOURCE}"
    figure = gap_bars(
        gaps.filter(pl.col("group") == ANY_PRIORITY).with_columns(
            category=pl.format("{}<br>{} + {} services", "label", "services", "rest_services")
        ),
        Labels(
            title=title,
            subtitle=f"Population-weighted rate {' or '.join(sorted({pers[m] for m in gap_years}))} of services with "
            f"any Priority Place against services known to have neither kind of place ('{NEITHER}'): % difference by "
            "year, each metric on the same services in every year",
            source=source,
            note="Under each metric: services with a Priority Place + services in the rest, countable in every year. "
            "Services with an unknown flag are in neither group. Below 0: the Priority Place services' rate is lower.",
            axis=f"Gap to '{NEITHER}' (%)",
        ),
        category="category",
        series="year_name",
        value="gap_percent",
    )
    columns = (
        ("Unit", f"What the rates count, {RATES_PER} ({POPULATION_VINTAGE})"),
        (
            "Group: services compared",
            "Services in the group with a countable figure in every year (the same each year)",
        ),
        ("Gap in the rate", f"The group's population-weighted rate minus {NEITHER}'s, in the unit"),
        ("Gap (%)", f"The group's population-weighted rate against {NEITHER}'s, as a % difference"),
        (f"Change since {since}: gap in the rate", f"This year's gap in the rate less {since}'s (empty in {since})"),
        (f"Change since {since}: gap (% points)", f"This year's gap (%) less {since}'s, in percentage points"),
    )
    table = gaps.select(
        pl.col("label").alias("Metric"),
        pl.col("unit").alias("Unit"),
        pl.col("year_name").alias("Year"),
        pl.col("group").alias("Group"),
        pl.col("services").alias("Group: services compared"),
        pl.col("of").alias("Group: services"),
        pl.col("rate").round(1).alias("Group: weighted rate"),
        pl.col("rest_services").alias(f"{NEITHER}: services compared"),
        pl.col("rest_of").alias(f"{NEITHER}: services"),
        pl.col("rest_rate").round(1).alias(f"{NEITHER}: weighted rate"),
        *(pl.col(column).round(1).alias(header) for column, (header, _) in zip(GAP_VALUES, columns[2:], strict=True)),
    )
    return ChartSection(figure, table, replace(about_table(title, source, DATA_LICENCE, columns), notes=GAP_NOTES))
