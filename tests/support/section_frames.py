"""Tiny prepared tables for the section builders' tests: the columns a test names, every other column null, each
in the type the build gives it (serving.schema), so a builder meets the frame it meets in the app."""

from __future__ import annotations

import polars as pl

from observatory_data.serving.schema import polars_schema


def table(name: str, rows: list[dict]) -> pl.DataFrame:
    """The table `name` with these rows (dicts of column -> value); columns not named are null."""
    schema = polars_schema(name)
    return pl.DataFrame([{column: row.get(column) for column in schema} for row in rows], schema=schema)


ACE_2023 = "ACE Libraries Activity Data 2023/24"  # the source the tiny annual rows name
LOANS_ENTRY = {
    "metric": "loans",
    "label": "Loans",
    "unit": "loans",
    "denominator": "population",
    "polarity": "higher_is_better",
    "definition": "Loans of every kind.",
}  # the loans row of the metrics table, as a section builder receives it
