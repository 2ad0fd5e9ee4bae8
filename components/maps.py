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
import textwrap
from collections.abc import Iterable

import folium
import geopandas as gpd
import polars as pl
import shapely
from branca.element import Element, MacroElement, Template
from folium.plugins import FastMarkerCluster
from folium.utilities import JsCode

from components.briefing import CAVEAT_WRAP
from components.classes import TEXTURES, Classes
from observatory_data.serving.audit_marks import AUDIT_COLUMNS, sentence_expr

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
OUTLINES = {
    "priority": ("Priority Places (outline)", "#CC79A7", None),
    "lucp": ("Levelling Up for Culture Places (outline)", "#D55E00", "6 4"),
}
SMALL_SCREEN = "(max-width: 600px)"
EDGE = "#555555"
POINT_FILL, POINT_EDGE = "#E69F00", "#333333"
# The selected service: a black outline over a white halo, thick enough to find at national zoom, on any class colour.
SELECTED_EDGE = "#000000"
SELECTED_STYLE = {"fill": False, "color": SELECTED_EDGE, "weight": 4, "opacity": 1}
SELECTED_HALO = {"fill": False, "color": "#ffffff", "weight": 7, "opacity": 0.9}
# The marks drawn over each missing-data grey: as on the PNG, firm lines for no return, soft dots for not collected.
TEXTURE_MARKS = {
    "hatch": f"<path d='M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5' stroke='{EDGE}' stroke-width='1.2'/>",
    "dots": "<circle cx='3' cy='3' r='1' fill='#8c8c8c'/>",
}
# Leaflet stacks its control corners (the legend, the layer control) at z-index 1000 over the map pane (400),
# and the tooltip pane (650) sits inside the map pane, so no z-index alone lifts a tooltip over the legend:
# _TooltipsOnTop moves the tooltip pane out of the map pane, and this rule puts it over the corners.
# (div.leaflet-container outranks leaflet.css, which a standalone page loads after this style.)
# A long title wraps short of the open layer list at the top right (about 360 px with its margins).
STYLE = f"""<style>
div.leaflet-container {{background: #ffffff;}}
.leaflet-container > .leaflet-tooltip-pane {{z-index: 1100;}}
{"".join(f".leaflet-overlay-pane path.texture-{name} {{fill: url(#texture-{name});}}" for name in TEXTURE_MARKS)}
.map-box {{background: white; border: 1px solid #999; font-family: Arial, sans-serif;}}
.map-title .map-box {{margin: 0; padding: 6px 10px; font-size: 14px; font-weight: bold;}}
.map-title .map-box {{max-width: calc(100vw - 420px);}}
.map-legend .map-box {{padding: 8px 10px; font-size: 12px; line-height: 18px;}}
.map-legend summary {{cursor: pointer; font-weight: bold;}}
.map-legend details[open] .ramp {{display: none;}}
.map-legend .ramp .swatch {{margin: 0 0 0 2px;}}
.map-legend .swatch {{width: 14px; height: 14px; margin-right: 6px; vertical-align: middle;}}
.map-legend .note {{margin-top: 4px; color: #444; max-width: 230px;}}
.selected-name {{background: white; border: 2px solid {SELECTED_EDGE}; padding: 1px 5px; font: bold 12px Arial,
  sans-serif; white-space: nowrap; width: max-content; transform: translate(-50%, calc(-100% - 6px));}}
@media {SMALL_SCREEN} {{
  .map-title .map-box {{padding: 3px 6px; font-size: 11px; max-width: 60vw;}}
  .map-legend .map-box {{padding: 4px 6px; font-size: 10px; line-height: 13px; max-width: 70vw;
    max-height: 55vh; overflow-y: auto;}}
  .map-legend .swatch {{width: 10px; height: 10px; margin-right: 4px;}}
  .map-legend .note {{max-width: none;}}
}}
</style>"""
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


