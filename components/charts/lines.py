"""The line chart: one line per series over periods (months or financial years), quarterly values as flat quarters."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import cycle

import plotly.graph_objects as go
import polars as pl

from components.figure_layout import Labels, briefing_layout, escape_markup, past_short_footer
from components.palette import CATEGORIES, SERIES


def line_chart(
    series: pl.DataFrame, labels: Labels, *, x_title: str = "", colours: Mapping[str, str] | None = None
) -> go.Figure:
    """One line per `series` over `period`; `shape` 'hv' draws quarterly values as flat quarters, not spikes.

    `series` needs period (dates, or names such as financial years, drawn as categories in their order), series,
    value and shape ('linear' or 'hv'). Null values leave gaps. `colours` gives a series its role's colour (series
    name -> colour, see palette.ROLES); the others take CATEGORIES in turn; with no `colours` at all, SERIES.
    """
    named = series.schema["period"] == pl.String  # financial years ('2023/24') rather than dates
    names = series["series"].unique(maintain_order=True).to_list()
    figure = go.Figure()
    for name, colour in zip(names, _line_colours(names, colours), strict=True):
        part = series.filter(pl.col("series") == name).sort("period")
        shape = part["shape"][0]
        figure.add_trace(
            go.Scatter(
                x=part["period"].to_list(),
                y=part["value"].to_list(),
                name=escape_markup(str(name)),
                mode="lines+markers" if shape == "linear" else "lines",
                line={
                    "color": colour,
                    "width": 2.5,
                    "shape": shape,
                    "dash": "solid" if shape == "linear" else "dash",
                },
                connectgaps=False,
                hovertemplate="%{fullData.name}<br>%{x" + ("" if named else "|%b %Y") + "}: %{y:,.1f}<extra></extra>",
            )
        )
    figure.update_xaxes(title=x_title, **({"type": "category"} if named else {}))
    figure.update_yaxes(title=labels.axis, rangemode="tozero")
    return briefing_layout(figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note)


def _line_colours(names: list[str], colours: Mapping[str, str] | None) -> list[str]:
    """Each line's colour: its role's from `colours`, else the next of CATEGORIES not taken by a role."""
    if colours is None:
        return [SERIES[index % len(SERIES)] for index in range(len(names))]
    free = cycle([colour for colour in CATEGORIES if colour not in colours.values()] or list(CATEGORIES))
    return [colours.get(name) or next(free) for name in names]


def benchmark_trend_chart(series: pl.DataFrame, labels: Labels) -> go.Figure:
    """A service's rate by financial year against its group's median (see line_chart), taller by what its footer
    needs: the footer names the services the median rests on, and a long list must not squeeze the plot."""
    figure = line_chart(series, labels, x_title="Financial year")
    return figure.update_layout(height=figure.layout.height + past_short_footer(labels))
