"""A fixture web map of eight square services (one named with markup), for the map's unit and browser tests."""

from __future__ import annotations

import folium
import geopandas as gpd
import polars as pl
from shapely.geometry import box

from components.classes import classify
from components.web_map import service_map

HOSTILE = "<img src=x onerror=alert(1)>"
CODES = [f"E0600000{i}" for i in range(1, 8)] + ["W06000001"]


def fixture_map_data() -> tuple[gpd.GeoDataFrame, pl.DataFrame]:
    """Eight square services in a row: six English with rates 1-6, one English without a return, one Welsh (where
    ACE collects nothing)."""
    names = [HOSTILE, *CODES[1:]]
    boundaries = gpd.GeoDataFrame(
        {"service_code": CODES, "service_name": names},
        geometry=[box(-2 + i * 0.1, 52, -1.9 + i * 0.1, 52.1) for i in range(len(CODES))],
        crs="EPSG:4326",
    )
    rates = pl.DataFrame(
        {
            "service_code": CODES,
            "service_name": names,
            "nation": ["England"] * 7 + ["Wales"],
            "value": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, None, None],
            "status": ["reported"] * 6 + ["no_return", "not_collected"],
            "rate": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, None, None],
            "caveat": pl.Series([None] * 8, dtype=pl.String),
        }
    )
    return boundaries, rates


def fixture_map(points: pl.DataFrame | None = None, selected: str = "") -> str:
    """The fixture map's whole HTML document, as the browser would receive it."""
    return fixture_service_map(points, selected).get_root().render()


def fixture_service_map(points: pl.DataFrame | None = None, selected: str = "") -> folium.Map:
    boundaries, rates = fixture_map_data()
    return service_map(
        boundaries,
        classify(rates, "higher_is_better"),
        title=HOSTILE,
        unit="per 1,000",
        coverage="6 of 7 English services reported",
        outlines={"priority": CODES[:2]},
        points=points,
        selected=selected,
    )
