"""Grouped bars: one group of bars per category, one bar (and colour) per series, upright or horizontal.

`grouped_bars` is the one builder; the uses give it their orientation, words and colours: `grouped_bar_chart` here
(a rate by deprivation decile per group), components.gaps.gap_bars (a gap per metric and year) and
components.network_figures' rate_chart and hours_chart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

from components.figure_layout import Labels, briefing_layout, escape_markup
from components.palette import CATEGORIES


def escaped_name(series: Any) -> str:
    """A series' legend name as the data gives it, escaped (plotly reads markup in names)."""
    return escape_markup(str(series))


def grouped_bars(
    frame: pl.DataFrame,
    labels: Labels,
    *,
    category: str,
    series: str,
    value: str,
    horizontal: bool = False,
    series_order: Sequence[Any] | None = None,
    colours: Sequence[str] = CATEGORIES,
    series_name: Callable[[Any], str] = escaped_name,
    hover: str | Callable[[Any], str] | None = None,
    bar_text: Callable[[float], str] | None = None,
    value_title: str | None = None,
    from_zero: bool = True,
    category_axis: Mapping[str, Any] | None = None,
    value_axis: Mapping[str, Any] | None = None,
    bar_gaps: tuple[float, float] | None = None,
    height: int | None = None,
    side_margins: tuple[int, int] | None = None,
) -> go.Figure:
    """Bars of `value` along `category`, one trace per `series`; a missing value leaves no bar (never a zero).

    - `horizontal`: categories down the y axis, top to bottom in the order they first come in `frame`; else upright
      bars along x.
    - `series_order`: the series drawn, in legend order (default: every series, as they first come in `frame`);
      `colours` are taken in turn (cycled); `series_name` gives a series its legend name (default: escaped).
    - `hover`: the hover template, one for all or per series (a function of the series); default the series' name,
      the category and the value to one decimal.
    - `bar_text`: the words printed outside each bar, from its value (default: none).
    - The value axis is titled `value_title` (default `labels.axis`) and starts at zero unless `from_zero` is False;
      `category_axis` and `value_axis` add plotly axis properties; `bar_gaps` is (bargap, bargroupgap).
    - `height` and `side_margins` go to briefing_layout (default: its own).
    """
    along, across = ("y", "x") if horizontal else ("x", "y")
    if hover is None:
        hover = f"%{{fullData.name}}<br>%{{{along}}}: %{{{across}:,.1f}}<extra></extra>"
    names = frame[series].unique(maintain_order=True).to_list() if series_order is None else list(series_order)
    figure = go.Figure()
    for index, name in enumerate(names):
        part = frame.filter(pl.col(series) == name)
        values = part[value].to_list()
        texts = {}
        if bar_text is not None:
            texts = {
                "text": [None if v is None else bar_text(v) for v in values],
                "textposition": "outside",
                "cliponaxis": False,
            }
        figure.add_trace(
            go.Bar(
                **{along: part[category].to_list(), across: values},
                orientation="h" if horizontal else None,
                name=series_name(name),
                marker_color=colours[index % len(colours)],
                hovertemplate=hover(name) if callable(hover) else hover,
                **texts,
            )
        )
    gaps = {} if bar_gaps is None else {"bargap": bar_gaps[0], "bargroupgap": bar_gaps[1]}
    figure.update_layout(barmode="group", **gaps)
    ordered = {}
    if horizontal:
        categories = frame[category].unique(maintain_order=True).to_list()
        ordered = {"categoryorder": "array", "categoryarray": categories, "autorange": "reversed"}
    values_axis = {
        "title": labels.axis if value_title is None else value_title,
        **({"rangemode": "tozero"} if from_zero else {}),
        **(value_axis or {}),
    }
    categories_axis = {**ordered, **(category_axis or {})}
    x_axis, y_axis = (values_axis, categories_axis) if horizontal else (categories_axis, values_axis)
    figure.update_xaxes(**x_axis)
    figure.update_yaxes(**y_axis)
    sizes = {
        **({} if height is None else {"height": height}),
        **({} if side_margins is None else {"side_margins": side_margins}),
    }
    return briefing_layout(
        figure, title=labels.title, subtitle=labels.subtitle, source=labels.source, note=labels.note, **sizes
    )


def grouped_bar_chart(
    frame: pl.DataFrame, labels: Labels, *, x: str, group: str, value: str, x_title: str = ""
) -> go.Figure:
    """Upright bars of `value` by `x` (categories, titled `x_title` or the column's name), one colour per `group`
    (CATEGORIES in turn); missing bars stay empty (never drawn as zero)."""
    return grouped_bars(
        frame,
        labels,
        category=x,
        series=group,
        value=value,
        category_axis={"type": "category", "title": x_title or x.replace("_", " ").capitalize()},
    )
