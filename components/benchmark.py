"""Benchmark tables: a row per headline metric with rate, rank, group median, region, England and a sentence."""

from __future__ import annotations

import polars as pl

from components.exports import AUDIT_MARK
from components.sentences import benchmark_sentence
from observatory_data.serving.audit_marks import sentence_expr, with_audit_columns
from observatory_data.serving.benchmarks import Benchmark
from observatory_data.serving.catalogue import COUNTABLE, Status
from observatory_data.serving.coverage import Aggregate, returned_codes
from observatory_data.serving.formats import names_words, number, status_words
from observatory_data.serving.rates import COMPARABLE

NO_VALUE = "no value"  # shown for a missing number: never None, never 0
AUDIT_HEADER = AUDIT_MARK[0]
COVERAGE_HEADER = "Services reported (region; England)"
# What the page shows over the table's long headers, with the long header as the column's help: six columns fit a
# 1440 px window beside the sidebar (the frame keeps the headers that say what each column counts).
SHORT_HEADERS = {
    "Rank (service and group)": "Rank in group",
    "Group median (excluding the service)": "Group median",
    COVERAGE_HEADER: "Reported (region; England)",
}


def _number(value: float | None) -> str:
    """One number format for the whole table (text, so Streamlit cannot show None or reformat it)."""
    return number(value, 1, NO_VALUE)


def _coverage(region: Aggregate, england: Aggregate) -> str:
    """'13 of 19; 107 of 153': how many services the region's and England's rates rest on, in a column of its own,
    so the rates' columns stay narrow enough to read whole."""
    return f"{region.reported} of {region.of}; {england.reported} of {england.of}"


def benchmark_table(results: dict[str, tuple[dict, Benchmark]], group_label: str, *, region_name: str) -> pl.DataFrame:
    """One row per metric, every cell text; the headers say what the rank and the median count.

    The rank counts the service among its group; the group median leaves the service out (as `benchmark` does).
    A 'Caveat' column beside the rates says why a rate is not comparable, when any of them is not; an 'Audit mark'
    column gives the Libraries Hacked audit's mark on the figure in words, when any figure has one (a mark is not a
    caveat: it says what the audit found and what we did with it).
    """
    caveated = any(result.caveat for _, result in results.values())
    marked = any(result.audit for _, result in results.values())
    rows = []
    for entry, result in results.values():
        rows.append(
            {
                "Metric": entry["label"],
                "In words": benchmark_sentence(result, group_label),
                "Rate per 1,000": _number(result.rate),
                "Rank (service and group)": f"{result.rank} of {result.ranked}" if result.rank else "not ranked",
                "Group median (excluding the service)": _number(result.group_median),
                f"Region: {region_name}": _number(result.region_rate.rate),
                "England": _number(result.england_rate.rate),
                COVERAGE_HEADER: _coverage(result.region_rate, result.england_rate),
                **({"Caveat": result.caveat or ""} if caveated else {}),
                **({AUDIT_HEADER: result.audit or ""} if marked else {}),
            }
        )
    return pl.DataFrame(rows)


def missing_table(annual: pl.DataFrame, metrics: pl.DataFrame, service: str, year: int) -> pl.DataFrame:
    """The service's metrics without a countable value, with the status of that year (a metric missing from a
    return the service did send is not "no return"), the build's note on why and, where any, the audit's mark."""
    returned = service in returned_codes(annual, year)
    rows = with_audit_columns(
        annual.filter(
            (pl.col("service_code") == service) & (pl.col("year") == year) & ~pl.col("status").is_in(COUNTABLE)
        )
    ).join(metrics.select("metric", "label"), on="metric")
    table = rows.select(
        pl.col("label").alias("Metric"),
        pl.col("status").replace_strict({status: status_words(status, returned) for status in Status}).alias("Status"),
        pl.col("note").alias("Why"),
        sentence_expr().fill_null("").alias(AUDIT_HEADER),
    ).sort("Metric")
    return table if table[AUDIT_HEADER].str.len_chars().sum() else table.drop(AUDIT_HEADER)


def group_roll_call(rates: pl.DataFrame, service: str, group: list[str]) -> str:
    """Every member of the comparison group by name, for the chart's footer (so its PNG names them too): those with a
    comparable rate, highest first, with the rate; those whose rate is not comparable; those with no countable value,
    with the reason. `rates` is one year's `service_rates`; the service itself is left out."""
    members = rates.filter(pl.col("service_code").is_in(group) & (pl.col("service_code") != service))
    ranked = members.filter(COMPARABLE).sort(["rate", "service_name"], descending=[True, False])
    sentences = [
        "The group, highest rate first: "
        + "; ".join(f"{name} {rate:,.1f}" for name, rate in ranked.select("service_name", "rate").iter_rows())
        if ranked.height
        else "No member of the group has a comparable rate"
    ]
    apart = members.filter(pl.col("rate").is_not_null() & pl.col("caveat").is_not_null()).sort("service_name")
    if apart.height:
        sentences.append(f"Rate not comparable: {names_words(apart['service_name'].to_list())}")
    missing: dict[str, list[str]] = {}
    for name, status, returned in (
        members.filter(pl.col("rate").is_null())
        .sort("service_name")
        .select("service_name", "status", "returned")
        .iter_rows()
    ):
        missing.setdefault(status_words(status, bool(returned)), []).append(name)
    if missing:
        sentences.append(
            "No countable value: " + "; ".join(f"{names_words(names)} ({why})" for why, names in missing.items())
        )
    return ". ".join(sentences) + "."


def matched_members_note(steady: list[str], rest: list[str], members: str, when: str) -> str:
    """Which services a median over years rests on, by name: 'The median rests on the 6 neighbours comparable in all
    three years: Essex, ... and Suffolk; left out (not comparable in all three years): Medway and Thurrock.'"""
    if not steady:
        return f"No {members.removesuffix('s')} is comparable {when}, so there is no median to draw."
    who = members.removesuffix("s") if len(steady) == 1 else members
    sentence = f"The median rests on the {len(steady)} {who} comparable {when}: {names_words(steady)}"
    if rest:
        sentence += f"; left out (not comparable {when}): {names_words(rest)}"
    return sentence + "."
