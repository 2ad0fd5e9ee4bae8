"""The Map page's sections on tiny tables, without Streamlit: when there is nothing to map, one year's classes and
the change between two, the numbers behind the map and their About, the hexagons, and what the web map and the PNG
are asked to draw."""

from __future__ import annotations

import polars as pl
import pytest

from components.exports import AUDIT_MARK, AUDIT_NOTE, CAVEAT
from components.map_text import CHANGE_COLUMN, IN_TOTAL_COLUMN
from components.sections import map_sections
from components.sections.map_sections import (
    hex_map,
    map_caption,
    map_classes,
    map_numbers,
    png_file_name,
    png_layers,
    png_map,
    refusal,
    web_map,
)
from observatory_data.serving.catalogue import BOUNDARIES_SOURCE
from tests.support.section_frames import ACE_2023, LOANS_ENTRY

CITY_CAVEAT = "denominator effect"
# code: (name, nation, Priority Place, loans 2023, loans 2024), 1,000 residents each: the rate is the count.
SERVICES = {
    "E1": ("Ashby", "England", "yes", 1_000.0, 1_000.0),
    "E2": ("Beckton", "England", "no", 1_000.0, 2_000.0),
    "E3": ("Carlton", "England", "no", 2_000.0, 3_000.0),
    "E4": ("Dunmore", "England", "yes", 4_000.0, 4_000.0),
    "E5": ("Elmet", "England", "no", 4_000.0, 5_000.0),
    "E6": ("Fairfield", "England", "no", 500.0, None),  # no return in 2024
    "E7": ("City", "England", "no", 9_000.0, 9_000.0),  # caveated: grey, outside the classes
    "W1": ("Gwynedd", "Wales", "no", None, None),
}


def _services() -> pl.DataFrame:
    rows = [(code, name, nation, pp) for code, (name, nation, pp, *_) in SERVICES.items()]
    frame = pl.DataFrame(rows, schema=["service_code", "service_name", "nation", "priority_place"], orient="row")
    return frame.with_columns(
        region=pl.lit("Somewhere"), lucp=pl.lit("no"), imd_decile=pl.lit(5), population=pl.lit(1_000.0)
    )


def _annual() -> pl.DataFrame:
    rows = [
        (code, year, "loans", value, "no_return" if value is None else "reported", CITY_CAVEAT if code == "E7" else "")
        for code, (*_, first, last) in SERVICES.items()
        if code != "W1"
        for year, value in ((2023, first), (2024, last))
    ]
    rows += [("W1", year, "loans", None, "not_collected", None) for year in (2023, 2024)]
    frame = pl.DataFrame(rows, schema=["service_code", "year", "metric", "value", "status", "caveat"], orient="row")
    return frame.with_columns(
        pl.col("year").cast(pl.Int32),
        pl.col("caveat").replace("", None),
        months_covered=pl.lit(12, pl.Int32),
        source=pl.lit(ACE_2023),
    )


def _metrics() -> pl.DataFrame:
    return pl.DataFrame([LOANS_ENTRY])


def _classes(years: tuple[int, ...]):
    return map_classes(_annual(), _services(), _metrics(), LOANS_ENTRY, years)


def test_nothing_to_map_is_said_in_words() -> None:
    assert refusal("Issues", [], ()).startswith("Issues has no ACE figures (it is one service's own open data)")
    assert refusal("Loans", [2023], (2023, 2023)) == "Loans has ACE figures for 2023/24 only: no change to map."
    assert refusal("Loans", [2023, 2024], (2024, 2024)).startswith("The two years are the same")
    assert refusal("Loans", [2023, 2024], (2023, 2024)) == refusal("Loans", [2023, 2024], (2024,)) == ""


def test_one_years_rates_fall_in_five_quantile_classes_and_the_numbers_say_which() -> None:
    classes, labels = _classes((2024,))
    assert labels["title"] == "Loans per 1,000 residents, library services in England, 2024/25"
    assert labels["coverage"] == "England: 6 of 7 services reported"
    numbers = map_numbers(classes, labels, LOANS_ENTRY, "E3", (2024,))
    table = numbers.table
    assert table.columns == [
        "Service",
        "Service code",
        "Nation",
        "Loans (loans)",
        "Rate per 1,000 residents",
        "Status",
        AUDIT_MARK[0],
        AUDIT_NOTE[0],
        "Map class (1 = lowest)",
        "Selected service",
        CAVEAT[0],
    ]
    rows = {row["Service"]: row for row in table.iter_rows(named=True)}
    assert table["Service"].to_list() == sorted(table["Service"].to_list())
    # Five comparable rates 1,000 to 5,000: quantile breaks 1,000, 1,800, 2,600, 3,400, 4,200, 5,000.
    assert [rows[name]["Map class (1 = lowest)"] for name in ("Ashby", "Beckton", "Carlton", "Dunmore", "Elmet")] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert rows["City"]["Map class (1 = lowest)"] is None and rows["City"][CAVEAT[0]] == CITY_CAVEAT
    assert rows["Fairfield"]["Status"] == "no return" and rows["Fairfield"]["Rate per 1,000 residents"] is None
    assert [name for name, row in rows.items() if row["Selected service"]] == ["Carlton"]
    assert numbers.about.columns == (CAVEAT, AUDIT_MARK, AUDIT_NOTE)
    assert (numbers.about.title, numbers.about.period, numbers.about.notes) == (labels["title"], "2024/25", "")
    assert map_caption(classes, labels) == f"{labels['subtitle']}. {labels['coverage']}. {classes.note}"
    assert classes.note == "City left out of the classes (grey): its rates are not comparable."


