"""The Priority Places page's sections for one metric in one year: English services grouped by their Priority Place
and Levelling Up for Culture Place (LUCP) flags against the services known to have neither, as a distribution, a
table of the groups' weighted rates, and the same within each deprivation decile; and the flags behind the groups.

`grouped` is places_groups.assign_groups over rates.service_rates; `summary` is places_groups.group_summary of it.
The gap over the years is in components.sections.places_gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from components.charts.distribution import distribution_chart
from components.charts.grouped_bars import grouped_bar_chart
from components.figure_layout import Labels
from components.sections.chart_section import ChartSection, metric_about
from components.sections.rates_table import DECILE_HEADER, rates_table
from components.sentences import gap_sentence, left_out_note
from observatory_data.serving.catalogue import (
    CODES_VINTAGE,
    DENOMINATORS,
    IMD_NAME,
    OGL,
    POPULATION_VINTAGE,
    ace_source,
)
from observatory_data.serving.formats import sentence_case
from observatory_data.serving.periods import financial_year
from observatory_data.serving.places_groups import (
    ANY_CULTURE,
    ANY_PRIORITY,
    GROUPS,
    IMD_DECILE_NOTE,
    NEITHER,
    UNKNOWN,
    assign_groups,
    decile_summary,
    group_summary,
)
from observatory_data.serving.rates import not_comparable

PLACES_SOURCE = " Places: Arts Council England (evidence list in this observatory)."
SUMMARY_HEADING = f"**Population-weighted rate per group, and the gap to '{NEITHER}'**"
SUMMARY_CAPTION = (
    "The first five groups do not overlap; the last two add up every service with a Priority Place, and every "
    "service with a culture place. Rates are the group's total over the population of the services that reported."
)
DECILE_CAPTION = (
    "If the place groups differ from the rest within the same decile, the gap is not just deprivation. "
    "Cells rest on few services: the bar labels say how many reported of how many in the cell. " + IMD_DECILE_NOTE
)


def intro(places_note: str) -> str:
    """The page's opening caption: who is compared with whom, and how complete the places list is."""
    return (
        "English library services (ACE's activity data covers England only) that contain at least one ACE Priority "
        "Place or Levelling Up for Culture Place (LUCP), against services known to contain neither. Most Priority "
        "Places are also culture places, so services are grouped by the combination of the two flags. A service "
        f"with an unknown flag on either list is in '{UNKNOWN}', never in the rest. " + places_note
    )


def no_figures(entry: dict) -> str:
    """Why a metric without ACE figures (one service's own open data) cannot be compared across services."""
    return (
        f"{entry['label']} has no ACE figures (it is one service's own open data), so services cannot be compared "
        "on it: choose another metric."
    )


def places_source(year: int) -> str:
    """The source line of the year's charts: ACE's activity, the population and the places list."""
    return ace_source(year) + PLACES_SOURCE


def year_heading(entry: dict, year: int) -> str:
    """'Visits per 1,000 residents, 2024/25'."""
    return f"{entry['label']} {DENOMINATORS[entry['denominator']]}, {financial_year(year)}"


def year_caption(year: int) -> str:
    """What the gap in one year is, and where its change over the years is measured (on fixed services, below)."""
    period = financial_year(year)
    return (
        f"The gap in {period}: each group's population-weighted rate against that of '{NEITHER}', over every service "
        f"countable in {period}. A level in one year; how the gap changed is measured on the same services every "
        "year, below."
    )


def gap_lines(summary: pl.DataFrame, entry: dict, year: int) -> list[str]:
    """The gap of the services with any Priority Place, then with any LUCP, as Markdown list items."""
    per = DENOMINATORS[entry["denominator"]]
    return ["- " + gap_sentence(summary, group, entry["unit"], per, year) for group in (ANY_PRIORITY, ANY_CULTURE)]


def distribution_section(grouped: pl.DataFrame, summary: pl.DataFrame, entry: dict, year: int) -> ChartSection:
    """Each service's rate as a dot in its group's box, with the group's population-weighted rate as a diamond; the
    footer says how many services of each group reported and whose rates are drawn apart (not comparable)."""
    per, period = DENOMINATORS[entry["denominator"]], financial_year(year)
    exclusive = summary.filter(pl.col("kind") == "exclusive")
    coverage = "; ".join(f"{r['group']} {r['reported']} of {r['services']}" for r in exclusive.iter_rows(named=True))
    apart = not_comparable(grouped)
    apart_note = (
        f"{left_out_note(apart, ' of the boxes, drawn apart (open diamond, or an arrow at the axis end)')}; "
        "counted in the weighted rates. "
        if apart
        else ""
    )
    title = f"{entry['label']} {per} in Priority Places and the rest of England, {period}"
    figure = distribution_chart(
        grouped,
        Labels(
            title=title,
            subtitle=f"Rate {per} ({POPULATION_VINTAGE}), {period}; each dot a library service, diamond the "
            f"population-weighted rate; compared with '{NEITHER}'",
            source=places_source(year),
            note=f"Services reported: {coverage}. Partial, flagged and missing returns are not shown or counted. "
            f"{apart_note}{UNKNOWN}: a flag is unknown on either list.",
            axis=f"{sentence_case(entry['unit'])} {per}",
        ),
        group_order=list(GROUPS),
        weighted=dict(exclusive.select("group", "rate").iter_rows()),
    )
    table = rates_table(
        grouped.sort("group", "service_name"),
        entry,
        ["group", "service", "code", "decile", "count", "status", "population", "rate", "caveat", "audit"],
    )
    return ChartSection(figure, table.frame, metric_about(entry, title, period, places_source(year), table.described))


