"""Plain-language text builders: numbers to words people can quote, with their coverage."""

from __future__ import annotations

import polars as pl

from observatory_data.serving.benchmarks import Change
from observatory_data.serving.catalogue import (
    ACE_ACTIVITY,
    ACE_SOURCE_PREFIX,
    CODES_VINTAGE,
    COUNTABLE,
    CROWN_DEPENDENCY,
    IMD_NAME,
    NORTHERN_IRELAND,
    OGL,
    OPEN_GOVERNMENT_LICENCE,
    PER,
    POPULATION_VINTAGE,
    WALES,
    WIMD_NAME,
    Status,
    years_with_data,
)
from observatory_data.serving.change import MatchedChange
from observatory_data.serving.coverage import returned_codes
from observatory_data.serving.formats import NO_FIGURE
from observatory_data.serving.periods import financial_year, span, span_of
from observatory_data.serving.rules import RULES


def compact_number(value: float) -> str:
    """12,345,678 -> '12.3 million'; 45,678 -> '45,678'."""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:,.1f} million"
    return f"{value:,.0f}"


def estimate_text(national: dict, unit: str) -> tuple[str, str]:
    """A national figure a journalist can quote: the estimate, its interval, the coverage it rests on, and the
    reported sum labelled as such (never a partial sum that reads as a total)."""
    nation = national["nation"]
    if national["estimate"] is None:
        return "No estimate", f"No {nation} service reported a countable value."
    coverage = (
        f"{national['services_reporting']} of {national['services_total']} services reported; they hold "
        f"{national['population_share']:.1%} of {nation}'s residents and returned "
        f"{compact_number(national['reported_total'])} {unit} (reported sum)."
    )
    kind = "**Estimated, indicative**" if national["indicative"] else "**Estimated**"
    interval = (
        f"{kind} for all of {nation}: 95% interval {compact_number(national['estimate_low'])} to "
        f"{compact_number(national['estimate_high'])}."
    )
    caveat = f" Indicative: {national['indicative_reason']}." if national["indicative"] else ""
    return compact_number(national["estimate"]), f"{interval} {coverage}{caveat}"


def nation_summary(services: pl.DataFrame, branches: pl.DataFrame) -> str:
    """What is known outside England, where ACE's activity collection does not reach."""
    lines = []
    for nation, note in (
        (WALES, "Welsh Public Library Standards returns are not yet in the observatory; WIMD 2019 is shown"),
        (NORTHERN_IRELAND, "one service, Libraries NI; no activity return in these sources"),
        (CROWN_DEPENDENCY, "Jersey, Guernsey and the Isle of Man; members with no return"),
    ):
        group = services.filter(pl.col("nation") == nation)
        points = branches.filter(
            pl.col("service_code").is_in(group["service_code"].implode()) & (pl.col("status") == "open")
        ).height
        population = group["population"].sum() if group["population"].null_count() < group.height else None
        people = f"{population:,} residents ({POPULATION_VINTAGE})" if population else "population not in these sources"
        points_text = f"{points:,} open service points listed" if points else "service points not listed"
        count = "1 service" if group.height == 1 else f"{group.height} services"
        lines.append(f"- **{nation}**: {count}; {people}; {points_text}; {note}.")
    return "\n".join(lines)


def methods_text() -> str:
    """The method in words, written from the catalogue's constants so the numbers cannot drift."""
    return f"""
- **Rates** are per {PER:,} of the right population ({POPULATION_VINTAGE}): children's metrics per {PER:,} aged 0-11,
  young people's per {PER:,} aged 12-17, the rest per {PER:,} residents. Group rates are population-weighted:
  the group's total divided by the population of the services that reported.
- **Statuses.** `reported`: the year's months or quarters as returned. `derived`: the sum of the metric's
  lines (the note says which), or a total derived from its own age lines where it was typed as 0 or left
  blank. `corrected`: contains a decimal slip corrected where the corrected figure reconciles with the
  service's own figures. These three are counted. `partial`: some months or a required line (for example
  eBooks) missing; kept, never summed. `flagged`: a rule found a value that cannot be right and cannot be
  reconciled; kept as returned, never summed. `no_return`: an English service that did not return the line.
  `not_collected`: ACE collects activity in England only. Every value keeps the figure as returned beside
  the figure used (`value_as_returned`).
- **Caveats.** A counted value whose rate per resident is not comparable (a service whose residents are not
  its users, such as City of London) carries a caveat: its count is in every total, its rate is shown with
  the caveat and left out of medians and map classes.
- **Quarterly totals** are entered in one month of each quarter (normally the last, as ACE's field notes say);
  trend charts show them as quarters, not spikes, and monthly group lines use only services that reported
  every month.
- **Rules**: each rule, its thresholds and what it does to a value are listed below.
- **Deprivation**: English {IMD_NAME} rebuilt on {CODES_VINTAGE} services from LSOA ranks with mid-2015 population
  weights (the MHCLG File 11 method; higher average rank = more deprived). {WIMD_NAME} for Wales is kept
  apart (unweighted, not comparable with the English index).
- **Codes**: {CODES_VINTAGE} ONS codes; older codes are remapped through ONS's code-change table. The Crown
  Dependencies have no ONS code: this observatory uses JEY (Jersey), GGY (Guernsey) and IMN (Isle of Man).
- **Peers**: ONS statistical nearest neighbours for upper-tier authorities.
"""


