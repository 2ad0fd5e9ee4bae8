"""The hex cartogram: one hexagon per service, no two in a cell, the same layout every time, London together; a
short unique label in each hexagon; a clickable point per service that carries its code; a phone-friendly layout."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go
import polars as pl

from components.classes import (
    NO_DATA,
    NO_DATA_LABEL,
    NOT_COLLECTED,
    NOT_COLLECTED_LABEL,
    SEQUENTIAL,
    Classes,
    classify,
)
from components.hexmap import HALO, SERVICES_TRACE, hex_figure, hex_labels, hex_layout
from components.palette import INK
from tests.support.hexmap import check_layout

HOSTILE = "<img src=x onerror=alert(1)>"


def _synthetic_centroids() -> pl.DataFrame:
    """A 10 x 8 grid of county-sized services with a city of 20 small ones packed into one corner cell."""
    rng = np.random.default_rng(3)
    county = [(f"E1000{i:04d}", -5 + (i % 10) * 0.6, 50 + (i // 10) * 0.5) for i in range(80)]
    city = [(f"E0900{i:04d}", -0.1 + x, 51.5 + y) for i, (x, y) in enumerate(rng.normal(0, 0.05, (20, 2)))]
    return pl.DataFrame(county + city, schema=["service_code", "lon", "lat"], orient="row")


def test_synthetic_layout_keeps_the_city_together() -> None:
    # 20 hexagons fill a disc of radius about 2.5 hexagon sizes; allow a loose 4.5.
    check_layout(_synthetic_centroids(), "E09", 4.5)


def _fixture_figure() -> tuple[go.Figure, pl.DataFrame, Classes]:
    """Ten services: eight English with rates, one English with no return, one Welsh (not collected)."""
    centroids = _synthetic_centroids().head(10)
    codes = centroids["service_code"].to_list()
    rates = pl.DataFrame(
        {
            "service_code": codes,
            "service_name": [HOSTILE, *(f"Borough of Place {code}" for code in codes[1:])],
            "nation": ["England"] * 9 + ["Wales"],
            "value": [float(i) for i in range(8)] + [None, None],
            "status": ["reported"] * 8 + ["no_return", "not_collected"],
            "rate": [float(i) for i in range(8)] + [None, None],
            "caveat": pl.Series([None] * 10, dtype=pl.String),
        }
    )
    classes = classify(rates, "higher_is_better")
    layout = hex_layout(centroids)
    figure = hex_figure(layout, classes, title="t", subtitle="s", unit="per 1,000", source="src", note="n")
    return figure, layout, classes


def test_hex_figure_draws_every_class_and_both_kinds_of_missing() -> None:
    figure, _, classes = _fixture_figure()
    shown = [trace for trace in figure.data if trace.showlegend is not False]
    assert [trace.name for trace in shown] == [label for _, label in classes.legend("")]
    fills = {trace.name: trace for trace in shown}
    assert fills[NO_DATA_LABEL].fillcolor == NO_DATA and fills[NO_DATA_LABEL].fillpattern.shape == "/"
    assert fills[NOT_COLLECTED_LABEL].fillcolor == NOT_COLLECTED and fills[NOT_COLLECTED_LABEL].fillpattern.shape == "."
    # One hexagon (seven corners and a break) for each of the two missing services.
    assert len(fills[NO_DATA_LABEL].x) == len(fills[NOT_COLLECTED_LABEL].x) == 8
    assert "per 1,000" in figure.layout.legend.title.text


def test_each_service_is_a_clickable_point_carrying_its_code_and_escaped_names() -> None:
    figure, layout, _ = _fixture_figure()
    services = next(trace for trace in figure.data if trace.name == SERVICES_TRACE)
    assert "markers" in services.mode and services.showlegend is False
    at = {(x, y): row[0] for x, y, row in zip(services.x, services.y, services.customdata, strict=True)}
    assert at == {(row["x"], row["y"]): row["service_code"] for row in layout.iter_rows(named=True)}
    names = [row[1] for row in services.customdata]
    assert HOSTILE not in names and "&lt;img src=x onerror=alert(1)&gt;" in names
    assert "%{customdata[1]}" in services.hovertemplate and "%{customdata[0]}" not in services.hovertemplate


def test_labels_are_short_unique_and_legible_on_their_fill() -> None:
    figure, _, classes = _fixture_figure()
    services = next(trace for trace in figure.data if trace.name == SERVICES_TRACE)
    labels = list(services.text)
    assert len(set(labels)) == len(labels) and all(1 <= len(label) <= 3 for label in labels)
    assert all(label.isalpha() for label in labels)  # nothing from a hostile name but its letters
    fill_of = dict(classes.frame.select("service_code", "colour").iter_rows())
    for row, text_colour in zip(services.customdata, services.textfont.color, strict=True):
        # White on the two dark blues, dark ink on the light classes and the greys.
        expected = "#ffffff" if fill_of[row[0]] in SEQUENTIAL[-2:] else INK
        assert text_colour == expected, (fill_of[row[0]], text_colour)


def _contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_labels_are_11_px_on_a_halo_of_the_other_ink() -> None:
    figure, _, _ = _fixture_figure()
    services = next(trace for trace in figure.data if trace.name == SERVICES_TRACE)
    assert services.textfont.size >= 11
    for ink, halo in zip(services.textfont.color, services.textfont.shadow, strict=True):
        assert halo == HALO[ink]
        # The halo's colour against the ink: AA for small text, whatever the fill or its texture's lines.
        assert _contrast(ink, re.search(r"#[0-9A-Fa-f]{6}", halo).group()) >= 4.5


def test_labels_follow_the_rule_and_part_names_that_would_share_one() -> None:
    names = ["Milton Keynes", "Kingston upon Hull, City of", "Derby", "Derbyshire", "Libraries NI", "Isle of Man"]
    labels = hex_labels(names)
    assert labels == ["MK", "KH", "Der", "Deb", "NI", "IM"]
    assert hex_labels(names[::-1]) == labels[::-1]  # the same label whatever the order


def test_phone_layout_keeps_the_width_for_the_map() -> None:
    figure, _, _ = _fixture_figure()
    legend = figure.layout.legend
    # Across, under the map (not at the right, where it took the width from a phone's map).
    assert legend.orientation == "h" and legend.x == 0 and legend.y <= figure.layout.yaxis.domain[0]
    assert figure.layout.margin.l <= 10 and figure.layout.margin.r <= 10
    assert figure.layout.xaxis.scaleanchor == "y" and figure.layout.xaxis.scaleratio == 1
    # Nothing is hung left of the slim margin, off the figure.
    assert all((note.xshift or 0) >= -figure.layout.margin.l for note in figure.layout.annotations)
