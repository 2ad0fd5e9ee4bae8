"""A briefing figure with a long heading and a full legend, for the briefing layout's unit and browser tests."""

from __future__ import annotations

import plotly.graph_objects as go

from components.figure_layout import briefing_layout

LONG_TITLE = (
    "Physical book loans per 1,000 residents: Royal Borough of Windsor and Maidenhead among English "
    "library services, 2023/24"
)
LONG_SUBTITLE = (
    "Each dot is a service; coloured: its comparison group (15 services, of its 15 nearest neighbours (ONS)). "
    "Rates per 1,000 of the population the metric counts; services with a countable value only."
)
LEGEND_NAMES = (
    "Other English services",
    "Comparison group: above group median",
    "Comparison group: below group median",
    "Royal Borough of Windsor and Maidenhead",
    "Group median: 1,848.5",
    "England: 1,900.3",
)


def briefing_figure(title: str, subtitle: str, names: tuple[str, ...] = LEGEND_NAMES, note: str = "") -> go.Figure:
    """A line per legend name, laid out for a briefing with this heading and note."""
    figure = go.Figure([go.Scatter(x=[1, 2], y=[index, index], name=name) for index, name in enumerate(names)])
    return briefing_layout(figure, title=title, subtitle=subtitle, source="Source: test", note=note, height=420)