def about_the_data(year: int, returns: int, built_at: str) -> str:
    """The sources of the Overview's figures in one paragraph."""
    return (
        f"Activity: {ACE_ACTIVITY} {financial_year(year)} (April to March, England only, {returns} returns). "
        f"Population: {POPULATION_VINTAGE} estimates. Boundaries: ONS ({OGL}; contains OS data © Crown copyright "
        f"and database right). Service points: Libraries Hacked. Deprivation: MHCLG {IMD_NAME} and Welsh "
        f"Government {WIMD_NAME}. Tables built {built_at[:10]}."
    )


def long_run_note(annual: pl.DataFrame) -> str:
    """Which years ACE's returns cover, and where longer runs exist, read from the annual table."""
    years = [financial_year(year) for year in years_with_data(annual)]
    local = (
        annual.filter(~pl.col("source").str.starts_with(ACE_SOURCE_PREFIX) & pl.col("status").is_in(COUNTABLE))
        .group_by("source")
        .agg(first=pl.col("year").min(), last=pl.col("year").max())
        .sort("source")
    )
    runs = "; ".join(f"{row['source']}, {span_of([row['first'], row['last']])}" for row in local.iter_rows(named=True))
    held = f"one year ({years[0]})" if len(years) == 1 else f"{len(years)} years ({', '.join(years)})"
    return (
        f"The observatory holds {held} of ACE returns. Longer runs exist only in some services' own publications "
        f"({runs}): choose one of those services to see its run."
    )


def rule_descriptions() -> dict[str, str]:
    """Each rule in one sentence with its thresholds, and its outcome, from the one list the build applies."""
    return {rule: f"{spec.description} Outcome: {spec.outcome}." for rule, spec in RULES.items()}


def attribution() -> str:
    """Who published what, and under which licence."""
    return f"""
- **Office for National Statistics**: boundaries, code changes, {POPULATION_VINTAGE} population estimates,
  statistical nearest neighbours and lookups. Contains public sector information licensed under the
  {OPEN_GOVERNMENT_LICENCE} ({OGL}).
- **Ordnance Survey**: Contains OS data © Crown copyright and database right.
- **MHCLG**: English Indices of Deprivation ({IMD_NAME}, {OGL}).
- **Welsh Government**: Welsh Index of Multiple Deprivation ({WIMD_NAME}, {OGL}).
- **Arts Council England**: {ACE_ACTIVITY}, Libraries Location Dataset, Priority Places and Levelling Up for
  Culture Places.
- **Libraries Hacked**: library database and services list (MIT), and the pinned copies of several files.
- **mySociety**: local authority names and codes.
- **Natural Earth**: Crown Dependency outlines (public domain).
"""


def coverage_by_nation(annual: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame, year: int) -> pl.DataFrame:
    """Services per status for every metric and nation: how much each figure rests on. A metric missing from a
    return the service did send is counted apart from a service with no return for the year."""
    statuses = [status.value for status in Status]
    labels = metrics.select("metric", pl.col("label").alias("Metric"))
    missing = pl.col("status") == Status.NO_RETURN
    returned = pl.col("service_code").is_in(returned_codes(annual, year))
    counts = (
        annual.filter(pl.col("year") == year)
        .join(labels, on="metric")
        .join(services.select("service_code", "nation"), on="service_code")
        .group_by("Metric", "nation")
        .agg(
            pl.col("status").is_in(COUNTABLE).sum().alias("counted"),
            pl.col("caveat").is_not_null().sum().alias("of which caveated"),
            *[(pl.col("status") == status).sum().alias(status) for status in statuses if status != Status.NO_RETURN],
            (missing & returned).sum().alias(NO_FIGURE),
            (missing & ~returned).sum().alias(Status.NO_RETURN.value),
        )
    )
    return counts.sort("Metric", "nation").rename({"nation": "Nation"})


