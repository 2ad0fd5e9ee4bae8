"""Chart builders: frames in, briefing-ready plotly figures out. No data access here."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from itertools import cycle

import plotly.graph_objects as go
import polars as pl

from components.briefing import (
    BETTER,
    BLUE,
    CAVEAT_WRAP,
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
from observatory_data.queries import COMPARABLE

JITTER = (0.0, 0.25, -0.25, 0.12, -0.12)
STRIP_RANGE = (-1.1, 1.0)  # the strip chart's y range: dots near 0, room above for the highlighted label
# Reference lines (group median, England, ...) in turn: colour and dash, told apart in the legend.
REFERENCE_STYLES = ((INK, "dash"), (GREY, "dot"), (INK, "dashdot"), (GREY, "longdash"))
# The highlighted label is centred over its dot unless the dot is this close to an end of the axis.
EDGE_SHARE = 0.2
APART = "Rate not comparable (not in the {what})"  # the legend entry of caveated rates
BEYOND_AXIS = 1.04  # a caveated rate beyond the axis is drawn this far along (1 = the axis end), clear of the last dot


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
) -> go.Figure:
    """Every service as a dot on one axis; the group coloured by polarity against its median; one highlighted.

    `rates` needs service_code, service_name, rate and caveat (null rates are left out and counted in the note).
    Caveated rates are drawn apart (see _apart) and left out of the group median.
    """
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
        for name, colour, mask in (
            (f"{group_name}: above group median", BETTER, in_group["rate"] >= median),
            (f"{group_name}: below group median", WORSE, in_group["rate"] < median),
        ):
            figure.add_trace(_dots(in_group.filter(mask), name, colour, 0.0, size=10))
    else:
        figure.add_trace(_dots(in_group, group_name, NEUTRAL if polarity != "higher_is_better" else BLUE, 0.0, 10))
    apart = shown.filter(pl.col("caveat").is_not_null() & ~mine)
    if apart.height:
        figure.add_trace(_apart(apart, APART.format(what="group median"), axis_end))
    if own.height:
        position = _label_position(own["rate"].item(), axis_end)
        figure.add_trace(_dots(own, own["service_name"].item(), ORANGE, 0.0, size=18, label_position=position))
    figure.update_yaxes(visible=False, range=list(STRIP_RANGE))
    figure.update_xaxes(title=labels.axis, rangemode="tozero")
    return briefing_layout(
        figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note, height=420
    )


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
    spread = [y if labelled else y + JITTER[index % len(JITTER)] for index in range(frame.height)]
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
        colour = SERIES[index % len(SERIES)]
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
    figure.update_xaxes(categoryorder="array", categoryarray=group_order)
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
                marker_color=SERIES[index % len(SERIES)],
                hovertemplate="%{fullData.name}<br>%{x}: %{y:,.1f}<extra></extra>",
            )
        )
    figure.update_layout(barmode="group")
    figure.update_xaxes(type="category", title=x_title or x.replace("_", " ").capitalize())
    figure.update_yaxes(title=labels.axis, rangemode="tozero")
    return briefing_layout(figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note)


def line_chart(series: pl.DataFrame, labels: Labels, *, x_title: str = "") -> go.Figure:
    """One line per `series` over `period`; `shape` 'hv' draws quarterly values as flat quarters, not spikes.

    `series` needs period (dates, or names such as financial years, drawn as categories in their order), series,
    value and shape ('linear' or 'hv'). Null values leave gaps.
    """
    named = series.schema["period"] == pl.String  # financial years ('2023/24') rather than dates
    figure = go.Figure()
    for index, (name,) in enumerate(series.select("series").unique(maintain_order=True).iter_rows()):
        part = series.filter(pl.col("series") == name).sort("period")
        shape = part["shape"][0]
        figure.add_trace(
            go.Scatter(
                x=part["period"].to_list(),
                y=part["value"].to_list(),
                name=escape_markup(str(name)),
                mode="lines+markers" if shape == "linear" else "lines",
                line={
                    "color": SERIES[index % len(SERIES)],
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
