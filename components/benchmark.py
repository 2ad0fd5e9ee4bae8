"""Benchmark tables: a row per headline metric with rate, rank, group median, region, England and a sentence."""

from __future__ import annotations

import polars as pl

from observatory_data.queries import COUNTABLE, Aggregate, Benchmark, benchmark_sentence


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _with_coverage(summary: Aggregate) -> str:
    if summary.rate is None:
        return f"no data ({summary.reported} of {summary.of})"
    return f"{summary.rate:,.1f} ({summary.reported} of {summary.of} reported)"


def benchmark_table(results: dict[str, tuple[dict, Benchmark]], group_label: str) -> pl.DataFrame:
    """One row per metric; nulls stay null (shown as missing), never zero."""
    rows = []
    for entry, result in results.values():
        rows.append(
            {
                "Metric": entry["label"],
                "In words": benchmark_sentence(result, group_label),
                "Rate per 1,000": _rounded(result.rate),
                "Rank": f"{result.rank} of {result.ranked}" if result.rank else "not ranked",
                "Group median": _rounded(result.group_median),
                "Region": _with_coverage(result.region_rate),
                "England": _with_coverage(result.england_rate),
            }
        )
    return pl.DataFrame(rows)


def missing_table(annual: pl.DataFrame, metrics: pl.DataFrame, service: str, year: int) -> pl.DataFrame:
    """The service's metrics without a countable value, with the status and the build's note on why."""
    return (
        annual.filter(
            (pl.col("service_code") == service) & (pl.col("year") == year) & ~pl.col("status").is_in(COUNTABLE)
        )
        .join(metrics.select("metric", "label"), on="metric")
        .select(
            pl.col("label").alias("Metric"),
            pl.col("status").str.replace_all("_", " ").alias("Status"),
            pl.col("note").alias("Why"),
        )
        .sort("Metric")
    )
