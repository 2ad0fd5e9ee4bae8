"""The benchmark table as the page shows it: one number format, words for missing values, headers that explain."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from components.benchmark import AUDIT_HEADER, COVERAGE_HEADER, NO_VALUE, SHORT_HEADERS, benchmark_table
from observatory_data.serving.benchmarks import Benchmark
from observatory_data.serving.coverage import Aggregate
from observatory_data.serving.formats import NO_FIGURE

VISITS = Benchmark(
    rate=2460.0999,
    status="reported",
    rank=3,
    ranked=11,
    group_size=15,
    group_median=3102.0,
    region_rate=Aggregate(total=5_000_000.0, rate=2291.46, reported=14, of=15),
    england_rate=Aggregate(total=100_000_000.0, rate=1900.3, reported=140, of=151),
)
NO_RETURN = Benchmark(
    rate=None,
    status="no_return",
    rank=None,
    ranked=9,
    group_size=15,
    group_median=None,
    region_rate=Aggregate(total=None, rate=None, reported=0, of=15),
    england_rate=Aggregate(total=10.0, rate=0.0, reported=1, of=151),
)


def _table() -> pl.DataFrame:
    results = {"visits": ({"label": "Physical visits"}, VISITS), "events": ({"label": "Events"}, NO_RETURN)}
    return benchmark_table(results, "similar services", region_name="Yorkshire and The Humber")


def test_headers_name_the_region_and_say_what_rank_and_median_count() -> None:
    assert _table().columns == [
        "Metric",
        "In words",
        "Rate per 1,000",
        "Rank (service and group)",
        "Group median (excluding the service)",
        "Region: Yorkshire and The Humber",
        "England",
        "Services reported (region; England)",
    ]


def test_numbers_share_one_format_with_thousands_separators() -> None:
    visits = _table().row(0, named=True)
    assert visits["Rate per 1,000"] == "2,460.1"
    assert visits["Group median (excluding the service)"] == "3,102.0"
    assert visits["Rank (service and group)"] == "3 of 11"
    assert visits["Region: Yorkshire and The Humber"] == "2,291.5"
    assert visits["England"] == "1,900.3"
    assert visits[COVERAGE_HEADER] == "14 of 15; 140 of 151"


def test_missing_values_read_no_value_never_none_and_a_real_zero_stays_zero() -> None:
    table = _table()
    events = table.row(1, named=True)
    assert events["Rate per 1,000"] == events["Group median (excluding the service)"] == NO_VALUE == "no value"
    assert events["Rank (service and group)"] == "not ranked"
    assert events["Region: Yorkshire and The Humber"] == "no value"
    assert events["England"] == "0.0"
    assert events[COVERAGE_HEADER] == "0 of 15; 1 of 151"
    assert all(dtype == pl.String for dtype in table.dtypes)
    assert table.null_count().sum_horizontal().item() == 0


def test_a_metric_missing_from_a_return_the_service_made_is_not_no_return() -> None:
    assert _table().row(1, named=True)["In words"] == "Not ranked: no return."
    returned = {"events": ({"label": "Events"}, replace(NO_RETURN, returned=True))}
    table = benchmark_table(returned, "similar services", region_name="Yorkshire and The Humber")
    assert table.row(0, named=True)["In words"] == f"Not ranked: {NO_FIGURE}."


def test_an_audit_mark_gets_its_own_column_only_when_a_figure_has_one() -> None:
    assert AUDIT_HEADER not in _table().columns
    marked = replace(VISITS, audit="Marked suspicious by the Libraries Hacked audit: Counted at the door.")
    results = {"visits": ({"label": "Physical visits"}, marked), "events": ({"label": "Events"}, NO_RETURN)}
    table = benchmark_table(results, "similar services", region_name="Yorkshire and The Humber")
    assert table[AUDIT_HEADER].to_list() == [marked.audit, ""]
    assert table.columns[-1] == AUDIT_HEADER and "Caveat" not in table.columns


def test_cells_stay_short_enough_to_read_whole_beside_the_sidebar() -> None:
    """At 1440 px the England column was cut ("2,390.3 (107 of 1"): a rate's cell holds the rate alone, the coverage
    has its own column, and the long headers have short names for the screen (the long ones stay as their help)."""
    table = _table()
    for column in ("Rate per 1,000", "Group median (excluding the service)", "England"):
        assert max(table[column].str.len_chars()) <= len("100,000.0"), column
    assert set(SHORT_HEADERS) <= set(table.columns)
    assert all(len(short) < len(long) for long, short in SHORT_HEADERS.items())
