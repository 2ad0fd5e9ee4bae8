"""What every chart section hands its page: the figure, the numbers behind it and the words its CSV opens with.

Shared by the section builders of every page, so a chart never reaches a page without its table and its About.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from components.exports import About
from observatory_data.serving.catalogue import DATA_LICENCE, DENOMINATORS


@dataclass(frozen=True)
class ChartSection:
    """A chart as the page shows it (app_pages.kit.output.show_chart): the figure, its table and its About."""

    figure: go.Figure
    table: pl.DataFrame
    about: About


def metric_about(entry: dict, title: str, period: str, source: str, columns: tuple[tuple[str, str], ...] = ()) -> About:
    """What a metric's CSV says about itself: the catalogue entry (label, definition, unit, denominator), the
    period, the source and what any column that needs words holds. The same words as the page kit's
    metric_about, built here so a section can hand its page a finished About."""
    return About(
        title=title,
        metric=entry["label"],
        definition=entry["definition"],
        unit=entry["unit"],
        period=period,
        denominator=DENOMINATORS[entry["denominator"]],
        source=source,
        licence=DATA_LICENCE,
        columns=columns,
    )