# The audit's mark as the tooltip's last line on a map of one year's rates; the Data page has every note whole.
AUDIT_FIELD = ("audit_text", "Audit mark")
AUDIT_TOOLTIP_CHARACTERS = 300
NO_MARK = "none"


def _tooltip_text(sentence: str | None) -> str:
    """A sentence shortened for a tooltip and cut into lines (a tooltip never wraps): 'none' where no mark."""
    if not sentence:
        return NO_MARK
    short = textwrap.shorten(sentence, AUDIT_TOOLTIP_CHARACTERS, placeholder=" … (whole note on the Data page)")
    return "\n".join(textwrap.wrap(short, CAVEAT_WRAP))


def tooltip_fields(classes: Classes) -> tuple[pl.DataFrame, tuple[tuple[str, str], ...]]:
    """The classes' frame and its tooltip lines, with the audit's mark (AUDIT_FIELD) added on a map of one year's
    rates (queries.service_rates carries the marks; a change map's frame has no single year's mark to show)."""
    frame, fields = classes.frame, classes.fields
    if "rate" not in frame.columns or not set(AUDIT_COLUMNS) <= set(frame.columns):
        return frame, fields
    text = sentence_expr().map_elements(_tooltip_text, return_dtype=pl.String, skip_nulls=False)
    return frame.with_columns(text.alias(AUDIT_FIELD[0])), (*fields, AUDIT_FIELD)


