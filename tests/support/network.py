"""Tiny network tables as the build leaves them, for the network's queries and its page."""

from __future__ import annotations

import polars as pl

from observatory_data.serving.schema import polars_schema

SERVICES = pl.DataFrame(
    {
        "service_code": ["E1", "E2", "W1", "N1", "C1"],
        "service_name": ["Eastshire", "Westshire", "Cymru Town", "Libraries NI", "Island"],
        "nation": ["England", "England", "Wales", "Northern Ireland", "Crown Dependency"],
        "region": ["North", "South", "Wales", "Northern Ireland", "Crown Dependencies"],
        "population": [100_000, 200_000, 50_000, None, None],
    }
)


def network(rows: list[tuple]) -> pl.DataFrame:
    """(service, year, libraries_open, openings, statutory, weekly_hours) rows; every other count unknown."""
    columns = ["service_code", "year", "libraries_open", "openings", "statutory_libraries", "weekly_hours"]
    frame = pl.DataFrame(rows, schema=columns, orient="row")
    schema = polars_schema("network")
    missing = [pl.lit(None).alias(c) for c in schema if c not in frame.columns]
    return frame.with_columns(missing).select(list(schema)).cast(schema)


# As the build leaves it: E1 and E2's changes are recorded (openings known); W1 and N1's are not, so only the last
# year's count of points listed as open is known; the island has no points at all.
NETWORK = network(
    [
        ("E1", 2010, 10, 0, 12, None),
        ("E1", 2016, 9, 0, 11, 300.0),
        ("E1", 2023, 8, 0, 9, 280.0),
        ("E2", 2010, 20, 1, None, None),
        ("E2", 2016, 20, 0, None, 500.0),
        ("E2", 2023, 21, 1, 18, None),
        ("W1", 2010, None, None, None, None),
        ("W1", 2016, None, None, None, None),
        ("W1", 2023, 4, None, None, None),
        ("N1", 2010, None, None, None, None),
        ("N1", 2016, None, None, None, None),
        ("N1", 2023, 97, None, None, None),
        ("C1", 2010, None, None, None, None),
        ("C1", 2016, None, None, None, None),
        ("C1", 2023, None, None, None, None),
    ]
)
