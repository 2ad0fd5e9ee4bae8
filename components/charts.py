"""Chart builders: frames in, briefing-ready plotly figures out. No data access here."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import cycle

import plotly.graph_objects as go
import polars as pl

from components.briefing import (
    BETTER,
    BLUE,
    CATEGORIES,
    CAVEAT_WRAP,
    FOOTER_WRAP,
    GREY,
    INK,
    LIGHT_GREY,
    NEUTRAL,
    ORANGE,
    SERIES,
    WORSE,
    briefing_layout,
    escape_markup,
)
from observatory_data.serving.queries import COMPARABLE

JITTER = (0.0, 0.25, -0.25, 0.12, -0.12)
STRIP_RANGE = (-1.1, 1.0)  # the strip chart's y range: dots near 0, room above for the highlighted label
# Reference lines (group median, England, ...) in turn: colour and dash, told apart in the legend.
REFERENCE_STYLES = ((INK, "dash"), (GREY, "dot"), (INK, "dashdot"), (GREY, "longdash"))
# The highlighted label is centred over its dot unless the dot is this close to an end of the axis.
EDGE_SHARE = 0.2
CATEGORY_WRAP = 10  # characters a line of a distribution's group name under its box (a phone's narrow boxes)
APART = "Rate not comparable (not in the {what})"  # the legend entry of caveated rates
BEYOND_AXIS = 1.04  # a caveated rate beyond the axis is drawn this far along (1 = the axis end), clear of the last dot
# The benchmark charts' footers name the services they rest on, so they can be long: a chart is taller by
# FOOTER_LINE_PX for each footer line past SHORT_FOOTER (as briefing_layout's bottom margin grows), so the plot keeps
# its height. STRIP_HEIGHT: the strip chart's height with a short footer.
STRIP_HEIGHT = 420
SHORT_FOOTER = 3
FOOTER_LINE_PX = 15
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


@dataclass(frozen=True)
class Labels:
    """The words every briefing chart carries."""

    title: str
    subtitle: str
    source: str
    note: str = ""
    axis: str = ""


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
    Caveated rates are drawn apart (see _apart) and left out of the group median.
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
        figure.add_trace(_apart(apart, APART.format(what="group median"), axis_end))
    own_span = None
    if own.height:
        position = _label_position(own["rate"].item(), axis_end)
        figure.add_trace(_dots(own, own["service_name"].item(), ORANGE, 0.0, size=18, label_position=position))
        own_width = len(own["service_name"].item()) * OWN_LABEL_CHAR
        own_span = _span(own["rate"].item() / (axis_end * X_PADDING) * plot_width, own_width, position)
    heights = {
        code: y for _, _, part in parts for code, y in zip(part["service_code"], _spread(part.height), strict=True)
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
        height=STRIP_HEIGHT + _past_short_footer(labels),
    )


def _past_short_footer(labels: Labels) -> int:
    """The px a chart grows by for the footer lines past SHORT_FOOTER (see FOOTER_LINE_PX)."""
    lines = len(textwrap.wrap(labels.note, FOOTER_WRAP)) + len(textwrap.wrap(labels.source, FOOTER_WRAP))
    return FOOTER_LINE_PX * max(0, lines - SHORT_FOOTER)


def benchmark_trend_chart(series: pl.DataFrame, labels: Labels) -> go.Figure:
    """A service's rate by financial year against its group's median (see line_chart), taller by what its footer
    needs: the footer names the services the median rests on, and a long list must not squeeze the plot."""
    figure = line_chart(series, labels, x_title="Financial year")
    return figure.update_layout(height=figure.layout.height + _past_short_footer(labels))


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


def _spread(count: int) -> list[float]:
    """How far each of `count` dots sits off its line (by position, so the picture is the same every time)."""
    return [JITTER[index % len(JITTER)] for index in range(count)]


def _hover(frame: pl.DataFrame, axis_end: float = math.inf) -> list[str]:
    """'Name: 1,234.5' per service, saying so if the dot is drawn at the axis end, and its caveat below."""
    texts = []
    for name, rate, caveat in frame.select("service_name", "rate", "caveat").iter_rows():
        lines = [f"{name}: {rate:,.1f}" + (" (beyond the axis, drawn at its end)" if rate > axis_end else "")]
        if caveat:
            lines += textwrap.wrap(f"Rate not comparable: {caveat}", CAVEAT_WRAP)
        texts.append("<br>".join(escape_markup(line) for line in lines))
    return texts


def _apart(frame: pl.DataFrame, name: str, axis_end: float, categories: list[str] | None = None) -> go.Scatter:
    """Caveated rates, apart from the comparable ones: an open diamond at the rate, or an arrow at the axis end
    when the rate is beyond it (so one extreme rate cannot squash every other dot); the caveat is in the hover.

    Along x (the strip) with no `categories`; else along y, each point over its category (the distributions).
    """
    rates = frame["rate"].to_list()
    arrow = "triangle-right" if categories is None else "triangle-up"
    symbols = [arrow if rate > axis_end else "diamond-open" for rate in rates]
    values = [rate if rate <= axis_end else axis_end * BEYOND_AXIS for rate in rates]
    spread = [JITTER[index % len(JITTER)] for index in range(frame.height)]
    x, y = (values, spread) if categories is None else (categories, values)
    return go.Scatter(
        x=x,
        y=y,
        mode="markers",
        name=escape_markup(name),
        marker={"symbol": symbols, "size": 11, "color": INK, "line": {"color": INK, "width": 1.5}},
        hovertext=_hover(frame, axis_end),
        hovertemplate="%{hovertext}<extra></extra>",
    )


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
    spread = [y if labelled else y + offset for offset in _spread(frame.height)]
    names = [escape_markup(service) for service in frame["service_name"].to_list()]
    return go.Scatter(
        x=frame["rate"].to_list(),
        y=spread,
        mode="markers+text" if labelled else "markers",
        name=escape_markup(name),
        text=names if labelled else None,
        textposition=label_position,
        textfont={"size": 13, "color": INK},
        cliponaxis=not labelled,
        marker={"color": colour, "size": size, "line": {"color": "white", "width": 1}, "opacity": 0.9},
        customdata=names,
        hovertext=_hover(frame),
        hovertemplate="%{hovertext}<extra></extra>",
    )


def distribution_chart(
    rates: pl.DataFrame, labels: Labels, *, group_order: list[str], weighted: dict[str, float | None]
) -> go.Figure:
    """Full distribution per group (box with every service as a point) and the population-weighted rate.

    `rates` needs group, service_name, rate and caveat. Caveated rates are drawn apart (see _apart) and left out
    of the boxes, so no quartile or median rests on them.
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
                customdata=_hover(members),
                hovertemplate="%{customdata}<extra></extra>",
                showlegend=False,
            )
        )
    apart = rates.filter(pl.col("rate").is_not_null() & pl.col("caveat").is_not_null())
    if apart.height:
        categories = [str(group) for group in apart["group"]]
        figure.add_trace(_apart(apart, APART.format(what="boxes"), axis_end, categories))
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


