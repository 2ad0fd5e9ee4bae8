"""The hex cartogram's layout checks, for its unit tests (a synthetic grid) and data tests (the real services)."""

from __future__ import annotations

import polars as pl

from components.hexmap import hex_layout


def check_layout(centroids: pl.DataFrame, city_prefix: str, city_radius: float) -> pl.DataFrame:
    """The layout of these centroids, checked: every service once, no two in a cell, the same whatever the order,
    and the services whose codes start with `city_prefix` within `city_radius` hexagons of their centre."""
    layout = hex_layout(centroids)
    assert sorted(layout["service_code"].to_list()) == sorted(centroids["service_code"].to_list())
    assert layout.select("column", "row").n_unique() == layout.height  # no two services share a cell
    assert layout.equals(hex_layout(centroids.sample(fraction=1.0, shuffle=True, seed=11)))  # order-free
    city = layout.filter(pl.col("service_code").str.starts_with(city_prefix))
    centre_x, centre_y = city["x"].mean(), city["y"].mean()
    spread = ((city["x"] - centre_x) ** 2 + (city["y"] - centre_y) ** 2).sqrt()
    assert spread.max() < city_radius, f"the city's hexagons spread {spread.max():.1f} hexagons from its centre"
    return layout
