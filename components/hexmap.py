"""An equal-area hex cartogram: each service one hexagon, placed near where it is.

The layout is computed here, deterministically: service centroids (in an equal-area-ish projection) are
assigned to the cells of a hexagonal grid by minimising the total squared distance (the Hungarian
algorithm), so London's 33 boroughs spread into a cluster as visible as any county.
"""

from __future__ import annotations

import html
import math

import numpy as np
import plotly.graph_objects as go
import polars as pl
from scipy.optimize import linear_sum_assignment

from components.briefing import briefing_layout
from components.classes import NO_DATA, NO_DATA_LABEL, Classes

SQRT3 = math.sqrt(3)
HOVER_FIELDS = ("service_name", "rate_text", "value_text", "position_text", "status_text")
CELLS_PER_SERVICE = 3  # spare cells let the shape follow the coastline


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


def hex_figure(
    layout: pl.DataFrame, classes: Classes, *, title: str, subtitle: str, unit: str, source: str, note: str
) -> go.Figure:
    """Filled hexagons, one trace per class (so the legend is the classes) plus one for no return."""
    frame = layout.join(classes.frame, on="service_code", how="left")
    figure = go.Figure()
    legend = classes.legend(unit)
    groups = [(colour, label, pl.col("colour") == colour) for colour, label in legend]
    for colour, label, mask in groups:
        part = frame.filter(mask)
        xs: list[float | None] = []
        ys: list[float | None] = []
        for row in part.iter_rows(named=True):
            hx, hy = _outline(row["x"], row["y"])
            xs += [*hx, None]
            ys += [*hy, None]
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=colour,
                mode="lines",
                name=label,
                line={"color": "#555555", "width": 0.8},
                hoverinfo="skip",
                fillpattern={"shape": "/", "fgcolor": "#888888", "bgcolor": NO_DATA} if colour == NO_DATA else None,
            )
        )
    figure.add_trace(
        go.Scatter(
            x=frame["x"].to_list(),
            y=frame["y"].to_list(),
            mode="markers",
            marker={"size": 14, "opacity": 0},
            # Plotly reads a few HTML tags in hover text: names from the data go in escaped.
            customdata=[
                [html.escape(text) for text in row]
                for row in frame.select(*HOVER_FIELDS).rows()
            ],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} "
            + html.escape(unit)
            + " (count %{customdata[2]})<br>%{customdata[3]}<br>%{customdata[4]}<extra></extra>",
            showlegend=False,
        )
    )
    figure.update_xaxes(visible=False, scaleanchor="y", scaleratio=1)
    figure.update_yaxes(visible=False)
    note = f"{note} Hexagons: one per service, placed near its centroid ({NO_DATA_LABEL.lower()} hatched)."
    briefing_layout(figure, title=title, subtitle=subtitle, source=source, note=note, height=900)
    figure.update_layout(
        legend={"orientation": "v", "x": 0.8, "y": 0.95, "yanchor": "top", "title": {"text": "Classes: quantiles"}}
    )
    return figure