def grouped_bar_chart(
    frame: pl.DataFrame, labels: Labels, *, x: str, group: str, value: str, x_title: str = ""
) -> go.Figure:
    """Bars of `value` by `x`, one colour per `group`; missing bars stay empty (never drawn as zero)."""
    figure = go.Figure()
    for index, name in enumerate(frame[group].unique(maintain_order=True).to_list()):
        part = frame.filter(pl.col(group) == name)
        figure.add_trace(
            go.Bar(
                x=part[x].to_list(),
                y=part[value].to_list(),
                name=escape_markup(str(name)),
                marker_color=CATEGORIES[index % len(CATEGORIES)],
                hovertemplate="%{fullData.name}<br>%{x}: %{y:,.1f}<extra></extra>",
            )
        )
    figure.update_layout(barmode="group")
    figure.update_xaxes(type="category", title=x_title or x.replace("_", " ").capitalize())
    figure.update_yaxes(title=labels.axis, rangemode="tozero")
    return briefing_layout(figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note)


def line_chart(
    series: pl.DataFrame, labels: Labels, *, x_title: str = "", colours: Mapping[str, str] | None = None
) -> go.Figure:
    """One line per `series` over `period`; `shape` 'hv' draws quarterly values as flat quarters, not spikes.

    `series` needs period (dates, or names such as financial years, drawn as categories in their order), series,
    value and shape ('linear' or 'hv'). Null values leave gaps. `colours` gives a series its role's colour (series
    name -> colour, see briefing.ROLES); the others take CATEGORIES in turn; with no `colours` at all, SERIES.
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
