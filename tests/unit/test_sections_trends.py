"""The Offer trends page's section builders on tiny tables made here, without Streamlit: what the controls offer,
the groups a choice draws, and the three sections (across years, by month, long runs) with their numbers."""

from __future__ import annotations

from datetime import date

import pytest

from components.palette import ENGLAND, GROUP, REGION
from components.sections.trends_choices import (
    default_offer,
    english_services,
    measure_options,
    offer_metrics,
    reported_metrics,
    trend_groups,
)
from components.sections.trends_sections import long_run_section, months_section, years_section
from tests.support.section_frames import table

ACE = "ACE Libraries Activity Data"
SERVICES = table(
    "services",
    [
        {"service_code": "E3", "service_name": "Cedar", "nation": "England", "region": "South", "population": 1_000},
        {"service_code": "E1", "service_name": "Ash", "nation": "England", "region": "North", "population": 1_000},
        {"service_code": "E2", "service_name": "Birch", "nation": "England", "region": "North", "population": 2_000},
        {"service_code": "W1", "service_name": "Cymru", "nation": "Wales", "region": "Wales", "population": 500},
    ],
)
METRICS = table(
    "metrics",
    [
        {"metric": "children_loans", "label": "Children's loans", "unit": "loans", "definition": "For children.",
         "offers": ["Reading", "Children & Young People"], "denominator": "population_0_11"},
        {"metric": "loans", "label": "Loans", "unit": "loans", "definition": "Books lent.", "offers": ["Reading"],
         "denominator": "population"},
        {"metric": "home_delivery", "label": "Home delivery", "unit": "interactions", "definition": "Delivered.",
         "offers": ["Health & Wellbeing"], "denominator": "population"},
        {"metric": "pc_hours", "label": "PC hours", "unit": "hours", "definition": "Hours.",
         "offers": ["Information & Digital"], "denominator": "population"},
    ],
)  # fmt: skip


def value(code: str, year: int, metric: str, number: float | None, source: str = "") -> dict:
    status = "reported" if number is not None else "no_return"
    return {"service_code": code, "year": year, "metric": metric, "value": number, "status": status,
            "source": source or f"{ACE} {year}"}  # fmt: skip


# Loans in three years: Cedar sent no return in 2024/25, so England's matched set over all three is Ash and Birch.
# Children's loans in 2023/24 only; home delivery only in Ash's own open data (two years); PC hours nowhere.
ANNUAL = table(
    "annual",
    [
        *(value("E1", year, "loans", number) for year, number in zip((2023, 2024, 2025), (100, 110, 120), strict=True)),
        *(value("E2", year, "loans", number) for year, number in zip((2023, 2024, 2025), (200, 200, 220), strict=True)),
        *(value("E3", year, "loans", number) for year, number in zip((2023, 2024, 2025), (50, None, 60), strict=True)),
        value("E1", 2023, "children_loans", 40.0),
        value("E1", 2019, "home_delivery", 7.0, "Ash open data"),
        value("E1", 2020, "home_delivery", 9.0, "Ash open data"),
    ],
)
MONTHS = [date(2023 + (month < 4), month, 1) for month in (*range(4, 13), 1, 2, 3)]


def months(code: str, loans: float) -> list[dict]:
    """A service's loans in every month of 2023/24 (the build's shape: monthly)."""
    return [
        {"service_code": code, "metric": "loans", "period": month, "value": loans, "shape": "monthly"}
        for month in MONTHS
    ]


# Ash and Birch every month of 2023/24 (10 and 20 loans); Cedar only in April, which the build calls incomplete.
MONTHLY = table(
    "monthly",
    [
        *months("E1", 10.0),
        *months("E2", 20.0),
        {"service_code": "E3", "metric": "loans", "period": MONTHS[0], "value": 5.0, "shape": "incomplete"},
    ],
)
PEERS = table(
    "peers",
    [
        {"service_code": "E3", "peer_code": "E2", "rank": 1},
        {"service_code": "E3", "peer_code": "E1", "rank": 2},
        {"service_code": "E3", "peer_code": "W1", "rank": 3},
    ],
)


def entry(metric: str) -> dict:
    return METRICS.filter(METRICS["metric"] == metric).row(0, named=True)


def test_the_controls_offer_englands_services_by_name_and_their_regions() -> None:
    english = english_services(SERVICES)
    assert list(english.names.items()) == [("E1", "Ash"), ("E2", "Birch"), ("E3", "Cedar")]
    assert english.region_of == {"E1": "North", "E2": "North", "E3": "South"}
    assert english.regions == ["North", "South"]


def test_an_offer_lists_its_reported_metrics_primary_first_and_a_link_finds_the_offer() -> None:
    reported = reported_metrics(METRICS, ANNUAL)
    assert reported["metric"].to_list() == ["children_loans", "loans", "home_delivery"]  # nobody reported PC hours
    assert offer_metrics(reported, "reading") == ["loans", "children_loans"]
    assert offer_metrics(reported, "health") == ["home_delivery"]
    assert offer_metrics(reported, "digital") == []
    assert default_offer(reported, "home_delivery") == "health"
    assert default_offer(reported, "children_loans") == "reading"  # the first of its two Offers
    assert default_offer(reported, None) == default_offer(reported, "nope") == "reading"


