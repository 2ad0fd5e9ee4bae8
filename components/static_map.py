"""The briefing PNG of the map, drawn with matplotlib (no browser): legend with both missing-data keys, London
inset, the Channel Islands in an inset, title, source and attribution on the image itself. It keeps what the web
map shows: the place outlines and service points that are on, and the selected service, outlined and named."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import matplotlib
import polars as pl
import shapely

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from components.classes import TEXTURES, Classes
from components.map_text import OUTLINES
from components.palette import DOTS, EDGE, FRAME, POINT_EDGE, POINT_FILL, SELECTED_EDGE
from observatory_data.serving.catalogue import OPEN_GOVERNMENT_LICENCE

BRITISH_NATIONAL_GRID = "EPSG:27700"
WIDTH_INCHES, HEIGHT_INCHES, DPI = 12, 14, 200  # 2,400 x 2,800 px
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right. Source: Office for National Statistics licensed under "
    f"the {OPEN_GOVERNMENT_LICENCE}; Arts Council England, Libraries Activity Data; Natural Earth."
)
CHANNEL_ISLANDS = ("JEY", "GGY")
LEGEND_WRAP = 34  # characters of a legend line: about the width right of the map at 12 pt
# Matplotlib's hatch and its ink per texture: firm lines for no return, soft dots for not collected.
HATCHES = {"hatch": {"hatch": "////", "hatchcolor": EDGE}, "dots": {"hatch": "..", "hatchcolor": DOTS}}
TITLE_LINE = 22 * 1.2 / (HEIGHT_INCHES * 72)  # a line of the 22 pt title, as a share of the figure's height
FOOTER_LINE = 10 * 1.2 / (HEIGHT_INCHES * 72)  # and of the 10 pt footer
OUTLINE_WIDTH = 2.2  # points: as bold against the classes as the web map's 2.4 px outlines
SELECTED_WIDTH = 3.0
POINT_SIZE = 5  # points squared: a dot per service point that still reads as a dot at slide size
# The name on the image sits on a white halo, so it reads over any class colour.
HALO = [patheffects.withStroke(linewidth=3.5, foreground="white")]


def _draw(axes: plt.Axes, shapes: gpd.GeoDataFrame) -> None:
    """Each class in its colour; the two kinds of missing in their greys, textured as in the legend."""
    for colour, group in shapes.groupby("colour", sort=True):
        group.plot(ax=axes, color=colour, edgecolor=EDGE, linewidth=0.25, **_texture(colour))


def _texture(colour: str) -> dict[str, str]:
    """Hatch keywords for a missing-data grey; none for a class colour."""
    return HATCHES.get(TEXTURES.get(colour), {})


def _dash(key: str) -> str | tuple[int, tuple[float, ...]]:
    """The web map's dash ("6 4", in px of a 2.4 px line) as matplotlib's, which scales dashes by the line width."""
    dash = OUTLINES[key][2]
    return (0, tuple(float(step) / 2 for step in dash.split())) if dash else "solid"


def _layers(
    axes: plt.Axes,
    shapes: gpd.GeoDataFrame,
    outlines: Mapping[str, Sequence[str]],
    points: gpd.GeoSeries | None,
    selected: str,
) -> None:
    """What lies over the classes on one map or inset, as on the web map: each places list as one dissolved
    outline, the service points, then the selected service's outline on top. The view stays on the services."""
    limits = axes.get_xlim(), axes.get_ylim()
    for key, codes in outlines.items():
        chosen = shapes[shapes["service_code"].isin(codes)]
        if chosen.empty:
            continue
        edge = gpd.GeoSeries([shapely.coverage_union_all(chosen.geometry.values)], crs=shapes.crs).boundary
        edge.plot(ax=axes, color=OUTLINES[key][1], linewidth=OUTLINE_WIDTH, linestyle=_dash(key), gid=f"outline-{key}")
    # Only the points inside the services drawn here: an inset shows no neighbour's branches on white.
    inside = [] if points is None else sorted(set(shapes.sindex.query(points.values, predicate="within")[0].tolist()))
    if inside:
        points = points.iloc[inside]
        axes.scatter(
            points.x, points.y, s=POINT_SIZE, c=POINT_FILL, edgecolors=POINT_EDGE, linewidths=0.3, gid="points"
        )
    mine = shapes[shapes["service_code"] == selected]
    if not mine.empty:
        mine.boundary.plot(ax=axes, color=SELECTED_EDGE, linewidth=SELECTED_WIDTH, gid="selected")
    axes.set(xlim=limits[0], ylim=limits[1], xlabel="", ylabel="")  # geopandas labels the axes with the CRS's units


def _name(axes: plt.Axes, shapes: gpd.GeoDataFrame, selected: str, name: str) -> None:
    """The selected service's name beside its outline (on a white halo), where its shape is drawn."""
    mine = shapes[shapes["service_code"] == selected]
    if mine.empty:
        return
    centre = mine.geometry.iloc[0].representative_point()
    axes.annotate(
        name,
        (centre.x, centre.y),
        xytext=(0, 0),
        textcoords="offset points",
        ha="center",
        va="center",
        fontsize=13,
        fontweight="bold",
        path_effects=HALO,
        gid="selected-name",
    )


def _inset(figure: plt.Figure, bounds: list[float], shapes: gpd.GeoDataFrame, label: str) -> plt.Axes:
    """A framed inset: the frame tells the reader it is drawn at another scale."""
    axes = figure.add_axes(bounds)
    _draw(axes, shapes)
    axes.set(xticks=[], yticks=[], xlabel="", ylabel="")
    axes.set_aspect("equal")
    for spine in axes.spines.values():
        spine.set_edgecolor(FRAME)
    axes.set_title(label, fontsize=13, loc="left")
    return axes


