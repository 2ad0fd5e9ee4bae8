"""The estimate chart: estimates per year with their 95% intervals, beside the sum the services reported."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from components.figure_layout import Labels, briefing_layout
from components.palette import BLUE, GREY


def estimate_chart(estimates: pl.DataFrame, labels: Labels) -> go.Figure:
    """Estimates per year with their 95% intervals as error bars, indicative ones drawn open, and the reported sum
    beside them (what the estimate grosses up from). `estimates` needs year (names, in order), estimate,
    estimate_low, estimate_high, reported_total and indicative; a year without an estimate is left empty."""
    figure = go.Figure()
    for indicative, name, symbol in ((False, "Estimate", "circle"), (True, "Estimate, indicative", "circle-open")):
        part = estimates.filter((pl.col("indicative") == indicative) & pl.col("estimate").is_not_null())
        if part.is_empty():
            continue
        figure.add_trace(
            go.Scatter(
                x=part["year"].to_list(),
                y=part["estimate"].to_list(),
                mode="markers",
                name=f"{name} (bars: 95% interval)",
                marker={"symbol": symbol, "size": 14, "color": BLUE, "line": {"color": BLUE, "width": 2.5}},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (part["estimate_high"] - part["estimate"]).to_list(),
                    "arrayminus": (part["estimate"] - part["estimate_low"]).to_list(),
                    "color": BLUE,
                    "thickness": 2,
                    "width": 8,
                },
                customdata=part.select("estimate_low", "estimate_high").rows(),
                hovertemplate="%{x}: %{y:,.0f}<br>95% interval %{customdata[0]:,.0f} to %{customdata[1]:,.0f}"
                "<extra></extra>",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=estimates["year"].to_list(),
            y=estimates["reported_total"].to_list(),
            mode="markers",
            name="Sum reported by the services that reported",
            marker={"symbol": "line-ew-open", "size": 18, "color": GREY, "line": {"color": GREY, "width": 3}},
            hovertemplate="%{x}: reported sum %{y:,.0f}<extra></extra>",
        )
    )
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=estimates["year"].to_list())
    figure.update_yaxes(title=labels.axis, rangemode="tozero")
    return briefing_layout(figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note)
