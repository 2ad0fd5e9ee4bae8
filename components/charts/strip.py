"""The strip chart: every service as a dot on one axis, its comparison group coloured by polarity against the group's
median, the chosen service named, and the group's highest, lowest and middle named where they fit."""

from __future__ import annotations

import math
from itertools import cycle

import plotly.graph_objects as go
import polars as pl

from components.figure_layout import Labels, briefing_layout, escape_markup, past_short_footer
from components.palette import BETTER, BLUE, GREY, INK, LIGHT_GREY, NEUTRAL, ORANGE, WORSE
from components.rate_points import APART, apart_trace, hover_texts, spread
from observatory_data.serving.rates import COMPARABLE

STRIP_RANGE = (-1.1, 1.0)  # the strip chart's y range: dots near 0, room above for the highlighted label
# Reference lines (group median, England, ...) in turn: colour and dash, told apart in the legend.
REFERENCE_STYLES = ((INK, "dash"), (GREY, "dot"), (INK, "dashdot"), (GREY, "longdash"))
# The highlighted label is centred over its dot unless the dot is this close to an end of the axis.
EDGE_SHARE = 0.2
# The strip chart's height with a short footer (it grows with a long one: figure_layout.past_short_footer).
STRIP_HEIGHT = 420
# Peers named on the strip, each where it fits: the group's highest, lowest and middle (after the service's own name).
PEER_ROLES = ("highest", "lowest", "middle")
# The rows (y, in the strip's units) a peer's name may sit in: two under the dots, then one above the service's name.
LABEL_ROWS = (-0.6, -0.88, 0.72)
# Names are kept apart for a plot this wide (px): a desktop window's plot and the PNG's are wider, so they fit there.
# A chart given its own (narrow) width plans for that less SIDE_MARGINS, the plot's margins.
PLANNED_PLOT_WIDTH = 650
SIDE_MARGINS = 100
LABEL_CHAR = 6.6  # px a character of a 12 px name, allowing for capitals (13 px for the service's own: OWN_LABEL_CHAR)
OWN_LABEL_CHAR = 7.2
LABEL_GAP = 12  # px kept clear between two names in one row
X_PADDING = 1.08  # plotly's autorange reaches about this far past the axis end (the dots' size, the caveated arrows)


def strip_chart(
    rates: pl.DataFrame,
    labels: Labels,
    *,
    highlight: str | None,
    group: list[str],
    group_name: str,
    polarity: str,
    reference_lines: dict[str, float | None],
    width: int | None = None,
) -> go.Figure:
    """Every service as a dot on one axis; the group coloured by polarity against its median; one highlighted and
    named, and the group's highest, lowest and middle named where they fit (strip_labels) in a plot PLANNED_PLOT_WIDTH
    wide, or as wide as a narrower chart `width` (a phone) allows.

    `rates` needs service_code, service_name, rate and caveat (null rates are left out and counted in the note).
    Caveated rates are drawn apart (see rate_points.apart_trace) and left out of the group median.
    """
    plot_width = PLANNED_PLOT_WIDTH if width is None else min(PLANNED_PLOT_WIDTH, max(width - SIDE_MARGINS, 100))
    shown = rates.filter(pl.col("rate").is_not_null()).sort("rate")
    mine = pl.col("service_code") == (highlight or "")
    comparable = shown.filter(COMPARABLE & ~mine)
    in_group = comparable.filter(pl.col("service_code").is_in(group))
    others = comparable.filter(~pl.col("service_code").is_in(group))
    median = in_group["rate"].median()
    references = [(name, value) for name, value in reference_lines.items() if value is not None]
    own = shown.filter(mine)
    axis_end = max([*comparable["rate"], *own["rate"], *(value for _, value in references)], default=math.inf)
    figure = go.Figure()
    # Reference values go in the legend with their numbers, where no two labels can overlap; lines first,
    # so the dots are drawn over them, but listed after the dots.
    for (name, value), (colour, dash) in zip(references, cycle(REFERENCE_STYLES), strict=False):
        figure.add_trace(
            go.Scatter(
                x=[value, value],
                y=list(STRIP_RANGE),
                mode="lines",
                name=f"{escape_markup(name)}: {value:,.1f}",
                line={"color": colour, "dash": dash, "width": 2},
                hoverinfo="skip",
                legendrank=2000,
            )
        )
    figure.add_trace(_dots(others, "Other English services", LIGHT_GREY, 0.0, size=8))
    if polarity == "higher_is_better" and median is not None:
        parts = [
            (f"{group_name}: above group median", BETTER, in_group.filter(pl.col("rate") >= median)),
            (f"{group_name}: below group median", WORSE, in_group.filter(pl.col("rate") < median)),
        ]
    else:
        parts = [(group_name, NEUTRAL if polarity != "higher_is_better" else BLUE, in_group)]
    for name, colour, part in parts:
        figure.add_trace(_dots(part, name, colour, 0.0, size=10))
    apart = shown.filter(pl.col("caveat").is_not_null() & ~mine)
    if apart.height:
        figure.add_trace(apart_trace(apart, APART.format(what="group median"), axis_end))
    own_span = None
    if own.height:
        position = _label_position(own["rate"].item(), axis_end)
        figure.add_trace(_dots(own, own["service_name"].item(), ORANGE, 0.0, size=18, label_position=position))
        own_width = len(own["service_name"].item()) * OWN_LABEL_CHAR
        own_span = _span(own["rate"].item() / (axis_end * X_PADDING) * plot_width, own_width, position)
    heights = {
        code: y for _, _, part in parts for code, y in zip(part["service_code"], spread(part.height), strict=True)
    }
    named = strip_labels(rates, highlight, group)
    for annotation in _peer_names(in_group, named, heights, (axis_end, plot_width), own_span):
        figure.add_annotation(annotation)
    figure.update_yaxes(visible=False, range=list(STRIP_RANGE))
    figure.update_xaxes(title=labels.axis, rangemode="tozero")
    return briefing_layout(
        figure,
        title=labels.title,
        subtitle=labels.subtitle,
        source=labels.source,
        note=labels.note,
        height=STRIP_HEIGHT + past_short_footer(labels),
    )


