"""Change between two years: each service's rate in both years and the percentage change of the rate.

Both years' rates are divided by the same population (catalogue.POPULATION_VINTAGE), so the change of the rate is
the change of the count. A change is given only where both years are countable and the first rate is above zero;
a caveated service (its rate not comparable with other services') keeps its change but is left out of the median
and of any class breaks, as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from observatory_data.serving.catalogue import COUNTABLE, ENGLAND
from observatory_data.serving.rates import service_rates
from observatory_data.serving.same_services import COUNTED_VALUE, in_every_year

# A change that may enter a median or a class break: there is one, and neither year's rate has a caveat.
COMPARABLE_CHANGE = pl.col("change").is_not_null() & pl.col("caveat").is_null()
YEAR_COLUMNS = ("value", "status", "rate", "returned")
# In rate_change's frame: a service whose count enters matched_change's total (countable in both years, caveat or not).
COUNTABLE_IN_BOTH = pl.all_horizontal(
    pl.col(f"status_{end}").is_in(COUNTABLE) & pl.col(f"value_{end}").is_not_null() for end in ("from", "to")
)


def rate_change(
    annual: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame, metric: str, start: int, end: int
) -> pl.DataFrame:
    """One row per service: value_from, status_from, rate_from, the same `_to`, the caveat of either year (where
    that year has a rate) and `change`, the percentage change of the rate from `start` to `end`."""
    first, last = (service_rates(annual, services, metrics, metric, year) for year in (start, end))
    return (
        first.rename({column: f"{column}_from" for column in YEAR_COLUMNS})
        .join(
            last.select("service_code", *(pl.col(c).alias(f"{c}_to") for c in YEAR_COLUMNS), caveat_to="caveat"),
            on="service_code",
            how="left",
        )
        .with_columns(pl.coalesce("caveat", "caveat_to").alias("caveat"))
        .drop("caveat_to", "months_covered")
        .with_columns(change=pl.when(pl.col("rate_from") > 0).then((pl.col("rate_to") / pl.col("rate_from") - 1) * 100))
    )


@dataclass(frozen=True)
class MatchedChange:
    """The change of a group's total between two years, on the services countable in both (DCMS's and Libraries
    Hacked's matched cohort): a change in use, not in who reported."""

    start: int
    end: int
    before: float | None  # the matched services' total in `start`
    after: float | None  # ... and in `end`
    services: int  # how many services are countable in both years
    of: int  # the group's size

    @property
    def change(self) -> float | None:
        """Relative change (0.06: up 6%); None when no service is countable in both years."""
        return self.after / self.before - 1 if self.services and self.before else None

    @property
    def basis(self) -> str:
        """'the 86 of 153 services countable in both years'."""
        return f"the {self.services} of {self.of} services countable in both years"


def matched_change(annual: pl.DataFrame, metric: str, start: int, end: int, codes: list[str]) -> MatchedChange:
    """The change of the total of `metric` from `start` to `end` over the services in `codes` with a countable
    value in both years. Counts with a caveat stay in: a caveat speaks of a rate, and a count's change is like for
    like."""
    rows = annual.filter(pl.col("metric") == metric, pl.col("service_code").is_in(codes))
    matched = in_every_year(rows, COUNTED_VALUE, [start, end])["service_code"].to_list()
    both = rows.filter(pl.col("year").is_in([start, end]), COUNTED_VALUE, pl.col("service_code").is_in(matched))
    totals = dict(both.group_by("year").agg(pl.col("value").sum()).iter_rows())
    return MatchedChange(
        start, end, totals.get(start), totals.get(end), both["service_code"].n_unique(), len(set(codes))
    )


@dataclass(frozen=True)
class ChangeSummary:
    """England's two measures of a change map: the headline, the change of the total over the services countable in
    both years (`matched`, as on every page), and the median of the services' own changes, over the `compared` of
    `of` English services with a comparable change (caveated ones are left out, as from the map's classes)."""

    matched: MatchedChange
    compared: int
    of: int
    median: float | None  # in % (-5.1: down 5.1%), as the map's `change` column


def england_change(annual: pl.DataFrame, services: pl.DataFrame, metric: str, start: int, end: int) -> MatchedChange:
    """England's headline change: matched_change over every English service (so 'of 153' counts them all)."""
    codes = services.filter(pl.col("nation") == ENGLAND)["service_code"].to_list()
    return matched_change(annual, metric, start, end, codes)


def change_summary(changes: pl.DataFrame, matched: MatchedChange) -> ChangeSummary:
    """England's headline (`matched`, from england_change) beside the English services' median own change in
    `changes` (rate_change's frame), over comparable changes only."""
    english = changes.filter(pl.col("nation") == ENGLAND)
    compared = english.filter(COMPARABLE_CHANGE)["change"]
    median = compared.median()
    return ChangeSummary(matched, compared.len(), english.height, float(median) if median is not None else None)