def summary_table(summary: pl.DataFrame, entry: dict) -> pl.DataFrame:
    """Each group's services, coverage, population-weighted rate and its gap to 'Neither (known)'."""
    return summary.select(
        pl.col("group").alias("Group"),
        pl.col("services").alias("Services"),
        pl.col("coverage").alias("Coverage"),
        pl.col("rate").round(1).alias(f"Weighted rate {DENOMINATORS[entry['denominator']]}"),
        pl.col("gap").round(1).alias(f"Gap to {NEITHER}"),
        pl.col("gap_percent").round(1).alias("Gap (%)"),
    )


def decile_section(grouped: pl.DataFrame, entry: dict, year: int) -> ChartSection:
    """The groups' population-weighted rates within each deprivation decile, so a gap that is only deprivation
    shows as none; each bar is labelled with the services reported of those in its cell."""
    per, period = DENOMINATORS[entry["denominator"]], financial_year(year)
    by_decile = decile_summary(grouped)
    title = f"{entry['label']} {per} by deprivation decile, place groups and the rest of England, {period}"
    figure = grouped_bar_chart(
        by_decile.with_columns(pl.col("imd_decile").cast(pl.String)),
        Labels(
            title=title,
            subtitle=f"Population-weighted rate {per} per group within each {IMD_NAME} decile of English services "
            f"(1 = most deprived); compared with '{NEITHER}'",
            source=f"{places_source(year)} MHCLG {IMD_NAME} ({OGL}), rebuilt on {CODES_VINTAGE} services.",
            note=f"Bar labels: services reported of services in the cell. No bar: no service in the cell reported. "
            f"{grouped.filter(pl.col('group') == UNKNOWN).height} services with an unknown flag are left out.",
            axis=f"{sentence_case(entry['unit'])} {per}",
        ),
        x="imd_decile",
        group="group",
        value="rate",
        x_title=f"{IMD_NAME} decile of the service (1 = most deprived)",
    )
    for trace in figure.data:
        cells = by_decile.filter(pl.col("group") == trace.name)
        counts = cells["coverage"].str.replace(" of ", "/").to_list()
        trace.update(text=counts, textposition="outside", cliponaxis=False)
    table = by_decile.select(
        pl.col("imd_decile").alias(DECILE_HEADER),
        pl.col("group").alias("Group"),
        pl.col("services").alias("Services in the cell"),
        pl.col("reported").alias("Services reported"),
        pl.col("rate").round(1).alias(f"Population-weighted rate {per}"),
    )
    about = metric_about(entry, title, period, places_source(year), ((DECILE_HEADER, IMD_DECILE_NOTE),))
    return ChartSection(figure, table, about)


def flags_table(grouped: pl.DataFrame, services: pl.DataFrame) -> pl.DataFrame:
    """Each English service's group and the districts behind its two flags (empty: none)."""
    flags = grouped.select("service_code", "group").join(services, on="service_code").sort("group", "service_name")
    return flags.select(
        pl.col("service_name").alias("Service"),
        pl.col("group").alias("Group"),
        pl.col("priority_place").alias("Priority Place"),
        pl.col("priority_place_districts").fill_null("").alias("Priority Place districts"),
        pl.col("priority_place_unknown_districts").alias("Districts unknown (Priority Places)"),
        pl.col("lucp").alias("LUCP"),
        pl.col("lucp_districts").fill_null("").alias("LUCP districts"),
        pl.col("lucp_unknown_districts").alias("Districts unknown (LUCP)"),
    )


@dataclass(frozen=True)
class PlacesYear:
    """The page's sections for one metric in one year, as they are shown (a page can keep them and show them again)."""

    heading: str
    caption: str
    gap_lines: list[str]  # Markdown list items
    distribution: ChartSection
    summary: pl.DataFrame  # summary_table
    deciles: ChartSection
    flags: pl.DataFrame  # flags_table


def places_year(rates: pl.DataFrame, services: pl.DataFrame, entry: dict, year: int) -> PlacesYear:
    """Every section of one metric in one year, from the metric's rates.service_rates in `year`."""
    grouped = assign_groups(rates)
    summary = group_summary(grouped)
    return PlacesYear(
        heading=year_heading(entry, year),
        caption=year_caption(year),
        gap_lines=gap_lines(summary, entry, year),
        distribution=distribution_section(grouped, summary, entry, year),
        summary=summary_table(summary, entry),
        deciles=decile_section(grouped, entry, year),
        flags=flags_table(grouped, services),
    )