def test_the_rate_names_the_metrics_own_population_and_the_index_its_first_month() -> None:
    assert measure_options(METRICS, "children_loans", date(2023, 4, 1)) == {
        "rate": "Rate per 1,000 children aged 0-11",
        "count": "Counts",
        "index": "Indexed (April 2023 = 100)",
    }


def test_groups_are_england_the_region_and_the_services_nearest_neighbours_each_in_its_colour() -> None:
    groups = trend_groups(SERVICES, PEERS, "North", "E3", 2)
    assert groups.members == {
        "England": ["E1", "E2", "E3"],
        "North": ["E1", "E2"],
        "Cedar's 2 nearest neighbours": ["E2", "E1"],
    }
    assert groups.roles == {"England": ENGLAND, "North": REGION, "Cedar's 2 nearest neighbours": GROUP}
    assert (groups.where, groups.service_name) == ("Cedar, North, England", "Cedar")
    alone = trend_groups(SERVICES, PEERS, "", "", 15)
    assert (list(alone.members), alone.where, alone.service_name) == (["England"], "England", "")


def test_across_years_each_line_rests_on_the_same_services_and_the_headline_on_the_first_and_last() -> None:
    groups = trend_groups(SERVICES, PEERS, "", "", 15)
    section = years_section(ANNUAL, SERVICES, entry("loans"), groups, "", "count", 2025)
    assert section.heading == "Across years, 2023/24 to 2025/26"
    # Ash and Birch in every year: 100 + 200, 110 + 200, 120 + 220.
    assert section.chart.table.rows() == [
        ("England", "2023/24", 300.0, 2),
        ("England", "2024/25", 310.0, 2),
        ("England", "2025/26", 340.0, 2),
    ]
    assert section.chart.about.title == "Loans by year, 2023/24 to 2025/26: England"
    change, *hints = section.captions
    assert f"England up {340 / 300 - 1:.1%}" in change  # 13.3%
    # England's headline: the services countable in 2023/24 and 2025/26, Cedar included: 350 -> 400.
    assert f"England's headline change: up {400 / 350 - 1:.1%} from 2023/24 to 2025/26" in change  # 14.3%
    assert hints == []
    assert change in section.chart.about.notes


def test_one_year_asks_for_a_later_one_and_a_one_year_metric_says_so() -> None:
    groups = trend_groups(SERVICES, PEERS, "", "", 15)
    first = years_section(ANNUAL, SERVICES, entry("loans"), groups, "", "count", 2023)
    assert first.heading == "Across years, 2023/24"
    assert first.captions[-1] == "Choose a later year to see the change over the years."
    children = years_section(ANNUAL, SERVICES, entry("children_loans"), groups, "", "count", 2025)
    assert children.captions[-1].startswith("ACE's later releases carry only the headline metrics: 2023/24 is the one")
    own = years_section(ANNUAL, SERVICES, entry("home_delivery"), groups, "E1", "count", 2025)
    assert (own.heading, own.chart) == ("Across years", None)
    assert own.notice == "Home delivery: not in ACE's returns, only in a service's own data. See the long runs below."


def test_by_month_a_group_counts_the_services_that_reported_every_month() -> None:
    groups = trend_groups(SERVICES, PEERS, "", "", 15)
    section = months_section(MONTHLY, ANNUAL, SERVICES, entry("loans"), groups, "", "count")
    assert section.heading == "Within 2023/24, by month"
    table_ = section.chart.table
    assert table_.height == 12
    assert set(table_["Loans per month"]) == {10.0 + 20.0}  # Cedar's one month leaves it out
    assert (table_["Month"][0], table_["Month"][-1]) == ("April 2023", "March 2024")
    assert section.chart.about.period == "April 2023 to March 2024, by month"
    missing = months_section(MONTHLY, ANNUAL, SERVICES, entry("children_loans"), groups, "", "count")
    assert missing.notice.startswith("No monthly series for children's loans: ACE's 2023/24 workbook")


def test_rates_by_month_are_per_1000_of_the_groups_population() -> None:
    groups = trend_groups(SERVICES, PEERS, "", "", 15)
    section = months_section(MONTHLY, ANNUAL, SERVICES, entry("loans"), groups, "", "rate")
    # 30 loans a month over Ash and Birch's 3,000 residents.
    assert section.chart.table["Loans per 1,000 residents"][0] == pytest.approx(30 / 3_000 * 1_000)


def test_a_services_long_run_comes_from_its_own_data_and_without_one_the_note_says_where_runs_are() -> None:
    run = long_run_section(ANNUAL, METRICS, entry("loans"), "Health & Wellbeing", "E1", "Ash")
    assert run.heading == "Long runs from services' own data"
    assert run.chart.table.select("Metric", "Year", "Value").rows() == [
        ("Home delivery", "2019/20", 7.0),
        ("Home delivery", "2020/21", 9.0),
    ]
    assert run.chart.about.title == "Ash: long-run series by financial year"
    none = long_run_section(ANNUAL, METRICS, entry("loans"), "Reading", "", "")
    assert none.chart is None
    assert "Ash open data, 2019/20 to 2020/21" in none.notice
