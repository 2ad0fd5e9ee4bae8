"""The web map's own elements: its style sheet, the textures of the two kinds of missing, the legend and title
boxes, and the scripts that keep tooltips over the legend and make the map a landmark.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from branca.element import MacroElement, Template

from components.classes import TEXTURES, Classes
from components.map_text import OUTLINES
from components.palette import DOTS, EDGE, FRAME, SELECTED_EDGE

SMALL_SCREEN = "(max-width: 600px)"
# The marks drawn over each missing-data grey: as on the PNG, firm lines for no return, soft dots for not collected.
TEXTURE_MARKS = {
    "hatch": f"<path d='M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5' stroke='{EDGE}' stroke-width='1.2'/>",
    "dots": f"<circle cx='3' cy='3' r='1' fill='{DOTS}'/>",
}
# Leaflet stacks its control corners (the legend, the layer control) at z-index 1000 over the map pane (400),
# and the tooltip pane (650) sits inside the map pane, so no z-index alone lifts a tooltip over the legend:
# TooltipsOnTop moves the tooltip pane out of the map pane, and this rule puts it over the corners.
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


def texture_patterns() -> str:
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
        f"<rect x='0.5' y='0.5' width='13' height='13' fill='{fill}' stroke='{FRAME}'/></svg>"
    )


class TooltipsOnTop(MacroElement):
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


class Landmarks(MacroElement):
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


class Control(MacroElement):
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

    The legend is a <details> headed "Key": open on a wide screen; on a phone it starts closed (see Control) as one
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
