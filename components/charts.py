"""Chart builders: frames in, briefing-ready plotly figures out. No data access here."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from components.briefing import BETTER, BLUE, GREY, INK, LIGHT_GREY, NEUTRAL, ORANGE, SERIES, WORSE, briefing_layout

JITTER = (0.0, 0.25, -0.25, 0.12, -0.12)


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

    `rates` needs service_code, service_name, rate (null rates are left out and counted in the note).
    """
    shown = rates.filter(pl.col("rate").is_not_null()).sort("rate")
    in_group = shown.filter(pl.col("service_code").is_in(group) & (pl.col("service_code") != (highlight or "")))
    others = shown.filter(~pl.col("service_code").is_in([*group, highlight or ""]))
    median = in_group["rate"].median()
    figure = go.Figure()
    figure.add_trace(_dots(others, "Other English services", LIGHT_GREY, 0.0, size=8))
    if polarity == "higher_is_better" and median is not None:
        for name, colour, mask in (
            (f"{group_name}: above group median", BETTER, in_group["rate"] >= median),
            (f"{group_name}: below group median", WORSE, in_group["rate"] < median),
        ):
            figure.add_trace(_dots(in_group.filter(mask), name, colour, 0.0, size=10))
    else:
        figure.add_trace(_dots(in_group, group_name, NEUTRAL if polarity != "higher_is_better" else BLUE, 0.0, 10))
    if highlight is not None:
        own = shown.filter(pl.col("service_code") == highlight)
        if own.height:
            figure.add_trace(_dots(own, own["service_name"].item(), ORANGE, 0.0, size=18, label=True))
    for index, (name, value) in enumerate(reference_lines.items()):
        if value is None:
            continue
        figure.add_vline(
            x=value,
            line={"color": INK if index == 0 else GREY, "dash": "dash" if index == 0 else "dot", "width": 1.5},
            annotation={"text": f"{name}: {value:,.1f}", "font": {"size": 11}, "bgcolor": "rgba(255,255,255,0.85)"},
            annotation_position="bottom left" if index % 2 == 0 else "bottom right",
        )
    figure.update_yaxes(visible=False, range=[-1.1, 1.0])
    figure.update_xaxes(title=labels.axis, rangemode="tozero")
    return briefing_layout(
        figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note, height=420
    )


def _dots(frame: pl.DataFrame, name: str, colour: str, y: float, size: int, label: bool = False) -> go.Scatter:
    """Dots on one line, spread a little vertically (by position, so the picture is the same every time)."""
    spread = [y if label else y + JITTER[index % len(JITTER)] for index in range(frame.height)]
    return go.Scatter(
        x=frame["rate"].to_list(),
        y=spread,
        mode="markers+text" if label else "markers",
        name=name,
        text=frame["service_name"].to_list() if label else None,
        textposition="top center",
        textfont={"size": 13, "color": INK},
        marker={"color": colour, "size": size, "line": {"color": "white", "width": 1}, "opacity": 0.9},
        customdata=frame["service_name"].to_list(),
        hovertemplate="%{customdata}: %{x:,.1f}<extra></extra>",
    )


def distribution_chart(
    rates: pl.DataFrame, labels: Labels, *, group_order: list[str], weighted: dict[str, float | None]
) -> go.Figure:
    """Full distribution per group (box with every service as a point) and the population-weighted rate."""
    figure = go.Figure()
    for index, group in enumerate(group_order):
        members = rates.filter((pl.col("group") == group) & pl.col("rate").is_not_null())
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
                customdata=members["service_name"].to_list(),
                hovertemplate="%{customdata}: %{y:,.1f}<extra></extra>",
                showlegend=False,
            )
        )
    figure.add_trace(
        go.Scatter(
            x=list(weighted),
            y=list(weighted.values()),
            mode="markers",
            name="Population-weighted rate",
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
                name=str(name),
                marker_color=SERIES[index % len(SERIES)],
                hovertemplate=f"{name}<br>%{{x}}: %{{y:,.1f}}<extra></extra>",
            )
        )
    figure.update_layout(barmode="group")
    figure.update_xaxes(type="category", title=x_title or x.replace("_", " ").capitalize())
    figure.update_yaxes(title=labels.axis, rangemode="tozero")
    return briefing_layout(figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note)


def line_chart(series: pl.DataFrame, labels: Labels, *, x_title: str = "") -> go.Figure:
    """One line per `series` over `period`; `shape` 'hv' draws quarterly values as flat quarters, not spikes.

    `series` needs period, series, value and shape ('linear' or 'hv'). Null values leave gaps.
    """
    figure = go.Figure()
    for index, (name,) in enumerate(series.select("series").unique(maintain_order=True).iter_rows()):
        part = series.filter(pl.col("series") == name).sort("period")
        shape = part["shape"][0]
        figure.add_trace(
            go.Scatter(
                x=part["period"].to_list(),
                y=part["value"].to_list(),
                name=str(name),
                mode="lines+markers" if shape == "linear" else "lines",
                line={
                    "color": SERIES[index % len(SERIES)],
                    "width": 2.5,
                    "shape": shape,
                    "dash": "solid" if shape == "linear" else "dash",
                },
                connectgaps=False,
                hovertemplate=f"{name}<br>%{{x|%b %Y}}: %{{y:,.1f}}<extra></extra>",
            )
        )
    figure.update_xaxes(title=x_title)
    figure.update_yaxes(title=labels.axis, rangemode="tozero")
    return briefing_layout(figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note)