def strip_labels(rates: pl.DataFrame, highlight: str | None, group: list[str]) -> dict[str, str]:
    """Whom the strip chart names, role -> service code, in the order they are placed: "service" (the highlighted
    service, if it has a rate), then the group's "highest" and "lowest" comparable rates and its "middle" (the member
    nearest the group median), each service once: a group of two has no middle of its own, a group of one only a
    highest. Ties go to the service code, so the choice is the same every time."""
    shown = rates.filter(pl.col("rate").is_not_null())
    chosen = {"service": highlight} if highlight and highlight in shown["service_code"].to_list() else {}
    members = shown.filter(
        COMPARABLE & pl.col("service_code").is_in(group) & (pl.col("service_code") != (highlight or ""))
    ).sort("rate", "service_code")
    if members.is_empty():
        return chosen
    median = members["rate"].median()
    nearest = members.with_columns(distance=(pl.col("rate") - median).abs()).sort("distance", "rate", "service_code")
    candidates = (members["service_code"][-1], members["service_code"][0], nearest["service_code"][0])
    for role, code in zip(PEER_ROLES, candidates, strict=True):
        if code not in chosen.values():
            chosen[role] = code
    return chosen


def _span(x: float, width: float, position: str) -> tuple[float, float]:
    """The px (from the plot's left) a name `width` px long takes, anchored to its dot at `x` px by `position`."""
    if position.endswith("right"):
        return (x - LABEL_GAP / 2, x + width)
    if position.endswith("left"):
        return (x - width, x + LABEL_GAP / 2)
    return (x - width / 2, x + width / 2)


def _peer_names(
    in_group: pl.DataFrame,
    named: dict[str, str],
    heights: dict[str, float],
    scale: tuple[float, float],
    own_span: tuple[float, float] | None,
) -> list[dict]:
    """A name with a thin line to its dot for each peer in `named` (strip_labels), in the first row of LABEL_ROWS
    where it clears every name already there; a name that fits no row is left to the footer's list. `scale`: the
    axis end and the plot's planned width in px."""
    axis_end, plot_width = scale
    rows: dict[float, list[tuple[float, float]]] = {row: [] for row in LABEL_ROWS}
    if own_span is not None:
        rows[LABEL_ROWS[-1]].append(own_span)  # the line from the upper row would cross the service's own name
    members = {row["service_code"]: row for row in in_group.iter_rows(named=True)}
    annotations = []
    for role in PEER_ROLES:
        member = members.get(named.get(role, ""))
        if member is None or not math.isfinite(axis_end):
            continue
        text = f"{member['service_name']} ({role})"
        position = _label_position(member["rate"], axis_end)
        span = _span(member["rate"] / (axis_end * X_PADDING) * plot_width, len(text) * LABEL_CHAR, position)
        row = next((r for r in LABEL_ROWS if all(_apart_by(span, other) for other in rows[r])), None)
        if row is None:
            continue
        rows[row].append(span)
        annotations.append(
            {
                "x": member["rate"],
                "y": heights[member["service_code"]],
                "ax": member["rate"],
                "ay": row,
                "axref": "x",
                "ayref": "y",
                "text": escape_markup(text),
                "xanchor": {"top right": "left", "top left": "right"}.get(position, "center"),
                "yanchor": "middle",
                "showarrow": True,
                "arrowhead": 0,
                "arrowwidth": 1,
                "arrowcolor": GREY,
                "standoff": 6,
                "font": {"size": 12, "color": INK},
                "bgcolor": "rgba(255,255,255,0.85)",
                "name": f"peer-{role}",
            }
        )
    return annotations


def _apart_by(one: tuple[float, float], other: tuple[float, float]) -> bool:
    return one[1] + LABEL_GAP <= other[0] or other[1] + LABEL_GAP <= one[0]


def _label_position(value: float, axis_end: float) -> str:
    """Where the highlighted label sits so it stays inside the plot: away from the nearer end of the axis."""
    if value <= EDGE_SHARE * axis_end:
        return "top right"
    if value >= (1 - EDGE_SHARE) * axis_end:
        return "top left"
    return "top center"


def _dots(
    frame: pl.DataFrame, name: str, colour: str, y: float, size: int, label_position: str | None = None
) -> go.Scatter:
    """Dots on one line, spread a little vertically (by position, so the picture is the same every time).

    With `label_position` the dots are not spread and carry their service's name, drawn even past the axis.
    """
    labelled = label_position is not None
    heights = [y if labelled else y + offset for offset in spread(frame.height)]
    names = [escape_markup(service) for service in frame["service_name"].to_list()]
    return go.Scatter(
        x=frame["rate"].to_list(),
        y=heights,
        mode="markers+text" if labelled else "markers",
        name=escape_markup(name),
        text=names if labelled else None,
        textposition=label_position,
        textfont={"size": 13, "color": INK},
        cliponaxis=not labelled,
        marker={"color": colour, "size": size, "line": {"color": "white", "width": 1}, "opacity": 0.9},
        customdata=names,
        hovertext=hover_texts(frame),
        hovertemplate="%{hovertext}<extra></extra>",
    )
