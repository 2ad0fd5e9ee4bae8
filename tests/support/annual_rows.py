"""Tiny monthly ACE rows for the annual table's tests (unit and data): one service's months of a metric."""

from __future__ import annotations

from datetime import date

import polars as pl

from observatory_data.build.activity import workbook_source

ACE_SOURCE = workbook_source(2023)
FY_MONTHS = [date(2023, m, 1) for m in range(4, 13)] + [date(2024, m, 1) for m in range(1, 4)]
BARNSLEY, BOLTON = "E08000016", "E08000001"


def series(code: str, metric: str, values: list[float | None], status: str = "reported", **keys: str) -> list[dict]:
    return [
        {
            "service_code": code, "metric": metric, "mode": None, "format": None, "content_age": None,
            "user_age": None, "location": None, **keys, "period": period, "period_type": "month", "quarter": None,
            "covers_months": 1 if value is not None else None, "value": value,
            "status": status if value is not None else "missing",
            "flag_reason": "month out of line: test" if status == "flagged" and value is not None else None,
            "source_column": "X", "source": ACE_SOURCE,
        }
        for period, value in zip(FY_MONTHS, values, strict=True)
    ]  # fmt: skip


def loans(code: str, item_format: str, values: list[float | None], status: str = "reported") -> list[dict]:
    mode = "digital" if item_format in ("ebook", "eaudio") else "physical"
    return series(code, "loans", values, status, mode=mode, format=item_format, content_age="total")


def row(annual: pl.DataFrame, code: str, metric: str, year: int = 2023) -> dict:
    return annual.filter(pl.col("service_code") == code, pl.col("metric") == metric, pl.col("year") == year).row(
        0, named=True
    )
