"""The briefing PNG: wide enough, not blank, every class colour and both missing-data greys on it, each textured; the
layers that are on (place outlines, service points) and the selected service drawn and keyed, and nothing when off."""

from __future__ import annotations

import io

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import polars as pl
from PIL import Image
from shapely.geometry import box

from components.classes import NO_DATA, NOT_COLLECTED, Classes, classify
from components.map_text import OUTLINES
from components.palette import SELECTED_EDGE
from components.static_map import _draw, map_figure, map_png
from tests.support.map_png import check_png


def _synthetic_country() -> tuple[gpd.GeoDataFrame, Classes]:
    """Five classes across English squares and London boroughs, an English square with no return, and the
    Crown Dependencies, where ACE collects nothing."""
    codes = [f"E0600000{i}" for i in range(1, 7)] + ["E09000001", "E09000002", "JEY", "GGY", "IMN"]
    shapes = [box(-2 + i, 52, -1.2 + i, 53) for i in range(6)]
    shapes += [box(-0.2, 51.4, -0.1, 51.5), box(-0.1, 51.4, 0.0, 51.5)]
    shapes += [box(-2.2, 49.15, -2.0, 49.25), box(-2.65, 49.4, -2.5, 49.5), box(-4.8, 54.05, -4.3, 54.4)]
    boundaries = gpd.GeoDataFrame({"service_code": codes}, geometry=shapes, crs="EPSG:4326")
    rates = pl.DataFrame(
        {
            "service_code": codes,
            "service_name": codes,
            "nation": ["England"] * 8 + ["Crown Dependency"] * 3,
            "value": [1.0, 2.0, 3.0, 4.0, 5.0, None, 6.0, 7.0, None, None, None],
            "status": ["reported"] * 5 + ["no_return"] + ["reported"] * 2 + ["not_collected"] * 3,
            "rate": [1.0, 2.0, 3.0, 4.0, 5.0, None, 6.0, 7.0, None, None, None],
            "caveat": pl.Series([None] * 11, dtype=pl.String),
        }
    )
    return boundaries, classify(rates, "higher_is_better")


def test_png_of_a_synthetic_country_has_every_class_and_both_missing_keys() -> None:
    boundaries, classes = _synthetic_country()
    assert len(classes.colours) == 5
    assert [colour for colour, _ in classes.legend("")][-2:] == [NO_DATA, NOT_COLLECTED]
    check_png(map_png(boundaries, classes, title="Fixture", subtitle="s", unit="per 1,000", note="n"), classes)


def test_no_return_is_hatched_and_not_collected_dotted_class_colours_plain() -> None:
    boundaries, classes = _synthetic_country()
    shapes = boundaries.merge(classes.frame.select("service_code", "colour").to_pandas(), on="service_code")
    figure, axes = plt.subplots()
    _draw(axes, shapes)
    hatches = {
        tuple(np.round(collection.get_facecolor()[0][:3] * 255).astype(int)): collection.get_hatch()
        for collection in axes.collections
    }
    plt.close(figure)
    rgb = {colour: tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5)) for colour, _ in classes.legend("")}
    assert hatches.pop(rgb[NO_DATA]) == "////"
    assert hatches.pop(rgb[NOT_COLLECTED]) == ".."
    assert set(hatches) == {rgb[colour] for colour in classes.colours}
    assert set(hatches.values()) == {None}


