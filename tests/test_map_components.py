"""Map builders on a synthetic fixture: escaping, classes, payload, and the hex layout."""

from __future__ import annotations

import geopandas as gpd
import polars as pl
import pytest
from shapely.geometry import box

from components.classes import NO_DATA, SEQUENTIAL, classify
from components.hexmap import hex_layout
from components.maps import payload_bytes, service_map

HOSTILE = "<img src=x onerror=alert(1)>"


def _fixture() -> tuple[gpd.GeoDataFrame, pl.DataFrame]:
    codes = [f"E0600000{i}" for i in range(1, 8)]
    boundaries = gpd.GeoDataFrame(
        {"service_code": codes, "service_name": [HOSTILE, *codes[1:]]},
        geometry=[box(-2 + i * 0.1, 52, -1.9 + i * 0.1, 52.1) for i in range(7)],
        crs="EPSG:4326",
    )
    rates = pl.DataFrame(
        {
            "service_code": codes,
            "service_name": [HOSTILE, *codes[1:]],
            "nation": ["England"] * 7,
            "value": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, None],
            "status": ["reported"] * 6 + ["no_return"],
            "rate": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, None],
        }
    )
    return boundaries, rates


def test_names_from_data_reach_the_map_as_text_only() -> None:
    boundaries, rates = _fixture()
    web = service_map(
        boundaries,
        classify(rates, "higher_is_better"),
        title=HOSTILE,
        unit="per 1,000",
        coverage="6 of 7",
        outlines={},
        points=None,
    )
    document = web.get_root().render()
    assert HOSTILE not in document
    # HTML-escaped, then JSON-escaped inside the map's script: "&lt;img ...&gt;" with & written as \u0026.
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in document


def test_missing_values_are_grey_never_a_class_colour() -> None:
    _, rates = _fixture()
    classes = classify(rates, "higher_is_better")
    colours = dict(classes.frame.select("service_code", "colour").iter_rows())
    assert colours["E06000007"] == NO_DATA
    assert colours["E06000001"] == SEQUENTIAL[0] and colours["E06000006"] == SEQUENTIAL[-1]
    assert classes.legend("per 1,000")[-1] == (NO_DATA, "No return / not comparable")


def test_lower_is_better_reverses_the_palette() -> None:
    _, rates = _fixture()
    classes = classify(rates, "lower_is_better")
    assert dict(classes.frame.select("service_code", "colour").iter_rows())["E06000001"] == SEQUENTIAL[-1]


def test_real_map_payload_stays_under_one_megabyte() -> None:
    from observatory_data.queries import service_rates
    from observatory_data.tables import PreparedTablesMissing, read_boundaries, read_table

    try:
        services, annual, metrics = read_table("services"), read_table("annual"), read_table("metrics")
        branches, boundaries = read_table("branches"), read_boundaries()
    except PreparedTablesMissing as exc:
        pytest.skip(str(exc))
    classes = classify(service_rates(annual, services, metrics, "loans", 2023), "higher_is_better")
    points = branches.filter(pl.col("lat").is_not_null() & (pl.col("status") == "open")).select(
        pl.col("lat").round(4),
        pl.col("lon").round(4),
        "name",
        statutory_text=pl.lit("Statutory"),
        hours_text=pl.lit("40.0 staffed h/week"),
    )
    outlines = {
        "priority": services.filter(pl.col("priority_place") == "yes")["service_code"].to_list(),
        "lucp": services.filter(pl.col("lucp") == "yes")["service_code"].to_list(),
    }
    web = service_map(boundaries, classes, title="t", unit="u", coverage="c", outlines=outlines, points=points)
    assert payload_bytes(web) < 1_000_000
    document = web.get_root().render()
    assert "cdn" not in document.lower() and "https://" not in document.split("<body>")[0]


def test_hex_layout_gives_every_service_its_own_cell_deterministically() -> None:
    from observatory_data.boundaries import service_centroids
    from observatory_data.tables import PreparedTablesMissing, read_boundaries

    try:
        centroids = service_centroids(read_boundaries())
    except PreparedTablesMissing as exc:
        pytest.skip(str(exc))
    layout = hex_layout(centroids)
    assert layout.height == 179 and layout["service_code"].n_unique() == 179
    assert layout.select("column", "row").n_unique() == 179
    assert layout.equals(hex_layout(centroids.sample(fraction=1.0, shuffle=True, seed=7)))
    london = layout.filter(pl.col("service_code").str.starts_with("E09"))
    others = layout.filter(~pl.col("service_code").str.starts_with("E09"))
    # London's 33 hexagons sit together: all within 6 hexagons of their centre, on a map 30+ hexagons across.
    centre_x, centre_y = london["x"].mean(), london["y"].mean()
    assert (((london["x"] - centre_x) ** 2 + (london["y"] - centre_y) ** 2).sqrt() < 6).all()
    assert (((others["x"] - centre_x) ** 2 + (others["y"] - centre_y) ** 2).sqrt().max()) > 30
