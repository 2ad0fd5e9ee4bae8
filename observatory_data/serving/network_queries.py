"""Questions the app asks of the `network` table: totals for an area with their coverage, libraries per 100,000
residents and change since 2010. Pure Polars.

Missing is never zero: a total is the sum over the services with a known value, null when none has one, and
always travels with how many services it rests on (`<column>_known`), so a page can say "176 of 179 services".

Two sources, two stories. ACE's statutory count (England, 2010 to 2023 in the years it gives) is the strong one:
returned by the services. Libraries Hacked's list covers every nation but records openings and closures only for
some services (`recorded_codes`); a change is stated on those services alone, and for an area only when they are
at least COVERAGE_THRESHOLD of its services: else the change is "not recorded".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from observatory_data.serving.catalogue import COVERAGE_THRESHOLD, ENGLAND, NATIONS
from observatory_data.serving.same_services import in_every_year

UK = "UK"  # the area of every register service (Scotland is not in the register)
BASE_YEAR = 2010
PER_RESIDENTS = 100_000
COUNTS = (
    "libraries_open",
    "openings",
    "closures",
    "statutory_libraries",
    "local_authority",
    "community_run",
    "commissioned",
    "independent_community",
    "weekly_hours",
    "weekly_staffed_hours",
)


def latest_year(network: pl.DataFrame) -> int:
    """The last year the list is current for (the last it records any opening or closure): 'now' on the pages."""
    return int(network.filter(pl.col("libraries_open").is_not_null())["year"].max())


def statutory_years(network: pl.DataFrame) -> list[int]:
    """The years ACE's dataset gives statutory status for, oldest first."""
    return sorted(network.filter(pl.col("statutory_libraries").is_not_null())["year"].unique().to_list())


def recorded_codes(network: pl.DataFrame, codes: Sequence[str]) -> list[str]:
    """The services of `codes` whose openings and closures the list records (the build leaves the rest null)."""
    rows = network.filter(pl.col("service_code").is_in(list(codes)), pl.col("openings").is_not_null())
    return [code for code in codes if code in set(rows["service_code"].to_list())]