def _colour_pixels(png: bytes, colour: str) -> int:
    """How many pixels of the PNG are exactly this colour (the core of a drawn line is, its antialiased edge not)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    return int((pixels == [int(colour[i : i + 2], 16) for i in (1, 3, 5)]).all(axis=1).sum())


def _gids(figure: plt.Figure) -> dict[str, list]:
    """The artists drawn for the layers, by their gid, across the main map and the insets."""
    found: dict[str, list] = {}
    for axes in figure.axes:
        for artist in [*axes.collections, *axes.texts]:
            if artist.get_gid():
                found.setdefault(artist.get_gid(), []).append(artist)
    return found


def test_the_layers_on_screen_and_the_selected_service_are_drawn_and_keyed() -> None:
    boundaries, classes = _synthetic_country()
    outlines = {"priority": ["E06000001", "E06000002", "E09000001"], "lucp": ["E06000004"]}
    points = pl.DataFrame({"lat": [52.5, 51.45, 60.0], "lon": [-1.6, -0.15, -1.0]})  # the last one off the map
    common = {"title": "Fixture", "subtitle": "s", "unit": "per 1,000", "note": "n"}
    figure = map_figure(boundaries, classes, **common, outlines=outlines, points=points, selected="E09000002")
    drawn = _gids(figure)
    legend = [text.get_text() for text in figure.legends[0].get_texts()]
    plt.close(figure)
    # Each places list as its outline, in the web map's colour, on the main map and (for London's) in the inset.
    for key, axes_count in (("priority", 2), ("lucp", 1)):
        lines = drawn[f"outline-{key}"]
        assert len(lines) == axes_count
        assert {tuple(np.round(line.get_edgecolor()[0][:3] * 255).astype(int)) for line in lines} == {
            tuple(int(OUTLINES[key][1][i : i + 2], 16) for i in (1, 3, 5))
        }
    assert [len(points.get_offsets()) for points in drawn["points"]] == [2, 1]  # the far point is left out
    # The selected London borough is outlined on the main map and in the inset, and named in the inset.
    assert len(drawn["selected"]) == 2
    assert [name.get_text() for name in drawn["selected-name"]] == ["E09000002"]
    for key in outlines:
        assert OUTLINES[key][0] in legend
    assert "Service points (open)" in legend and "Selected: E09000002" in legend


def test_nothing_over_the_classes_when_the_layers_are_off() -> None:
    boundaries, classes = _synthetic_country()
    figure = map_figure(boundaries, classes, title="t", subtitle="s", unit="u", note="n", selected="NOWHERE")
    drawn, legend = _gids(figure), [text.get_text() for text in figure.legends[0].get_texts()]
    plt.close(figure)
    assert drawn == {}
    assert len(legend) == len(classes.legend(""))


def test_the_outlines_colours_are_on_the_png_only_when_on() -> None:
    boundaries, classes = _synthetic_country()
    common = {"title": "Fixture", "subtitle": "s", "unit": "per 1,000", "note": "n"}
    outlines = {"priority": ["E06000001"], "lucp": ["E06000004"]}
    with_layers = map_png(boundaries, classes, **common, outlines=outlines, selected="E06000003")
    without = map_png(boundaries, classes, **common)
    for key in outlines:
        assert _colour_pixels(with_layers, OUTLINES[key][1]) > 500, key
        assert _colour_pixels(without, OUTLINES[key][1]) == 0, key
    assert _colour_pixels(with_layers, SELECTED_EDGE) > _colour_pixels(without, SELECTED_EDGE) + 500


def test_a_three_line_title_stays_clear_of_the_subtitle() -> None:
    boundaries, classes = _synthetic_country()
    title = "Loans of books, audiobooks, eBooks and eAudio (renewals included) per 1,000 residents, England, 2025/26"
    figure = map_figure(boundaries, classes, title=title, subtitle="Subtitle " * 30, unit="u", note="n")
    figure.canvas.draw()
    heading, subtitle = (figure.texts[i].get_window_extent() for i in (0, 1))
    plt.close(figure)
    assert heading.y0 > subtitle.y1, (heading, subtitle)  # pixels count up from the bottom


def test_a_long_footer_stays_below_the_maps() -> None:
    boundaries, classes = _synthetic_country()
    figure = map_figure(boundaries, classes, title="t", subtitle="s", unit="u", note="A long note. " * 60)
    figure.canvas.draw()
    footer = figure.texts[-1].get_window_extent()
    lowest = min(axes.get_window_extent().y0 for axes in figure.axes)
    plt.close(figure)
    assert footer.y1 < lowest, (footer, lowest)
