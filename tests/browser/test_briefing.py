"""Briefing layout: a fixed-size export, and a heading that stays inside the figure and clear of legend and plot."""

from __future__ import annotations

from pathlib import Path

import plotly
import pytest
from PIL import Image

from components.figure_layout import fit_width
from components.png_export import EXPORT_HEIGHT, EXPORT_WIDTH, export_config
from tests.support.briefing import LONG_SUBTITLE, LONG_TITLE, briefing_figure


@pytest.fixture(scope="module")
def plotly_page(browser):
    """A blank page of the shared headless Chromium with plotly.js from the installed package: nothing fetched."""
    script = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    context = browser.new_context(viewport={"width": 1700, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_content(f"<html><body style='margin:0'><div id='chart'></div><script>{script}</script></body></html>")
    yield page
    context.close()


MEASURE = """([spec, width, height]) => Plotly.newPlot('chart', spec.data,
    Object.assign(spec.layout, {width: width, height: height}), {displayModeBar: true}).then(chart => {
  const box = element => { const r = element.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const size = chart._fullLayout._size;
  return {heading: box(document.querySelectorAll('.annotation')[0]), legend: box(document.querySelector('.legend')),
          plot: [size.l, size.t, size.l + size.w, size.t + size.h], modebar: box(document.querySelector('.modebar')),
          footer: box(document.querySelectorAll('.annotation')[1])};
})"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [340, 700, 900, EXPORT_WIDTH])
def test_heading_legend_and_plot_never_overlap_on_screen_or_in_the_export(plotly_page, width: int) -> None:
    """At a phone's width too (340 px: laid out by fit_width), with the modebar (plotly's toolbar) above the heading."""
    figure = fit_width(
        briefing_figure(LONG_TITLE, LONG_SUBTITLE, note="Coverage: 107 of 153 services reported. " * 4), width
    )
    height = EXPORT_HEIGHT if width == EXPORT_WIDTH else figure.layout.height
    boxes = plotly_page.evaluate(MEASURE, [figure.to_plotly_json(), width, height])
    heading, legend, plot, modebar, footer = (
        boxes[part] for part in ("heading", "legend", "plot", "modebar", "footer")
    )
    assert heading[0] >= 0 and heading[1] >= 0 and heading[2] <= width, (heading, width)
    assert heading[1] >= modebar[3], ("the modebar covers the heading", heading, modebar)
    assert heading[3] <= legend[1] + 1, (heading, legend)
    assert legend[3] <= plot[1] + 1, (legend, plot)
    assert legend[2] <= width + 1, ("the legend runs off the chart", legend, width)
    assert footer[0] >= 0 and footer[2] <= width and footer[3] <= height, (footer, width, height)


@pytest.mark.browser
@pytest.mark.parametrize("width", [700, 1200])
def test_camera_button_saves_a_3200_by_1800_png_whatever_the_chart_width(plotly_page, width: int) -> None:
    spec = briefing_figure(LONG_TITLE, LONG_SUBTITLE).to_plotly_json()
    plotly_page.evaluate(
        "([spec, config, width]) => Plotly.newPlot('chart', spec.data, Object.assign(spec.layout, {width}), config)",
        [spec, export_config("Visits: Barnsley, 2023/24"), width],
    )
    plotly_page.hover("#chart")
    buttons = plotly_page.eval_on_selector_all(".modebar-btn", "all => all.map(b => b.getAttribute('data-title'))")
    assert not [title for title in buttons if "Share" in title or "Lasso" in title], buttons
    with plotly_page.expect_download() as download:
        plotly_page.click(".modebar-btn[data-title^='Download plot']")
    assert download.value.suggested_filename == "visits-barnsley-2023-24.png"
    assert Image.open(download.value.path()).size == (3200, 1800)
