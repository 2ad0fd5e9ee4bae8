"""Periods, said once: the financial year (April to March) a date belongs to, its name, and a span of years.

The build and the app both read these, so the build's months and the app's sentences name a year the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

FIRST_MONTH = 4  # financial years start in April


def year_of(day: date) -> int:
    """The financial year a date belongs to, by its starting calendar year (April 2023 -> 2023, March 2024 -> 2023)."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def year_of_expr(dates: pl.Expr) -> pl.Expr:
    """year_of as a Polars expression over a column of dates (Int32)."""
    return (dates.dt.year() - (dates.dt.month() < FIRST_MONTH).cast(pl.Int32)).cast(pl.Int32)


def financial_year(year: int) -> str:
    """2023 -> '2023/24': the name of the financial year that starts in April of `year`."""
    return f"{year}/{(year + 1) % 100:02d}"


def span(start: int, end: int) -> str:
    """'2023/24 to 2025/26': the financial years from `start` to `end`."""
    return f"{financial_year(start)} to {financial_year(end)}"


def span_of(years: Sequence[int]) -> str:
    """The years named as a reader says them: '2023/24' for one, '2023/24 to 2025/26' for several (first to last),
    '' for none."""
    if not years:
        return ""
    first, last = min(years), max(years)
    return financial_year(first) if first == last else span(first, last)
