"""Change on the same services, worked out by hand from the annual table, for the matched-change tests (data and
app): the figures each view must quote, computed here again on purpose rather than with the code under test."""

from __future__ import annotations

import polars as pl

COUNTED = {"reported", "derived", "corrected"}  # the statuses a sum may count, written out again on purpose


def countable(annual: pl.DataFrame, metric: str) -> dict[tuple[str, int], float]:
    """{(service, year): value} of every countable value of `metric`."""
    return {
        (row["service_code"], row["year"]): row["value"]
        for row in annual.filter(pl.col("metric") == metric).iter_rows(named=True)
        if row["status"] in COUNTED and row["value"] is not None
    }


def english_codes(services: pl.DataFrame) -> list[str]:
    return [row["service_code"] for row in services.iter_rows(named=True) if row["nation"] == "England"]


def by_hand(tables: dict[str, pl.DataFrame], metric: str, years: list[int], codes: list[str]) -> tuple[float, int]:
    """The change of the total from the first to the last of `years` over `codes` countable in every one of them."""
    values = countable(tables["annual"], metric)
    kept = [code for code in codes if all((code, year) in values for year in years)]
    before, after = (sum(values[code, year] for code in kept) for year in (years[0], years[-1]))
    return after / before - 1, len(kept)


def up_or_down(change: float) -> str:
    return f"{'up' if change > 0 else 'down'} {abs(change):.1%}"


def map_headline(tables: dict[str, pl.DataFrame]) -> str:
    """The map's England headline for loans from 2023/24 to 2025/26."""
    change, services = by_hand(tables, "loans", [2023, 2025], english_codes(tables["services"]))
    of = len(english_codes(tables["services"]))
    return (
        f"England: {up_or_down(change)} from 2023/24 to 2025/26, the change in the total of the {services} of {of} "
        "services countable in both years"
    )
