"""Change over time (issue 10): matched sets, rates per year against the group median, change in words, estimates
per year, on tiny frames."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import pytest

from components.charts.estimates import estimate_chart
from components.charts.lines import line_chart
from components.figure_layout import Labels
from components.text import change_sentence, change_words, counted_by_year, estimates_table, years_words
from components.trends import year_trend_lines
from observatory_data.serving.benchmarks import Change, change_between, median_by_year
from observatory_data.serving.coverage import services_returning
from observatory_data.serving.rates import service_rates_by_year
from observatory_data.serving.series import matched_codes, yearly_sums
from tests.support.change import LOANS, SERVICES, YEARS

LABELS = Labels(title="Loans", subtitle="per year", source="Source: test", axis="loans")
METRICS = pl.DataFrame(
    {"metric": ["loans"], "label": ["Loans"], "unit": ["loans"], "denominator": ["population"]},
)


def test_the_matched_set_is_the_services_countable_in_every_year() -> None:
    assert matched_codes(LOANS, "loans", YEARS) == ["A", "C", "CITY"]
    assert matched_codes(LOANS, "loans", [2024, 2025]) == ["A", "C", "CITY", "D"]
    assert matched_codes(LOANS, "loans", [2023, 2025]) == ["A", "B", "C", "CITY"]


def test_yearly_sums_weigh_by_population_over_the_matched_set_and_keep_caveated_counts() -> None:
    sums = yearly_sums(LOANS, SERVICES, "loans", "population", YEARS, {"North": ["A", "B"], "All": list("ABCD")})
    north = sums.filter(pl.col("series") == "North")
    assert north["value"].to_list() == [1_000.0, 1_100.0, 1_200.0]  # B is out: flagged in 2024
    assert north["rate"].to_list() == pytest.approx([1_000.0, 1_100.0, 1_200.0])  # A alone: 1,000 residents
    assert north["services"].to_list() == [1, 1, 1] and north["of"].to_list() == [2, 2, 2]
    every = sums.filter(pl.col("series") == "All")
    assert every["value"].to_list() == [1_500.0, 1_700.0, 1_900.0]
    assert every["rate"].to_list() == pytest.approx([750.0, 850.0, 950.0])  # sum of values / sum of population
    london = yearly_sums(LOANS, SERVICES, "loans", "population", YEARS, {"London": ["CITY"]})
    assert london["value"].to_list() == [5_000.0, 6_000.0, 7_000.0]  # a caveat removes a rate, never a count


def test_a_group_with_nothing_matched_keeps_its_rows_empty_never_zero() -> None:
    sums = yearly_sums(LOANS, SERVICES, "loans", "population", YEARS, {"South": ["D"], "Nobody": []})
    assert sums["series"].to_list() == ["South"] * 3 + ["Nobody"] * 3
    assert sums["value"].null_count() == 6 and sums["rate"].null_count() == 6
    assert sums["services"].to_list() == [0] * 6 and sums["of"].to_list() == [1] * 3 + [0] * 3


def test_unmatched_sums_follow_whoever_counted_that_year() -> None:
    own = yearly_sums(LOANS, SERVICES, "loans", "population", YEARS, {"Birch": ["B"]}, matched=False)
    assert own["value"].to_list() == [4_000.0, None, 4_400.0]
    assert own["rate"].to_list() == [2_000.0, None, 2_200.0]


def test_the_group_median_per_year_leaves_out_the_service_and_caveated_rates() -> None:
    rates = service_rates_by_year(LOANS, SERVICES, METRICS, "loans", YEARS)
    over = median_by_year(rates, "A", ["A", "B", "C", "D", "CITY"])
    assert over["rate"].to_list() == pytest.approx([1_000.0, 1_100.0, 1_200.0])
    # 2023: B 2,000 and C 500 (D no return, CITY caveated); 2024: C 600, D 2,000; 2025: B 2,200, C 700, D 2,000.
    assert over["median"].to_list() == pytest.approx([1_250.0, 1_300.0, 2_000.0])
    assert over["members"].to_list() == [2, 2, 3] and over["of"].to_list() == [4, 4, 4]
    same = median_by_year(rates, "A", ["A", "B", "C", "D", "CITY"], matched=True)
    assert same["median"].to_list() == pytest.approx([500.0, 600.0, 700.0])  # C alone is comparable every year
    assert same["members"].to_list() == [1, 1, 1]


def test_change_is_given_only_where_both_years_count() -> None:
    both = service_rates_by_year(LOANS, SERVICES, METRICS, "loans", [2023, 2025])
    change = change_between(both, "A", ["B", "C", "D", "CITY"])
    assert (change.first, change.last, change.years) == (2023, 2025, (2023, 2025))
    assert change.own == pytest.approx(0.2)
    # Members comparable in both 2023 and 2025: B (2,000 -> 2,200) and C (500 -> 700); D had no 2023 return.
    assert change.members == 2 and change.median == pytest.approx((2_200 + 700) / (2_000 + 500) - 1)
    # Over three years B drops out too (flagged in 2024): the median's change is C's, as the chart's line shows.
    three = service_rates_by_year(LOANS, SERVICES, METRICS, "loans", YEARS)
    assert change_between(three, "A", ["B", "C", "D", "CITY"]).median == pytest.approx(700 / 500 - 1)
    assert change_between(both, "D", ["A"]).own is None  # no 2023 return
    assert change_between(three, "B", ["A"]).own == pytest.approx(0.1)  # both ends count; 2024 does not matter
    assert change_between(both, "CITY", ["A"]).own == pytest.approx(0.4)  # like for like, caveat or not
    nobody = change_between(both, "A", ["D"])
    assert nobody.median is None and nobody.members == 0


@pytest.mark.parametrize(
    ("change", "words"),
    [(0.0619, "up 6.2%"), (-0.02, "down 2.0%"), (0.0004, "unchanged"), (-0.111, "down 11.1%")],
)
def test_change_words(change: float, words: str) -> None:
    assert change_words(change) == words


def test_change_sentence_says_each_half_or_why_not() -> None:
    subject = "Physical visits per 1,000 residents"
    # The median's half names its measure and the members it rests on, the same every year.
    assert change_sentence(subject, Change((2023, 2024, 2025), 0.06, 0.02, 9), "neighbours") == (
        "Physical visits per 1,000 residents up 6.0% from 2023/24 to 2025/26 (its own rate); the median rate of the 9 "
        "neighbours comparable in all three years up 2.0%."
    )
    missing = change_sentence(subject, Change((2023, 2024), None, None, 0))
    assert "no change given from 2023/24 to 2024/25 (not countable in both years)" in missing
    assert "no change given for the group's median rate (none of its services is comparable in both years)" in missing
    assert "the median rate of the 1 service comparable in both years down 10.0%" in change_sentence(
        subject, Change((2023, 2024), 0.1, -0.1, 1)
    )
    assert change_sentence(subject, Change((2023,), 0.0, 0.0, 3)).startswith("2023/24 is the first year")


def _estimate(year: int, estimate: float | None, low: float, high: float, indicative: bool = False) -> dict:
    return {
        "year": year, "metric": "loans", "estimate": estimate, "estimate_low": low, "estimate_high": high,
        "reported_total": 100.0, "services_reporting": 100, "services_total": 153, "population_share": 0.7,
        "indicative": indicative, "indicative_reason": "under the threshold" if indicative else None,
    }  # fmt: skip


def test_estimates_table_says_indicative_where_the_national_table_does() -> None:
    table = estimates_table(
        pl.DataFrame([_estimate(2024, 120e6, 115e6, 125e6), _estimate(2023, 100e6, 90e6, 110e6, True)]),
        {"loans": "Loans"},
    )
    assert table["Year"].to_list() == ["2023/24", "2024/25"]
    assert table.row(0, named=True) == {
        "Metric": "Loans", "Year": "2023/24", "Estimate": "100.0 million",
        "95% interval": "90.0 million to 110.0 million",
        "Reported sum": "100", "Services reporting": "100 of 153", "Share of residents": "70.0%",
        "Label": "indicative", "Why indicative": "under the threshold",
    }  # fmt: skip
    assert (table["Label"][1], table["Why indicative"][1]) == ("estimate", "")


def test_estimate_chart_draws_intervals_and_indicative_estimates_open() -> None:
    estimates = pl.DataFrame([_estimate(2023, 100.0, 90.0, 110.0, True), _estimate(2024, 120.0, 115.0, 130.0)])
    figure = estimate_chart(estimates.with_columns(year=pl.Series(["2023/24", "2024/25"])), LABELS)
    solid, indicative, reported = figure.data
    assert (
        list(solid.x) == ["2024/25"] and list(solid.error_y.array) == [10.0] and list(solid.error_y.arrayminus) == [5.0]
    )
    assert indicative.marker.symbol == "circle-open" and "indicative" in indicative.name
    assert list(reported.y) == [100.0, 100.0] and "reported" in reported.name.lower()
    assert figure.layout.xaxis.type == "category"


def test_a_line_chart_over_named_years_is_categorical_with_plain_hover() -> None:
    frame = pl.DataFrame({"series": ["E", "E"], "period": ["2023/24", "2024/25"], "value": [1.0, 2.0]})
    figure: go.Figure = line_chart(frame.with_columns(shape=pl.lit("linear")), LABELS)
    assert figure.layout.xaxis.type == "category"
    assert "%{x}:" in figure.data[0].hovertemplate and "%b" not in figure.data[0].hovertemplate


def test_year_trend_lines_index_each_line_on_its_first_year_and_count_the_matched_set() -> None:
    entry = {"metric": "loans", "unit": "loans", "denominator": "population"}
    lines = year_trend_lines(LOANS, SERVICES, entry, {"All": list("ABCD")}, "B", "Birch", "index", YEARS)
    assert lines.axis == "Index, 2023/24 = 100"
    all_ = lines.frame.filter(pl.col("series") == "All")
    assert all_["period"].to_list() == ["2023/24", "2024/25", "2025/26"]
    assert all_["value"].to_list() == pytest.approx([100.0, 1_700 / 15, 1_900 / 15])
    assert lines.frame.filter(pl.col("series") == "Birch")["value"].to_list() == pytest.approx([100.0, None, 110.0])
    assert lines.note == (
        "All: the total of the 2 of 4 services countable in all three years; Birch: no countable value for 2024/25."
    )
    # Each line's change names its measure and n: A and C, 1,500 to 1,900; Birch's own count, 4,000 to 4,400.
    assert lines.change == (
        "Change from 2023/24 to 2025/26: All up 26.7% (the total of the 2 of 4 services countable in all three "
        "years); Birch up 10.0% (its own count)."
    )
    assert lines.measure.startswith("Each group's line is the total of its services countable in all three years")
    assert years_words([2024]) == "in 2024/25" and years_words([2023, 2024]) == "in both years"


def test_counted_by_year_and_services_returning() -> None:
    metrics = pl.DataFrame({"metric": ["loans", "visits"], "label": ["Loans", "Visits"]})
    table = counted_by_year(LOANS, metrics)
    assert table.columns == ["Metric", "2023/24", "2024/25", "2025/26"]
    assert table.row(0) == ("Loans", 4, 4, 5)  # a metric with no ACE values has no row
    assert [services_returning(LOANS, year) for year in YEARS] == [4, 5, 5]  # a flagged value is still a return
