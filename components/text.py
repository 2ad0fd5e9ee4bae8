"""Plain-language text builders: numbers to words people can quote, with their coverage."""

from __future__ import annotations

import polars as pl

from observatory_data.queries import Aggregate


def compact_number(value: float) -> str:
    """12,345,678 -> '12.3 million'; 45,678 -> '45,678'."""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:,.1f} million"
    return f"{value:,.0f}"


def headline_text(label: str, unit: str, summary: Aggregate) -> tuple[str, str]:
    """The headline value and its caption: the rate per 1,000 and the coverage beside it."""
    if summary.total is None:
        return "No data", f"{summary.coverage} (England)"
    caption = (
        f"{summary.rate:,.0f} {unit} per 1,000 residents of the reporting services; "
        f"{summary.reported} of {summary.of} English services reported. "
        "Services with partial, flagged or no returns are not counted."
    )
    return compact_number(summary.total), caption


def nation_summary(services: pl.DataFrame, branches: pl.DataFrame) -> str:
    """What is known outside England, where ACE's activity collection does not reach."""
    lines = []
    for nation, note in (
        ("Wales", "Welsh Public Library Standards returns are not yet in the observatory; WIMD 2019 is shown"),
        ("Northern Ireland", "one service, Libraries NI; no activity return in these sources"),
        ("Crown Dependency", "Jersey, Guernsey and the Isle of Man; members with no return"),
    ):
        group = services.filter(pl.col("nation") == nation)
        points = branches.filter(
            pl.col("service_code").is_in(group["service_code"].implode()) & (pl.col("status") == "open")
        ).height
        population = group["population"].sum() if group["population"].null_count() < group.height else None
        people = f"{population:,} residents (ONS mid-2024)" if population else "population not in these sources"
        points_text = f"{points:,} open service points listed" if points else "service points not listed"
        count = "1 service" if group.height == 1 else f"{group.height} services"
        lines.append(f"- **{nation}**: {count}; {people}; {points_text}; {note}.")
    return "\n".join(lines)