def counted_by_year(annual: pl.DataFrame, metrics: pl.DataFrame) -> pl.DataFrame:
    """Services with a counted ACE value per metric (rows, in catalogue order) and financial year (columns): which
    years each metric has, and how many services each year's figures rest on."""
    counted = (
        annual.filter(pl.col("source").str.starts_with(ACE_SOURCE_PREFIX) & pl.col("status").is_in(COUNTABLE))
        .group_by("metric", "year")
        .agg(pl.col("service_code").n_unique().cast(pl.Int64).alias("services"))
        .sort("year")
        .with_columns(pl.col("year").map_elements(financial_year, return_dtype=pl.String))
        .pivot(on="year", index="metric", values="services")
    )
    labels = metrics.select("metric", pl.col("label").alias("Metric"))
    return labels.join(counted, on="metric", how="inner", maintain_order="left").drop("metric")


def change_words(change: float) -> str:
    """0.062 -> 'up 6.2%'; -0.02 -> 'down 2.0%'; a change that rounds to nothing -> 'unchanged'."""
    if round(abs(change), 3) == 0:
        return "unchanged"
    return f"{'up' if change > 0 else 'down'} {abs(change):.1%}"


def years_words(years: list[int]) -> str:
    """When a matched set reported: 'in 2023/24', 'in both years', 'in all three years'."""
    if len(years) == 1:
        return f"in {financial_year(years[0])}"
    return {2: "in both years", 3: "in all three years"}.get(len(years), f"in all {len(years)} years")


def change_sentence(subject: str, change: Change, members: str = "services") -> str:
    """'Physical visits per 1,000 residents up 6.0% from 2023/24 to 2025/26 (its own rate); the median rate of the 9
    neighbours comparable in all three years up 2.0%.' Each half only where it can be measured, and says why not
    otherwise; the median's half names its measure and the members it rests on (the same in every year), so it is
    never read as a median of whoever reported each year. `members` names them, plural: 'neighbours', 'services'."""
    years, period = list(change.years), span(change.first, change.last)
    if change.first == change.last:
        first = financial_year(change.first)
        return f"{first} is the first year with ACE figures for this metric: choose a later year to see a change."
    own = (
        f"{subject} {change_words(change.own)} from {period} (its own rate)"
        if change.own is not None
        else f"{subject}: no change given from {period} (not countable in both years)"
    )
    median = (
        f"the median rate of the {change.members} {members.removesuffix('s') if change.members == 1 else members} "
        f"comparable {years_words(years)} "
        f"{change_words(change.median)}"
        if change.median is not None
        else f"no change given for the group's median rate (none of its {members} is comparable {years_words(years)})"
    )
    return f"{own}; {median}."


def matched_words(matched: MatchedChange) -> str:
    """England's headline change in words, the same on every page that gives it: 'down 5.3% from 2023/24 to 2025/26,
    the change in the total of the 80 of 153 services countable in both years'."""
    period = span(matched.start, matched.end)
    if matched.change is None:
        return f"no change given from {period} (no service is countable in both years)"
    return f"{change_words(matched.change)} from {period}, the change in the total of {matched.basis}"


def matched_change_text(changes: list[MatchedChange]) -> str:
    """'Change on the same services: down 3.2% from 2024/25 to 2025/26, the change in the total of the 87 of 153
    services countable in both years; ...' Each comparison only where some service is countable in both years: a
    change between two estimates would measure who reported, not what libraries did."""
    parts = [matched_words(change) for change in changes if change.change is not None]
    return f"Change on the same services: {'; '.join(parts)}." if parts else ""


def change_delta(change: MatchedChange) -> str | None:
    """A tile's delta: '-3.1% on 2023/24, same 86 services' with an ASCII sign, so the arrow follows the sign."""
    if change.change is None:
        return None
    return f"{change.change:+.1%} on {financial_year(change.start)}, same {change.services} services"


def estimates_table(national: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """A row per metric (in the order of `labels`) and year of the national table, in words: estimate, interval,
    reported sum, coverage and whether the estimate is indicative (below the coverage threshold) and why, as the
    national table says."""
    order = {metric: index for index, metric in enumerate(labels)}
    rows = []
    for row in sorted(national.iter_rows(named=True), key=lambda row: (order.get(row["metric"], 0), row["year"])):
        known = row["estimate"] is not None
        rows.append(
            {
                "Metric": labels.get(row["metric"], row["metric"]),
                "Year": financial_year(row["year"]),
                "Estimate": compact_number(row["estimate"]) if known else "no estimate",
                "95% interval": (
                    f"{compact_number(row['estimate_low'])} to {compact_number(row['estimate_high'])}" if known else ""
                ),
                "Reported sum": compact_number(row["reported_total"]) if row["reported_total"] is not None else "",
                "Services reporting": f"{row['services_reporting']} of {row['services_total']}",
                "Share of residents": f"{row['population_share']:.1%}" if row["population_share"] is not None else "",
                "Label": "indicative" if row["indicative"] else "estimate",
                "Why indicative": row["indicative_reason"] or "",
            }
        )
    return pl.DataFrame(rows)
