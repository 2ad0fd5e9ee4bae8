"""An equal-area hex cartogram: each service one hexagon, placed near where it is, with a short label.

The layout is computed here, deterministically: service centroids (in an equal-area-ish projection) are
assigned to the cells of a hexagonal grid by minimising the total squared distance (the Hungarian
algorithm), so London's 33 boroughs spread into a cluster as visible as any county. Labels are made the
same way: each name's natural abbreviation unless two names would share it.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
import polars as pl
from scipy.optimize import linear_sum_assignment

from components.classes import TEXTURES, Classes
from components.figure_layout import briefing_layout
from components.map_text import tooltip_fields
from components.palette import DOTS, EDGE, INK

SQRT3 = math.sqrt(3)
CELLS_PER_SERVICE = 3  # spare cells let the shape follow the coastline
SERVICES_TRACE = "Services"  # the selectable points; customdata[0] is the service code
# Plotly's fill patterns for the missing-data greys: lines for no return, dots for not collected, as on the PNG.
PATTERNS = {"hatch": {"shape": "/", "fgcolor": EDGE}, "dots": {"shape": ".", "fgcolor": DOTS, "solidity": 0.2}}
# Labels of 11 px (legible at arm's length) need hexagons about 30 px across: the figure is tall enough for that at
# 1440 px, where the map's height, not the column's width, sets the hexagons' size.
LABEL_SIZE = 11
HEIGHT = 1300
# Each label on a halo of the other ink, so it keeps its contrast over a mid-blue fill and a texture's lines.
HALO = {"#ffffff": "0 0 2px #1A1A1A, 0 0 3px #1A1A1A", INK: "0 0 2px #ffffff, 0 0 3px #ffffff"}
SIDE_MARGIN = 10
# The bottom share of the plot kept for the legend: room for its rows on a phone, one entry a row, together
# with the gap briefing_layout leaves above the footer.
LEGEND_BAND = 0.13
# Words a label leaves out: they say what kind of place, not which.
UNLABELLED_WORDS = frozenset({"and", "of", "the", "city", "county", "council", "upon", "on", "with", "libraries"})
LABEL_LETTERS = 12  # alternative labels take their letters from the first dozen
TAKEN = 1e6  # the cost of a label a name cannot have


def hex_layout(centroids: pl.DataFrame) -> pl.DataFrame:
    """Grid cell (column, row) and centre (x, y) for every service; same input, same layout."""
    ordered = centroids.sort("service_code")
    lat0 = math.radians(float(ordered["lat"].mean()))
    x = ordered["lon"].to_numpy() * math.cos(lat0)
    y = ordered["lat"].to_numpy()
    count = len(x)
    width, height = x.max() - x.min(), y.max() - y.min()
    # A line of services (or a single one) still needs a two-dimensional grid around it.
    span = max(width, height, 1.0)
    width, height = max(width, span / 4), max(height, span / 4)
    # Hexagon size so that the bounding box holds CELLS_PER_SERVICE cells per service.
    size = math.sqrt(width * height / (count * CELLS_PER_SERVICE * 1.5 * SQRT3))
    columns = int(width / (SQRT3 * size)) + 3
    rows = int(height / (1.5 * size)) + 3
    cells = [(c, r) for r in range(rows) for c in range(columns)]
    offset = np.array([x.min() - size, y.min() - size])
    centres = np.array([_centre(c, r, size) for c, r in cells]) + offset
    cost = (x[:, None] - centres[None, :, 0]) ** 2 + (y[:, None] - centres[None, :, 1]) ** 2
    services, chosen = linear_sum_assignment(cost)
    return pl.DataFrame(
        {
            "service_code": ordered["service_code"].gather(services),
            "column": [cells[i][0] for i in chosen],
            "row": [cells[i][1] for i in chosen],
            "x": centres[chosen, 0] / size,
            "y": centres[chosen, 1] / size,
        }
    )


def _centre(column: int, row: int, size: float) -> tuple[float, float]:
    """Pointy-top hexagons, odd rows shifted right by half a cell."""
    return (SQRT3 * size * (column + 0.5 * (row % 2)), 1.5 * size * row)


def _outline(x: float, y: float) -> tuple[list[float], list[float]]:
    angles = [math.radians(60 * k - 30) for k in range(7)]
    return [x + math.cos(a) for a in angles], [y + math.sin(a) for a in angles]


def hex_labels(names: Sequence[str]) -> list[str]:
    """A short label per name: the initials of its words less 'and', 'of', 'City', 'County' and the like
    (Milton Keynes: MK), or the first three letters of a one-word name (Derby: Der). Where names would share a
    label, the set of alternatives (first letter, then two later ones) that keeps every label apart and uses the
    earliest letters is chosen (Derbyshire: Deb). The same names give the same labels, in any order."""
    distinct = sorted(set(names))
    options = [_label_options(name) for name in distinct]
    keys = sorted({key for option in options for key in option})
    column = {key: index for index, key in enumerate(keys)}
    cost = np.full((len(distinct), len(keys)), TAKEN)
    for row, option in enumerate(options):
        for key, (score, _) in option.items():
            cost[row, column[key]] = score
    rows, columns = linear_sum_assignment(cost)
    chosen = {distinct[row]: options[row][keys[col]][1] for row, col in zip(rows, columns, strict=True)}
    return [chosen[name] for name in names]


def _label_options(name: str) -> dict[str, tuple[int, str]]:
    """Every label a name may have, keyed case-blind, with its cost: 0 for the natural one, more for later letters.

    Words are runs of letters only, so a label can never carry markup from the data."""
    words = [word for word in re.findall(r"[^\W\d_]+", name) if word.lower() not in UNLABELLED_WORDS]
    words = words or re.findall(r"[^\W\d_]+", name) or ["?"]
    if len(words) > 1:
        natural = "".join(word[0].upper() for word in words[:3])
    else:
        natural = words[0][:3] if words[0].isupper() else words[0][:3].capitalize()
    letters = [letter.upper() if place == 0 else letter.lower() for word in words for place, letter in enumerate(word)]
    letters = letters[:LABEL_LETTERS]
    options = {natural.upper(): (0, natural)}
    for second, third in itertools.combinations(range(1, len(letters)), 2):
        label = letters[0] + letters[second] + letters[third]
        options.setdefault(label.upper(), (1 + second + third, label))
    return options


def _ink(fill: str) -> str:
    """Dark text or white, whichever contrasts more with the fill (WCAG relative luminance)."""
    channels = [int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # Contrast with white is 1.05 / (L + 0.05); with INK (luminance about 0.01) it is (L + 0.05) / 0.06.
    return "#ffffff" if (luminance + 0.05) ** 2 < 1.05 * 0.06 else INK


def hex_figure(
    layout: pl.DataFrame, classes: Classes, *, title: str, subtitle: str, unit: str, source: str, note: str
) -> go.Figure:
    """Filled hexagons, one trace per legend entry (so the legend is the classes and the kinds of missing), then
    the trace named SERVICES_TRACE: one point per service at its hexagon's centre, with its label, its hover
    text and, first in `customdata`, its service code. Plotly cannot select a filled shape, so a click selects
    that point: with st.plotly_chart(on_select="rerun", selection_mode="points") the clicked service is
    `event.selection.points[i]["customdata"][0]`.

    x and y share one scale, so the hexagons stay regular at any size.
    """
    shown, fields = tooltip_fields(classes)  # with the audit's mark on a map of one year's rates
    frame = layout.join(shown, on="service_code", how="left")
    columns, labels = zip(*fields, strict=True)
    hexagons = "Hexagons: one per service, placed near its centroid; hover for the service's full name."
    note = " ".join(filter(None, (note, classes.note, hexagons)))
    # Laid out before any trace goes in, so briefing_layout keeps no legend row above the plot: the legend goes
    # under the map, where its rows can wrap on a phone without running into the heading.
    # Slim side margins leave a phone's width to the map.
    figure = briefing_layout(
        go.Figure(),
        title=title,
        subtitle=subtitle,
        source=source,
        note=note,
        height=HEIGHT,
        side_margins=(SIDE_MARGIN, SIDE_MARGIN),
    )
    # The unit goes in the legend's title (as on the PNG), so the class labels stay short.
    for colour, label in classes.legend(""):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for row in frame.filter(pl.col("colour") == colour).iter_rows(named=True):
            hx, hy = _outline(row["x"], row["y"])
            xs += [*hx, None]
            ys += [*hy, None]
        texture = PATTERNS.get(TEXTURES.get(colour))
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=colour,
                mode="lines",
                name=label,
                line={"color": EDGE, "width": 0.8},
                hoverinfo="skip",
                fillpattern={**texture, "bgcolor": colour} if texture else None,
            )
        )
    inks = [_ink(colour) for colour in frame["colour"]]
    figure.add_trace(
        go.Scatter(
            x=frame["x"].to_list(),
            y=frame["y"].to_list(),
            mode="markers+text",
            name=SERVICES_TRACE,
            text=hex_labels(frame["service_name"].to_list()),
            textposition="middle center",
            textfont={"size": LABEL_SIZE, "color": inks, "shadow": [HALO[ink] for ink in inks]},
            marker={"size": 14, "opacity": 0},
            # Plotly reads a few HTML tags in hover text: names from the data go in escaped. The code comes first,
            # unescaped, for the page to read back; it is never shown.
            customdata=[
                [code, *(html.escape(text).replace("\n", "<br>") for text in fields)]
                for code, *fields in frame.select("service_code", "service_name", *columns).rows()
            ],
            hovertemplate="<b>%{customdata[1]}</b>"
            + "".join(
                f"<br>{html.escape(label.replace('{unit}', unit))}: %{{customdata[{index}]}}"
                for index, label in enumerate(labels, start=2)
            )
            + "<extra></extra>",
            showlegend=False,
        )
    )
    # One scale for x and y keeps the hexagons regular; the map sits on the band kept for the legend.
    figure.update_xaxes(visible=False, scaleanchor="y", scaleratio=1, constrain="domain")
    figure.update_yaxes(visible=False, constrain="domain", constraintoward="bottom", domain=[LEGEND_BAND, 1])
    figure.update_layout(
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": LEGEND_BAND,
            "yanchor": "top",
            "title": {"text": html.escape(f"Classes: {classes.method}, {unit}"), "side": "top"},
        },
    )
    return figure
