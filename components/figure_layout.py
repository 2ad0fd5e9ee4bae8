"""What makes a chart stand on its own in a slide: title, subtitle, source and coverage inside the figure (its
Labels), in one font, wrapped to the chart's width.

The colours are in components.palette, the camera button's PNG settings in components.png_export.
The layout is planned in pixels so the same figure reads the same on screen (about 700-900 px wide) and in
the fixed-size PNG export: titles are wrapped to a width in characters and the top margin grows with them.
A chart narrower than NARROW (a phone) is laid out again for its own width by fit_width, so its title, subtitle
and notes wrap inside it there too (and in its PNG, which keeps the phone's line breaks).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go

from components.palette import GREY, INK

FONT = "Arial, Helvetica, sans-serif"

# Wrap widths in characters, for about 850 px of usable width. Arial averages 8.6 px a character in an
# 18 px bold title (10.8 px in capital-heavy names), 5.8 px (7.5) in a 13 px subtitle and 4.9 px in the
# 11 px footer; so ordinary text also fits a 700 px chart.
TITLE_WRAP = 78
SUBTITLE_WRAP = 112
FOOTER_WRAP = 115
# Below this chart width in px (a phone, a narrow window) the wrap widths come from the chart's own width (fit_width),
# at these px a character (measured in Chromium: mixed-case text averages 9.0, 6.1 and 5.1, plus room for a heavy line).
NARROW = 700
_NARROW_CHAR = {"title": 10.0, "subtitle": 7.0, "footer": 6.0}
_NARROW_PAD = 20  # px of a narrow chart's width that the heading leaves: _HEADING_LEFT and as much on the right
# A caveat in a tooltip or hover box goes on to a new line after this many characters (neither wraps by itself).
CAVEAT_WRAP = 60

# The heading (title and subtitle) is an annotation anchored at its bottom just above the legend, so its
# lines stack upwards however many there are (plotly's own title misplaces multi-line text). In px:
_MARGIN_LEFT = 70
_MARGIN_RIGHT = 30
_HEADING_LEFT = 10  # from the figure's left edge, where the plot's margin begins
_HEADING_TOP = 12
# Plotly's toolbar (the modebar: camera, zoom) sits over the figure's top right corner; the heading starts below it,
# so no title is covered at any width.
MODEBAR_ROOM = 28
_FOOTER_LINE = 15  # px a footer line takes in the bottom margin
_HEADING_LINE = 24  # plotly spaces lines 1.3 em of the 18 px heading font, subtitle lines too
# The horizontal legend above the plot wraps at the plot's width: planned for the narrowest on-screen chart.
_LEGEND_WIDTH = 600
_LEGEND_CHAR = 6.5  # px a character of a 12 px entry, allowing for capitals
_LEGEND_SYMBOL = 50  # px of an entry's symbol and the gaps around it
_LEGEND_ROW = 20
_LEGEND_LINE = 14  # px each further line of a wrapped legend entry adds
_AXIS_TITLE_CHAR = 7.5  # px a character of an axis title (14 px)
_AXIS_LINE = 18  # px a line of an axis title
_TICK_CHAR = 6.6  # px a character of a 12 px tick label, allowing for capitals
_GAP = 10
# The top margin `height` is meant for: one title line, one subtitle line, one legend row (the room kept for the
# modebar comes on top, so the plot keeps its size).
_STANDARD_TOP = _HEADING_TOP + 2 * _HEADING_LINE + _GAP + _LEGEND_ROW + _GAP
# The annotations briefing_layout adds, by name, so fit_width can find and replace them among a chart's own.
HEADING = "briefing-heading"
FOOTER = "briefing-footer"
# Charts whose footers name the services they rest on can have long footers: such a chart is taller by FOOTER_LINE_PX
# for each footer line past SHORT_FOOTER (as briefing_layout's bottom margin grows), so the plot keeps its height.
SHORT_FOOTER = 3
FOOTER_LINE_PX = 15


@dataclass(frozen=True)
class Labels:
    """The words every briefing chart carries."""

    title: str
    subtitle: str
    source: str
    note: str = ""
    axis: str = ""


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
    The words and sizes are kept in the layout's `meta`, so fit_width can lay the heading out again for a phone.
    """
    figure.update_layout(
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": FONT, "size": 12, "color": INK},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0, "bgcolor": "rgba(255,255,255,0.8)"},
        hoverlabel={"bgcolor": "white"},
    )
    figure.update_xaxes(showgrid=False, linecolor=GREY, ticks="outside", automargin=True)
    figure.update_yaxes(gridcolor="#EEEEEE", zerolinecolor=GREY, automargin=True)
    plan = {
        "title": title,
        "subtitle": subtitle,
        "source": source,
        "note": note,
        "height": height,
        "side_margins": list(side_margins),
        # A chart that lays its legend out elsewhere (the hex map) has none above the plot when this is called.
        "legend_above": _legend_rows(figure, _LEGEND_WIDTH) > 0,
    }
    return _frame(figure, plan, None)


