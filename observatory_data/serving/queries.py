"""Questions the pages ask of the prepared tables: rates, aggregates with coverage, benchmarks, series.

Only countable values (catalogue.COUNTABLE) count in an aggregate; flagged, partial and missing values are
shown as such but never summed. Every aggregate carries its coverage. A counted value with a `caveat` (its
per-resident rate is not comparable, e.g. the City of London's small resident and large daytime population)
stays in sums and totals, but its rate is left out of every median, rank, distribution and class break.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from observatory_data.serving.audit_marks import AUDIT_COLUMNS, audit_sentence, with_audit_columns
from observatory_data.serving.catalogue import (
    ACE_SOURCE_PREFIX,
    COUNTABLE,
    LEVEL_TOLERANCE,
    PER,
    RANKED_POLARITIES,
    Status,
    years_with_data,
)
from observatory_data.serving.rules import AUDIT_MARKS, AUDIT_MARKS_ON_WHOLE_YEARS, LINES, RULES

# A rate that may enter a median, a rank, a distribution or a class break: counted, and with no caveat.
COMPARABLE = pl.col("rate").is_not_null() & pl.col("caveat").is_null()


@dataclass(frozen=True)
class Aggregate:
    """A group total with the population-weighted rate and how many services it rests on."""

    total: float | None
    rate: float | None
    reported: int
    of: int

    @property
    def coverage(self) -> str:
        return f"{self.reported} of {self.of} services reported"


def denominator_of(metrics: pl.DataFrame, metric: str) -> str:
    """The population column a metric is divided by (children's metrics by children, and so on)."""
    return metrics.filter(pl.col("metric") == metric)["denominator"].item()


def metrics_reported(metrics: pl.DataFrame, annual: pl.DataFrame, year: int | None = None) -> list[str]:
    """The catalogue's metrics with values for `year` (any year if None), in catalogue order."""
    rows = annual.filter(pl.col("value").is_not_null())
    present = set((rows if year is None else rows.filter(pl.col("year") == year))["metric"].unique())
    return [metric for metric in metrics["metric"] if metric in present]


def service_rates(
    annual: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame, metric: str, year: int
) -> pl.DataFrame:
    """One row per service: value, status, denominator population, rate per 1,000 (null if not countable) and
    caveat (why the rate is not comparable; kept only where there is a rate, since it speaks of the rate); beside
    them the figure as returned and the audit's mark (audit_marks.AUDIT_COLUMNS), whether the value counts or not,
    and `returned`: whether the service sent ACE a return for the year."""
    denominator = denominator_of(metrics, metric)
    values = with_audit_columns(annual.filter((pl.col("metric") == metric) & (pl.col("year") == year))).select(
        "service_code", "value", "status", "months_covered", "caveat", "value_as_returned", *AUDIT_COLUMNS
    )
    table = services.select(
        "service_code",
        "service_name",
        "nation",
        "region",
        "priority_place",
        "lucp",
        "imd_decile",
        pl.col(denominator).alias("denominator"),
    ).join(values, on="service_code", how="left")
    countable = pl.col("status").is_in(COUNTABLE) & pl.col("value").is_not_null() & (pl.col("denominator") > 0)
    return table.with_columns(
        status=pl.col("status").fill_null("no_return"),
        rate=pl.when(countable).then(pl.col("value") / pl.col("denominator") * PER),
        caveat=pl.when(countable).then(pl.col("caveat")),
        # Whether the service sent a return for the year at all: a metric missing from a return is not "no return".
        # (Only a table with its sources can say; a frame without them leaves it unknown.)
        returned=pl.col("service_code").is_in(returned_codes(annual, year))
        if "source" in annual.columns
        else pl.lit(None, pl.Boolean),
    )


def not_comparable(rates: pl.DataFrame) -> list[str]:
    """The names of the services whose rate is shown but left out of medians, ranks and class breaks."""
    return rates.filter(pl.col("rate").is_not_null() & pl.col("caveat").is_not_null())["service_name"].to_list()


def names_words(names: list[str]) -> str:
    """'Essex, Suffolk and Norfolk': the services a comparison rests on, named as a reader says them."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def left_out_note(names: list[str], what: str = "") -> str:
    """'City of London left out: its rates are not comparable' (empty when nobody is left out)."""
    if not names:
        return ""
    return f"{names_words(names)} left out{what}: {'its' if len(names) == 1 else 'their'} rates are not comparable"


def service_caveats(annual: pl.DataFrame, service_code: str, year: int, metric: str | None = None) -> list[str]:
    """The distinct caveats on a service's counted values for a year (one metric's, if given)."""
    rows = annual.filter(
        (pl.col("service_code") == service_code)
        & (pl.col("year") == year)
        & pl.col("status").is_in(COUNTABLE)
        & pl.col("caveat").is_not_null()
    )
    if metric is not None:
        rows = rows.filter(pl.col("metric") == metric)
    return rows["caveat"].unique(maintain_order=True).to_list()


# A metric missing from a return the service did send for the year: not the same as sending no return at all.
NO_FIGURE = "no figure for this metric in the year's return"


def returned_codes(annual: pl.DataFrame, year: int) -> list[str]:
    """The services that sent ACE a return for `year` (any value, counted or not), sorted: the year's own status,
    never the 2023/24 workbook's."""
    returned = annual.filter(
        (pl.col("year") == year)
        & pl.col("source").str.starts_with(ACE_SOURCE_PREFIX)
        & ~pl.col("status").is_in([Status.NO_RETURN.value, Status.NOT_COLLECTED.value])
    )
    return sorted(returned["service_code"].unique().to_list())


