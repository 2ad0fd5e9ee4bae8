"""Change between two years on small frames: percentages by hand, a missing year grey and null, a caveated service
left out of the median and the steps, symmetric classes around zero; the Priority Places gap on a fixed panel."""

from __future__ import annotations

import io

import geopandas as gpd
import polars as pl
import pytest
from PIL import Image
from shapely.geometry import box

from components.classes import CHANGE_NO_DATA_LABEL, DIVERGING, NO_DATA, NOT_COLLECTED, change_step, classify_change
from components.figure_layout import Labels
from components.gaps import gap_bars
from components.hexmap import hex_figure, hex_layout
from components.sentences import gap_trend_sentence
from components.static_map import map_png
from components.web_map import service_map
from observatory_data.serving.catalogue import change_source
from observatory_data.serving.change import change_summary, england_change, rate_change
from observatory_data.serving.periods import span
from observatory_data.serving.places_groups import ANY_CULTURE, ANY_PRIORITY, gap_over_years, service_rates_by_metric

CODES = ["E1", "E2", "E3", "E4", "E5", "W1"]
CAVEAT = "denominator effect: its residents are not its users"


def _tables(years: dict[int, list[tuple[float | None, str, str | None]]]) -> tuple[pl.DataFrame, ...]:
    """annual, services and metrics for one metric ('loans'), with each service's (value, status, caveat) per year."""
    services = pl.DataFrame(
        {
            "service_code": CODES,
            "service_name": [f"Service {code}" for code in CODES],
            "nation": ["England"] * 5 + ["Wales"],
            "region": ["North"] * 5 + [None],
            "priority_place": ["yes", "yes", "no", "no", "unknown", "no"],
            "lucp": ["yes", "no", "no", "no", "no", "no"],
            "imd_decile": [1, 2, 3, 4, 5, None],
            "population": [1000, 2000, 1000, 500, 1000, 1000],
        }
    )
    metrics = pl.DataFrame({"metric": ["loans"], "denominator": ["population"]})
    annual = pl.DataFrame(
        [
            {
                "service_code": code,
                "year": year,
                "metric": "loans",
                "value": value,
                "status": status,
                "months_covered": 12,
                "caveat": caveat,
            }
            for year, rows in years.items()
            for code, (value, status, caveat) in zip(CODES, rows, strict=True)
        ],
        schema_overrides={"caveat": pl.String, "value": pl.Float64},
    )
    return annual, services, metrics


REPORTED = "reported"
YEARS = {
    # E1 +10%, E2 -25%, E3 no return in 2025, E4 caveated (+100%), E5 zero in 2023; W1 not collected.
    2023: [(1000.0, REPORTED, None), (4000.0, REPORTED, None), (600.0, REPORTED, None), (100.0, REPORTED, CAVEAT),
           (0.0, REPORTED, None), (None, "not_collected", None)],
    2024: [(1050.0, REPORTED, None), (3500.0, REPORTED, None), (500.0, REPORTED, None), (150.0, REPORTED, CAVEAT),
           (10.0, REPORTED, None), (None, "not_collected", None)],
    2025: [(1100.0, REPORTED, None), (3000.0, REPORTED, None), (None, "no_return", None), (200.0, REPORTED, CAVEAT),
           (20.0, REPORTED, None), (None, "not_collected", None)],
}  # fmt: skip


def _changes() -> pl.DataFrame:
    return rate_change(*_tables(YEARS), "loans", 2023, 2025)


def _row(frame: pl.DataFrame, code: str) -> dict:
    return frame.filter(pl.col("service_code") == code).row(0, named=True)


def test_percentage_change_of_the_rate_by_hand() -> None:
    changes = _changes()
    first = _row(changes, "E1")
    assert (first["rate_from"], first["rate_to"]) == (1000.0, 1100.0)  # per 1,000 of 1,000 residents
    assert first["change"] == pytest.approx(10.0)
    assert _row(changes, "E2")["change"] == pytest.approx(-25.0)  # 2,000 to 1,500 per 1,000 residents
    assert _row(changes, "E4")["change"] == pytest.approx(100.0)


