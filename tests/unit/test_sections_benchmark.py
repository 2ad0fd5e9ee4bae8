"""The Service benchmark page's sections on tiny tables, without Streamlit: who a service is compared with, the
words above the benchmark, the headline table, the strip of one metric, its years, and the profile of a service
outside England."""

from __future__ import annotations

import polars as pl
import pytest

from components.exports import AUDIT_MARK, AUDIT_NOTE, CAVEAT
from components.profile import NOT_COLLECTED
from components.sections.benchmark_charts import strip_section, trend_section
from components.sections.benchmark_profile import NO_POINTS, POINTS_SOURCE, facts_list, profile_section, prompt_words
from components.sections.benchmark_sections import (
    benchmark_choices,
    chosen_group,
    headline_section,
    measure,
    nearest_neighbours,
    opening,
)
from observatory_data.serving.catalogue import HEADLINE_METRICS
from tests.support.network import NETWORK
from tests.support.network import SERVICES as NETWORK_SERVICES

CODES = ["A", "B", "C", "D", "E", "W"]
NAMES = dict(zip(CODES, ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Cymru"], strict=True))
CAVEAT_TEXT = "denominator effect: rates per resident are not comparable"
SOURCE = "ACE Libraries Activity Data 2023/24"


def _services() -> pl.DataFrame:
    """Five English services and a Welsh one, 1,000 residents each: a rate per 1,000 is the count itself."""
    return pl.DataFrame(
        {
            "service_code": CODES,
            "service_name": list(NAMES.values()),
            "nation": ["England"] * 5 + ["Wales"],
            "region": ["North", "North", "South", "South", "South", "Wales"],
            "priority_place": ["no"] * 6,
            "lucp": ["no"] * 6,
            "imd_decile": [1, 2, 3, 4, 5, None],
            "population": [1_000.0] * 6,
        }
    )


def _annual() -> pl.DataFrame:
    """Loans in 2023 and 2024: Alpha 2,000 then 3,000; Beta 1,000 both years; Gamma 1,500 then 2,000; Delta 4,000
    then 5,000 with a caveat; Epsilon 2023 only (no return in 2024). Visits in 2024 for Alpha and Beta."""
    loans = {"A": (2_000.0, 3_000.0), "B": (1_000.0, 1_000.0), "C": (1_500.0, 2_000.0), "D": (4_000.0, 5_000.0)}
    rows = [
        (code, year, "loans", value, "reported", CAVEAT_TEXT if code == "D" else None)
        for code, values in loans.items()
        for year, value in zip((2023, 2024), values, strict=True)
    ]
    rows += [("E", 2023, "loans", 900.0, "reported", None), ("A", 2024, "visits", 100.0, "reported", None)]
    rows += [("B", 2024, "visits", 300.0, "reported", None)]
    frame = pl.DataFrame(
        rows, schema=["service_code", "year", "metric", "value", "status", "caveat"], orient="row"
    ).with_columns(pl.col("year").cast(pl.Int32), months_covered=pl.lit(12, pl.Int32), source=pl.lit(SOURCE))
    return frame


def _metrics() -> pl.DataFrame:
    """The headline metrics, then one that is not (Wi-Fi sessions, with no figures)."""
    ids = [*HEADLINE_METRICS, "wifi"]
    return pl.DataFrame(
        {
            "metric": ids,
            "label": [metric.replace("_", " ").capitalize() for metric in ids],
            "unit": ["items"] * len(ids),
            "denominator": ["population"] * len(ids),
            "polarity": ["higher_is_better"] * len(ids),
            "definition": ["What ACE counts."] * len(ids),
        }
    )


def _measured(comparison=None, metric: str = "loans", year: int = 2024):
    comparison = comparison or chosen_group("A", "Alpha", ["B", "C", "D"])
    return measure(_annual(), _services(), _metrics(), comparison, metric, year)


def test_the_controls_offer_every_service_english_first_and_only_metrics_with_ace_figures() -> None:
    choices = benchmark_choices(_services(), _annual(), _metrics())
    assert list(choices.search) == ["A", "B", "D", "E", "C", "W"]  # England by name (Delta before Epsilon, Gamma)
    assert choices.search["W"] == "Cymru (Wales)" and choices.names["W"] == "Cymru"
    assert choices.english == ["A", "B", "D", "E", "C"]
    assert choices.metrics == ["loans", "visits"]  # in the catalogue's order; the others have no figures
    assert choices.labels["pc_hours"] == "Pc hours"


def test_the_group_is_named_by_how_it_was_made() -> None:
    peers = nearest_neighbours("A", "Alpha", ["B", "C"], 15)
    assert (peers.label, peers.members, peers.table_label) == (
        "of its 15 nearest neighbours (ONS)",
        "neighbours",
        "similar services",
    )
    chosen = chosen_group("A", "Alpha", ["B", "C", "D"])
    assert (chosen.label, chosen.members, chosen.table_label) == (
        "in a chosen group of 3",
        "services",
        "services in the group",
    )


def test_the_opening_says_whether_the_service_made_a_return_that_year() -> None:
    alpha = opening(_annual(), chosen_group("A", "Alpha", ["B"]), 2024)
    assert alpha.title == "Alpha: benchmark"
    assert alpha.caption.startswith("2024/25: Alpha made a return to ACE for the year.")
    assert alpha.caption.endswith("comparison: the service and those in a chosen group of 1.")
    assert alpha.caveat == ""
    epsilon = opening(_annual(), chosen_group("E", "Epsilon", ["B"]), 2024)
    assert epsilon.caption.startswith("2024/25: Epsilon made no return to ACE for the year.")


def test_a_caveated_service_is_told_its_rates_are_not_ranked() -> None:
    delta = opening(_annual(), chosen_group("D", "Delta", ["A"]), 2024)
    assert delta.caveat.startswith("**Delta's per-resident rates are not comparable with other services'**")
    assert f"({CAVEAT_TEXT})" in delta.caveat
    assert "not ranked" in delta.caveat


def test_each_metric_is_measured_once_on_english_services_in_the_tables_order() -> None:
    measured = _measured(metric="loans")
    assert list(measured) == list(HEADLINE_METRICS)  # the chart's metric is a headline one: not twice
    assert sorted(measured["loans"].rates["service_code"]) == ["A", "B", "C", "D", "E"]  # no Welsh service
    loans = measured["loans"].result
    # Alpha 3,000 among the comparable members Beta 1,000 and Gamma 2,000 (Delta's caveated 5,000 left out).
    assert loans.group_median == pytest.approx(1_500.0)
    assert (loans.rank, loans.ranked) == (1, 3)
    assert loans.left_out == ("Delta",)
    assert list(_measured(metric="wifi")) == [*HEADLINE_METRICS, "wifi"]  # the chart's own metric comes last


def test_the_headline_names_the_group_and_who_is_left_out_of_its_median() -> None:
    comparison = chosen_group("A", "Alpha", ["B", "C", "D"])
    headline = headline_section(_measured(comparison), comparison, "North", NAMES, 2024)
    assert "In words" not in headline.table.columns and "Region: North" in headline.table.columns
    assert headline.table["Metric"].to_list() == [metric.replace("_", " ").capitalize() for metric in HEADLINE_METRICS]
    loans = headline.table.row(0, named=True)
    assert loans["Rate per 1,000"] == "3,000.0" and loans["Rank (service and group)"] == "1 of 3"
    assert loans["Group median (excluding the service)"] == "1,500.0"
    assert loans["Region: North"] == "2,000.0"  # (3,000 + 1,000) loans over 2,000 residents
    assert headline.sentences.splitlines()[0].startswith("- **Loans**: 1st of 3 services in the group")
    assert len(headline.sentences.splitlines()) == len(HEADLINE_METRICS)
    assert "(Delta left out: its rates are not comparable)" in headline.note
    assert headline.note.endswith("The comparison group, 3 services chosen: Beta, Gamma and Delta.")
    assert headline.audit == ""  # no audit marks: no list of them


def test_neighbours_are_listed_nearest_first() -> None:
    comparison = nearest_neighbours("A", "Alpha", ["C", "B"], 2)
    headline = headline_section(_measured(comparison), comparison, "North", NAMES, 2024)
    assert headline.note.endswith("its 2 nearest neighbours (ONS), nearest first: Gamma and Beta.")
    assert "left out" not in headline.note


def test_the_strip_shows_every_countable_service_highest_first_with_the_group_marked() -> None:
    comparison = chosen_group("A", "Alpha", ["B", "C", "D"])
    strip = strip_section(_measured(comparison)["loans"], comparison, 2024)
    table = strip.table
    assert table["Service"].to_list() == ["Delta", "Alpha", "Gamma", "Beta"]  # Epsilon: no return in 2024
    assert table["Rate per 1,000 residents"].to_list() == [5_000.0, 3_000.0, 2_000.0, 1_000.0]
    assert table["In comparison group"].to_list() == [True, False, True, True]
    assert table["Selected service"].to_list() == [False, True, False, False]
    assert table[CAVEAT[0]].to_list() == [CAVEAT_TEXT, "", "", ""]
    assert strip.about.title == "Loans per 1,000 residents: Alpha among English library services, 2024/25"
    assert strip.about.columns == (CAVEAT, AUDIT_MARK, AUDIT_NOTE)
    footer = " ".join(a.text for a in strip.figure.layout.annotations)
    assert "4 of 5 English services have a countable value" in footer


def test_the_years_compare_the_service_with_the_median_of_the_same_members_every_year() -> None:
    comparison = chosen_group("A", "Alpha", ["B", "C", "D"])
    entry = _measured(comparison)["loans"].entry
    trend = trend_section(_annual(), _services(), _metrics(), entry, comparison, 2024, NAMES)
    assert trend.heading == "Loans over the years"
    table = trend.chart.table
    assert table["Year"].to_list() == ["2023/24", "2024/25"]
    assert table["Alpha: rate per 1,000 residents"].to_list() == [2_000.0, 3_000.0]
    # Beta and Gamma are comparable in both years (Delta is caveated): medians 1,250 then 1,500.
    assert table["Group median, the same 2 members every year"].to_list() == [1_250.0, 1_500.0]
    assert table["Group members"].to_list() == [3, 3]
    assert trend.chart.about.columns == (CAVEAT,)
    assert trend.chart.about.notes.startswith(
        "Its rate per year against the median rate of its comparison group: the 2 of 3 services comparable"
    )
    assert "Beta and Gamma" in trend.chart.about.notes and trend.change in trend.chart.about.notes


def test_one_year_is_a_median_without_a_change_over_time() -> None:
    comparison = chosen_group("A", "Alpha", ["B", "C"])
    entry = _measured(comparison, year=2023)["loans"].entry
    trend = trend_section(_annual(), _services(), _metrics(), entry, comparison, 2023, NAMES)
    assert trend.chart.table["Year"].to_list() == ["2023/24"]
    assert trend.chart.about.notes.startswith("Its rate against the median rate of its comparison group's services")


def test_the_question_for_a_link_without_a_service_names_the_year() -> None:
    assert "in 2024/25. **Which service is yours?**" in prompt_words(2024)
    assert facts_list([("Nation", "Wales"), ("Area", "5 km²")]) == "- **Nation**: Wales\n- **Area**: 5 km²"


def test_a_welsh_service_gets_a_profile_with_its_nations_note_and_its_points() -> None:
    services = NETWORK_SERVICES.with_columns(area_km2=pl.lit(12.0), wimd_avg_rank=pl.lit(None, pl.Float64))
    row = services.filter(pl.col("service_code") == "W1").row(0, named=True)
    branches = pl.DataFrame(
        {
            "service_code": ["W1", "W1"],
            "name": ["Zed Library", "Alpha Library"],
            "status": ["open", "closed"],
            "type_label": ["Local authority run library"] * 2,
            "statutory": [True, None],
            "staffed_hours_week": [30.0, None],
            "unstaffed_hours_week": pl.Series([None, None], dtype=pl.Float64),
            "year_closed": [None, 2019],
            "postcode": ["A1 1AA", "B2 2BB"],
        }
    )
    peers = pl.DataFrame({"service_code": ["W1"], "peer_code": ["E1"], "rank": [1]})
    profile = profile_section(row, services, branches, NETWORK, peers)
    assert profile.title == "Cymru Town: profile"
    assert profile.notice == NOT_COLLECTED.format(name="Cymru Town")
    assert "- **Nation**: Wales" in profile.facts and "- **Service points open**: 1" in profile.facts
    assert "Service points listed as open, end of 2023" in profile.facts  # the network's facts follow
    assert profile.nation_note.endswith("(Welsh Government) is not comparable with the English IMD.")
    assert profile.locator_title == "Cymru Town (Wales)"
    assert profile.points["Service point"].to_list() == ["Zed Library", "Alpha Library"]  # open first
    assert profile.points_caption == POINTS_SOURCE
    island = services.filter(pl.col("service_code") == "C1").row(0, named=True)
    empty = profile_section(island, services, branches, NETWORK, peers)
    assert empty.points.is_empty() and empty.points_caption == NO_POINTS and empty.nation_note == ""
