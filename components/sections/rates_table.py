"""The reader's table of services' rates: the numbers behind the benchmark's strip, the Priority Places boxes and
the map, one row per service.

Each page picks its columns from one vocabulary (RATE_COLUMNS) in its own order, so a count, a population or a
rate is headed and rounded the same way on every page; a page's own column (a map class, membership of a group)
comes in as an expression. What the columns that need words hold (caveat, audit mark, deprivation decile) is said
once, in `described`, for the CSV's About.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from components.exports import AUDIT_MARK, AUDIT_NOTE, CAVEAT, audit_columns, caveat_column
from observatory_data.serving.catalogue import DENOMINATORS, IMD_NAME
from observatory_data.serving.formats import status_words_expr
from observatory_data.serving.places_groups import IMD_DECILE_NOTE

DECILE_HEADER = f"{IMD_NAME} decile (1 = most deprived)"
SELECTED_HEADER = "Selected service"


@dataclass(frozen=True)
class RatesTable:
    """The table, and (header, what it holds) for the columns that need words, in the order an About lists them."""

    frame: pl.DataFrame
    described: tuple[tuple[str, str], ...]


def count_header(entry: dict) -> str:
    """'Visits (visits)': the metric's count, with its unit."""
    return f"{entry['label']} ({entry['unit']})"


def rate_header(entry: dict) -> str:
    """'Rate per 1,000 residents'."""
    return f"Rate {DENOMINATORS[entry['denominator']]}"


def population_header(entry: dict) -> str:
    """'Population (residents)': who the rate is per."""
    return f"Population ({DENOMINATORS[entry['denominator']].removeprefix('per 1,000 ')})"


def _columns(entry: dict, selected: str | None) -> dict[str, Callable[[], list[pl.Expr]]]:
    return {
        "service": lambda: [pl.col("service_name").alias("Service")],
        "code": lambda: [pl.col("service_code").alias("Service code")],
        "region": lambda: [pl.col("region").alias("Region")],
        "nation": lambda: [pl.col("nation").alias("Nation")],
        "group": lambda: [pl.col("group").alias("Group")],
        "decile": lambda: [pl.col("imd_decile").alias(DECILE_HEADER)],
        "count": lambda: [pl.col("value").alias(count_header(entry))],
        "status": lambda: [status_words_expr().alias("Status")],
        "population": lambda: [pl.col("denominator").alias(population_header(entry))],
        "rate": lambda: [pl.col("rate").round(1).alias(rate_header(entry))],
        "selected": lambda: [(pl.col("service_code") == selected).alias(SELECTED_HEADER)],
        "caveat": lambda: [caveat_column()],
        "audit": audit_columns,
    }


RATE_COLUMNS = tuple(_columns({}, None))
# The columns that need words in a CSV, in the order every page's About has listed them.
DESCRIBED = (
    ("caveat", (CAVEAT,)),
    ("audit", (AUDIT_MARK, AUDIT_NOTE)),
    ("decile", ((DECILE_HEADER, IMD_DECILE_NOTE),)),
)


def rates_table(
    rates: pl.DataFrame, entry: dict, columns: Sequence[str | pl.Expr], *, selected: str | None = None
) -> RatesTable:
    """One row per row of `rates` (rates.service_rates, or a frame built on it, filtered and sorted by the page), with
    `columns` in order: names from RATE_COLUMNS, or a page's own expression. `entry` is the metric's catalogue row
    (label, unit, denominator); `selected` is the service code the 'selected' column marks."""
    vocabulary = _columns(entry, selected)
    named = [column for column in columns if isinstance(column, str)]
    if unknown := [name for name in named if name not in vocabulary]:
        raise ValueError(f"not a rates table column: {unknown}; choose from {RATE_COLUMNS}")
    if "selected" in named and selected is None:
        raise ValueError("the 'selected' column needs the selected service's code")
    expressions = [e for column in columns for e in (vocabulary[column]() if isinstance(column, str) else [column])]
    described = tuple(note for name, notes in DESCRIBED if name in named for note in notes)
    return RatesTable(rates.select(expressions), described)