def test_a_missing_year_or_a_zero_start_gives_no_change_never_zero() -> None:
    changes = _changes()
    missing = _row(changes, "E3")
    assert missing["rate_to"] is None and missing["status_to"] == "no_return" and missing["change"] is None
    assert _row(changes, "E5")["change"] is None  # a rate of zero cannot grow by a percentage
    assert _row(changes, "W1")["change"] is None


def test_a_caveated_service_keeps_its_change_but_is_left_out_of_the_median() -> None:
    changes = _changes()
    assert _row(changes, "E4")["caveat"] == CAVEAT
    annual, services, _ = _tables(YEARS)
    summary = change_summary(changes, england_change(annual, services, "loans", 2023, 2025))
    # E1 +10 and E2 -25 only: E3 and E5 have no change, E4 is caveated, W1 is not English.
    assert (summary.compared, summary.of) == (2, 5)
    assert summary.median == pytest.approx(-7.5)
    # The headline counts every English count in both years, caveated or from zero: E1, E2, E4 and E5, not E3.
    assert (summary.matched.services, summary.matched.of) == (4, 5)
    assert summary.matched.change == pytest.approx((1100 + 3000 + 200 + 20) / (1000 + 4000 + 100 + 0) - 1)


def test_change_classes_are_symmetric_around_zero_and_missing_is_grey() -> None:
    classes = classify_change(_changes(), 2023, 2025, "per 1,000 residents")
    # The median absolute change of E1 and E2 is 17.5: the nearest nice step is 20.
    assert change_step(pl.Series([10.0, -25.0]).to_numpy()) == 20.0
    assert classes.breaks[1:-1] == [-40.0, -20.0, 0.0, 20.0, 40.0]
    assert classes.colours == DIVERGING and len(classes.labels) == len(DIVERGING)
    assert classes.labels[0] == "under \u221240%" and classes.labels[-1] == "+40% or more"
    frame = {row["service_code"]: row for row in classes.frame.iter_rows(named=True)}
    assert frame["E1"]["colour"] == DIVERGING[3] and frame["E1"]["change_text"] == "+10.0%"  # 0% to +20%
    assert frame["E2"]["colour"] == DIVERGING[1] and frame["E2"]["change_text"] == "\u221225.0%"  # -40% to -20%
    for code in ("E3", "E4", "E5"):
        assert frame[code]["colour"] == NO_DATA and frame[code]["class_index"] is None
    assert frame["W1"]["colour"] == NOT_COLLECTED
    assert frame["E3"]["to_text"] == "no countable value" and "2025/26 no return" in frame["E3"]["status_text"]
    # The caveated service: grey, its change and the reason in the tooltip, named in the note.
    assert frame["E4"]["change_text"] == "+100.0%" and "rate not comparable" in frame["E4"]["status_text"]
    assert classes.left_out == ("Service E4",) and "Service E4 left out" in classes.note
    assert (NO_DATA, CHANGE_NO_DATA_LABEL) in classes.legend("")
    assert [label for _, label in classes.fields][1:3] == [
        "2023/24 (per 1,000 residents)",
        "2025/26 (per 1,000 residents)",
    ]


def test_every_view_draws_the_change_classes() -> None:
    classes = classify_change(_changes(), 2023, 2025, "per 1,000 residents")
    boundaries = gpd.GeoDataFrame(
        {"service_code": CODES}, geometry=[box(-2 + i * 0.1, 52, -1.9 + i * 0.1, 52.1) for i in range(6)], crs=4326
    )
    web = (
        service_map(boundaries, classes, title="t", unit="% change", coverage="c", outlines={}, points=None)
        .get_root()
        .render()
    )
    assert "steps of 20% either side of no change" in web and CHANGE_NO_DATA_LABEL in web
    assert "2023/24 (per 1,000 residents)" in web and "+100.0%" in web
    centroids = pl.DataFrame({"service_code": CODES, "lon": [i * 0.1 for i in range(6)], "lat": [52.0] * 6})
    figure = hex_figure(hex_layout(centroids), classes, title="t", subtitle="s", unit="%", source="src", note="n")
    services = figure.data[-1]
    assert "Change in the rate: %{customdata[2]}" in services.hovertemplate
    png = map_png(boundaries, classes, title="t", subtitle="s", unit="% change", note="n")
    assert Image.open(io.BytesIO(png)).width >= 2000


