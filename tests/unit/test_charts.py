"""Chart builders: reference values in the legend, a label that stays in the plot, names that stay plain text."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl
import pytest

from components.charts.grouped_bars import grouped_bar_chart
from components.charts.lines import line_chart
from components.charts.strip import strip_chart
from components.figure_layout import Labels
from components.palette import ENGLAND, GROUP, REGION, SERVICE
from components.trends import trend_chart, year_trend_lines
from tests.support.change import LOANS, SERVICES, YEARS

LABELS = Labels(title="Visits", subtitle="Per 1,000 residents", source="Source: test", axis="visits per 1,000")
HOSTILE = "Barking & <b>Dagenham</b> %{y}"
RATES = pl.DataFrame(
    {
        "service_code": ["A", "B", "C", "D", "E", "F"],
        "service_name": ["Low", "Mid", HOSTILE, "High", "Higher", "No return"],
        "rate": [100.0, 1848.5, 1900.0, 2500.0, 3000.0, None],
        "caveat": pl.Series([None] * 6, dtype=pl.String),
    }
)


def _strip(highlight: str | None, references: dict[str, float | None]) -> go.Figure:
    return strip_chart(
        RATES,
        LABELS,
        highlight=highlight,
        group=["B", "C", "D"],
        group_name="Comparison group",
        polarity="higher_is_better",
        reference_lines=references,
    )


def _references(figure: go.Figure) -> list[go.Scatter]:
    return [trace for trace in figure.data if trace.mode == "lines"]


def test_reference_values_are_legend_lines_that_carry_their_numbers() -> None:
    figure = _strip("B", {"Group median": 1848.5, "England": 1900.3})
    median, england = _references(figure)
    assert (median.name, england.name) == ("Group median: 1,848.5", "England: 1,900.3")
    assert list(median.x) == [1848.5, 1848.5] and list(england.x) == [1900.3, 1900.3]
    assert list(median.y) == list(figure.layout.yaxis.range)  # from the bottom of the strip to its top
    assert (median.line.color, median.line.dash) != (england.line.color, england.line.dash)
    assert median.showlegend is not False and england.showlegend is not False


def test_no_labels_left_on_the_plot_that_could_collide() -> None:
    figure = _strip("B", {"Group median": 1848.5, "England": 1900.3})
    assert not figure.layout.shapes
    assert not [note.text for note in figure.layout.annotations if "median" in note.text or "England" in note.text]


def test_a_missing_reference_value_is_left_out() -> None:
    figure = _strip("B", {"Group median": None, "England": 1900.3})
    assert [trace.name for trace in _references(figure)] == ["England: 1,900.3"]


@pytest.mark.parametrize(("highlight", "position"), [("A", "top right"), ("B", "top center"), ("E", "top left")])
def test_highlighted_label_is_kept_and_turned_away_from_the_plot_edge(highlight: str, position: str) -> None:
    labelled = [trace for trace in _strip(highlight, {"England": 1900.3}).data if trace.text]
    assert len(labelled) == 1
    assert labelled[0].textposition == position
    assert labelled[0].cliponaxis is False


def test_strip_chart_without_a_countable_highlight_has_no_label() -> None:
    figure = _strip("F", {"England": 1900.3})
    assert not [trace for trace in figure.data if trace.text]


def test_strip_chart_names_reach_plotly_escaped() -> None:
    figure = _strip("C", {"England": 1900.3})
    labelled = next(trace for trace in figure.data if trace.text)
    assert labelled.name == labelled.text[0] == "Barking &amp; &lt;b&gt;Dagenham&lt;/b&gt; %{y}"
    assert all("<b>Dagenham" not in str(trace.customdata) for trace in figure.data)


def test_grouped_bar_hover_takes_the_name_from_the_trace_not_the_template() -> None:
    frame = pl.DataFrame({"decile": [1, 2, 1, 2], "group": [HOSTILE, HOSTILE, "Rest", "Rest"], "rate": [1.0, 2, 3, 4]})
    figure = grouped_bar_chart(frame, LABELS, x="decile", group="group", value="rate")
    hostile, rest = figure.data
    assert hostile.name == "Barking &amp; &lt;b&gt;Dagenham&lt;/b&gt; %{y}" and rest.name == "Rest"
    assert hostile.hovertemplate == rest.hovertemplate == "%{fullData.name}<br>%{x}: %{y:,.1f}<extra></extra>"


def test_line_hover_takes_the_name_from_the_trace_not_the_template() -> None:
    months = [date(2023, 4, 1), date(2023, 5, 1)]
    series = pl.DataFrame(
        {
            "period": months * 2,
            "series": [HOSTILE, HOSTILE, "England", "England"],
            "value": [1.0, 2.0, None, 4.0],
            "shape": ["linear"] * 4,
        }
    )
    hostile, england = line_chart(series, LABELS).data
    assert hostile.name == "Barking &amp; &lt;b&gt;Dagenham&lt;/b&gt; %{y}" and england.name == "England"
    assert hostile.hovertemplate == england.hovertemplate
    assert "Dagenham" not in hostile.hovertemplate and "%{fullData.name}" in hostile.hovertemplate


def test_each_role_has_one_colour_on_the_benchmark_and_on_offer_trends() -> None:
    """Kent was amber on the benchmark and pink on Offer trends: the service, its group, region and England each
    take their role's colour from components.palette, whatever order the lines come in."""
    strip = _strip("B", {"England": 1900.3})
    service_dot = next(trace for trace in strip.data if trace.text)
    entry = {"metric": "loans", "unit": "loans", "denominator": "population"}
    groups = {"England": list("ABCD"), "North": list("AB"), "Birch's 2 nearest neighbours": list("CD")}
    roles = {"England": ENGLAND, "North": REGION, "Birch's 2 nearest neighbours": GROUP}
    lines = year_trend_lines(LOANS, SERVICES, entry, groups, "B", "Birch", "count", YEARS, roles=roles)
    colours = {trace.name: trace.line.color for trace in trend_chart(lines, LABELS).data}
    assert service_dot.marker.color == colours["Birch"] == SERVICE
    assert (colours["England"], colours["North"], colours["Birch's 2 nearest neighbours"]) == (ENGLAND, REGION, GROUP)
    assert len({SERVICE, GROUP, REGION, ENGLAND}) == 4


def test_lines_without_a_role_never_take_the_services_colour() -> None:
    months = [date(2023, 4, 1), date(2023, 5, 1)]
    names = [f"Metric {index}" for index in range(6)]
    series = pl.DataFrame(
        {
            "period": months * len(names),
            "series": [name for name in names for _ in months],
            "value": [1.0, 2.0] * len(names),
            "shape": ["linear"] * 2 * len(names),
        }
    )
    colours = [trace.line.color for trace in line_chart(series, LABELS, colours={}).data]
    assert SERVICE not in colours and len(set(colours)) == len(names)
