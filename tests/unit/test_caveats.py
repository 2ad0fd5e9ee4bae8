"""Caveated rates (a per-resident rate that is not comparable, e.g. the City of London's): shown for the service with
the caveat beside it, left out of medians, ranks, distributions and map classes, kept in counts and totals."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import geopandas as gpd
import plotly.graph_objects as go
import polars as pl
import pytest
from shapely.geometry import box

from components.benchmark import benchmark_table
from components.charts.distribution import distribution_chart
from components.charts.strip import strip_chart
from components.classes import NO_DATA, NO_DATA_LABEL, classify
from components.exports import CAVEAT, About, caveat_column, readable_csv
from components.figure_layout import Labels
from components.hexmap import hex_figure, hex_layout
from components.sentences import benchmark_sentence, left_out_note
from components.trends import trend_lines
from components.web_map import service_map
from observatory_data.serving.benchmarks import benchmark
from observatory_data.serving.coverage import aggregate
from observatory_data.serving.rates import service_caveats, service_rates

CITY = "E09000001"
HOSTILE_CAVEAT = "<b>denominator effect</b>: residents are not its users & its rates are 15x the median"
CODES = [CITY, "E09000002", "E09000003", "E06000001", "E06000002", "E06000003", "W06000001"]
NAMES = ["City", "Barking", "Barnet", "Hartlepool", "Middlesbrough", "Stockton", "Anglesey"]
LABELS = Labels(title="Loans", subtitle="per 1,000 residents", source="Source: test", axis="loans per 1,000")


def _services() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "service_code": CODES,
            "service_name": NAMES,
            "nation": ["England"] * 6 + ["Wales"],
            "region": ["London"] * 3 + ["North East"] * 3 + [None],
            "priority_place": ["no", "yes", "no", "no", "no", "yes", "no"],
            "lucp": ["no", "no", "no", "no", "no", "yes", "no"],
            "imd_decile": [9, 1, 6, 1, 1, 2, None],
            "population": [10_000, 100_000, 100_000, 100_000, 100_000, 100_000, 70_000],
        }
    )


def _annual() -> pl.DataFrame:
    """City: 200,000 loans over 10,000 residents (20,000 per 1,000) with a caveat; the others 1,000-5,000 per 1,000;
    Stockton flagged (a caveat on a value that does not count has no rate to speak of); Anglesey not collected."""
    caveats = [HOSTILE_CAVEAT, None, None, None, None, "stray caveat on a flagged value", None]
    return pl.DataFrame(
        {
            "service_code": CODES,
            "year": [2023] * 7,
            "metric": ["loans"] * 7,
            "value": [200_000.0, 100_000.0, 300_000.0, 500_000.0, 200_000.0, 900_000.0, None],
            "status": ["reported", "reported", "corrected", "derived", "reported", "flagged", "not_collected"],
            "months_covered": [12] * 6 + [None],
            "caveat": caveats,
        },
        schema_overrides={"year": pl.Int32, "months_covered": pl.Int32},
    )


def _metrics() -> pl.DataFrame:
    return pl.DataFrame({"metric": ["loans"], "denominator": ["population"]})


def _rates() -> pl.DataFrame:
    return service_rates(_annual(), _services(), _metrics(), "loans", 2023)


def _row(frame: pl.DataFrame, code: str) -> dict:
    return frame.filter(pl.col("service_code") == code).row(0, named=True)


def test_service_rates_carry_the_caveat_only_where_there_is_a_rate() -> None:
    rates = _rates()
    city = _row(rates, CITY)
    assert city["rate"] == pytest.approx(20_000.0) and city["caveat"] == HOSTILE_CAVEAT
    stockton = _row(rates, "E06000003")
    assert stockton["rate"] is None and stockton["caveat"] is None
    assert service_caveats(_annual(), CITY, 2023) == [HOSTILE_CAVEAT]
    assert service_caveats(_annual(), "E06000003", 2023) == []  # flagged: not counted, so no rate to caveat


def test_a_caveated_peer_is_left_out_of_rank_and_median_but_its_count_stays_in_the_totals() -> None:
    rates = _rates().filter(pl.col("nation") == "England")
    result = benchmark(rates, "E09000002", [CITY, "E09000003", "E06000001"], "higher_is_better")
    # Barking 1,000; the comparable group: Barnet 3,000 and Hartlepool 5,000 (City's 20,000 left out).
    assert result.group_median == pytest.approx(4_000.0)
    assert (result.rank, result.ranked) == (3, 3)
    assert result.left_out == ("City",) and result.caveat is None
    sentence = benchmark_sentence(result, "similar services")
    assert sentence == (
        "3rd of 3 similar services with data (City left out: its rates are not comparable); below the group median."
    )
    # London's weighted rate keeps City's loans and residents: (200,000 + 100,000 + 300,000) / 210,000.
    assert result.region_rate.reported == 3
    assert result.region_rate.rate == pytest.approx(600_000 / 210_000 * 1000)
    assert aggregate(rates).total == pytest.approx(1_300_000.0)


def test_the_caveated_service_keeps_its_rate_and_caveat_but_is_neither_ranked_nor_set_against_the_median() -> None:
    rates = _rates().filter(pl.col("nation") == "England")
    result = benchmark(rates, CITY, ["E09000002", "E09000003"], "higher_is_better")
    assert result.rate == pytest.approx(20_000.0) and result.caveat == HOSTILE_CAVEAT
    assert result.rank is None and result.ranked == 2
    assert result.group_median == pytest.approx(2_000.0)
    assert "not comparable" in benchmark_sentence(result, "similar services")
    assert "above" not in benchmark_sentence(result, "similar services")
    table = benchmark_table({"loans": ({"label": "Loans"}, result)}, "similar services", region_name="London")
    row = table.row(0, named=True)
    assert row["Rate per 1,000"] == "20,000.0" and row["Caveat"] == HOSTILE_CAVEAT
    assert row["Rank (service and group)"] == "not ranked"


def test_the_benchmark_table_has_a_caveat_column_only_when_a_rate_needs_one() -> None:
    rates = _rates().filter(pl.col("nation") == "England")
    result = benchmark(rates, "E09000002", [CITY, "E09000003"], "higher_is_better")
    table = benchmark_table({"loans": ({"label": "Loans"}, result)}, "similar services", region_name="London")
    assert "Caveat" not in table.columns


def test_an_audit_mark_is_shown_beside_the_value_never_as_a_caveat() -> None:
    """A suspicious mark from the Libraries Hacked audit is a note beside a counted value: Barnet keeps its rate in
    the median and the rank, and its caveat stays empty."""
    annual = _annual().with_columns(
        audit_status=pl.when(pl.col("service_code") == "E09000003").then(pl.lit("suspicious")),
        audit_note=pl.when(pl.col("service_code") == "E09000003").then(pl.lit("Counted at the door.")),
    )
    rates = service_rates(annual, _services(), _metrics(), "loans", 2023).filter(pl.col("nation") == "England")
    barnet = _row(rates, "E09000003")
    assert barnet["caveat"] is None and barnet["audit_status"] == "suspicious"
    result = benchmark(rates, "E09000002", [CITY, "E09000003", "E06000001"], "higher_is_better")
    assert result.group_median == pytest.approx(4_000.0) and result.left_out == ("City",)
    own = benchmark(rates, "E09000003", ["E09000002", "E06000001"], "higher_is_better")
    assert own.caveat is None and own.rank == 2
    assert own.audit == "Marked suspicious by the Libraries Hacked audit: Counted at the door."
    table = benchmark_table({"loans": ({"label": "Loans"}, own)}, "similar services", region_name="London")
    assert "Caveat" not in table.columns and table["Audit mark"].item() == own.audit


def test_left_out_note_names_one_or_several() -> None:
    assert left_out_note([]) == ""
    assert left_out_note(["City"], " of the classes") == "City left out of the classes: its rates are not comparable"
    assert left_out_note(["A", "B", "C"]) == "A, B and C left out: their rates are not comparable"


def test_map_classes_leave_a_caveated_rate_out_of_the_breaks_yet_keep_its_row_value_and_caveat() -> None:
    classes = classify(_rates(), "higher_is_better")
    # Breaks over Barking 1,000, Barnet 3,000, Hartlepool 5,000, Middlesbrough 2,000: City's 20,000 is not in them.
    assert classes.breaks[0] == pytest.approx(1_000.0) and classes.breaks[-1] == pytest.approx(5_000.0)
    city = _row(classes.frame, CITY)
    assert city["class_index"] is None and city["colour"] == NO_DATA
    assert city["rate_text"] == "20,000.0" and city["value_text"] == "200,000"
    assert city["position_text"] == "not ranked: rate not comparable"
    assert HOSTILE_CAVEAT.replace(" ", "") in city["status_text"].replace("\n", "").replace(" ", "")
    assert _row(classes.frame, "E06000001")["position_text"] == "1st highest of 4 English services with data"
    assert classes.left_out == ("City",)
    assert classes.note == "City left out of the classes (grey): its rates are not comparable."
    assert (NO_DATA, NO_DATA_LABEL) in classes.legend("")


def test_the_map_tooltip_and_legend_carry_the_caveat_escaped_and_on_lines_of_their_own() -> None:
    boundaries = gpd.GeoDataFrame(
        {"service_code": CODES}, geometry=[box(-2 + i * 0.1, 52, -1.9 + i * 0.1, 52.1) for i in range(7)], crs=4326
    )
    document = (
        service_map(
            boundaries,
            classify(_rates(), "higher_is_better"),
            title="Loans",
            unit="per 1,000",
            coverage="5 of 6 English services reported",
            outlines={},
            points=None,
        )
        .get_root()
        .render()
    )
    assert "<b>denominator effect</b>" not in document
    status = [json.loads(f'"{raw}"') for raw in re.findall(r'"status_text": ?"([^"]*)"', document)]
    city = next(text for text in status if "denominator" in text)
    assert city.startswith("reported; rate not comparable: &lt;b&gt;denominator effect&lt;/b&gt;")
    assert "<br>" in city and "&amp; its rates" in city.replace("<br>", " ")
    assert "City left out of the classes (grey): its rates are not comparable." in document


def test_the_hex_map_hover_and_note_carry_the_caveat() -> None:
    centroids = pl.DataFrame({"service_code": CODES, "lon": [-2 + i * 0.3 for i in range(7)], "lat": [52.0] * 7})
    classes = classify(_rates(), "higher_is_better")
    figure = hex_figure(hex_layout(centroids), classes, title="t", subtitle="s", unit="per 1,000", source="", note="n")
    services = next(trace for trace in figure.data if trace.name == "Services")
    city = next(row for row in services.customdata if row[0] == CITY)
    assert "rate not comparable: &lt;b&gt;denominator effect&lt;/b&gt;" in city[5]
    footer = figure.layout.annotations[-1].text.replace("<br>", " ")
    assert "City left out of the classes (grey): its rates are not comparable." in footer


def _trace(figure: go.Figure, start: str) -> go.Scatter:
    return next(trace for trace in figure.data if (trace.name or "").startswith(start))


def test_strip_chart_draws_a_caveated_rate_apart_beyond_the_axis_and_out_of_the_group_median() -> None:
    rates = _rates().filter(pl.col("nation") == "England")
    figure = strip_chart(
        rates,
        LABELS,
        highlight="E06000002",
        group=[CITY, "E09000002", "E09000003"],
        group_name="Comparison group",
        polarity="higher_is_better",
        reference_lines={"Group median": 2_000.0},
    )
    # Group without City: Barking 1,000 and Barnet 3,000, median 2,000; with City it would be 3,000 (Barnet below).
    assert list(_trace(figure, "Comparison group: above").customdata) == ["Barnet"]
    assert list(_trace(figure, "Comparison group: below").customdata) == ["Barking"]
    apart = _trace(figure, "Rate not comparable")
    assert apart.name == "Rate not comparable (not in the group median)"
    # Drawn just beyond the largest comparable value (Hartlepool 5,000), an arrow, with the real rate on hover.
    assert list(apart.x) == [pytest.approx(5_200.0)] and list(apart.marker.symbol) == ["triangle-right"]
    assert apart.hovertext[0].startswith("City: 20,000.0 (beyond the axis, drawn at its end)<br>Rate not comparable")
    assert "&lt;b&gt;denominator" in apart.hovertext[0] and "<b>denominator" not in apart.hovertext[0]
    assert not any("City" in str(trace.customdata) for trace in figure.data if trace is not apart)


def test_strip_chart_of_the_caveated_service_shows_its_own_rate_with_the_caveat() -> None:
    rates = _rates().filter(pl.col("nation") == "England")
    figure = strip_chart(
        rates,
        LABELS,
        highlight=CITY,
        group=["E09000002", "E09000003"],
        group_name="Comparison group",
        polarity="higher_is_better",
        reference_lines={},
    )
    own = _trace(figure, "City")
    assert list(own.x) == [pytest.approx(20_000.0)] and list(own.text) == ["City"]
    assert "Rate not comparable: &lt;b&gt;denominator" in own.hovertext[0]
    assert not [trace for trace in figure.data if (trace.name or "").startswith("Rate not comparable")]


def test_distribution_boxes_leave_the_caveated_rate_out_and_draw_it_apart() -> None:
    grouped = _rates().filter(pl.col("nation") == "England").with_columns(group=pl.lit("All"))
    figure = distribution_chart(grouped, LABELS, group_order=["All"], weighted={"All": 2_500.0})
    box_trace = next(trace for trace in figure.data if isinstance(trace, go.Box))
    assert sorted(box_trace.y) == [1_000.0, 2_000.0, 3_000.0, 5_000.0]
    apart = _trace(figure, "Rate not comparable")
    assert list(apart.x) == ["All"] and list(apart.y) == [pytest.approx(5_200.0)]
    assert list(apart.marker.symbol) == ["triangle-up"] and "Rate not comparable" in apart.hovertext[0]


def test_csv_export_has_a_caveat_column_described_in_its_header_block() -> None:
    rates = _rates().filter(pl.col("rate").is_not_null()).sort("service_code")
    frame = rates.select(pl.col("service_name").alias("Service"), pl.col("rate").alias("Rate"), caveat_column())
    about = About("Loans", "Loans", "All loans.", "loans", "2023/24", "residents", "test", "OGL", columns=(CAVEAT,))
    text = readable_csv(frame, about).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert ["Column: Caveat", CAVEAT[1]] in rows
    header = rows.index(["Service", "Rate", "Caveat"])
    table = {row[0]: row for row in rows[header + 1 :]}
    assert table["City"] == ["City", "20000.0", HOSTILE_CAVEAT]
    assert table["Barking"] == ["Barking", "1000.0", ""]


def test_trend_note_carries_the_caveat_when_rates_are_drawn() -> None:
    monthly = pl.DataFrame(
        {
            "service_code": [CITY] * 12,
            "metric": ["loans"] * 12,
            "shape": ["monthly"] * 12,
            "period": [date(2023 + (month + 3) // 12, (month + 3) % 12 + 1, 1) for month in range(12)],
            "value": [1_000.0] * 12,
        }
    )
    metric = {"metric": "loans", "denominator": "population", "unit": "loans"}
    for measure, shown in (("rate", True), ("count", False)):
        lines = trend_lines(monthly, _services(), metric, {}, CITY, "City", measure, "big daytime population.")
        assert ("City's rate is not comparable with other services': big daytime population." in lines.note) is shown