def web_geometries(boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Boundaries light enough for the browser; coverage simplification keeps neighbours meeting."""
    simplified = boundaries[["service_code", "geometry"]].copy()
    simplified["geometry"] = shapely.set_precision(
        shapely.coverage_simplify(simplified.geometry.values, WEB_TOLERANCE_DEGREES), COORDINATE_GRID
    )
    return simplified


def _features(geometries: gpd.GeoDataFrame, classes: Classes, coverage: str) -> dict:
    frame, fields = tooltip_fields(classes)
    text_fields = ["service_name", *(column for column, _ in fields)]  # coverage is one line for the map
    frame = frame.select("service_code", "colour", *text_fields).to_pandas()
    joined = geometries.merge(frame, on="service_code", how="left")
    for column in text_fields:
        # Escaped, then a caveat's line breaks (classes.CAVEAT_WRAP) become <br>: a Leaflet tooltip never wraps.
        joined[column] = joined[column].fillna("").map(lambda text: html.escape(text).replace("\n", "<br>"))
    joined["coverage"] = html.escape(coverage)
    return json.loads(joined.to_json(drop_id=True))


def _texture_patterns() -> str:
    """One SVG pattern per missing-data grey, for the polygons and the legend's swatches to share."""
    patterns = "".join(
        f"<pattern id='texture-{name}' width='6' height='6' patternUnits='userSpaceOnUse'>"
        f"<rect width='6' height='6' fill='{colour}'/>{TEXTURE_MARKS[name]}</pattern>"
        for colour, name in TEXTURES.items()
    )
    # Not display:none, which would switch the patterns off in Chromium.
    return f"<svg width='0' height='0' style='position:absolute' aria-hidden='true'><defs>{patterns}</defs></svg>"


def _swatch(colour: str) -> str:
    """A legend swatch filled as the polygons are: the class colour, or the texture of a missing-data grey."""
    fill = f"url(#texture-{TEXTURES[colour]})" if colour in TEXTURES else colour
    return (
        "<svg class='swatch' viewBox='0 0 14 14' aria-hidden='true'>"
        f"<rect x='0.5' y='0.5' width='13' height='13' fill='{fill}' stroke='#777'/></svg>"
    )


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


class _TooltipsOnTop(MacroElement):
    """Moves the tooltip pane out of the map pane, so a tooltip can stack over the controls (see STYLE), and keeps
    it where the map pane is, so tooltips still land under the pointer after a pan or a zoom."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var tooltips = map.getPane('tooltipPane'), mapPane = map.getPane('mapPane');
            map.getContainer().appendChild(tooltips);
            function follow() { L.DomUtil.setPosition(tooltips, L.DomUtil.getPosition(mapPane)); }
            map.on('move zoom viewreset zoomend moveend', follow);
            follow();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


class _Landmarks(MacroElement):
    """The map's document for assistive technology: the map is its main landmark (so every control is inside one), and
    the page may be zoomed (folium's viewport tag forbids it, and streamlit-folium copies that tag into its frame)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            map.getContainer().setAttribute('role', 'main');
            document.querySelectorAll('meta[name="viewport"]').forEach(function (tag) {
                tag.setAttribute('content', 'width=device-width, initial-scale=1');
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


# Coordinates travel as integers on the COORDINATE_GRID, each ring's first point then the steps between points
# ("delta encoding"), and the browser rebuilds the GeoJSON before Leaflet sees it: about half the bytes of
# decimal degrees, for the same shapes (see benchmarks/pages.py for the payload).
UNPACK_JS = """
function unpackFeatures(packed) {
    const ring = (steps) => { let x = 0, y = 0, out = [];
        for (let i = 0; i < steps.length; i += 2) { x += steps[i]; y += steps[i + 1];
            out.push([x * packed.grid, y * packed.grid]); }
        return out; };
    const geometry = ([kind, parts]) => kind === "Polygon"
        ? {type: kind, coordinates: parts.map(ring)}
        : {type: kind, coordinates: parts.map((polygon) => polygon.map(ring))};
    return {type: "FeatureCollection", features: packed.features.map(([properties, shape]) =>
        ({type: "Feature", properties: properties, geometry: geometry(shape)}))};
}
"""


def _steps(ring: list[list[float]]) -> list[int]:
    """A ring as integers on the grid: its first point, then the steps from each point to the next."""
    steps, last_x, last_y = [], 0, 0
    for lon, lat in ring:
        x, y = round(lon / COORDINATE_GRID), round(lat / COORDINATE_GRID)
        steps += [x - last_x, y - last_y]
        last_x, last_y = x, y
    return steps


def pack_features(collection: dict) -> dict:
    """A GeoJSON FeatureCollection of polygons as [properties, [kind, delta-encoded rings]] per feature."""
    features = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            parts = [_steps(ring) for ring in geometry["coordinates"]]
        elif geometry["type"] == "MultiPolygon":
            parts = [[_steps(ring) for ring in polygon] for polygon in geometry["coordinates"]]
        else:
            raise ValueError(f"only polygons are packed, not {geometry['type']}")
        features.append([feature["properties"], [geometry["type"], parts]])
    return {"grid": COORDINATE_GRID, "features": features}


class _PackedGeoJson(folium.GeoJson):
    """folium's GeoJson, drawn and styled as usual, whose features are sent packed (pack_features)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.plain_script(kwargs) }}
        {{ this.unpack_js }}
        {{ this.get_name() }}_add(unpackFeatures({{ this.packed }}));
        {% endmacro %}
        """
    )
    unpack_js = UNPACK_JS

    @property
    def packed(self) -> str:
        text = json.dumps(pack_features(self.data), separators=(",", ":"), ensure_ascii=False)
        # The same escaping as Jinja's tojson, so no text in a property can close the script.
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")

    def plain_script(self, kwargs: dict) -> str:
        """folium's own script with no features in it (their styles are already mapped in render)."""
        data, self.data = self.data, {"type": "FeatureCollection", "features": []}
        try:
            return folium.GeoJson._template.module.script(self, kwargs)
        finally:
            self.data = data


class _Control(MacroElement):
    """A Leaflet control holding text we escaped ourselves (the legend, the title). A tap on it stays with it (never
    a click on the map beneath); a legend's <details> starts closed on a small screen, so it keeps to its corner."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function () {
                var box = L.DomUtil.create('div', {{ this.css_class|tojson }});
                box.innerHTML = {{ this.markup|tojson }};
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                if (window.matchMedia({{ this.small_screen|tojson }}).matches) {
                    box.querySelectorAll('details').forEach(function (part) { part.removeAttribute('open'); });
                }
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
        self.small_screen = SMALL_SCREEN


def legend_markup(classes: Classes, unit: str, note: str, outlines: Iterable[str] = ()) -> str:
    """The legend's HTML: every label escaped; classes say how they were made; outlines shown get a key.

    The legend is a <details> headed "Key": open on a wide screen; on a phone it starts closed (see _Control) as one
    line with the classes' colours, and opens at a tap, so it never lies over a third of England."""
    # The unit goes in the heading (as on the PNG), so the class rows stay short enough for a phone.
    legend = classes.legend("")
    rows = "".join(f"<div>{_swatch(colour)}{html.escape(label)}</div>" for colour, label in legend)
    ramp = "".join(_swatch(colour) for colour, _ in legend if colour not in TEXTURES)
    for key in outlines:
        label, colour, dash = OUTLINES[key]
        style = "dashed" if dash else "solid"
        rows += (
            f"<div><span class='swatch' style='display:inline-block;height:0;"
            f"border-top:3px {style} {colour}'></span>{html.escape(label)}</div>"
        )
    heading = f"<b>Classes: {html.escape(classes.method)}</b><div>{html.escape(unit)}</div>"
    summary = f"<summary>Key <span class='ramp'>{ramp}</span></summary>"
    return (
        f"<details class='map-box' open>{summary}{heading}{rows}<div class='note'>{html.escape(note)}</div></details>"
    )


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
) -> folium.Map:
    """The choropleth with its legend, optional place outlines and optional clustered service points.

    `outlines` maps an OUTLINES key to the service codes to outline; `points` has lat, lon, name,
    statutory_text and hours_text. `basemap` adds OpenStreetMap tiles, which need the internet: off by default.
    `selected` (a service code) adds selected_layer to the map itself, for a map shown on its own; the app sends
    that layer apart (see selected_layer).
    """
    web = folium.Map(location=[54.2, -3.4], zoom_start=6.5, tiles=None, control_scale=True, zoom_snap=0.5)
    # No basemap: a white ground lets the missing-data greys read as grey.
    web.get_root().header.add_child(folium.Element(STYLE))
    web.get_root().html.add_child(folium.Element(_texture_patterns()))
    web.options.update(minZoom=5, maxZoom=16)  # with no tile layer, folium passes no zoom limits (clusters need one)
    web.default_js, web.default_css = LEAFLET_JS, LEAFLET_CSS
    if basemap:
        folium.TileLayer("OpenStreetMap", name="Basemap (OpenStreetMap)", opacity=0.5).add_to(web)
    geometries = web_geometries(boundaries)
    west, south, east, north = geometries.total_bounds
    # Every service in view, with room at the top for the title.
    web.fit_bounds([[south, west], [north, east]], padding_top_left=(0, 50))
    _, fields = tooltip_fields(classes)
    _PackedGeoJson(
        _features(geometries, classes, coverage),
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
        _PackedGeoJson(
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
    _Control(f"<h1 class='map-box'>{html.escape(title)}</h1>", "topleft", "map-title").add_to(web)
    boundaries_note = "Boundaries: ONS (OGL v3), contains OS data."
    note = " ".join(filter(None, (f"{coverage}.", classes.note, source, boundaries_note)))
    # Bottom left lies over the Atlantic at the fitted zoom, clear of every service.
    _Control(legend_markup(classes, unit, note, outlines), "bottomleft", "map-legend").add_to(web)
    names = dict(classes.frame.select("service_code", "service_name").iter_rows())
    highlight = selected_layer(geometries, selected, names.get(selected) or selected) if selected else None
    if highlight is not None:
        highlight.add_to(web)
    _TooltipsOnTop().add_to(web)
    _Landmarks().add_to(web)
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
