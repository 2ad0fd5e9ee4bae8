"""Geometry questions the app asks of the prepared boundaries."""

from __future__ import annotations

import geopandas as gpd
import polars as pl


def service_centroids(boundaries: gpd.GeoDataFrame) -> pl.DataFrame:
    """A point inside each service (for labels and the hex cartogram): representative, so never in the sea."""
    points = boundaries.geometry.representative_point()
    return pl.DataFrame(
        {
            "service_code": boundaries["service_code"].to_list(),
            "lon": points.x.to_numpy(),
            "lat": points.y.to_numpy(),
        }
    )
