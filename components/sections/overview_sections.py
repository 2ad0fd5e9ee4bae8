"""The Overview's sections: England's headline figures as tiles (the estimate, its interval and its change on the
same services), the chart of one metric's estimates per year, and the doors to each Offer.

An estimate for all of England rests on the services that reported, grossed up; a change rests on the services
countable in both years. The tiles give both and never a difference of two estimates, which would measure who
reported rather than what libraries did.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from components.charts.estimates import estimate_chart
from components.figure_layout import Labels
from components.sections.chart_section import ChartSection, metric_about
from components.text import about_the_data, change_delta, estimate_text, estimates_table, matched_change_text
from observatory_data.serving.catalogue import (
    COVERAGE_THRESHOLD,
    ENGLAND,
    HEADLINE_METRICS,
    OFFERS,
    ace_years_source,
)
from observatory_data.serving.change import matched_change
from observatory_data.serving.coverage import services_returning
from observatory_data.serving.periods import financial_year, span

HEADLINES_CAPTION = (
    "Each figure: England's level in the year, estimated for the whole of England (grossed up by population within "
    "each region from the services that reported countable values, with a 95% interval, beside the reported sum); "
    "and its change, measured on the same services: the total of the services countable in both years. Two "
    "estimates rest on different services, so their difference is not given as a change."
)


@dataclass(frozen=True)
class EnglandEstimates:
    """England's rows of the national table up to the chosen year, and the years they span."""

    shown: pl.DataFrame
    first: int  # the first year with an estimate (the chosen year when there is none)
    year: int

    @property
    def span(self) -> str:
        return span(self.first, self.year)


def england_estimates(national: pl.DataFrame, year: int) -> EnglandEstimates:
    """England's estimates in the years up to `year` (a later year is not the past of the chosen one)."""
    shown = national.filter(pl.col("nation") == ENGLAND, pl.col("year") <= year)
    return EnglandEstimates(shown, shown["year"].min() or year, year)


def charted_metrics(national: pl.DataFrame) -> list[str]:
    """The headline metrics England has an estimate for in some year: the chart's choices, in headline order."""
    estimated = set(national.filter(pl.col("nation") == ENGLAND)["metric"])
    return [metric for metric in HEADLINE_METRICS if metric in estimated]


@dataclass(frozen=True)
class HeadlineTile:
    """One headline metric's tile: with an estimate, its value, its change on the same services (delta and words) and
    the coverage it rests on; without one, "No estimate" and why."""

    label: str
    value: str
    help: str  # the definition, and the method where there is an estimate
    detail: str  # the caption: interval and coverage, or why there is no estimate
    estimated: bool = True
    delta: str | None = None
    change: str = ""


def headline_tiles(
    england: EnglandEstimates, annual: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame
) -> list[HeadlineTile]:
    """A tile per headline metric, in headline order: the year's estimate, and its change on the English services
    countable in both years, from the year before and from the first year (each where it has an estimate)."""
    year = england.year
    english = services.filter(pl.col("nation") == ENGLAND)["service_code"].to_list()
    tiles = []
    for headline in HEADLINE_METRICS:
        entry = metrics.filter(pl.col("metric") == headline).row(0, named=True)
        rows = england.shown.filter(pl.col("metric") == headline).iter_rows(named=True)
        by_year = {row["year"]: row for row in rows}
        if year not in by_year:
            detail = f"No estimate for {financial_year(year)}."
            tiles.append(HeadlineTile(entry["label"], "No estimate", entry["definition"], detail, estimated=False))
            continue
        changes = [
            matched_change(annual, headline, before, year, english)
            for before in sorted({year - 1, england.first} - {year}, reverse=True)
            if before in by_year
        ]
        value, detail = estimate_text(by_year[year], entry["unit"])
        tiles.append(
            HeadlineTile(
                entry["label"],
                value,
                f"{entry['definition']} Method: {by_year[year]['method']}",
                detail,
                delta=change_delta(changes[-1]) if changes else None,
                change=matched_change_text(changes),
            )
        )
    return tiles


def estimates_section(england: EnglandEstimates, metrics: pl.DataFrame, metric: str) -> ChartSection:
    """One metric's estimate per year with its 95% interval beside the reported sum, each year's coverage in the
    footnote: each year rests on the services that reported it."""
    entry = metrics.filter(pl.col("metric") == metric).row(0, named=True)
    rows = england.shown.filter(pl.col("metric") == metric).sort("year")
    years = rows["year"].to_list()
    title = f"{entry['label']} in England: estimated per year, {england.span}"
    coverage = "; ".join(
        f"{financial_year(row['year'])}: {row['services_reporting']} of {row['services_total']} services reported "
        f"({row['population_share']:.1%} of residents)"
        for row in rows.iter_rows(named=True)
    )
    year_name = pl.col("year").map_elements(financial_year, return_dtype=pl.String)
    figure = estimate_chart(
        rows.with_columns(year_name),
        Labels(
            title=title,
            subtitle=f"Levels, grossed up by population within each region; bars: 95% interval; open circles: "
            f"indicative (reporting services below {COVERAGE_THRESHOLD:.0%} of authorities and of residents). Each "
            "year rests on the services that reported it: read change from the same services, above",
            source=ace_years_source(years),
            note=f"Coverage: {coverage}.",
            axis=f"{entry['unit']} per year",
        ),
    )
    table = rows.select(
        year_name.alias("Year"),
        pl.col("estimate").round(0).alias("Estimate"),
        pl.col("estimate_low").round(0).alias("95% interval, lower"),
        pl.col("estimate_high").round(0).alias("95% interval, upper"),
        pl.col("reported_total").round(0).alias("Reported sum"),
        pl.col("services_reporting").alias("Services reporting"),
        pl.col("services_total").alias("English services"),
        (pl.col("population_share") * 100).round(1).alias("Residents in reporting services (%)"),
        pl.col("indicative").alias("Indicative"),
        pl.col("indicative_reason").alias("Why indicative"),
    )
    about = replace(
        metric_about(entry, title, f"financial years {england.span}", ace_years_source(years)),
        unit=f"{entry['unit']} per year",
        denominator="none: estimated totals for the whole of England",
    )
    return ChartSection(figure, table, about)


def every_headline_table(england: EnglandEstimates, metrics: pl.DataFrame) -> pl.DataFrame:
    """Every headline metric's estimate per year in words, beside the chart of one."""
    labels = dict(metrics.select("metric", "label").iter_rows())
    return estimates_table(england.shown.filter(pl.col("metric").is_in(HEADLINE_METRICS)), labels)


def offer_doors(metrics: pl.DataFrame) -> list[tuple[str, str, int]]:
    """(offer id, the Offer's name, how many metrics it has) for each Universal Library Offer, in OFFERS order."""
    return [
        (offer_id, offer, metrics.filter(pl.col("offers").list.contains(offer)).height)
        for offer_id, offer in OFFERS.items()
    ]


def about_the_data_text(annual: pl.DataFrame, year: int, built_at: str) -> str:
    """The sources of the Overview's figures in one paragraph, with how many services returned for the year."""
    return about_the_data(year, services_returning(annual, year), built_at)