def status_words(status: str, returned: bool = False) -> str:
    """A value's status as a reader says it. `no_return` of a service that did send a return for the year (see
    returned_codes) is a metric missing from that return: NO_FIGURE, not "no return"."""
    if status == Status.NO_RETURN and returned:
        return NO_FIGURE
    return status.replace("_", " ")


def no_return_by_year(annual: pl.DataFrame, services: pl.DataFrame) -> pl.DataFrame:
    """For each year of ACE returns, the English services that sent none: year, service_code, service_name (by year,
    then name). A service counts as returning in a year if any of its figures for that year came back."""
    english = services.filter(pl.col("nation") == "England").select("service_code", "service_name")
    rows = [
        english.filter(~pl.col("service_code").is_in(returned_codes(annual, year))).with_columns(
            year=pl.lit(year, pl.Int32)
        )
        for year in years_with_data(annual)
    ]
    schema = {"year": pl.Int32, "service_code": pl.String, "service_name": pl.String}
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.concat(rows).select(*schema).sort("year", "service_name")


# The audit's rules that set a replaced or excluded figure against the service's other years: they judge only a
# year published as whole-year figures; in a year with monthly lines, the line rules decide and the mark is shown.


def _financial_year(period: pl.Expr) -> pl.Expr:
    """The year a month's financial year starts in (April to March)."""
    return pl.when(period.dt.month() >= 4).then(period.dt.year()).otherwise(period.dt.year() - 1).cast(pl.Int32)


