"""The Service benchmark page's view of an English service against its comparison group, whole: the opening words, the
benchmarks of the headline metrics (and the chart's), the headline table, the years' section and what is missing.

One builder, so a page can keep the view it made for a service, group, metric and year and show it again unchanged;
the strip (laid out for the chart's width) is built apart, from the view's measured metric
(components.sections.benchmark_charts.strip_section).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import polars as pl

from components.benchmark import missing_table
from components.sections.benchmark_charts import Trend, trend_section
from components.sections.benchmark_sections import (
    Comparison,
    Headline,
    Measured,
    Opening,
    comparison_of,
    headline_section,
    measure,
    opening,
)


class ViewKey(NamedTuple):
    """The visitor's choices a view is made from (and a page keeps it by)."""

    service: str
    group: tuple[str, ...]  # service codes, the service itself not among them
    count: int | None  # of nearest neighbours; None: a group the visitor chose
    metric: str  # the chart's
    year: int


@dataclass(frozen=True)
class BenchmarkView:
    """What the page shows of a service benchmarked in a year. Without a group, only the opening and what is missing
    (the page asks for a group)."""

    comparison: Comparison
    opening: Opening
    measured: dict[str, Measured]  # the headline metrics and the chart's, in the table's order; empty without a group
    headline: Headline | None
    trend: Trend | None
    missing: pl.DataFrame  # components.benchmark.missing_table


def benchmark_view(
    annual: pl.DataFrame,
    services: pl.DataFrame,
    metrics: pl.DataFrame,
    key: ViewKey,
    names: Mapping[str, str],
    rates_of: Callable[[str, int], pl.DataFrame] | None = None,
) -> BenchmarkView:
    """The view of the service against its group for the chart's metric in the year. `rates_of(metric, year)`:
    rates.service_rates where a page keeps them (the same for every service it benchmarks); computed here if None."""
    metric, year = key.metric, key.year
    comparison = comparison_of(key.service, names[key.service], key.group, key.count)
    words = opening(annual, comparison, year)
    missing = missing_table(annual, metrics, comparison.service, year)
    if not comparison.group:
        return BenchmarkView(comparison, words, {}, None, None, missing)
    measured = measure(annual, services, metrics, comparison, metric, year, rates_of)
    region = services.filter(pl.col("service_code") == comparison.service)["region"].item()
    headline = headline_section(measured, comparison, region, names, year)
    entry = measured[metric].entry
    trend = trend_section(annual, services, metrics, entry, comparison, year, names, rates_of)
    return BenchmarkView(comparison, words, measured, headline, trend, missing)
