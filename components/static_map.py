"""The briefing PNG of the map, drawn with matplotlib (no browser): legend with both missing-data keys, London
inset, the Channel Islands in an inset, title, source and attribution on the image itself."""

from __future__ import annotations

import io
import textwrap

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Patch, Rectangle

from components.classes import TEXTURES, Classes

BRITISH_NATIONAL_GRID = "EPSG:27700"
WIDTH_INCHES, HEIGHT_INCHES, DPI = 12, 14, 200  # 2,400 x 2,800 px
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right. Source: Office for National Statistics licensed under "
    "the Open Government Licence v3.0; Arts Council England, Libraries Activity Data; Natural Earth."
)
CHANNEL_ISLANDS = ("JEY", "GGY")
LEGEND_WRAP = 34  # characters of a legend line: about the width right of the map at 12 pt
FRAME = "#777777"
EDGE = "#555555"
# Matplotlib's hatch and its ink per texture: firm lines for no return, soft dots for not collected.
HATCHES = {"hatch": {"hatch": "////", "hatchcolor": EDGE}, "dots": {"hatch": "..", "hatchcolor": "#8c8c8c"}}


def _draw(axes: plt.Axes, shapes: gpd.GeoDataFrame) -> None:
    """Each class in its colour; the two kinds of missing in their greys, textured as in the legend."""
    for colour, group in shapes.groupby("colour", sort=True):
        group.plot(ax=axes, color=colour, edgecolor=EDGE, linewidth=0.25, **_texture(colour))


def _texture(colour: str) -> dict[str, str]:
    """Hatch keywords for a missing-data grey; none for a class colour."""
    return HATCHES.get(TEXTURES.get(colour), {})


def _inset(figure: plt.Figure, bounds: list[float], shapes: gpd.GeoDataFrame, label: str) -> None:
    """A framed inset: the frame tells the reader it is drawn at another scale."""
    axes = figure.add_axes(bounds)
    _draw(axes, shapes)
    axes.set(xticks=[], yticks=[], xlabel="", ylabel="")
    axes.set_aspect("equal")
    for spine in axes.spines.values():
        spine.set_edgecolor(FRAME)
    axes.set_title(label, fontsize=13, loc="left")


def map_png(
    boundaries: gpd.GeoDataFrame, classes: Classes, *, title: str, subtitle: str, unit: str, note: str
) -> bytes:
    """A PNG at least 2,000 px wide that stands on its own in a slide."""
    shapes = boundaries[["service_code", "geometry"]].merge(
        classes.frame.select("service_code", "class_index", "colour").to_pandas(), on="service_code", how="left"
    )
    shapes = shapes.to_crs(BRITISH_NATIONAL_GRID)
    channel = shapes["service_code"].isin(CHANNEL_ISLANDS)
    london = shapes["service_code"].str.startswith("E09")

    figure = plt.figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, facecolor="white")
    main = figure.add_axes([0.0, 0.08, 0.64, 0.8])
    _draw(main, shapes[~channel])
    main.set_axis_off()
    # Where the London inset sits on the main map.
    left, bottom, right, top = shapes[london].total_bounds
    main.add_patch(Rectangle((left, bottom), right - left, top - bottom, fill=False, edgecolor="#000000", lw=1.2))
    main.annotate("London (inset)", (right, top), xytext=(6, 4), textcoords="offset points", fontsize=11)
    isle_of_man = shapes[shapes["service_code"] == "IMN"]
    if not isle_of_man.empty:
        centre = isle_of_man.geometry.iloc[0].representative_point()
        main.annotate("Isle of Man", (centre.x, centre.y), xytext=(-30, -26), textcoords="offset points", fontsize=11)
    _inset(figure, [0.66, 0.56, 0.32, 0.25], shapes[london], "London (33 boroughs)")
    _inset(figure, [0.03, 0.08, 0.17, 0.13], shapes[channel], "Jersey and Guernsey")

    figure.text(0.03, 0.975, "\n".join(textwrap.wrap(title, 62)), fontsize=22, fontweight="bold", va="top")
    figure.text(0.03, 0.91, "\n".join(textwrap.wrap(subtitle, 110)), fontsize=14, color="#333333", va="top")
    # The unit goes in the legend's title, so long denominators never push the class labels off the image.
    handles = [
        Patch(facecolor=colour, edgecolor=EDGE, label="\n".join(textwrap.wrap(label, LEGEND_WRAP)), **_texture(colour))
        for colour, label in classes.legend("")
    ]
    figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.66, 0.52),
        fontsize=12,
        frameon=False,
        title="\n".join([*textwrap.wrap(f"Classes: {classes.method}", LEGEND_WRAP), *textwrap.wrap(unit, LEGEND_WRAP)]),
        title_fontsize=13,
        alignment="left",
    )
    footer = "\n".join([*textwrap.wrap(f"{note} {classes.note}", 150), *textwrap.wrap(ATTRIBUTION, 150)])
    figure.text(0.03, 0.02, footer, fontsize=10, color="#333333", va="bottom")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    plt.close(figure)
    return buffer.getvalue()
