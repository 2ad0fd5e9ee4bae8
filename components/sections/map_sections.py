"""The Map page's sections: one year's rates in classes (or the change between two years), what the page says when
there is nothing to map, and the same classes drawn three ways (web map, equal-area hexagons, PNG) with one table
of the numbers behind them and one About, so the three say the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import folium
import geopandas as gpd
import plotly.graph_objects as go
import polars as pl

from components.classes import Classes, classify, classify_change
from components.exports import About
from components.hexmap import hex_figure
from components.map_text import CHANGE_COLUMN, IN_TOTAL_COLUMN, map_labels, png_note
from components.png_export import slug
from components.sections.chart_section import metric_about
from components.sections.rates_table import count_header, rate_header, rates_table
from components.static_map import map_png
from components.web_map import place_outlines, service_map
from observatory_data.serving.catalogue import BOUNDARIES_SOURCE, ENGLAND
from observatory_data.serving.change import COUNTABLE_IN_BOTH, england_change, rate_change
from observatory_data.serving.formats import status_words_expr
from observatory_data.serving.periods import financial_year
from observatory_data.serving.rates import service_rates

# The layers a map can draw over its classes, as its control names them; the PNG has no basemap.
LAYERS = {
    "priority": "Priority Places outlines",
    "lucp": "Culture Places outlines",
    "branches": "Service points",
    "basemap": "Basemap (OpenStreetMap, needs the internet)",
}
DEFAULT_LAYERS = ("priority", "lucp")
PNG_LAYERS = ("priority", "lucp", "branches")
LEAFLET_MISSING = (
    "The map's Leaflet files are not installed (they are fetched at setup, never from a CDN). "
    "Run `make setup` or `python -m observatory_data.serving.assets fetch`."
)
MAP_CLASS = (pl.col("class_index") + 1).alias("Map class (1 = lowest)")


def refusal(metric_label: str, metric_years: list[int], years: tuple[int, ...]) -> str:
    """Why there is nothing to map ('' if there is): a metric without ACE figures, or a change from a year to itself."""
    if not metric_years:
        return f"{metric_label} has no ACE figures (it is one service's own open data), so there is no map of it."
    if len(years) == 2 and years[0] == years[1]:
        if len(metric_years) == 1:
            return f"{metric_label} has ACE figures for {financial_year(metric_years[0])} only: no change to map."
        return "The two years are the same: choose two different years to map a change."
    return ""


def map_classes(
    annual: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame, entry: dict, years: tuple[int, ...]
) -> tuple[Classes, dict[str, str]]:
    """One year's rates in quantile classes, or (two years) each service's change between them in steps either
    side of 0, with the words of the map (map_text.map_labels)."""
    tables = (annual, services, metrics, entry["metric"])
    if len(years) == 1:
        rates = service_rates(*tables, years[0])
        labels = map_labels(entry, years, rates)
        return classify(rates, labels["polarity"]), labels
    changes = rate_change(*tables, *years)
    labels = map_labels(entry, years, changes, england_change(annual, services, entry["metric"], *years))
    return classify_change(changes, *years, labels["per"]), labels


def map_caption(classes: Classes, labels: dict[str, str]) -> str:
    """The caption under the page's title: what is mapped, how many services it rests on, who is grey and why."""
    return f"{labels['subtitle']}. {labels['coverage']}. {classes.note}"


@dataclass(frozen=True)
class MapNumbers:
    """The numbers behind the map or the hexagons, as a person reads them, and the About of their CSV."""

    table: pl.DataFrame
    about: About


def map_numbers(
    classes: Classes, labels: dict[str, str], entry: dict, selected: str, years: tuple[int, ...]
) -> MapNumbers:
    """Every service (by name) with one year's count, rate and status, or both years' and the change, its map class
    and whether it is the `selected` service ('' for none)."""
    columns: list[str | pl.Expr] = ["service", "code", "nation"]
    if len(years) == 1:
        columns += ["count", "rate", "status", "audit"]
    else:
        first, last = (financial_year(year) for year in years)
        count, rate = count_header(entry), rate_header(entry)
        columns += [
            pl.col("value_from").alias(f"{count}, {first}"),
            pl.col("value_to").alias(f"{count}, {last}"),
            pl.col("rate_from").round(1).alias(f"{rate}, {first}"),
            pl.col("rate_to").round(1).alias(f"{rate}, {last}"),
            pl.col("change").round(1).alias(CHANGE_COLUMN[0]),
            status_words_expr("status_from").alias(f"Status, {first}"),
            status_words_expr("status_to").alias(f"Status, {last}"),
            ((pl.col("nation") == ENGLAND) & COUNTABLE_IN_BOTH).alias(IN_TOTAL_COLUMN[0]),
        ]
    table = rates_table(
        classes.frame.sort("service_name"), entry, [*columns, MAP_CLASS, "selected", "caveat"], selected=selected
    )
    described = table.described + ((CHANGE_COLUMN, IN_TOTAL_COLUMN) if len(years) == 2 else ())
    about = metric_about(entry, labels["title"], labels["span"], labels["source"], described)
    return MapNumbers(table.frame, replace(about, notes=labels.get("notes", "")))


def web_map(
    boundaries: gpd.GeoDataFrame,
    classes: Classes,
    labels: dict[str, str],
    services: pl.DataFrame,
    points: pl.DataFrame,
    layers: Sequence[str],
    geometries: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The interactive map: the classes, their legend and source, and the `layers` (LAYERS) that are on: place
    outlines from the services' flags, `points` (web_map.open_points), the basemap. `geometries`: the boundaries
    simplified for the web (map_payload.web_geometries), if the caller keeps them."""
    return service_map(
        boundaries,
        classes,
        title=labels["title"],
        unit=labels["unit"],
        coverage=labels["coverage"],
        outlines=place_outlines(services, layers),
        points=points if "branches" in layers else None,
        source=labels["source"],
        basemap="basemap" in layers,
        geometries=geometries,
    )


def hex_map(layout: pl.DataFrame, classes: Classes, labels: dict[str, str]) -> go.Figure:
    """The equal-area hexagons (hexmap.hex_layout): every service the same size, so small urban services show."""
    return hex_figure(
        layout,
        classes,
        title=labels["title"],
        subtitle=labels["subtitle"],
        unit=labels["unit"],
        source=f"{labels['source']} {BOUNDARIES_SOURCE}.",
        note=labels["coverage"] + ".",
    )


def png_layers(layers: Sequence[str]) -> tuple[str, ...]:
    """What the PNG draws of the layers that are on (it has no basemap): a PNG is made once for each."""
    return tuple(key for key in PNG_LAYERS if key in layers)


def png_map(
    boundaries: gpd.GeoDataFrame,
    classes: Classes,
    labels: dict[str, str],
    services: pl.DataFrame,
    points: pl.DataFrame,
    layers: Sequence[str],
    selected: str,
) -> bytes:
    """The map as a PNG for a slide, with the layers the screen shows (as web_map) and the selected service
    outlined."""
    return map_png(
        boundaries,
        classes,
        title=labels["title"],
        subtitle=labels["subtitle"],
        unit=labels["unit"],
        note=png_note(labels),
        outlines=place_outlines(services, layers),
        points=points if "branches" in layers else None,
        selected=selected,
    )


def png_file_name(labels: dict[str, str]) -> str:
    """'library-services-map-visits-per-1-000-residents-….png'."""
    return f"library-services-map-{slug(labels['title'])}.png"
