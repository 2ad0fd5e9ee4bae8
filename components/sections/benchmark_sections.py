"""The Service benchmark page's sections for an English service: what its controls offer, who the service is
compared with, the opening words, and the headline table of its rates against its comparison group, region and
England (each metric measured once, for the table and the chart).

The charts (the strip of one metric and its years) are in components.sections.benchmark_charts; the profile of a
service outside England in components.sections.benchmark_profile.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import polars as pl

from components.benchmark import AUDIT_HEADER, benchmark_table
from components.profile import service_labels
from components.sentences import left_out_note
from observatory_data.serving.benchmarks import Benchmark, benchmark
from observatory_data.serving.catalogue import ENGLAND, HEADLINE_METRICS, years_with_data
from observatory_data.serving.coverage import returned_codes
from observatory_data.serving.formats import names_words
from observatory_data.serving.periods import financial_year
from observatory_data.serving.rates import metrics_reported, service_caveats, service_rates


@dataclass(frozen=True)
class Choices:
    """What the page's controls offer: every service as a search lists it, the English services a group is chosen
    from, and the metrics with ACE figures in any year (a service's own long-run count cannot be benchmarked)."""

    search: dict[str, str]  # code -> the name a visitor searches for ('Cardiff (Wales)'), England's first
    names: dict[str, str]
    nations: dict[str, str]
    english: list[str]  # in the search's order
    metrics: list[str]
    labels: dict[str, str]  # metric -> label


def benchmark_choices(services: pl.DataFrame, annual: pl.DataFrame, metrics: pl.DataFrame) -> Choices:
    """The services and metrics the page's controls offer, from the services, annual and metrics tables."""
    search = service_labels(services)
    nations = dict(services.select("service_code", "nation").iter_rows())
    return Choices(
        search=search,
        names=dict(services.select("service_code", "service_name").iter_rows()),
        nations=nations,
        english=[code for code in search if nations[code] == ENGLAND],
        metrics=[metric for metric in metrics_reported(metrics, annual) if years_with_data(annual, metric)],
        labels=dict(metrics.select("metric", "label").iter_rows()),
    )


@dataclass(frozen=True)
class Comparison:
    """The service and its comparison group, with the words every section uses for them."""

    service: str
    name: str
    group: list[str]  # service codes, the service itself not among them
    chosen: bool  # a group the visitor chose, rather than the ONS nearest neighbours
    label: str  # "of its 15 nearest neighbours (ONS)" or "in a chosen group of 3"
    members: str  # what the members are called: "neighbours" or "services"

    @property
    def table_label(self) -> str:
        """What the headline table's sentences call the group."""
        return "services in the group" if self.chosen else "similar services"


def nearest_neighbours(service: str, name: str, group: Sequence[str], count: int) -> Comparison:
    """A service compared with its `count` nearest ONS neighbours (`group`, nearest first)."""
    return Comparison(service, name, list(group), False, f"of its {count} nearest neighbours (ONS)", "neighbours")


def chosen_group(service: str, name: str, group: Sequence[str]) -> Comparison:
    """A service compared with a group the visitor chose."""
    return Comparison(service, name, list(group), True, f"in a chosen group of {len(group)}", "services")


def comparison_of(service: str, name: str, group: Sequence[str], count: int | None) -> Comparison:
    """A service compared with its `count` nearest neighbours or, with no `count`, with a group the visitor chose."""
    return chosen_group(service, name, group) if count is None else nearest_neighbours(service, name, group, count)


@dataclass(frozen=True)
class Opening:
    """The page's title, the caption on the year's return and, if its rates are not comparable, why ('' if they are)."""

    title: str
    caption: str
    caveat: str


def opening(annual: pl.DataFrame, comparison: Comparison, year: int) -> Opening:
    """The words above the benchmark: whether the service made a return in `year` (this year's return, not the
    2023/24 workbook's) and whom it is compared with; a caveat that keeps its rates out of ranks and medians."""
    name = comparison.name
    returned = comparison.service in returned_codes(annual, year)
    caveats = service_caveats(annual, comparison.service, year)
    return Opening(
        title=f"{name}: benchmark",
        caption=f"{financial_year(year)}: {name} made {'a' if returned else 'no'} return to ACE for the year. Rates "
        f"per 1,000 of the right population; comparison: the service and those {comparison.label}.",
        caveat=f"**{name}'s per-resident rates are not comparable with other services'** ({'; '.join(caveats)}). "
        "Its rates are shown with this caveat, but not ranked, and they are left out of other services' group "
        "medians and of the map's classes; its counts still go into regional and England totals."
        if caveats
        else "",
    )


@dataclass(frozen=True)
class Measured:
    """One metric's catalogue entry, the English services' rates in the year and where the service stands."""

    entry: dict
    rates: pl.DataFrame
    result: Benchmark


def measure(
    annual: pl.DataFrame,
    services: pl.DataFrame,
    metrics: pl.DataFrame,
    comparison: Comparison,
    metric: str,
    year: int,
    rates_of: Callable[[str, int], pl.DataFrame] | None = None,
) -> dict[str, Measured]:
    """Each headline metric's (and the chart's `metric`'s) rates and benchmark, computed once for the table and the
    chart, in the table's order. `rates_of(metric, year)`: rates.service_rates where a page keeps them (the same for
    every service it benchmarks); computed here if None."""
    measured = {}
    for shown in dict.fromkeys([*HEADLINE_METRICS, metric]):
        entry = metrics.filter(pl.col("metric") == shown).row(0, named=True)
        every = (rates_of or partial(service_rates, annual, services, metrics))(shown, year)
        rates = every.filter(pl.col("nation") == ENGLAND)
        result = benchmark(rates, comparison.service, comparison.group, entry["polarity"])
        measured[shown] = Measured(entry, rates, result)
    return measured


@dataclass(frozen=True)
class Headline:
    """The headline metrics: a sentence each, the table (every cell text), the caption under it and, where the
    audit marked a figure, the marks in full ('' if none: the table's cells cut long text short)."""

    sentences: str  # Markdown list
    table: pl.DataFrame
    note: str
    audit: str


def headline_section(
    measured: Mapping[str, Measured], comparison: Comparison, region: str, names: Mapping[str, str], year: int
) -> Headline:
    """The headline metrics' benchmark; the caption names who is left out of a median, of any metric shown."""
    table = benchmark_table(
        {metric: (measured[metric].entry, measured[metric].result) for metric in HEADLINE_METRICS},
        comparison.table_label,
        region_name=region,
    )
    group = comparison.group
    left_out = sorted({member for shown in measured.values() for member in shown.result.left_out})
    who = (
        f"The comparison group, {len(group)} services chosen: "
        if comparison.chosen
        else f"The comparison group, its {len(group)} nearest neighbours (ONS), nearest first: "
    )
    note = (
        f"Rank: among {comparison.name} and its comparison group, counting only services with a comparable value "
        "(1 = highest). Group median: the comparison group without the service itself"
        + (f" ({left_out_note(left_out)})" if left_out else "")
        + ". Region and England: population-weighted, with the number of services they rest on (every countable "
        f"value, caveated or not). {who}{names_words([names[code] for code in group])}."
    )
    audit = ""
    if AUDIT_HEADER in table.columns:
        marked = table.filter(pl.col(AUDIT_HEADER) != "").select("Metric", AUDIT_HEADER).rows()
        audit = f"**The Libraries Hacked audit's marks on {comparison.name}'s {financial_year(year)} figures**\n" + (
            "\n".join(f"- **{label}**: {sentence}" for label, sentence in marked)
        )
    return Headline(
        sentences="\n".join(f"- **{row['Metric']}**: {row['In words']}" for row in table.iter_rows(named=True)),
        table=table.drop("In words"),
        note=note,
        audit=audit,
    )
