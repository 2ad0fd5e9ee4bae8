"""Briefing layout: a fixed-size export, and a heading that stays inside the figure and clear of legend and plot."""

from __future__ import annotations

import html
import re

import plotly.graph_objects as go

from components.figure_layout import (
    FOOTER,
    FOOTER_WRAP,
    HEADING,
    NARROW,
    SUBTITLE_WRAP,
    TITLE_WRAP,
    fit_width,
    wrap_widths,
)
from components.png_export import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH, export_config
from tests.support.briefing import LONG_SUBTITLE, LONG_TITLE, briefing_figure


def _heading(figure: go.Figure) -> go.layout.Annotation:
    return figure.layout.annotations[0]


def _lines(markup: str, tag: str) -> list[str]:
    """The text a reader sees on each line of the heading that opens with `tag` (b: title, span: subtitle)."""
    return [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in markup.split("<br>") if line.startswith(f"<{tag}")]


def test_export_is_a_fixed_size_whatever_the_window() -> None:
    options = export_config("Visits: Barnsley, 2023/24")["toImageButtonOptions"]
    assert options == {
        "format": "png",
        "filename": "visits-barnsley-2023-24",
        "width": 1600,
        "height": 900,
        "scale": 2,
    }
    assert (EXPORT_WIDTH * EXPORT_SCALE, EXPORT_HEIGHT * EXPORT_SCALE) == (3200, 1800)


def test_title_and_subtitle_are_wrapped_to_their_widths_and_keep_every_word() -> None:
    heading = _heading(briefing_figure(LONG_TITLE, LONG_SUBTITLE)).text
    title, subtitle = _lines(heading, "b"), _lines(heading, "span")
    assert len(title) == 2 and all(len(line) <= TITLE_WRAP for line in title)
    assert len(subtitle) == 2 and all(len(line) <= SUBTITLE_WRAP for line in subtitle)
    assert " ".join(title) == LONG_TITLE and " ".join(subtitle) == LONG_SUBTITLE


def test_data_in_the_heading_is_escaped_not_rendered() -> None:
    heading = _heading(briefing_figure("Visits in <b>Atlantis</b> & co", "<img src=x>")).text
    assert "<b>Atlantis" not in heading and "<img" not in heading
    assert _lines(heading, "b") == ["Visits in <b>Atlantis</b> & co"]
    assert _lines(heading, "span") == ["<img src=x>"]


def test_top_margin_and_height_grow_with_the_heading_so_the_plot_keeps_its_size() -> None:
    short = briefing_figure("Short title", "Short subtitle.")
    long = briefing_figure(LONG_TITLE, LONG_SUBTITLE)
    extra = long.layout.margin.t - short.layout.margin.t
    assert extra > 0
    assert long.layout.height - short.layout.height == extra


def test_a_longer_legend_gets_more_room_above_the_plot() -> None:
    two = briefing_figure(LONG_TITLE, LONG_SUBTITLE, names=("A", "B"))
    six = briefing_figure(LONG_TITLE, LONG_SUBTITLE)
    none = briefing_figure(LONG_TITLE, LONG_SUBTITLE, names=("Only trace",))
    assert none.layout.margin.t < two.layout.margin.t < six.layout.margin.t
    assert _heading(six).yshift > _heading(two).yshift > _heading(none).yshift


def test_footer_is_still_wrapped() -> None:
    note = "A note about coverage, partial returns and flagged values that runs well past one line. " * 3
    footer = briefing_figure("T", "S", note=note).layout.annotations[1].text
    lines = [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in footer.split("<br>")]
    assert len(lines) >= 3 and all(len(line) <= FOOTER_WRAP for line in lines)
    assert lines[-1] == "Source: test"


def test_a_phone_gets_the_heading_and_footer_wrapped_for_its_width_and_the_plot_keeps_its_size() -> None:
    note = "A note about coverage, partial returns and flagged values that runs well past one line. " * 2
    figure = briefing_figure(LONG_TITLE, LONG_SUBTITLE, note=note)
    assert fit_width(figure, None) is figure and fit_width(figure, NARROW) is figure  # the standard plan
    phone = fit_width(figure, 340)
    title_wrap, subtitle_wrap, footer_wrap = wrap_widths(340)
    heading = next(note for note in phone.layout.annotations if note.name == HEADING).text
    footer = next(note for note in phone.layout.annotations if note.name == FOOTER).text
    title, subtitle = _lines(heading, "b"), _lines(heading, "span")
    assert " ".join(title) == LONG_TITLE and all(len(line) <= title_wrap for line in title) and len(title) > 2
    assert " ".join(subtitle) == LONG_SUBTITLE and all(len(line) <= subtitle_wrap for line in subtitle)
    footer_lines = [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in footer.split("<br>")]
    assert all(len(line) <= footer_wrap for line in footer_lines) and footer_lines[-1] == "Source: test"
    plot = figure.layout.height - figure.layout.margin.t - figure.layout.margin.b
    assert phone.layout.height - phone.layout.margin.t - phone.layout.margin.b == plot
    assert [note.name for note in phone.layout.annotations] == [HEADING, FOOTER]
    assert _heading(figure).text != heading  # the figure a page passed in is left as it was


def test_legend_entries_too_long_for_a_phone_are_wrapped() -> None:
    long = "Median rate of the 12 neighbours comparable in all three years (the service left out)"
    phone = fit_width(briefing_figure("T", "S", names=(long, "Kent")), 340)
    assert "<br>" in phone.data[0].name and phone.data[0].name.replace("<br>", " ") == long
    assert phone.data[1].name == "Kent"
