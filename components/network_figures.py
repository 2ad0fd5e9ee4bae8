"""The library network page's figures: the volunteer list's count and its openings and closures, ACE's statutory
libraries and operating models, libraries per 100,000 residents and weekly hours (grouped bars,
components.charts.grouped_bars).

Frames in (from serving.network_queries), briefing-ready plotly figures out. No data access here.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from components.charts.grouped_bars import grouped_bars
from components.figure_layout import Labels, briefing_layout, escape_markup
from components.network_definitions import MODELS
from components.palette import BLUE, GREEN, SKY, VERMILLION
from observatory_data.serving.formats import sentence_case
from observatory_data.serving.network_queries import BASE_YEAR

# The years of the grouped bars, oldest first: the earlier light, the later dark.
YEAR_COLOURS = (SKY, BLUE)
DODGE = 0.13  # years between the markers of one year


def network_chart(totals: pl.DataFrame, labels: Labels) -> go.Figure:
    """Service points listed as open at the end of each year (top; from zero, so a small change looks small) and
    the year's openings and closures (bottom). Years with no known count are gaps; `totals` should be over the
    services whose changes the list records, the same in every year."""
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.08)
    years = totals["year"].to_list()
    figure.add_trace(
        go.Scatter(
            x=years,
            y=totals["libraries_open"].to_list(),
            name="Listed as open at the end of the year",
            mode="lines+markers",
            line={"color": BLUE, "width": 2.5},
            hovertemplate="End of %{x}: %{y:,} listed as open<extra></extra>",
        ),
        row=1,
        col=1,
    )
    for column, name, colour in (("openings", "Openings", GREEN), ("closures", "Closures", VERMILLION)):
        figure.add_trace(
            go.Bar(
                x=years,
                y=totals[column].to_list(),
                name=name,
                marker_color=colour,
                hovertemplate=f"%{{x}}: %{{y:,}} {name.lower()}<extra></extra>",
            ),
            row=2,
            col=1,
        )
    figure.update_layout(barmode="group", bargap=0.25)
    figure.update_yaxes(title="Listed as open", rangemode="tozero", row=1, col=1)
    most = max(totals["openings"].max() or 0, totals["closures"].max() or 0)
    figure.update_yaxes(title="In the year", rangemode="tozero", dtick=1 if most <= 5 else None, row=2, col=1)
    figure.update_xaxes(dtick=1, tickangle=0, row=2, col=1)
    return briefing_layout(
        figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note, height=560
    )


def rate_chart(rates: pl.DataFrame, labels: Labels, years: Sequence[int]) -> go.Figure:
    """Libraries per 100,000 residents for each area (rows) at the end of each of `years` (bars, as many years as
    YEAR_COLOURS), the value printed on each bar. `rates` needs area, year and libraries_per_100k; areas without a
    rate are left out."""
    shown = rates.filter(pl.col("libraries_per_100k").is_not_null()).with_columns(
        pl.col("area").map_elements(lambda area: sentence_case(escape_markup(area)), return_dtype=pl.String)
    )
    areas = shown["area"].n_unique()
    return grouped_bars(
        shown,
        labels,
        category="area",
        series="year",
        value="libraries_per_100k",
        horizontal=True,
        series_order=list(years)[: len(YEAR_COLOURS)],
        colours=YEAR_COLOURS,
        series_name=lambda year: f"End of {year}",
        hover=lambda year: f"%{{y}}, end of {year}: %{{x:,.1f}} per 100,000 residents<extra></extra>",
        bar_text=lambda rate: f"{rate:,.1f}",
        value_title="Service points listed as open per 100,000 residents",
        height=200 + 60 * max(areas, 1),
    )


def ace_chart(totals: pl.DataFrame, labels: Labels) -> go.Figure:
    """Statutory libraries and libraries per operating model, as points in the years ACE's dataset gives them
    (never lines: nothing is known between those years)."""
    figure = go.Figure()
    for index, (column, name, colour, symbol) in enumerate(MODELS):
        part = totals.filter(pl.col(column).is_not_null())
        figure.add_trace(
            go.Scatter(
                # Side by side within the year, so equal counts do not hide each other.
                x=[year + DODGE * (index - len(MODELS) // 2) for year in part["year"]],
                y=part[column].to_list(),
                customdata=part["year"].to_list(),
                name=name,
                mode="markers",
                marker={"color": colour, "symbol": symbol, "size": 11, "line": {"color": "white", "width": 1}},
                hovertemplate=f"{name}, %{{customdata}}: %{{y:,}}<extra></extra>",
            )
        )
    years = sorted(set(totals.filter(pl.col("statutory_libraries").is_not_null())["year"].to_list()))
    figure.update_xaxes(tickvals=years, range=[min(years, default=BASE_YEAR) - 0.7, max(years, default=2023) + 0.7])
    figure.update_yaxes(title="Libraries", rangemode="tozero")
    return briefing_layout(figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note)


def hours_chart(hours: pl.DataFrame, labels: Labels) -> go.Figure:
    """Weekly opening and staffed hours, one bar per year (the first of as many years as YEAR_COLOURS), the value
    printed on each bar."""
    return grouped_bars(
        hours,
        labels,
        category="measure",
        series="year",
        value="total",
        series_order=sorted(set(hours["year"].to_list()))[: len(YEAR_COLOURS)],
        colours=YEAR_COLOURS,
        hover=lambda year: f"%{{x}}, {year}: %{{y:,.0f}} a week<extra></extra>",
        bar_text=lambda total: f"{total:,.0f}",
        value_title="Hours a week, all points",
    )