def rules_by_year(annual: pl.DataFrame, activity: pl.DataFrame, flags: pl.DataFrame) -> pl.DataFrame:
    """For each year of ACE returns and each rule in rules.RULES: year, rule, needs (what the rule reads), ran
    ("yes", or "no: " and why) and what it did: `values` (rule outcomes in the flags table) and `outcomes` in words.

    A year has monthly lines where the activity table holds ACE lines for it; every ACE year has whole-year figures;
    the audit's rules run where the year has audit marks (those judging a figure against other years, only where
    the year has no monthly lines). A 31-March count (no month, no year) belongs to the year of monthly lines.
    """
    years = years_with_data(annual)
    ace_lines = activity.filter(pl.col("source").str.starts_with(ACE_SOURCE_PREFIX))
    line_years = set(ace_lines.select(_financial_year(pl.col("period")))["period"].unique().to_list())
    marked = annual.filter(pl.col("source").str.starts_with(ACE_SOURCE_PREFIX) & pl.col("audit_status").is_not_null())
    mark_years = set(marked["year"].unique().to_list())
    only_line_year = next(iter(line_years)) if len(line_years) == 1 else None
    counted = (
        flags.with_columns(
            year=pl.coalesce(pl.col("year"), _financial_year(pl.col("period")), pl.lit(only_line_year, pl.Int32))
        )
        .group_by("year", "rule", "outcome")
        .len()
    )
    done = {(year, rule): [] for year in years for rule in RULES}
    for year, rule, outcome, number in counted.sort("year", "rule", "outcome").iter_rows():
        done.setdefault((year, rule), []).append((outcome, number))

    def ran(year: int, rule: str) -> str:
        needs = RULES[rule].needs
        if needs == LINES and year not in line_years:
            return "no: the year has no monthly lines"
        if needs in (AUDIT_MARKS, AUDIT_MARKS_ON_WHOLE_YEARS) and year not in mark_years:
            return "no: the year has no audit marks"
        if needs == AUDIT_MARKS_ON_WHOLE_YEARS and year in line_years:
            return "no: the year has monthly lines (the line rules decide; the audit's mark is shown beside)"
        return "yes"

    rows = []
    for year in years:
        for rule, spec in RULES.items():
            outcomes = done[(year, rule)]
            could = ran(year, rule)
            words = "; ".join(f"{number:,} {outcome}" for outcome, number in outcomes)
            rows.append(
                {
                    "year": year,
                    "rule": rule,
                    "needs": spec.needs,
                    "ran": could,
                    "values": sum(number for _, number in outcomes),
                    "outcomes": words or ("nothing found" if could == "yes" else "did not run"),
                }
            )
    schema = {
        "year": pl.Int32,
        "rule": pl.String,
        "needs": pl.String,
        "ran": pl.String,
        "values": pl.Int64,
        "outcomes": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def aggregate(rates: pl.DataFrame, codes: list[str] | None = None) -> Aggregate:
    """Sum and population-weighted rate over the services in `codes` (all rows when None).

    A caveated value stays in: it is a real count of real use, and a total must not lose it.
    """
    group = rates if codes is None else rates.filter(pl.col("service_code").is_in(codes))
    counted = group.filter(pl.col("rate").is_not_null())
    if counted.is_empty():
        return Aggregate(None, None, 0, group.height)
    total = float(counted["value"].sum())
    population = float(counted["denominator"].sum())
    return Aggregate(total, total / population * PER, counted.height, group.height)


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
    england = rates.filter(pl.col("nation") == "England")
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


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def benchmark_sentence(result: Benchmark, group_label: str) -> str:
    """One plain sentence, e.g. '3rd of 15 similar services with data; above the peer median'."""
    if result.rate is None:
        if result.status == Status.NOT_COLLECTED:
            reason = "not collected for this nation"
        elif result.status == Status.NO_RETURN:
            reason = status_words(result.status, result.returned)
        else:
            reason = f"value {status_words(result.status)}"
        return f"Not ranked: {reason}."
    if result.caveat:
        return "Not ranked or set against the group median: its per-resident rate is not comparable (see the caveat)."
    sentence = (
        f"{ordinal(result.rank)} of {result.ranked} {group_label} with data"
        if result.rank
        else f"Not ranked (no clear better or worse); {result.ranked} {group_label} with data"
    )
    if result.left_out:
        sentence += f" ({left_out_note(list(result.left_out))})"
    if result.group_median is None:
        return sentence + "; no group median (no comparable data)."
    if abs(result.rate - result.group_median) <= LEVEL_TOLERANCE * result.group_median:
        side = "level with"
    else:
        side = "above" if result.rate > result.group_median else "below"
    return f"{sentence}; {side} the group median."


@dataclass(frozen=True)
class MonthlySeries:
    """A monthly line: value per month, its rate, and how many services it rests on."""

    frame: pl.DataFrame  # period, value, rate
    services: int
    shape: str  # monthly, quarterly or none


def group_monthly(
    monthly: pl.DataFrame, services: pl.DataFrame, metric: str, denominator: str, codes: list[str]
) -> MonthlySeries:
    """The sum over the services in `codes` that reported every month (and their rate per 1,000)."""
    complete = monthly.filter(
        (pl.col("metric") == metric) & (pl.col("shape") == "monthly") & pl.col("service_code").is_in(codes)
    )
    members = complete["service_code"].unique()
    population = services.filter(pl.col("service_code").is_in(members.implode()))[denominator].sum()
    frame = (
        complete.group_by("period")
        .agg(value=pl.col("value").sum())
        .sort("period")
        .with_columns(rate=pl.col("value") / population * PER if population else pl.lit(None, pl.Float64))
    )
    return MonthlySeries(frame, members.len(), "monthly" if members.len() else "none")


def service_monthly(
    monthly: pl.DataFrame, services: pl.DataFrame, metric: str, denominator: str, code: str
) -> MonthlySeries:
    """One service's own line; quarterly totals are spread as monthly averages over their quarter."""
    own = monthly.filter((pl.col("metric") == metric) & (pl.col("service_code") == code))
    shape = own["shape"][0] if own.height else "none"
    if shape not in ("monthly", "quarterly"):
        return MonthlySeries(
            pl.DataFrame(schema={"period": pl.Date, "value": pl.Float64, "rate": pl.Float64}), 0, "none"
        )
    if shape == "quarterly":
        own = (
            own.with_columns(pl.col("value") / 3)
            .with_columns(
                period=pl.concat_list([pl.col("period").dt.offset_by(f"-{offset}mo") for offset in (2, 1, 0)])
            )
            .explode("period")
        )
    population = services.filter(pl.col("service_code") == code)[denominator].item()
    frame = (
        own.select("period", "value")
        .sort("period")
        .with_columns(rate=pl.col("value") / population * PER if population else pl.lit(None, pl.Float64))
    )
    return MonthlySeries(frame, 1, shape)


# Change over years. Rates use one population vintage for every year, so a rate's change is its count's change;
# a group's change is measured on the same services in every year, so it is a change in use, not in who reported.


def matched_codes(annual: pl.DataFrame, metric: str, years: list[int]) -> list[str]:
    """The services with a countable value of `metric` in every one of `years` (sorted): the matched set."""
    rows = annual.filter(
        (pl.col("metric") == metric)
        & pl.col("year").is_in(years)
        & pl.col("status").is_in(COUNTABLE)
        & pl.col("value").is_not_null()
    )
    counts = rows.group_by("service_code").agg(pl.col("year").n_unique().alias("years"))
    return sorted(counts.filter(pl.col("years") == len(set(years)))["service_code"].to_list())


def yearly_sums(
    annual: pl.DataFrame,
    services: pl.DataFrame,
    metric: str,
    denominator: str,
    years: list[int],
    groups: dict[str, list[str]],
    matched: bool = True,
) -> pl.DataFrame:
    """One row per group and year: series, year, value (sum), population, rate per 1,000 (population-weighted:
    sum of values / sum of population), services (how many the sum rests on) and of (the group's size).

    With `matched`, each group counts only its services with a countable value in every year (the same services
    each year); without, whichever were countable that year (a one-service group: that service's own values).
    A group with nothing to count keeps its rows, with null value and rate: missing is never zero.
    Caveated values stay in: a caveat removes a rate from comparisons, never a count from a sum.
    """
    members = pl.DataFrame(
        [(label, code) for label, codes in groups.items() for code in dict.fromkeys(codes)],
        schema={"series": pl.String, "service_code": pl.String},
        orient="row",
    )
    sizes = pl.DataFrame(
        {"series": list(groups), "of": [len(set(codes)) for codes in groups.values()]},
        schema={"series": pl.String, "of": pl.Int64},
    )
    population = services.select("service_code", pl.col(denominator).alias("population")).filter(
        pl.col("population") > 0
    )
    values = annual.filter(
        (pl.col("metric") == metric)
        & pl.col("year").is_in(years)
        & pl.col("status").is_in(COUNTABLE)
        & pl.col("value").is_not_null()
    ).select("service_code", "year", "value")
    if matched:
        values = values.filter(pl.col("service_code").is_in(matched_codes(annual, metric, years)))
    sums = (
        members.join(population, on="service_code")
        .join(values, on="service_code")
        .group_by("series", "year")
        .agg(pl.col("value").sum(), pl.col("population").sum(), services=pl.len())
    )
    grid = sizes.join(pl.DataFrame({"year": sorted(set(years))}, schema={"year": pl.Int32}), how="cross")
    return (
        grid.join(sums, on=["series", "year"], how="left")
        .with_columns(
            rate=pl.col("value") / pl.col("population") * PER,
            services=pl.col("services").fill_null(0).cast(pl.Int64),
        )
        .select("series", "year", "value", "population", "rate", "services", "of")
    )


def rates_by_year(
    annual: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame, metric: str, years: list[int]
) -> pl.DataFrame:
    """`service_rates` for each of `years`, stacked with a year column."""
    return pl.concat(
        service_rates(annual, services, metrics, metric, year).with_columns(year=pl.lit(year, pl.Int32))
        for year in years
    )


def steady_members(rates: pl.DataFrame, service_code: str, group: list[str]) -> list[str]:
    """The group's members (the service left out) with a comparable rate in every year of `rates` (from
    `rates_by_year`), in the group's order: the services a matched median rests on, so a page can name them."""
    years = rates["year"].n_unique()
    others = pl.col("service_code").is_in(group) & (pl.col("service_code") != service_code)
    comparable = rates.filter(COMPARABLE & others)
    counts = dict(comparable.group_by("service_code").agg(pl.col("year").n_unique()).iter_rows())
    return [code for code in dict.fromkeys(group) if code != service_code and counts.get(code) == years]


def median_by_year(rates: pl.DataFrame, service_code: str, group: list[str], matched: bool = False) -> pl.DataFrame:
    """Per year (from `rates_by_year`): the service's rate, status and caveat, and its group's median of comparable
    rates (the service left out, as in `benchmark`) with how many members it rests on (`members` of `of`).

    With `matched`, only the members comparable in every year of `rates` count, so the median moves with their
    use, not with who reported; without, whoever was comparable that year (as the year's benchmark has it).
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
    """From the first to the last year of `rates` (from `rates_by_year`): the service's change, where it is
    countable in both (its own change is like for like, even with a caveat), and the change of its group's median
    over the members comparable in every year (the matched median of `median_by_year`, so words and chart agree)."""

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


def services_returning(annual: pl.DataFrame, year: int) -> int:
    """How many services sent ACE a return for `year` (any value, counted or not): the year's own coverage,
    not the 2023/24 workbook's."""
    return len(returned_codes(annual, year))
