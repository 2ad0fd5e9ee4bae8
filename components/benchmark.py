"""Benchmark tables: a row per headline metric with rate, rank, group median, region, England and a sentence."""

from __future__ import annotations

import polars as pl

from components.exports import AUDIT_MARK
from observatory_data.audit_marks import sentence_expr, with_audit_columns
from observatory_data.catalogue import COUNTABLE, Status
from observatory_data.queries import Aggregate, Benchmark, benchmark_sentence, returned_codes, status_words

NO_VALUE = "no value"  # shown for a missing number: never None, never 0
AUDIT_HEADER = AUDIT_MARK[0]


def _number(value: float | None) -> str:
    """One number format for the whole table (text, so Streamlit cannot show None or reformat it)."""
    return NO_VALUE if value is None else f"{value:,.1f}"


def _with_coverage(summary: Aggregate) -> str:
    return f"{_number(summary.rate)} ({summary.reported} of {summary.of} reported)"


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
                f"Region: {region_name}": _with_coverage(result.region_rate),
                "England": _with_coverage(result.england_rate),
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