def layer_handles(outlines: Mapping[str, Sequence[str]], points: bool, selected_name: str) -> list[Artist]:
    """The legend's keys for what lies over the classes: one per outline drawn, the points, the selected service."""
    handles: list[Artist] = [
        Line2D([], [], color=OUTLINES[key][1], linewidth=OUTLINE_WIDTH, linestyle=_dash(key), label=OUTLINES[key][0])
        for key in outlines
    ]
    if points:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker="o",
                markersize=6,
                markerfacecolor=POINT_FILL,
                markeredgecolor=POINT_EDGE,
                label="Service points (open)",
            )
        )
    if selected_name:
        label = "\n".join(textwrap.wrap(f"Selected: {selected_name}", LEGEND_WRAP))
        handles.append(Patch(facecolor="none", edgecolor=SELECTED_EDGE, linewidth=SELECTED_WIDTH, label=label))
    return handles


def map_figure(
    boundaries: gpd.GeoDataFrame,
    classes: Classes,
    *,
    title: str,
    subtitle: str,
    unit: str,
    note: str,
    outlines: Mapping[str, Sequence[str]] | None = None,
    points: pl.DataFrame | None = None,
    selected: str = "",
) -> plt.Figure:
    """The map as a matplotlib figure (see map_png); the caller closes it.

    `outlines` maps an OUTLINES key of components.map_text to the service codes to outline (web_map.place_outlines), as
    the web map takes it; `points` has lat and lon (web_map.open_points); `selected` is a service code, or ''."""
    outlines = outlines or {}
    shapes = boundaries[["service_code", "geometry"]].merge(
        classes.frame.select("service_code", "class_index", "colour").to_pandas(), on="service_code", how="left"
    )
    shapes = shapes.to_crs(BRITISH_NATIONAL_GRID)
    channel = shapes["service_code"].isin(CHANNEL_ISLANDS)
    london = shapes["service_code"].str.startswith("E09")
    spots = None
    if points is not None and points.height:
        spots = gpd.GeoSeries.from_xy(points["lon"], points["lat"], crs="EPSG:4326").to_crs(BRITISH_NATIONAL_GRID)
    names = dict(classes.frame.select("service_code", "service_name").iter_rows())
    selected_name = names.get(selected) or ""
    selected = selected if selected_name else ""

    figure = plt.figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, facecolor="white")
    # geopandas asks for a redraw after every layer it plots; the image is drawn once, when it is saved.
    figure.canvas.draw_idle = lambda *_, **__: None
    footer = [*textwrap.wrap(f"{note} {classes.note}", 150), *textwrap.wrap(ATTRIBUTION, 150)]
    # The maps stand on the footer, however many lines a change map's note takes.
    floor = max(0.08, 0.02 + FOOTER_LINE * len(footer) + 0.012)
    main = figure.add_axes([0.0, floor, 0.64, 0.88 - floor])
    _draw(main, shapes[~channel])
    main.set_axis_off()
    _layers(main, shapes[~channel], outlines, spots, selected)
    # Where the London inset sits on the main map.
    left, bottom, right, top = shapes[london].total_bounds
    main.add_patch(Rectangle((left, bottom), right - left, top - bottom, fill=False, edgecolor="#000000", lw=1.2))
    main.annotate("London (inset)", (right, top), xytext=(6, 4), textcoords="offset points", fontsize=11)
    isle_of_man = shapes[shapes["service_code"] == "IMN"]
    if not isle_of_man.empty:
        centre = isle_of_man.geometry.iloc[0].representative_point()
        main.annotate("Isle of Man", (centre.x, centre.y), xytext=(-30, -26), textcoords="offset points", fontsize=11)
    # A London borough or a Channel Island is named in its inset, where it is big enough to see.
    for bounds, part, label in (
        ([0.66, 0.56, 0.32, 0.25], shapes[london], "London (33 boroughs)"),
        ([0.03, floor, 0.17, 0.13], shapes[channel], "Jersey and Guernsey"),
    ):
        inset = _inset(figure, bounds, part, label)
        _layers(inset, part, outlines, spots, selected)
        _name(inset, part, selected, selected_name)
    _name(main, shapes[~channel & ~london], selected, selected_name)

    title_lines = textwrap.wrap(title, 62)
    figure.text(0.03, 0.975, "\n".join(title_lines), fontsize=22, fontweight="bold", va="top")
    # The subtitle starts under the title's last line, so a three-line title never runs into it.
    subtitle_top = 0.975 - TITLE_LINE * len(title_lines) - 0.012
    figure.text(0.03, subtitle_top, "\n".join(textwrap.wrap(subtitle, 110)), fontsize=14, color="#333333", va="top")
    # The unit goes in the legend's title, so long denominators never push the class labels off the image.
    handles: list[Artist] = [
        Patch(facecolor=colour, edgecolor=EDGE, label="\n".join(textwrap.wrap(label, LEGEND_WRAP)), **_texture(colour))
        for colour, label in classes.legend("")
    ]
    handles += layer_handles(outlines, spots is not None, selected_name)
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
    figure.text(0.03, 0.02, "\n".join(footer), fontsize=10, color="#333333", va="bottom")
    return figure


def map_png(boundaries: gpd.GeoDataFrame, classes: Classes, **layout: Any) -> bytes:
    """A PNG at least 2,000 px wide that stands on its own in a slide, with the layers the screen shows; `layout`
    takes map_figure's keywords (title, subtitle, unit, note, outlines, points, selected)."""
    figure = map_figure(boundaries, classes, **layout)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    plt.close(figure)
    return buffer.getvalue()
