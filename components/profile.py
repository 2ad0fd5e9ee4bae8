"""The profile of a service outside England, where ACE's activity collection does not reach: what is known."""

from __future__ import annotations

import io

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import polars as pl

from components.briefing import BLUE, LIGHT_GREY, ORANGE
from observatory_data.catalogue import POPULATION_VINTAGE

BRITISH_NATIONAL_GRID = "EPSG:27700"
LOCATOR_MARGIN_METRES = 120_000  # enough coast around a small service or an island to recognise the place
NOT_COLLECTED = (
    "Arts Council England collects library activity for England only, so there are no activity figures "
    "(loans, visits, users, events) for {name} to benchmark. This profile shows what the observatory's "
    "other sources say."
)


def _number(value: float | None, digits: int = 0, missing: str = "not in these sources") -> str:
    return missing if value is None else f"{value:,.{digits}f}"


def known_facts(service: dict, branches: pl.DataFrame) -> list[tuple[str, str]]:
    """(label, value) pairs for a service without activity data; missing is said, never shown as zero."""
    own = branches.filter(pl.col("service_code") == service["service_code"])
    open_points = own.filter(pl.col("status") == "open")
    hours = open_points["staffed_hours_week"]
    facts = [
        ("Nation", service["nation"]),
        (f"Residents ({POPULATION_VINTAGE})", _number(service["population"], missing="not in the ONS file used here")),
        ("Area", f"{service['area_km2']:,.0f} km²"),
        ("Service points open", _number(open_points.height) if own.height else "not listed"),
        ("Service points closed (listed)", _number(own.height - open_points.height) if own.height else "not listed"),
        (
            "Weekly staffed hours, all open points",
            f"{hours.sum():,.0f} (known for {hours.count()} of {open_points.height} points)"
            if hours.count()
            else "not known for any open point",
        ),
    ]
    if service.get("wimd_avg_rank") is not None:
        facts += [
            ("WIMD 2019 average rank (higher = more deprived)", f"{service['wimd_avg_rank']:,.0f}"),
            (
                "Share of areas in Wales's most deprived tenth",
                f"{service['wimd_share_most_deprived_10pct']:.0%} of {service['wimd_lsoas']} areas (LSOAs)",
            ),
        ]
    return facts


def service_points_table(branches: pl.DataFrame, service_code: str) -> pl.DataFrame:
    """The service's points with plain headers, open first; unknown hours stay empty."""
    return (
        branches.filter(pl.col("service_code") == service_code)
        .sort(pl.col("status") != "open", "name")
        .select(
            pl.col("name").alias("Service point"),
            pl.col("status").alias("Status"),
            pl.col("type_label").alias("Run as"),
            pl.col("statutory").alias("Statutory"),
            pl.col("staffed_hours_week").round(1).alias("Staffed hours a week"),
            pl.col("unstaffed_hours_week").round(1).alias("Unstaffed hours a week"),
            pl.col("year_closed").alias("Year closed"),
            pl.col("postcode").alias("Postcode"),
        )
    )


def locator_png(boundaries: gpd.GeoDataFrame, service_code: str, title: str) -> bytes:
    """A small locator: the service in orange among its neighbours in grey, in British National Grid metres,
    zoomed so that even a small island shows with the coast around it."""
    shapes = boundaries.to_crs(BRITISH_NATIONAL_GRID)
    own = shapes[shapes["service_code"] == service_code]
    figure, axes = plt.subplots(figsize=(4.2, 4.6), dpi=120)
    shapes.plot(ax=axes, color=LIGHT_GREY, edgecolor="white", linewidth=0.4)
    own.plot(ax=axes, color=ORANGE, edgecolor=BLUE, linewidth=0.8)
    left, bottom, right, top = own.total_bounds
    margin = max(LOCATOR_MARGIN_METRES, right - left, top - bottom)
    axes.set_xlim(left - margin, right + margin)
    axes.set_ylim(bottom - margin, top + margin)
    axes.set_aspect("equal")
    axes.set_axis_off()
    axes.set_title(title, fontsize=10, loc="left")
    figure.text(0.01, 0.01, "Boundaries: ONS (OGL v3), contains OS data; Natural Earth.", fontsize=6, color="#555555")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
    plt.close(figure)
    return buffer.getvalue()
