"""Tiny loans per service over three years, for the change-over-time queries and charts."""

from __future__ import annotations

import polars as pl

from observatory_data.build.annual import ANNUAL_SCHEMA

YEARS = [2023, 2024, 2025]
ACE = "ACE Libraries Activity Data"
SERVICES = pl.DataFrame(
    {
        "service_code": ["A", "B", "C", "D", "CITY"],
        "service_name": ["Ash", "Birch", "Cedar", "Damson", "City"],
        "nation": ["England"] * 5,
        "region": ["North", "North", "South", "South", "London"],
        "priority_place": ["no"] * 5,
        "lucp": ["no"] * 5,
        "imd_decile": [1, 2, 3, 4, 5],
        "population": [1_000, 2_000, 1_000, 4_000, 100],
    }
)


def annual(values: dict[str, list[float | str | None]], caveated: tuple[str, ...] = ()) -> pl.DataFrame:
    """ACE loans per service for 2023-2025: a number is a reported value; 'flagged' or 'partial' is that status
    (with a value that must not count); None is no return."""
    rows = []
    for code, per_year in values.items():
        for year, value in zip(YEARS, per_year, strict=True):
            status = value if isinstance(value, str) else ("reported" if value is not None else "no_return")
            number = 999_999.0 if isinstance(value, str) else value
            rows.append(
                {
                    "service_code": code, "year": year, "metric": "loans", "value_as_returned": number,
                    "value": number, "status": status, "months_covered": 12, "source": f"{ACE} {year}",
                    "note": "", "caveat": "denominator effect" if code in caveated else None,
                }
            )  # fmt: skip
    return pl.DataFrame(rows, schema=ANNUAL_SCHEMA)


LOANS = annual(
    {
        "A": [1_000.0, 1_100.0, 1_200.0],
        "B": [4_000.0, "flagged", 4_400.0],  # not countable in 2024: out of the matched set
        "C": [500.0, 600.0, 700.0],
        "D": [None, 8_000.0, 8_000.0],  # no return in 2023
        "CITY": [5_000.0, 6_000.0, 7_000.0],  # counted, but its per-resident rate is not comparable
    },
    caveated=("CITY",),
)
