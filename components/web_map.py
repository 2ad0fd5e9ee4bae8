"""The web map: a folium choropleth of every service, outlines of the places lists and clustered service points.

Leaflet and its plugin are served by the app itself (static/vendor, fetched at setup by
observatory_data.serving.assets), never from a CDN; basemap tiles are off, so the map renders on a closed
network. Every string from the data is escaped before it reaches the page. The two kinds of missing are
textured as on the PNG and the hex map (SVG patterns); tooltips draw over the legend; on a phone the legend
and the layer control start collapsed to a corner. The selected service is outlined and named by a layer of its own
(selected_layer), which the page sends apart from the map so that choosing a service never redraws the map.
"""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Iterable

import folium
import geopandas as gpd
import polars as pl
import shapely
from branca.element import Element
from folium.plugins import FastMarkerCluster
from folium.utilities import JsCode

from components.classes import TEXTURES, Classes
from components.map_controls import (
    SMALL_SCREEN,
    STYLE,
    Control,
    Landmarks,
    TooltipsOnTop,
    legend_markup,
    texture_patterns,
)
from components.map_payload import PackedGeoJson, web_geometries
from components.map_text import OUTLINES, tooltip_fields
from components.palette import EDGE, POINT_EDGE, POINT_FILL, SELECTED_EDGE
from observatory_data.serving.catalogue import BOUNDARIES_SOURCE

ASSET_BASE = "/app/static/vendor"
LEAFLET_JS = [("leaflet", f"{ASSET_BASE}/leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{ASSET_BASE}/leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", f"{ASSET_BASE}/leaflet.markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", f"{ASSET_BASE}/leaflet.markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{ASSET_BASE}/leaflet.markercluster/MarkerCluster.Default.css"),
]
# The selected service: its outline over a white halo, thick enough to find at national zoom, on any class colour.
SELECTED_STYLE = {"fill": False, "color": SELECTED_EDGE, "weight": 4, "opacity": 1}
SELECTED_HALO = {"fill": False, "color": "#ffffff", "weight": 7, "opacity": 0.9}
POINT_CALLBACK = """
function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: 4, color: 'POINT_EDGE', weight: 1, fillColor: 'POINT_FILL', fillOpacity: 0.95});
    var box = document.createElement('div');
    [row[2], row[3], row[4]].forEach(function (line) {
        var item = document.createElement('div');
        item.textContent = line;
        box.appendChild(item);
    });
    marker.bindPopup(box);
    return marker;
}
""".replace("POINT_EDGE", POINT_EDGE).replace("POINT_FILL", POINT_FILL)


def _features(geometries: gpd.GeoDataFrame, frame: pl.DataFrame, fields: tuple, coverage: str) -> dict:
    """The services' shapes with their colours and tooltip lines (map_text.tooltip_fields' frame and fields)."""
    text_fields = ["service_name", *(column for column, _ in fields)]  # coverage is one line for the map
    frame = frame.select("service_code", "colour", *text_fields).to_pandas()
    joined = geometries.merge(frame, on="service_code", how="left")
    for column in text_fields:
        # Escaped, then a caveat's line breaks (classes.CAVEAT_WRAP) become <br>: a Leaflet tooltip never wraps.
        joined[column] = joined[column].fillna("").map(lambda text: html.escape(text).replace("\n", "<br>"))
    joined["coverage"] = html.escape(coverage)
    return json.loads(joined.to_json(drop_id=True))


def _service_style(feature: dict) -> dict:
    """The class colour; a missing-data grey also gets the class that fills it with its texture (see STYLE)."""
    colour = feature["properties"]["colour"]
    texture = TEXTURES.get(colour)
    return {
        "fillColor": colour,
        "className": f"texture-{texture}" if texture else "",
        "color": EDGE,
        "weight": 0.6,
        "fillOpacity": 0.9,
    }


def selected_layer(geometries: gpd.GeoDataFrame, code: str, name: str) -> folium.FeatureGroup | None:
    """The selected service outlined (black over a white halo) and named, as a layer of its own over the map.

    The page sends it with st_folium's `feature_group_to_add`, which swaps the layer in the map already drawn: the
    map's own script stays the same, so choosing a service keeps the reader's zoom and pan. `geometries` are
    web_geometries, so the outline lies on the polygon's own edge; None when the code is not on the map."""
    mine = geometries[geometries["service_code"] == code]
    if mine.empty:
        return None
    layer = folium.FeatureGroup(name=f"Selected: {name}", control=False)
    shape = json.loads(mine[["service_code", "geometry"]].to_json(drop_id=True))
    for style in (SELECTED_HALO, SELECTED_STYLE):
        folium.GeoJson(shape, style_function=lambda _, style=style: style, interactive=False).add_to(layer)
    # The name sits just above the shape's top, so it leaves the service's own colour in view.
    spot, top = mine.geometry.iloc[0].representative_point(), mine.total_bounds[3]
    label = folium.DivIcon(html=f"<div class='selected-name'>{html.escape(name)}</div>", icon_size=(0, 0))
    folium.Marker([top, spot.x], icon=label, interactive=False, keyboard=False).add_to(layer)
    return layer