def test_a_change_map_shows_both_years_the_change_and_who_is_in_englands_total() -> None:
    classes, labels = _classes((2023, 2024))
    numbers = map_numbers(classes, labels, LOANS_ENTRY, "", (2023, 2024))
    table = numbers.table
    assert table.columns[3:11] == [
        "Loans (loans), 2023/24",
        "Loans (loans), 2024/25",
        "Rate per 1,000 residents, 2023/24",
        "Rate per 1,000 residents, 2024/25",
        CHANGE_COLUMN[0],
        "Status, 2023/24",
        "Status, 2024/25",
        IN_TOTAL_COLUMN[0],
    ]
    rows = {row["Service"]: row for row in table.iter_rows(named=True)}
    assert rows["Beckton"][CHANGE_COLUMN[0]] == pytest.approx(100.0)  # 1,000 to 2,000
    assert rows["Carlton"][CHANGE_COLUMN[0]] == pytest.approx(50.0)  # 2,000 to 3,000
    assert rows["Fairfield"][CHANGE_COLUMN[0]] is None and rows["Fairfield"]["Status, 2024/25"] == "no return"
    in_total = [name for name, row in rows.items() if row[IN_TOTAL_COLUMN[0]]]
    assert in_total == ["Ashby", "Beckton", "Carlton", "City", "Dunmore", "Elmet"]  # caveated counts stay in
    assert not any(table["Selected service"])
    assert numbers.about.columns == (CAVEAT, CHANGE_COLUMN, IN_TOTAL_COLUMN)
    assert numbers.about.period == "2023/24 to 2024/25"
    assert numbers.about.notes.startswith(f"Colours: each service's own change in the rate (column '{CHANGE_COLUMN[0]}")


def test_the_hexagons_carry_the_maps_words_and_the_boundaries_source() -> None:
    classes, labels = _classes((2024,))
    layout = pl.DataFrame(
        {
            "service_code": list(SERVICES),
            "column": list(range(len(SERVICES))),
            "row": [0] * len(SERVICES),
            "x": [float(i) for i in range(len(SERVICES))],
            "y": [0.0] * len(SERVICES),
        }
    )
    figure = hex_map(layout, classes, labels)
    words = " ".join(annotation.text for annotation in figure.layout.annotations).replace("<br>", " ")
    assert f"{BOUNDARIES_SOURCE}." in words and labels["coverage"] in words


def test_the_web_map_and_the_png_draw_only_the_layers_that_are_on(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = {}
    monkeypatch.setattr(map_sections, "service_map", lambda boundaries, classes, **kw: asked.setdefault("web", kw))
    monkeypatch.setattr(map_sections, "map_png", lambda boundaries, classes, **kw: asked.setdefault("png", kw))
    classes, labels = _classes((2024,))
    points = pl.DataFrame({"lat": [51.5], "lon": [-0.1], "name": ["A library"]})
    web_map(None, classes, labels, _services(), points, ("priority", "basemap"))
    assert asked["web"]["outlines"] == {"priority": ["E1", "E4"]}
    assert asked["web"]["points"] is None and asked["web"]["basemap"] is True
    assert (asked["web"]["title"], asked["web"]["source"]) == (labels["title"], labels["source"])
    layers = png_layers(("basemap", "branches", "lucp"))
    assert layers == ("lucp", "branches")  # no basemap on a PNG, in one order whatever the control's
    png_map(None, classes, labels, _services(), points, layers, "E2")
    assert asked["png"]["outlines"] == {"lucp": []} and asked["png"]["points"] is points
    assert asked["png"]["selected"] == "E2" and asked["png"]["note"].startswith(labels["coverage"])


def test_the_png_is_named_for_its_title() -> None:
    _, labels = _classes((2024,))
    name = "library-services-map-loans-per-1-000-residents-library-services-in-england-2024-25.png"
    assert png_file_name(labels) == name
