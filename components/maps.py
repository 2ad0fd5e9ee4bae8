"""The web map: a folium choropleth of every service, outlines of the places lists and clustered service points.

Leaflet and its plugin are served by the app itself (static/vendor, fetched at setup by
observatory_data.assets), never from a CDN; basemap tiles are off, so the map renders on a closed
network. Every string from the data is escaped before it reaches the page.
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
from branca.element import Element, MacroElement, Template
from folium.plugins import FastMarkerCluster

from components.classes import METHOD, Classes

ASSET_BASE = "/app/static/vendor"
LEAFLET_JS = [("leaflet", f"{ASSET_BASE}/leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{ASSET_BASE}/leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", f"{ASSET_BASE}/leaflet.markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", f"{ASSET_BASE}/leaflet.markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{ASSET_BASE}/leaflet.markercluster/MarkerCluster.Default.css"),
]
WEB_TOLERANCE_DEGREES = 0.005  # about 350-550 m: invisible at national zoom, keeps the payload under 1 MB
COORDINATE_GRID = 2e-4
TOOLTIP_FIELDS = ("service_name", "rate_text", "value_text", "position_text", "status_text", "coverage")
OUTLINES = {
    "priority": ("Priority Places (outline)", "#CC79A7", None),
    "lucp": ("Levelling Up for Culture Places (outline)", "#D55E00", "6 4"),
}
POINT_CALLBACK = """
function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: 4, color: '#333333', weight: 1, fillColor: '#E69F00', fillOpacity: 0.95});
    var box = document.createElement('div');
    [row[2], row[3], row[4]].forEach(function (line) {
        var item = document.createElement('div');
        item.textContent = line;
        box.appendChild(item);
    });
    marker.bindPopup(box);
    return marker;
}
"""


def web_geometries(boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Boundaries light enough for the browser; coverage simplification keeps neighbours meeting."""
    simplified = boundaries[["service_code", "geometry"]].copy()
    simplified["geometry"] = shapely.set_precision(
        shapely.coverage_simplify(simplified.geometry.values, WEB_TOLERANCE_DEGREES), COORDINATE_GRID
    )
    return simplified


def _features(geometries: gpd.GeoDataFrame, classes: Classes, coverage: str) -> dict:
    text_fields = TOOLTIP_FIELDS[:-1]  # all but coverage, which is one line for the whole map
    frame = classes.frame.select("service_code", "colour", *text_fields).to_pandas()
    joined = geometries.merge(frame, on="service_code", how="left")
    for column in text_fields:
        joined[column] = joined[column].fillna("").map(html.escape)
    joined["coverage"] = html.escape(coverage)
    return json.loads(joined.to_json(drop_id=True))


class _Control(MacroElement):
    """A Leaflet control holding text we escaped ourselves (the legend, the title)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function () {
                var box = L.DomUtil.create('div', {{ this.css_class|tojson }});
                box.innerHTML = {{ this.markup|tojson }};
                return box;
            };
            control.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, markup: str, position: str, css_class: str) -> None:
        super().__init__()
        self.markup, self.position, self.css_class = markup, position, css_class


def legend_markup(classes: Classes, unit: str, note: str, outlines: Iterable[str] = ()) -> str:
    """The legend's HTML: every label escaped; classes say how they were made; outlines shown get a key."""
    rows = "".join(
        f"<div><span style='display:inline-block;width:14px;height:14px;margin-right:6px;background:{colour};"
        f"border:1px solid #777;vertical-align:middle'></span>{html.escape(label)}</div>"
        for colour, label in classes.legend(unit)
    )
    for key in outlines:
        label, colour, dash = OUTLINES[key]
        style = "dashed" if dash else "solid"
        rows += (
            f"<div><span style='display:inline-block;width:14px;height:0;margin-right:6px;"
            f"border-top:3px {style} {colour};vertical-align:middle'></span>{html.escape(label)}</div>"
        )
    return (
        "<div style='background:white;padding:8px 10px;border:1px solid #999;font:12px Arial,sans-serif;"
        f"line-height:18px'><b>Classes: {METHOD}</b>{rows}"
        f"<div style='margin-top:4px;color:#444;max-width:230px'>{html.escape(note)}</div></div>"
    )


def service_map(
    boundaries: gpd.GeoDataFrame,
    classes: Classes,
    *,
    title: str,
    unit: str,
    coverage: str,
    outlines: dict[str, list[str]],
    points: pl.DataFrame | None,
    basemap: bool = False,
) -> folium.Map:
    """The choropleth with its legend, optional place outlines and optional clustered service points.

    `outlines` maps an OUTLINES key to the service codes to outline; `points` has lat, lon, name,
    statutory_text and hours_text. `basemap` adds OpenStreetMap tiles, which need the internet: off by default.
    """
    web = folium.Map(location=[54.2, -3.4], zoom_start=6.5, tiles=None, control_scale=True, zoom_snap=0.5)
    # No basemap: a white ground lets the grey "no return" areas read as grey.
    web.get_root().header.add_child(folium.Element("<style>.leaflet-container{background:#ffffff;}</style>"))
    web.options.update(minZoom=5, maxZoom=16)  # with no tile layer, folium passes no zoom limits (clusters need one)
    web.default_js, web.default_css = LEAFLET_JS, LEAFLET_CSS
    if basemap:
        folium.TileLayer("OpenStreetMap", name="Basemap (OpenStreetMap)", opacity=0.5).add_to(web)
    geometries = web_geometries(boundaries)
    west, south, east, north = geometries.total_bounds
    # Every service in view, with room at the top for the title.
    web.fit_bounds([[south, west], [north, east]], padding_top_left=(0, 50))
    folium.GeoJson(
        _features(geometries, classes, coverage),
        name="Library services",
        style_function=lambda feature: {
            "fillColor": feature["properties"]["colour"],
            "color": "#555555",
            "weight": 0.6,
            "fillOpacity": 0.9,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=list(TOOLTIP_FIELDS),
            aliases=["Service", f"Rate ({html.escape(unit)})", "Count", "Rank", "Status", "Coverage"],
            sticky=True,
        ),
    ).add_to(web)
    for key, codes in outlines.items():
        label, colour, dash = OUTLINES[key]
        chosen = geometries[geometries["service_code"].isin(codes)].geometry.values
        # One dissolved outline per list: the group's edge, without every inner border twice over.
        outline = gpd.GeoSeries([shapely.coverage_union_all(chosen)], crs=geometries.crs)
        layer = folium.FeatureGroup(name=label, show=True)
        folium.GeoJson(
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
    folium.LayerControl(collapsed=False).add_to(web)
    _Control(
        f"<div style='background:white;padding:6px 10px;border:1px solid #999;font:bold 14px Arial,sans-serif'>"
        f"{html.escape(title)}</div>",
        "topleft",
        "map-title",
    ).add_to(web)
    note = f"{coverage}. Source: ACE Libraries Activity Data 2023/24; ONS (OGL v3), contains OS data."
    # Bottom left lies over the Atlantic at the fitted zoom, clear of every service.
    _Control(legend_markup(classes, unit, note, outlines), "bottomleft", "map-legend").add_to(web)
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


def payload_bytes(web: folium.Map) -> int:
    """Bytes of HTML and data the map sends to the browser (the rendered document)."""
    return len(web.get_root().render().encode())


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