def service_map(
    boundaries: gpd.GeoDataFrame,
    classes: Classes,
    *,
    title: str,
    unit: str,
    coverage: str,
    outlines: dict[str, list[str]],
    points: pl.DataFrame | None,
    source: str = "",
    basemap: bool = False,
    selected: str = "",
    geometries: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The choropleth with its legend, optional place outlines and optional clustered service points.

    `outlines` maps an OUTLINES key to the service codes to outline; `points` has lat, lon, name,
    statutory_text and hours_text. `basemap` adds OpenStreetMap tiles, which need the internet: off by default.
    `selected` (a service code) adds selected_layer to the map itself, for a map shown on its own; the app sends
    that layer apart (see selected_layer). `geometries` are map_payload.web_geometries(boundaries), for a caller
    that keeps them (they depend on the boundaries alone); made here if not given.
    """
    web = folium.Map(location=[54.2, -3.4], zoom_start=6.5, tiles=None, control_scale=True, zoom_snap=0.5)
    # No basemap: a white ground lets the missing-data greys read as grey.
    web.get_root().header.add_child(folium.Element(STYLE))
    web.get_root().html.add_child(folium.Element(texture_patterns()))
    web.options.update(minZoom=5, maxZoom=16)  # with no tile layer, folium passes no zoom limits (clusters need one)
    web.default_js, web.default_css = LEAFLET_JS, LEAFLET_CSS
    if basemap:
        folium.TileLayer("OpenStreetMap", name="Basemap (OpenStreetMap)", opacity=0.5).add_to(web)
    geometries = web_geometries(boundaries) if geometries is None else geometries
    west, south, east, north = geometries.total_bounds
    # Every service in view, with room at the top for the title.
    web.fit_bounds([[south, west], [north, east]], padding_top_left=(0, 50))
    frame, fields = tooltip_fields(classes)
    PackedGeoJson(
        _features(geometries, frame, fields, coverage),
        name="Library services",
        style_function=_service_style,
        tooltip=folium.GeoJsonTooltip(
            fields=["service_name", *(column for column, _ in fields), "coverage"],
            aliases=[
                "Service",
                *(html.escape(label.replace("{unit}", unit)) for _, label in fields),
                "Coverage",
            ],
            sticky=True,
        ),
    ).add_to(web)
    for key, codes in outlines.items():
        label, colour, dash = OUTLINES[key]
        chosen = geometries[geometries["service_code"].isin(codes)].geometry.values
        # One dissolved outline per list: the group's edge, without every inner border twice over.
        outline = gpd.GeoSeries([shapely.coverage_union_all(chosen)], crs=geometries.crs)
        layer = folium.FeatureGroup(name=label, show=True)
        PackedGeoJson(
            json.loads(outline.to_json(drop_id=True)),
            style_function=lambda _, colour=colour, dash=dash: {
                "fill": False,
                "color": colour,
                "weight": 2.4,
                "dashArray": dash,
            },
            interactive=False,
        ).add_to(layer)
        layer.add_to(web)
    if points is not None and points.height:
        data = points.select("lat", "lon", "name", "statutory_text", "hours_text").rows()
        cluster = FastMarkerCluster([list(row) for row in data], callback=POINT_CALLBACK, name="Service points")
        cluster.default_js, cluster.default_css = CLUSTER_JS, CLUSTER_CSS
        cluster.add_to(web)
    # Open on a wide screen; on a phone an icon, so the list does not cover half of England.
    folium.LayerControl(collapsed=JsCode(f"window.matchMedia('{SMALL_SCREEN}').matches")).add_to(web)
    # The title is the frame's one heading (a level-one heading, for screen readers' outline).
    Control(f"<h1 class='map-box'>{html.escape(title)}</h1>", "topleft", "map-title").add_to(web)
    boundaries_note = f"{BOUNDARIES_SOURCE}."
    note = " ".join(filter(None, (f"{coverage}.", classes.note, source, boundaries_note)))
    # Bottom left lies over the Atlantic at the fitted zoom, clear of every service.
    Control(legend_markup(classes, unit, note, outlines), "bottomleft", "map-legend").add_to(web)
    names = dict(classes.frame.select("service_code", "service_name").iter_rows())
    highlight = selected_layer(geometries, selected, names.get(selected) or selected) if selected else None
    if highlight is not None:
        highlight.add_to(web)
    TooltipsOnTop().add_to(web)
    Landmarks().add_to(web)
    _stable_ids(web)
    return web


def _stable_ids(element: Element, counter: itertools.count | None = None) -> None:
    """Element ids from a counter instead of random bytes, so an unchanged map renders to the same script."""
    counter = counter or itertools.count()
    element._id = f"{next(counter):032x}"
    for child in element._children.values():
        _stable_ids(child, counter)


def service_at(boundaries: gpd.GeoDataFrame, lat: float, lon: float) -> str | None:
    """The service whose area holds a clicked point (a click reports only where it landed)."""
    hits = boundaries[boundaries.geometry.contains(shapely.Point(lon, lat))]
    return None if hits.empty else str(hits["service_code"].iloc[0])


def place_outlines(services: pl.DataFrame, layers: Iterable[str]) -> dict[str, list[str]]:
    """Service codes to outline for each places layer asked for (only services flagged "yes")."""
    return {
        key: services.filter(pl.col(flag) == "yes")["service_code"].to_list()
        for key, flag in (("priority", "priority_place"), ("lucp", "lucp"))
        if key in layers
    }


def open_points(branches: pl.DataFrame) -> pl.DataFrame:
    """Open service points with coordinates, their popup lines as plain text (set as text in the browser)."""
    return branches.filter((pl.col("status") == "open") & pl.col("lat").is_not_null()).select(
        pl.col("lat").round(4),
        pl.col("lon").round(4),
        "name",
        statutory_text=pl.when(pl.col("statutory"))
        .then(pl.lit("Statutory"))
        .when(pl.col("statutory").not_())
        .then(pl.lit("Not statutory"))
        .otherwise(pl.lit("Statutory status unknown")),
        hours_text=pl.when(pl.col("staffed_hours_week").is_not_null())
        .then(pl.format("{} staffed h/week", pl.col("staffed_hours_week").round(1)))
        .otherwise(pl.lit("Hours unknown")),
    )
