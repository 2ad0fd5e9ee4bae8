"""The briefing PNG of the map, drawn with matplotlib (no browser): legend, no-return key, London inset,
the Crown Dependencies placed in insets, title, source and attribution on the image itself."""

from __future__ import annotations

import io
import textwrap

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Patch

from components.classes import METHOD, NO_DATA, Classes

BRITISH_NATIONAL_GRID = "EPSG:27700"
WIDTH_INCHES, HEIGHT_INCHES, DPI = 12, 14, 200  # 2,400 x 2,800 px
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right. Source: Office for National Statistics licensed under "
    "the Open Government Licence v3.0; Arts Council England, Libraries Activity Data 2023/24; Natural Earth."
)
CHANNEL_ISLANDS = ("JEY", "GGY")


def _draw(axes: plt.Axes, shapes: gpd.GeoDataFrame) -> None:
    missing = shapes["class_index"].isna()
    if (~missing).any():
        shapes[~missing].plot(ax=axes, color=shapes.loc[~missing, "colour"], edgecolor="#555555", linewidth=0.25)
    if missing.any():
        shapes[missing].plot(ax=axes, color=NO_DATA, edgecolor="#555555", linewidth=0.25, hatch="////")
    axes.set_axis_off()


def _inset(figure: plt.Figure, bounds: list[float], shapes: gpd.GeoDataFrame, label: str) -> None:
    axes = figure.add_axes(bounds)
    _draw(axes, shapes)
    axes.set_title(label, fontsize=13, loc="left")
    for spine in axes.spines.values():
        spine.set_visible(True)
    axes.patch.set_edgecolor("#999999")


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
    _inset(figure, [0.66, 0.56, 0.32, 0.25], shapes[london], "London (33 boroughs)")
    _inset(figure, [0.04, 0.1, 0.14, 0.12], shapes[channel], "Jersey and Guernsey (inset)")

    figure.text(0.03, 0.975, "\n".join(textwrap.wrap(title, 62)), fontsize=22, fontweight="bold", va="top")
    figure.text(0.03, 0.91, "\n".join(textwrap.wrap(subtitle, 110)), fontsize=14, color="#333333", va="top")
    handles = [Patch(facecolor=colour, edgecolor="#555555", label=label) for colour, label in classes.legend(unit)[:-1]]
    handles.append(Patch(facecolor=NO_DATA, edgecolor="#555555", hatch="////", label="No return / not comparable"))
    figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.66, 0.52),
        fontsize=12,
        frameon=False,
        title=f"Classes: {METHOD}",
        title_fontsize=13,
        alignment="left",
    )
    footer = "\n".join([*textwrap.wrap(note, 150), *textwrap.wrap(ATTRIBUTION, 150)])
    figure.text(0.03, 0.02, footer, fontsize=10, color="#333333", va="bottom")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    plt.close(figure)
    return buffer.getvalue()
