"""A gap between two groups, per category and year, as horizontal bars: long category names stay readable, and the
years of each category sit together, oldest lightest, so a reader sees at once whether a gap widened or narrowed."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import polars as pl

from components.charts.grouped_bars import grouped_bars
from components.figure_layout import Labels
from components.palette import GREY
from observatory_data.serving.formats import signed

# ColorBrewer Blues: an ordered scale for ordered years (the last is the darkest), safe for colour-vision deficiencies.
YEAR_COLOURS = ("#9ecae1", "#4292c6", "#08519c", "#08306b")
BAR_ROW = 18  # px per bar, so the chart grows with the number of categories and years
LABEL_CHAR = 6.6  # px a character of a 12 px axis label, so the left margin holds the longest line of a category
LABEL_LINE = 15  # px a line of a category label
LABEL_WRAP = 24  # characters a line of a category label: a long metric name wraps rather than narrow the plot (a phone)


def gap_bars(frame: pl.DataFrame, labels: Labels, *, category: str, series: str, value: str) -> go.Figure:
    """One group of bars per `category` (top to bottom in frame order), one bar per `series` (in frame order, the last
    darkest), each labelled with its signed `value` in %; zero is drawn, and a missing value leaves no bar.

    Category names may hold '<br>' for a second line (our own words); series names are escaped.
    """
    frame = frame.with_columns(pl.col(category).map_elements(_wrapped, return_dtype=pl.String))
    categories = frame[category].unique(maintain_order=True).to_list()
    names = frame[series].unique(maintain_order=True).to_list()
    # Each category as tall as its bars or its label's lines, whichever is more (plotly gives every one the same).
    lines = max((str(name).count("<br>") + 1 for name in categories), default=1)
    per_category = max(BAR_ROW * (len(names) + 1), LABEL_LINE * lines + BAR_ROW)
    # A margin as wide as the longest label: automargin would move the plot, and the heading set from its edge.
    longest = max((len(line) for name in categories for line in str(name).split("<br>")), default=0)
    return grouped_bars(
        frame,
        labels,
        category=category,
        series=series,
        value=value,
        horizontal=True,
        series_order=names,
        colours=YEAR_COLOURS[-len(names) :] if len(names) <= len(YEAR_COLOURS) else YEAR_COLOURS,
        hover="%{fullData.name}<br>%{y}: %{x:+.1f}%<extra></extra>",
        bar_text=lambda gap: signed(gap, 0, "%"),
        from_zero=False,
        category_axis={"showgrid": False},
        # Upright ticks, at most five: slanted ones on a phone's narrow plot ran into the axis title and the footer.
        value_axis={
            "zeroline": True,
            "zerolinecolor": GREY,
            "zerolinewidth": 1.5,
            "ticksuffix": "%",
            "tickangle": 0,
            "nticks": 5,
        },
        bar_gaps=(0.25, 0.05),
        height=max(360, per_category * len(categories) + 160),
        side_margins=(int(20 + LABEL_CHAR * longest), 40),
    )


def _wrapped(name: str) -> str:
    """A category label with each of its lines wrapped at LABEL_WRAP characters (lines joined by '<br>')."""
    return "<br>".join(line for part in name.split("<br>") for line in textwrap.wrap(part, LABEL_WRAP) or [""])