def past_short_footer(labels: Labels) -> int:
    """The px a chart grows by for the footer lines past SHORT_FOOTER (see FOOTER_LINE_PX)."""
    lines = len(textwrap.wrap(labels.note, FOOTER_WRAP)) + len(textwrap.wrap(labels.source, FOOTER_WRAP))
    return FOOTER_LINE_PX * max(0, lines - SHORT_FOOTER)


def fit_width(figure: go.Figure, width: int | None) -> go.Figure:
    """The figure with its heading, notes and margins laid out for a chart `width` px wide, when that is narrower
    than NARROW (a phone); otherwise (or for a figure briefing_layout did not lay out) the figure as it is.

    A copy: a figure a page caches is never changed in place.
    """
    plan = figure.layout.meta.get("briefing") if isinstance(figure.layout.meta, dict) else None
    if plan is None or width is None or width >= NARROW:
        return figure
    return _frame(go.Figure(figure), plan, width)


def wrap_widths(width: int | None) -> tuple[int, int, int]:
    """Characters a line of the title, the subtitle and the footer: the standard plan, or for a narrow `width`."""
    if width is None or width >= NARROW:
        return TITLE_WRAP, SUBTITLE_WRAP, FOOTER_WRAP
    usable = max(width - _NARROW_PAD, 100)
    return (
        int(usable // _NARROW_CHAR["title"]),
        int(usable // _NARROW_CHAR["subtitle"]),
        int(usable // _NARROW_CHAR["footer"]),
    )


def _frame(figure: go.Figure, plan: dict, width: int | None) -> go.Figure:
    """Heading, footer, margins and height for the chart's width (None: the standard plan)."""
    left, right = plan["side_margins"]
    # The heading starts where the plot's margin begins: plotly moves that right for long category names.
    title_wrap, subtitle_wrap, footer_wrap = wrap_widths(None if width is None else width - _pushed(figure, left))
    heading_lines = [f"<b>{escape_markup(line)}</b>" for line in textwrap.wrap(plan["title"], title_wrap)] + [
        f"<span style='font-size:13px;color:#444'>{escape_markup(line)}</span>"
        for line in textwrap.wrap(plan["subtitle"], subtitle_wrap)
    ]
    legend_width = _LEGEND_WIDTH if width is None or width >= NARROW else width - left - right
    if width is not None and width < NARROW:  # what plotly would cut off at the chart's edge, wrapped
        _wrap_legend(figure, legend_width)
        _wrap_axis_titles(figure, width - left - right)
    legend_rows = _legend_rows(figure, legend_width) if plan["legend_above"] else 0
    above_plot = _GAP + (round(_LEGEND_ROW * legend_rows) + _GAP if legend_rows else 0)
    top = MODEBAR_ROOM + _HEADING_TOP + _HEADING_LINE * len(heading_lines) + above_plot
    footer_lines = _footer_lines(plan, footer_wrap)
    axis = _axis_lines(figure)  # the footer goes below an axis title or tick labels of more than one line
    bottom = 75 + axis + _FOOTER_LINE * len(footer_lines)
    if width is None:
        height = plan["height"] + max(0, top - _STANDARD_TOP) + axis
    else:  # laid out again: the figure grows by what the margins grow, so the plot keeps its size (and any height
        # a builder added after briefing_layout is kept)
        height = figure.layout.height + top - figure.layout.margin.t + bottom - figure.layout.margin.b
    footer = "<br>".join(escape_markup(line) for line in footer_lines)
    figure.update_layout(
        height=height,
        margin={"l": left, "r": right, "t": top, "b": bottom},
        meta={"briefing": plan},
    )
    figure.layout.annotations = [note for note in figure.layout.annotations if note.name not in (HEADING, FOOTER)]
    figure.add_annotation(
        name=HEADING,
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
        name=FOOTER,
        text=f"<span style='font-size:11px;color:#444'>{footer}</span>",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xshift=_HEADING_LEFT - left,  # in line with the heading, so a wide axis margin does not push it off the page
        yshift=-62 - axis,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
    )
    return figure


def _footer_lines(plan: dict, wrap: int) -> list[str]:
    return [*textwrap.wrap(plan["note"], wrap), *textwrap.wrap(plan["source"], wrap)]


def _pushed(figure: go.Figure, left: int) -> int:
    """About how far plotly's automargin moves the plot right of `left` px for the names of horizontal bars."""
    names = [
        line
        for trace in figure.data
        if getattr(trace, "orientation", None) == "h" and trace.y is not None
        for name in trace.y
        for line in re.sub(r"<(?!br>)[^>]+>", "", str(name)).split("<br>")
    ]
    return max(0, int(max((len(name) for name in names), default=0) * _TICK_CHAR + _GAP - left))


def _axis_lines(figure: go.Figure) -> int:
    """The px the horizontal axes' titles and tick labels take beyond one line each (`<br>` in either)."""
    extra = 0
    for axis in figure.select_xaxes():
        title_lines = (axis.title.text or "").count("<br>")
        tick_lines = max((str(text).count("<br>") for text in axis.ticktext or ()), default=0)
        extra = max(extra, _AXIS_LINE * title_lines + _FOOTER_LINE * tick_lines)
    return extra


def _wrap_legend(figure: go.Figure, width: float) -> None:
    """Legend entries longer than the legend's width on lines of their own (plotly neither wraps nor clips them)."""
    letters = max(10, int((width - _LEGEND_SYMBOL) // _LEGEND_CHAR))
    for trace in figure.data:
        if trace.name and len(trace.name) > letters and "<br>" not in trace.name:
            trace.name = "<br>".join(textwrap.wrap(trace.name, letters))


def _wrap_axis_titles(figure: go.Figure, width: float) -> None:
    """A horizontal axis's title longer than the plot on two or more lines (plotly would run it off the chart)."""
    letters = max(10, int(width // _AXIS_TITLE_CHAR))
    for axis in figure.select_xaxes():
        text = axis.title.text
        if text and len(text) > letters and "<br>" not in text:
            axis.title.text = "<br>".join(textwrap.wrap(text, letters))


def escape_markup(text: str) -> str:
    """Plotly renders a subset of HTML in titles, legends, labels and hover text: escape what comes from data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _legend_rows(figure: go.Figure, width: float) -> float:
    """How many rows (of _LEGEND_ROW px) plotly's horizontal legend takes `width` px wide (0 when it shows none).

    Plotly puts a legend that does not fit one row into equal columns as wide as its widest entry; an entry wrapped
    by _wrap_legend is taller by _LEGEND_LINE a line.
    """
    entries = [(trace.name or "").split("<br>") for trace in figure.data if trace.showlegend is not False]
    shown = figure.layout.showlegend
    if shown is False or (shown is None and len(entries) < 2 and not any(t.showlegend for t in figure.data)):
        return 0
    widths = [_LEGEND_SYMBOL + _LEGEND_CHAR * max(len(line) for line in lines) for lines in entries]
    heights = [1 + (len(lines) - 1) * _LEGEND_LINE / _LEGEND_ROW for lines in entries]
    if sum(widths) <= width:
        return max(heights)
    columns = max(1, int(width // max(widths)))
    return sum(max(heights[start : start + columns]) for start in range(0, len(entries), columns))
