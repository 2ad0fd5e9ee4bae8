"""What the web map sends to the browser: boundaries simplified for it, their coordinates packed, and the size
of the whole document.

Coordinates travel as integers on the COORDINATE_GRID, each ring's first point then the steps between points
("delta encoding"), and the browser rebuilds the GeoJSON before Leaflet sees it: about half the bytes of decimal
degrees, for the same shapes (see benchmarks/pages.py for the payload).
"""

from __future__ import annotations

import json
from functools import cached_property

import folium
import geopandas as gpd
import shapely
from branca.element import Template

WEB_TOLERANCE_DEGREES = 0.005  # about 350-550 m: invisible at national zoom, keeps the payload under 1 MB
COORDINATE_GRID = 2e-4


def web_geometries(boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Boundaries light enough for the browser; coverage simplification keeps neighbours meeting."""
    simplified = boundaries[["service_code", "geometry"]].copy()
    simplified["geometry"] = shapely.set_precision(
        shapely.coverage_simplify(simplified.geometry.values, WEB_TOLERANCE_DEGREES), COORDINATE_GRID
    )
    return simplified


# The browser's half of the packing: rings of steps back to GeoJSON.
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


class PackedGeoJson(folium.GeoJson):
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

    @cached_property
    def packed(self) -> str:
        """The features packed, once: every render of the map (folium renders it more than once) sends the same."""
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


def payload_bytes(web: folium.Map) -> int:
    """Bytes of HTML and data the map sends to the browser (the rendered document)."""
    return len(web.get_root().render().encode())
