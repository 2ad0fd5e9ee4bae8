"""The points the charts of services' rates share: where a dot sits off its line, its hover text, and a caveated
rate drawn apart from the comparable ones (components.charts.strip and components.charts.distribution)."""

from __future__ import annotations

import math
import textwrap

import plotly.graph_objects as go
import polars as pl

from components.figure_layout import CAVEAT_WRAP, escape_markup
from components.palette import INK

JITTER = (0.0, 0.25, -0.25, 0.12, -0.12)
APART = "Rate not comparable (not in the {what})"  # the legend entry of caveated rates
BEYOND_AXIS = 1.04  # a caveated rate beyond the axis is drawn this far along (1 = the axis end), clear of the last dot


def spread(count: int) -> list[float]:
    """How far each of `count` dots sits off its line (by position, so the picture is the same every time)."""
    return [JITTER[index % len(JITTER)] for index in range(count)]


def hover_texts(frame: pl.DataFrame, axis_end: float = math.inf) -> list[str]:
    """'Name: 1,234.5' per service, saying so if the dot is drawn at the axis end, and its caveat below."""
    texts = []
    for name, rate, caveat in frame.select("service_name", "rate", "caveat").iter_rows():
        lines = [f"{name}: {rate:,.1f}" + (" (beyond the axis, drawn at its end)" if rate > axis_end else "")]
        if caveat:
            lines += textwrap.wrap(f"Rate not comparable: {caveat}", CAVEAT_WRAP)
        texts.append("<br>".join(escape_markup(line) for line in lines))
    return texts


def apart_trace(frame: pl.DataFrame, name: str, axis_end: float, categories: list[str] | None = None) -> go.Scatter:
    """Caveated rates, apart from the comparable ones: an open diamond at the rate, or an arrow at the axis end
    when the rate is beyond it (so one extreme rate cannot squash every other dot); the caveat is in the hover.

    Along x (the strip) with no `categories`; else along y, each point over its category (the distributions).
    """
    rates = frame["rate"].to_list()
    arrow = "triangle-right" if categories is None else "triangle-up"
    symbols = [arrow if rate > axis_end else "diamond-open" for rate in rates]
    values = [rate if rate <= axis_end else axis_end * BEYOND_AXIS for rate in rates]
    x, y = (values, spread(frame.height)) if categories is None else (categories, values)
    return go.Scatter(
        x=x,
        y=y,
        mode="markers",
        name=escape_markup(name),
        marker={"symbol": symbols, "size": 11, "color": INK, "line": {"color": INK, "width": 1.5}},
        hovertext=hover_texts(frame, axis_end),
        hovertemplate="%{hovertext}<extra></extra>",
    )
