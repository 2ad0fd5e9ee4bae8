"""The hex cartogram: one hexagon per service, no two in a cell, the same layout every time, London together; a
short unique label in each hexagon; a clickable point per service that carries its code; a phone-friendly layout."""

from __future__ import annotations

import math

import polars as pl

from components.hexmap import hex_labels
from tests.support.hexmap import check_layout


def test_real_layout_places_the_london_boroughs_together() -> None:
    from observatory_data.serving.geography import service_centroids
    from observatory_data.serving.tables import read_boundaries

    centroids = service_centroids(read_boundaries())
    layout = check_layout(centroids, "E09", 6)
    assert layout.height == 179
    # ... on a map over 30 hexagons across: London is a compact block, not scattered.
    others = layout.filter(~pl.col("service_code").str.starts_with("E09"))
    assert math.dist((others["x"].min(), others["y"].min()), (others["x"].max(), others["y"].max())) > 30


def test_real_labels_are_unique() -> None:
    from observatory_data.serving.tables import read_table

    names = read_table("services")["service_name"].to_list()
    labels = hex_labels(names)
    assert len({label.upper() for label in labels}) == len(set(names))
    assert dict(zip(names, labels, strict=True))["Milton Keynes"] == "MK"