@dataclass(frozen=True)
class Change:
    """A count in two years over the same services (`services` of the `of` in the area); `before` and `after` are
    null when no service has both."""

    first: int
    last: int
    before: int | None
    after: int | None
    services: int
    of: int

    @property
    def change(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def change_pct(self) -> float | None:
        change = self.change
        return None if change is None or not self.before else change / self.before * 100

    @property
    def publishable(self) -> bool:
        """Known, on at least COVERAGE_THRESHOLD of the area's services (the method's coverage rule)."""
        return self.change is not None and self.services >= COVERAGE_THRESHOLD * self.of


def _paired_change(network: pl.DataFrame, codes: Sequence[str], column: str, first: int, last: int) -> Change:
    paired = paired_totals(network, codes, column, (first, last))
    at = {row["year"]: row for row in paired.iter_rows(named=True)}
    return Change(
        first,
        last,
        at[first]["total"] if at else None,
        at[last]["total"] if at else None,
        at[first]["services"] if at else 0,
        len(codes),
    )


def statutory_change(network: pl.DataFrame, codes: Sequence[str]) -> Change | None:
    """Statutory libraries in ACE's first and last years, over the services counted in both; None when ACE's
    dataset has none of `codes` (outside England)."""
    years = statutory_years(network.filter(pl.col("service_code").is_in(list(codes))))
    if not years:
        return None
    return _paired_change(network, codes, "statutory_libraries", years[0], years[-1])


def listed_change(network: pl.DataFrame, codes: Sequence[str], year: int) -> Change:
    """Service points listed as open at the end of BASE_YEAR and of `year` over the services whose changes the list
    records (`services` of `of`, all of the area's services)."""
    change = _paired_change(network, recorded_codes(network, codes), "libraries_open", BASE_YEAR, year)
    return Change(change.first, change.last, change.before, change.after, change.services, len(codes))


def listed_now(network: pl.DataFrame, codes: Sequence[str]) -> tuple[int | None, int]:
    """Service points listed as open at the end of the list's last year, and how many services have a count."""
    rows = network.filter(pl.col("service_code").is_in(list(codes)), pl.col("year") == latest_year(network))
    known = rows["libraries_open"].count()
    return (int(rows["libraries_open"].sum()) if known else None), known


def area_codes(services: pl.DataFrame, area: str) -> list[str]:
    """The services of an area: UK, a nation, a region or one service (by code); empty for anything else."""
    if area == UK:
        return services["service_code"].to_list()
    for column in ("nation", "region", "service_code"):
        codes = services.filter(pl.col(column) == area)["service_code"].to_list()
        if codes:
            return codes
    return []


def area_kind(services: pl.DataFrame, area: str) -> str:
    """'uk', 'nation', 'region' or 'service': a nation whose region has its name (Wales) is a nation."""
    if area == UK:
        return "uk"
    if area in services["nation"].to_list():
        return "nation"
    return "region" if area in services["region"].to_list() else "service"


def comparison_areas(services: pl.DataFrame, area: str) -> list[str]:
    """The area and the areas it sits in (a service: its English region, its nation, the UK); the UK's nations."""
    kind = area_kind(services, area)
    if kind == "uk":
        return [UK, *NATIONS]
    if kind == "nation":
        return [area, UK]
    if kind == "region":
        return [area, ENGLAND, UK]
    row = services.filter(pl.col("service_code") == area).row(0, named=True)
    region = [row["region"]] if row["nation"] == ENGLAND else []
    return [area, *region, row["nation"], UK]


def _known_sum(column: str) -> pl.Expr:
    """The sum over the known values; null (not 0) when none is known."""
    return pl.when(pl.col(column).count() > 0).then(pl.col(column).sum()).alias(column)


def area_totals(
    network: pl.DataFrame, services: pl.DataFrame, codes: Sequence[str] | None = None, by: str | None = None
) -> pl.DataFrame:
    """Per year (and per `by`, a services column such as nation): each count summed over the services that have
    it, with `<column>_known` services, `services` in all, and libraries per 100,000 residents over the services
    with both a count and a population (`rate_services`, `rate_population`; the population is one vintage)."""
    rows = network.join(services.select("service_code", "population", *([by] if by else [])), on="service_code")
    if codes is not None:
        rows = rows.filter(pl.col("service_code").is_in(list(codes)))
    both = pl.col("libraries_open").is_not_null() & pl.col("population").is_not_null()
    keys = [by, "year"] if by else ["year"]
    return (
        rows.group_by(keys)
        .agg(
            pl.len().cast(pl.Int64).alias("services"),
            *[_known_sum(column) for column in COUNTS],
            *[pl.col(column).count().cast(pl.Int64).alias(f"{column}_known") for column in COUNTS],
            both.sum().cast(pl.Int64).alias("rate_services"),
            pl.col("population").filter(both).sum().alias("rate_population"),
            pl.col("libraries_open").filter(both).sum().alias("rate_libraries"),
        )
        .with_columns(
            libraries_per_100k=pl.when(pl.col("rate_services") > 0).then(
                pl.col("rate_libraries") / pl.col("rate_population") * PER_RESIDENTS
            )
        )
        .sort(keys)
    )


def change_since(
    frame: pl.DataFrame,
    year: int,
    keys: Sequence[str] = ("service_code",),
) -> pl.DataFrame:
    """Per key: libraries open at the end of BASE_YEAR and of `year`, the change, and the change in per cent of the base
    (null when the base is null or 0, so an unknown never reads as 'no change')."""

    def at(when: int, name: str) -> pl.DataFrame:
        return frame.filter(pl.col("year") == when).select(*keys, pl.col("libraries_open").alias(name))

    change = pl.col("after") - pl.col("before")
    return (
        at(BASE_YEAR, "before")
        .join(at(year, "after"), on=list(keys), how="full", coalesce=True)
        .with_columns(change=change)
        .with_columns(change_pct=pl.when(pl.col("before") > 0).then(change / pl.col("before") * 100))
    )


def paired_totals(network: pl.DataFrame, codes: Sequence[str], column: str, years: Sequence[int]) -> pl.DataFrame:
    """Per year: `column` summed over the services that have it in every one of `years` (like for like), and how
    many they are; a service known in one year only would make the sums differ for want of data."""
    rows = network.filter(pl.col("service_code").is_in(list(codes)), pl.col("year").is_in(list(years)))
    known = pl.col(column).is_not_null()
    paired = in_every_year(rows, known, years)["service_code"].to_list()
    return (
        rows.filter(known, pl.col("service_code").is_in(paired))
        .group_by("year")
        .agg(total=pl.col(column).sum(), services=pl.len().cast(pl.Int64))
        .sort("year")
    )


def libraries_per_100k(network: pl.DataFrame, services: pl.DataFrame, year: int) -> pl.DataFrame:
    """Per service: libraries open at the end of `year` per 100,000 residents (null where either is unknown)."""
    return (
        network.filter(pl.col("year") == year)
        .join(services.select("service_code", "population"), on="service_code")
        .select(
            "service_code",
            "libraries_open",
            "population",
            libraries_per_100k=pl.col("libraries_open") / pl.col("population") * PER_RESIDENTS,
        )
    )
