"""What makes a chart stand on its own in a slide: title, subtitle, source and coverage inside the figure.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies), as named constants.
The layout is planned in pixels so the same figure reads the same on screen (about 700-900 px wide) and in
the fixed-size PNG export: titles are wrapped to a width in characters and the top margin grows with them.
"""

from __future__ import annotations

import math
import re
import textwrap

import plotly.graph_objects as go

BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
GREY = "#8C8C8C"
LIGHT_GREY = "#D9D9D9"
INK = "#1A1A1A"
SERIES = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW)
# Better / worse than the comparison, by polarity; neutral metrics get no judgement.
BETTER, WORSE, NEUTRAL = BLUE, VERMILLION, GREY

FONT = "Arial, Helvetica, sans-serif"

# The camera button saves this size whatever the window, so a PNG never depends on the reader's screen.
EXPORT_FORMAT = "png"
EXPORT_WIDTH = 1600
EXPORT_HEIGHT = 900
EXPORT_SCALE = 2  # 3200 x 1800 pixels: sharp on a slide

# Wrap widths in characters, for about 850 px of usable width. Arial averages 8.6 px a character in an
# 18 px bold title (10.8 px in capital-heavy names), 5.8 px (7.5) in a 13 px subtitle and 4.9 px in the
# 11 px footer; so ordinary text also fits a 700 px chart.
TITLE_WRAP = 78
SUBTITLE_WRAP = 112
FOOTER_WRAP = 115
# A caveat in a tooltip or hover box goes on to a new line after this many characters (neither wraps by itself).
CAVEAT_WRAP = 60

# The heading (title and subtitle) is an annotation anchored at its bottom just above the legend, so its
# lines stack upwards however many there are (plotly's own title misplaces multi-line text). In px:
_MARGIN_LEFT = 70
_MARGIN_RIGHT = 30
_HEADING_LEFT = 10  # from the figure's left edge, where the plot's margin begins
_HEADING_TOP = 12
_HEADING_LINE = 24  # plotly spaces lines 1.3 em of the 18 px heading font, subtitle lines too
# The horizontal legend above the plot wraps at the plot's width: planned for the narrowest on-screen chart.
_LEGEND_WIDTH = 600
_LEGEND_CHAR = 6.5  # px a character of a 12 px entry, allowing for capitals
_LEGEND_SYMBOL = 50  # px of an entry's symbol and the gaps around it
_LEGEND_ROW = 20
_GAP = 10
# The top margin `height` is meant for: one title line, one subtitle line, one legend row.
_STANDARD_TOP = _HEADING_TOP + 2 * _HEADING_LINE + _GAP + _LEGEND_ROW + _GAP


def briefing_layout(
    figure: go.Figure,
    *,
    title: str,
    subtitle: str,
    source: str,
    note: str = "",
    height: int = 480,
    side_margins: tuple[int, int] = (_MARGIN_LEFT, _MARGIN_RIGHT),
) -> go.Figure:
    """Title says what and where; subtitle says measure, period, denominator, group; source and note inside.

    `height` is the height with a one-line title, one-line subtitle and one legend row; the figure grows
    by whatever more the wrapped title and the legend need, so the plot keeps its size on screen.
    `side_margins` (left, right) in px: a chart with no y axis (a map) can give its width to the plot.
    """
    left, right = side_margins
    heading_lines = [f"<b>{escape_markup(line)}</b>" for line in textwrap.wrap(title, TITLE_WRAP)] + [
        f"<span style='font-size:13px;color:#444'>{escape_markup(line)}</span>"
        for line in textwrap.wrap(subtitle, SUBTITLE_WRAP)
    ]
    legend_rows = _legend_rows(figure)
    above_plot = _GAP + (_LEGEND_ROW * legend_rows + _GAP if legend_rows else 0)
    top = _HEADING_TOP + _HEADING_LINE * len(heading_lines) + above_plot
    footer_lines = [*textwrap.wrap(note, FOOTER_WRAP), *textwrap.wrap(source, FOOTER_WRAP)]
    footer = "<br>".join(escape_markup(line) for line in footer_lines)
    figure.update_layout(
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": FONT, "size": 12, "color": INK},
        height=height + max(0, top - _STANDARD_TOP),
        margin={"l": left, "r": right, "t": top, "b": 75 + 15 * len(footer_lines)},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0, "bgcolor": "rgba(255,255,255,0.8)"},
        hoverlabel={"bgcolor": "white"},
    )
    figure.add_annotation(
        text="<br>".join(heading_lines),
        font={"size": 18, "color": INK},
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        xshift=_HEADING_LEFT - left,  # from the figure's edge, whatever the margin
        yshift=above_plot,
        xanchor="left",
        yanchor="bottom",
        align="left",
        showarrow=False,
    )
    figure.add_annotation(
        text=f"<span style='font-size:11px;color:#444'>{footer}</span>",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xshift=_HEADING_LEFT - left,  # in line with the heading, so a wide axis margin does not push it off the page
        yshift=-62,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
    )
    figure.update_xaxes(showgrid=False, linecolor=GREY, ticks="outside", automargin=True)
    figure.update_yaxes(gridcolor="#EEEEEE", zerolinecolor=GREY, automargin=True)
    return figure


def export_config(filename: str) -> dict:
    """Plotly's image button: a fixed-size PNG (not the window's size) with a meaningful file name."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": EXPORT_FORMAT,
            "filename": slug(filename),
            "width": EXPORT_WIDTH,
            "height": EXPORT_HEIGHT,
            "scale": EXPORT_SCALE,
        },
        # sendChartToCloud ("Share chart...") would upload the chart and its data to Plotly's cloud.
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendChartToCloud"],
    }


def slug(text: str) -> str:
    """A file-name-safe slug."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:120] or "chart"


def escape_markup(text: str) -> str:
    """Plotly renders a subset of HTML in titles, legends, labels and hover text: escape what comes from data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _legend_rows(figure: go.Figure) -> int:
    """How many rows plotly's horizontal legend takes at the planned width (0 when it shows no legend).

    Plotly puts a legend that does not fit one row into equal columns as wide as its widest entry.
    """
    entries = [trace.name or "" for trace in figure.data if trace.showlegend is not False]
    shown = figure.layout.showlegend
    if shown is False or (shown is None and len(entries) < 2 and not any(t.showlegend for t in figure.data)):
        return 0
    widths = [_LEGEND_SYMBOL + _LEGEND_CHAR * len(name) for name in entries]
    if sum(widths) <= _LEGEND_WIDTH:
        return 1
    columns = max(1, int(_LEGEND_WIDTH // max(widths)))
    return math.ceil(len(entries) / columns)
