"""Where one service stands among its comparison group: its rank and the group's median in a year, and the median
over the years on the same members.

Ranks are given only where a metric's polarity is clear; the group median always leaves the service out; a
caveated rate (rates.COMPARABLE) enters neither. Region and England keep every count (coverage.aggregate).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from observatory_data.serving.audit_marks import audit_sentence
from observatory_data.serving.catalogue import ENGLAND, RANKED_POLARITIES
from observatory_data.serving.coverage import Aggregate, aggregate
from observatory_data.serving.rates import COMPARABLE, not_comparable
from observatory_data.serving.same_services import in_every_year


def peer_codes(peers: pl.DataFrame, service_code: str, count: int) -> list[str]:
    """The `count` nearest ONS neighbours of a service, nearest first."""
    chosen = peers.filter((pl.col("service_code") == service_code) & (pl.col("rank") <= count)).sort("rank")
    return chosen["peer_code"].to_list()


@dataclass(frozen=True)
class Benchmark:
    """Where one service stands among a comparison group for one metric."""

    rate: float | None
    status: str
    rank: int | None
    ranked: int
    group_size: int
    group_median: float | None
    region_rate: Aggregate
    england_rate: Aggregate
    caveat: str | None = None  # why the service's own rate is not comparable: shown, never ranked
    left_out: tuple[str, ...] = ()  # group members whose caveated rates are left out of rank and median
    returned: bool = False  # the service sent ACE a return for the year: its no_return metric is then NO_FIGURE
    audit: str | None = None  # the audit's mark on the service's own figure, in words (audit_marks.audit_sentence)


def benchmark(rates: pl.DataFrame, service_code: str, group: list[str], polarity: str) -> Benchmark:
    """Rank of the service among itself and its group (1 = best), the group median, region and England.

    Ranks are given only where the metric's polarity is clear; the group median leaves the service out.
    Caveated rates (not comparable) enter neither the rank nor the median; region and England keep their counts.
    Whether the service sent ACE a return for the year (`rates`' returned column) tells a missing metric from a
    missing return.
    """
    own = rates.filter(pl.col("service_code") == service_code).row(0, named=True)
    others = rates.filter(pl.col("service_code").is_in(group) & (pl.col("service_code") != service_code))
    comparable = others.filter(COMPARABLE)
    median = comparable["rate"].median()
    own_rate = own["rate"] if own["caveat"] is None else None
    ranked_rates = pl.concat([comparable["rate"], pl.Series([own_rate], dtype=pl.Float64)]).drop_nulls()
    rank = None
    if own_rate is not None and polarity in RANKED_POLARITIES:
        better = ranked_rates > own["rate"] if polarity == "higher_is_better" else ranked_rates < own["rate"]
        rank = int(better.sum()) + 1
    england = rates.filter(pl.col("nation") == ENGLAND)
    region = rates.filter(pl.col("region") == own["region"])
    return Benchmark(
        rate=own["rate"],
        status=own["status"],
        rank=rank,
        ranked=ranked_rates.len(),
        group_size=others.height,
        group_median=float(median) if median is not None else None,
        region_rate=aggregate(region),
        england_rate=aggregate(england),
        caveat=own["caveat"],
        left_out=tuple(not_comparable(others)),
        returned=bool(own.get("returned")),
        audit=audit_sentence(own),
    )


# Over years. Rates use one population vintage for every year, so a rate's change is its count's change; a median's
# change is measured on the same members in every year, so it is a change in use, not in who reported.


def steady_members(rates: pl.DataFrame, service_code: str, group: list[str]) -> list[str]:
    """The group's members (the service left out) with a comparable rate in every year of `rates` (from
    `rates.service_rates_by_year`), in the group's order: the services a matched median rests on, so a page can
    name them."""
    others = rates.filter(pl.col("service_code").is_in(group) & (pl.col("service_code") != service_code))
    steady = set(in_every_year(others, COMPARABLE, rates["year"].unique().to_list())["service_code"])
    return [code for code in dict.fromkeys(group) if code != service_code and code in steady]


def median_by_year(rates: pl.DataFrame, service_code: str, group: list[str], matched: bool = False) -> pl.DataFrame:
    """Per year (from `rates.service_rates_by_year`): the service's rate, status and caveat, and its group's median
    of comparable rates (the service left out, as in `benchmark`) with how many members it rests on (`members` of
    `of`).

    With `matched`, only the members comparable in every year of `rates` count (steady_members), so the median moves
    with their use, not with who reported; without, whoever was comparable that year (as the year's benchmark has it).
    """
    others = rates.filter(pl.col("service_code").is_in(group) & (pl.col("service_code") != service_code))
    if matched:
        keep = steady_members(rates, service_code, group)
        others = others.with_columns(rate=pl.when(pl.col("service_code").is_in(keep)).then(pl.col("rate")))
    medians = others.group_by("year").agg(
        median=pl.col("rate").filter(COMPARABLE).median(),
        members=COMPARABLE.sum().cast(pl.Int64),
        of=pl.len().cast(pl.Int64),
    )
    own = rates.filter(pl.col("service_code") == service_code).select("year", "rate", "status", "caveat")
    return own.join(medians, on="year", how="left").sort("year")


@dataclass(frozen=True)
class Change:
    """A service's change in rate between two years beside its group median's, each only where it is measurable."""

    years: tuple[int, ...]  # the years compared, oldest first: the change is from the first to the last
    own: float | None  # relative change (0.06: up 6%); None unless the service is countable in both years
    median: float | None  # change of the median over the members comparable in every year
    members: int  # how many members the median's change rests on

    @property
    def first(self) -> int:
        return self.years[0]

    @property
    def last(self) -> int:
        return self.years[-1]


def change_between(rates: pl.DataFrame, service_code: str, group: list[str]) -> Change:
    """From the first to the last year of `rates` (from `rates.service_rates_by_year`): the service's change, where
    it is countable in both (its own change is like for like, even with a caveat), and the change of its group's
    median over the members comparable in every year (the matched median of `median_by_year`, so words and chart
    agree)."""

    def ratio(before: float | None, after: float | None) -> float | None:
        return after / before - 1 if before and after is not None else None

    same = median_by_year(rates, service_code, group, matched=True)
    first, last = same.row(0, named=True), same.row(-1, named=True)
    return Change(
        tuple(same["year"].to_list()),
        ratio(first["rate"], last["rate"]),
        ratio(first["median"], last["median"]),
        first["members"] or 0,
    )
