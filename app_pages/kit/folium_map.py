"""A folium map shown by streamlit_folium's component from strings rendered once, not on every rerun.

`st_folium` renders the whole folium map on every call: jinja2 templates, the GeoJSON of every feature, the bounds
walked from the geometry. For a map that depends only on the build and the view's choices that is most of a rerun,
spent to make the same strings again. Here st_folium's body is split in two: `render_map` does its rendering once
(a page caches the RenderedMap per build and view), and `show_map` hands those strings to the component exactly as
st_folium would, under the same component key (`generate_js_hash` of the script), so the browser keeps its map, its
zoom and pan, and reports clicks under the page's key as before. A layer sent apart (st_folium's
`feature_group_to_add`) is rendered by `layer_script`, also once per layer if the page caches it.

This leans on private functions of streamlit-folium (`_get_html`, `_get_header`, `_get_map_string`,
`_get_feature_group_string`, `_component_func`), pinned at 0.27.4 in pyproject.toml for that reason: on an upgrade,
check that st_folium's body still does what these two functions do (tests/unit/test_folium_map.py compares them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import branca
import folium
import folium.elements
import streamlit as st
import streamlit_folium

# st_folium's default value for each object the component can report.
_REPORTED = (
    "last_clicked",
    "last_object_clicked",
    "last_object_clicked_count",
    "last_object_clicked_tooltip",
    "last_object_clicked_popup",
    "all_drawings",
    "last_active_drawing",
    "bounds",
    "zoom",
    "last_circle_radius",
    "last_circle_polygon",
    "selected_layers",
    "selected_tags",
    "last_geocoder_result",
)


@dataclass(frozen=True)
class RenderedMap:
    """What st_folium makes of a folium.Map before it calls the component: plain strings and values, shared
    unchanged across sessions. `component_key` is st_folium's key for the map (generate_js_hash of its script)."""

    script: str
    header: str
    html: str
    map_id: str
    state_key: str
    component_key: str
    returned_objects: tuple[str, ...] | None
    defaults: dict[str, Any]
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def render_map(folium_map: folium.Map, key: str, returned_objects: Iterable[str] | None = None) -> RenderedMap:
    """st_folium's rendering of a folium.Map (not a Figure or DualMap) for st_folium(map, key, returned_objects).
    It renames the map's elements in place, so the map is used up: render a fresh one for each RenderedMap. The
    bounds, walked from every coordinate, are worked out only if `returned_objects` reports them."""
    folium_map.get_root().render()
    folium_map.render()
    html = streamlit_folium._get_html(folium_map)  # before _get_map_string, which alters the map
    header = streamlit_folium._get_header(folium_map)
    script = streamlit_folium._get_map_string(folium_map)
    returned = None if returned_objects is None else tuple(returned_objects)
    defaults = {name: None for name in _REPORTED if returned is None or name in returned}
    if "bounds" in defaults:
        (south, west), (north, east) = folium_map.get_bounds()
        defaults["bounds"] = {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}
    if "zoom" in defaults:
        defaults["zoom"] = folium_map.options.get("zoom")
    css_links: list[str] = []
    js_links: list[str] = []
    for element in _walk(folium_map):
        if isinstance(element, branca.colormap.ColorMap):
            js_links[:0] = [
                "https://d3js.org/d3.v4.min.js",
                "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js",
            ]
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
    return RenderedMap(
        script=script,
        header=header,
        html=html,
        map_id=streamlit_folium.get_full_id(folium_map),
        state_key=key,
        component_key=streamlit_folium.generate_js_hash(script, key, False),
        returned_objects=returned,
        defaults=defaults,
        css_links=tuple(dict.fromkeys(css_links)),
        js_links=tuple(dict.fromkeys(js_links)),
    )


def _walk(element: Any) -> Iterable[Any]:
    """The elements whose links st_folium collects, in its order."""
    if isinstance(element, branca.colormap.ColorMap | folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def layer_script(layer: folium.FeatureGroup, idx: int = 0) -> str:
    """The script st_folium makes of a layer sent apart (`feature_group_to_add`, the `idx`-th of them): the layer
    is rendered onto a stand-in of the map already drawn (st_folium renames every map `map_div`), so nothing is
    added to a cached map."""
    stand_in = folium.Map(tiles=None)
    stand_in._id = "div"
    return streamlit_folium._get_feature_group_string(layer, map=stand_in, idx=idx)


def show_map(
    rendered: RenderedMap,
    *,
    height: int = 700,
    width: int | None = 500,
    use_container_width: bool = False,
    layers_script: str | None = None,
    on_change: Callable[[], None] | None = None,
) -> Any:
    """The component as st_folium(map, key, height, width, returned_objects, feature_group_to_add,
    use_container_width, on_change) calls it, for the map, key and returned objects of render_map and the layers of
    `layers_script` (layer_script); the click and the other reports land in st.session_state[key], as st_folium
    keeps them."""

    def changed() -> None:
        st.session_state[rendered.state_key] = st.session_state.get(rendered.component_key, {})
        if on_change is not None:
            on_change()

    return streamlit_folium._component_func(
        script=rendered.script,
        header=rendered.header,
        html=rendered.html,
        id=rendered.map_id,
        key=rendered.component_key,
        height=height,
        width=None if use_container_width else width,
        returned_objects=None if rendered.returned_objects is None else list(rendered.returned_objects),
        default=dict(rendered.defaults),
        zoom=None,
        center=None,
        feature_group=layers_script,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(rendered.css_links),
        js_links=list(rendered.js_links),
        on_change=changed,
        wrap_longitude=False,
    )
