"""The distribution chart: each group's services as a box with every service as a point, and the group's
population-weighted rate."""

from __future__ import annotations

import math
import textwrap

import plotly.graph_objects as go
import polars as pl

from components.figure_layout import Labels, briefing_layout, escape_markup
from components.palette import CATEGORIES, INK
from components.rate_points import APART, apart_trace, hover_texts
from observatory_data.serving.rates import COMPARABLE

CATEGORY_WRAP = 10  # characters a line of a distribution's group name under its box (a phone's narrow boxes)


def distribution_chart(
    rates: pl.DataFrame, labels: Labels, *, group_order: list[str], weighted: dict[str, float | None]
) -> go.Figure:
    """Full distribution per group (box with every service as a point) and the population-weighted rate.

    `rates` needs group, service_name, rate and caveat. Caveated rates are drawn apart (see rate_points.apart_trace)
    and left out of the boxes, so no quartile or median rests on them.
    """
    figure = go.Figure()
    comparable = rates.filter(COMPARABLE)
    axis_end = max(
        [*comparable["rate"], *(value for value in weighted.values() if value is not None)], default=math.inf
    )
    for index, group in enumerate(group_order):
        members = comparable.filter(pl.col("group") == group)
        colour = CATEGORIES[index % len(CATEGORIES)]
        figure.add_trace(
            go.Box(
                x=[group] * members.height,
                y=members["rate"].to_list(),
                name=group,
                boxpoints="all",
                jitter=0.45,
                pointpos=0,
                marker={"color": colour, "size": 7, "opacity": 0.75},
                line={"color": colour},
                fillcolor="rgba(0,0,0,0)",
                customdata=hover_texts(members),
                hovertemplate="%{customdata}<extra></extra>",
                showlegend=False,
            )
        )
    apart = rates.filter(pl.col("rate").is_not_null() & pl.col("caveat").is_not_null())
    if apart.height:
        categories = [str(group) for group in apart["group"]]
        figure.add_trace(apart_trace(apart, APART.format(what="boxes"), axis_end, categories))
    figure.add_trace(
        go.Scatter(
            x=list(weighted),
            y=list(weighted.values()),
            mode="markers",
            name="Population-weighted rate",
            showlegend=True,  # plotly would show it anyway beside the boxes; say so, so room is kept for it
            marker={"symbol": "diamond", "size": 15, "color": INK, "line": {"color": "white", "width": 1.5}},
            hovertemplate="%{x}: weighted %{y:,.1f}<extra></extra>",
        )
    )
    figure.update_yaxes(title=labels.axis, rangemode="tozero")
    # Group names on short lines, never slanted: a slanted name runs into the footer on a narrow chart.
    figure.update_xaxes(
        categoryorder="array",
        categoryarray=group_order,
        tickvals=group_order,
        ticktext=["<br>".join(textwrap.wrap(escape_markup(group), CATEGORY_WRAP)) for group in group_order],
        tickangle=0,
    )
    return briefing_layout(figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note)
