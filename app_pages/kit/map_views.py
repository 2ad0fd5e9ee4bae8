"""The Map page's views, each made once per build and view and shared by every visitor: the classes of a metric's
year (or two years), the web map rendered for the browser, the selected service's layer, the hexagons, the numbers
behind them and the PNG. A rerun that changes nothing but a click reads them all from the cache."""

from __future__ import annotations

import geopandas as gpd
import plotly.graph_objects as go
import polars as pl

from app_pages.kit.folium_map import RenderedMap, layer_script, render_map
from app_pages.kit.loading import load, load_boundaries, per_build
from components.classes import Classes
from components.hexmap import hex_layout
from components.map_payload import web_geometries
from components.sections import map_sections as sections
from components.web_map import open_points, selected_layer
from observatory_data.serving.catalogue import years_with_data
from observatory_data.serving.geography import service_centroids
from observatory_data.serving.rates import metrics_reported

CLICKS = ("last_object_clicked",)  # all the web map reports: a click selects the service under it


@per_build(max_entries=2)
def cached_choices() -> tuple[list[str], dict[str, str], dict[str, str]]:
    """The metrics with figures to map, every metric's label and every service's name, by key and code."""
    metrics, annual = load("metrics"), load("annual")
    labels = dict(metrics.select("metric", "label").iter_rows())
    names = dict(load("services").select("service_code", "service_name").iter_rows())
    return metrics_reported(metrics, annual), labels, names


@per_build(max_entries=64)
def cached_years(metric: str) -> list[int]:
    """The years with ACE figures for a metric, oldest first."""
    return years_with_data(load("annual"), metric)


def entry_of(metric: str) -> dict:
    return load("metrics").filter(pl.col("metric") == metric).row(0, named=True)


@per_build(resource=True, max_entries=64, show_spinner="Drawing the map…")
def cached_classes(metric: str, years: tuple[int, ...]) -> tuple[Classes, dict[str, str]]:
    """The classes and words of a map: the same for every visitor of a build, and for the map, hexagons and PNG."""
    return sections.map_classes(load("annual"), load("services"), load("metrics"), entry_of(metric), years)


@per_build(resource=True, max_entries=2)
def cached_points() -> pl.DataFrame:
    return open_points(load("branches"))


@per_build(resource=True, max_entries=16, show_spinner="Drawing the map…")
def cached_web_map(metric: str, years: tuple[int, ...], layers: tuple[str, ...], key: str) -> RenderedMap:
    """The web map rendered once per view (metric, years, the layers that are on): every rerun sends these strings
    to the browser, which keeps its map (zoom and pan) as long as they are the same."""
    classes, labels = cached_classes(metric, years)
    boundaries, services, points = load_boundaries(), load("services"), cached_points()
    web = sections.web_map(boundaries, classes, labels, services, points, layers, cached_web_geometries())
    return render_map(web, key, returned_objects=CLICKS)


@per_build(resource=True, max_entries=64)
def cached_selected_layer(code: str, name: str) -> str | None:
    """The selected service's layer (web_map.selected_layer) as the script sent beside the map."""
    layer = selected_layer(cached_web_geometries(), code, name)
    return None if layer is None else layer_script(layer)


@per_build(resource=True, max_entries=2)
def cached_web_geometries() -> gpd.GeoDataFrame:
    """The simplified shapes the web map draws, for the selected service's outline to lie on its polygon's edge."""
    return web_geometries(load_boundaries())


@per_build(show_spinner="Drawing the PNG…", max_entries=8)
def cached_png(metric: str, years: tuple[int, ...], layers: tuple[str, ...], service: str) -> bytes:
    """Made on the first click for a view (metric, years, the layers that are on, the selected service), then
    served from the cache: the image keeps what the screen shows."""
    classes, labels = cached_classes(metric, years)
    return sections.png_map(load_boundaries(), classes, labels, load("services"), cached_points(), layers, service)


@per_build(resource=True, max_entries=2)
def cached_hex_layout() -> pl.DataFrame:
    return hex_layout(service_centroids(load_boundaries()))


@per_build(resource=True, max_entries=16)
def cached_hex_map(metric: str, years: tuple[int, ...]) -> go.Figure:
    """The hexagons of a view (show_chart lays out a copy for a phone; nothing changes the cached figure)."""
    return sections.hex_map(cached_hex_layout(), *cached_classes(metric, years))


@per_build(resource=True, max_entries=64)
def cached_numbers(metric: str, years: tuple[int, ...], service: str) -> sections.MapNumbers:
    """The numbers behind the map or the hexagons, with the selected service marked."""
    return sections.map_numbers(*cached_classes(metric, years), entry_of(metric), service, years)