def test_source_and_span_name_both_years() -> None:
    assert span(2023, 2025) == "2023/24 to 2025/26"
    source = change_source(2023, 2025)
    assert "2023/24 and 2025/26" in source and "for both years" in source


def _gaps() -> pl.DataFrame:
    annual, services, metrics = _tables(YEARS)
    return gap_over_years(service_rates_by_metric(annual, services, metrics, {"loans": [2023, 2024, 2025]}))


def test_the_gap_is_on_services_countable_in_every_year_with_its_change() -> None:
    gaps = _gaps()
    priority = gaps.filter(pl.col("group") == ANY_PRIORITY).sort("year")
    # Priority Places: E1 and E2 (both every year); the rest: E3 and E4, but E3 has no 2025 return, so E4 alone.
    assert priority["services"].to_list() == [2, 2, 2] and priority["of"].to_list() == [2, 2, 2]
    assert priority["rest_services"].to_list() == [1, 1, 1] and priority["rest_of"].to_list() == [2, 2, 2]
    # 2023: (1,000 + 4,000) / 3,000 residents = 1,666.7 per 1,000 against E4's 200: +733.3%.
    first = priority.row(0, named=True)
    assert first["rate"] == pytest.approx(5000 / 3) and first["rest_rate"] == pytest.approx(200.0)
    assert first["gap"] == pytest.approx(5000 / 3 - 200) and first["gap_percent"] == pytest.approx(2500 / 3 - 100)
    assert first["gap_change"] is None and first["gap_percent_change"] is None
    # 2025: 4,100 / 3,000 = 1,366.7 against 400: the gap shrank by 500 points in the rate.
    last = priority.row(-1, named=True)
    assert last["gap"] == pytest.approx(4100 / 3 - 400)
    assert last["gap_change"] == pytest.approx((4100 / 3 - 400) - (5000 / 3 - 200))
    assert last["gap_percent_change"] == pytest.approx((4100 / 1200 - 1) * 100 - (5000 / 600 - 1) * 100)
    culture = gaps.filter(pl.col("group") == ANY_CULTURE)
    assert culture["services"].to_list() == [1, 1, 1]  # E1 only


def test_gap_trend_sentence_says_direction_points_and_services() -> None:
    sentence = gap_trend_sentence(_gaps(), "loans", ANY_PRIORITY)
    assert sentence == (
        "Any Priority Place, change of the gap on the same services: 733.3% above Neither (known) in 2023/24 and "
        "241.7% above in 2025/26, so the gap narrowed by 491.7 percentage points (the 2 of 2 services in the group "
        "and 1 of 2 in Neither (known) countable in every year from 2023/24 to 2025/26)."
    )


def test_gap_bars_one_bar_a_year_and_none_where_no_gap() -> None:
    frame = pl.DataFrame(
        {
            "category": ["Loans<br>2 + 1 services"] * 2 + ["Visits<br>0 + 1 services"] * 2,
            "series": ["2023/24", "2025/26"] * 2,
            "gap_percent": [-10.0, -14.9, None, None],
        }
    )
    figure = gap_bars(
        frame,
        Labels(title="t", subtitle="s", source="src", axis="a"),
        category="category",
        series="series",
        value="gap_percent",
    )
    assert [trace.name for trace in figure.data] == ["2023/24", "2025/26"]
    assert list(figure.data[1].text) == ["\u221215%", None]
    assert figure.layout.margin.l >= 6 * len("0 + 1 services")  # room for the longest line of a label
    long = frame.with_columns(category=pl.lit("Loans of books, audiobooks, eBooks and eAudio (renewals included)"))
    labels = Labels(title="t", subtitle="s", source="src", axis="a")
    wrapped = gap_bars(long, labels, category="category", series="series", value="gap_percent")
    assert (
        wrapped.layout.margin.l < 300 and "<br>" in wrapped.data[0].y[0]
    )  # a long name wraps, the plot keeps its width
