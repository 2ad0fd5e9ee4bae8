"""The Overview's section builders on tiny tables made here, without Streamlit: England's headline tiles (an estimate
and its change on the same services), the chart of one metric's estimates, and the doors to the Offers."""

from __future__ import annotations

from components.sections.overview_sections import (
    about_the_data_text,
    charted_metrics,
    england_estimates,
    estimates_section,
    every_headline_table,
    headline_tiles,
    offer_doors,
)
from observatory_data.serving.catalogue import HEADLINE_METRICS, OFFERS
from tests.support.section_frames import table

ACE = "ACE Libraries Activity Data"
SERVICES = table(
    "services",
    [
        {"service_code": "E1", "service_name": "Ash", "nation": "England", "population": 1_000},
        {"service_code": "E2", "service_name": "Birch", "nation": "England", "population": 2_000},
        {"service_code": "E3", "service_name": "Cedar", "nation": "England", "population": 1_000},
        {"service_code": "W1", "service_name": "Cymru", "nation": "Wales", "population": 500},
    ],
)
OFFERS_OF = {"loans": ["Reading"], "visits": ["Reading", "Health & Wellbeing"], "events": ["Culture & Creativity"]}
METRICS = table(
    "metrics",
    [
        {"metric": metric, "label": metric.replace("_", " ").capitalize(), "unit": metric.split("_")[0],
         "definition": f"The {metric}.", "offers": OFFERS_OF.get(metric, []), "denominator": "population"}
        for metric in HEADLINE_METRICS
    ],
)  # fmt: skip


def loans(code: str, values: tuple[float | None, ...]) -> list[dict]:
    return [
        {"service_code": code, "year": year, "metric": "loans", "value": value, "source": f"{ACE} {year}",
         "status": "reported" if value is not None else "no_return"}
        for year, value in zip((2023, 2024, 2025), values, strict=True)
    ]  # fmt: skip


# Cedar sent no return in 2024/25: the change from 2024/25 rests on Ash and Birch, from 2023/24 on all three.
ANNUAL = table("annual", [*loans("E1", (100, 110, 120)), *loans("E2", (200, 200, 220)), *loans("E3", (50, None, 60))])


def estimate(metric: str, year: int, value: float, share: float, nation: str = "England") -> dict:
    return {"nation": nation, "year": year, "metric": metric, "estimate": value, "estimate_low": value * 0.9,
            "estimate_high": value * 1.1, "reported_total": value * share, "services_reporting": 3,
            "services_total": 3, "population_share": share, "method": "Grossed up.", "indicative": False}  # fmt: skip


NATIONAL = table(
    "national",
    [
        estimate("visits", 2023, 5_000.0, 0.9),
        estimate("loans", 2023, 400.0, 0.8123),
        estimate("loans", 2024, 420.0, 0.75),
        estimate("loans", 2025, 1_234_567.0, 0.8),
        estimate("events", 2025, 10.0, 0.5, nation="Wales"),  # not England's: no chart for it
    ],
)


def test_the_chart_offers_the_headline_metrics_england_has_an_estimate_for() -> None:
    assert charted_metrics(NATIONAL) == ["loans", "visits"]  # headline order, not the table's


def test_englands_estimates_run_up_to_the_chosen_year() -> None:
    england = england_estimates(NATIONAL, 2024)
    assert sorted(england.shown["year"].unique()) == [2023, 2024]
    assert (england.first, england.span) == (2023, "2023/24 to 2024/25")
    assert england_estimates(NATIONAL, 2022).first == 2022  # nothing yet: the chosen year itself


def test_a_tile_gives_the_estimate_and_its_change_on_the_same_services() -> None:
    tiles = headline_tiles(england_estimates(NATIONAL, 2025), ANNUAL, SERVICES, METRICS)
    assert [tile.label for tile in tiles] == METRICS["label"].to_list()
    loans_tile = tiles[0]
    assert (loans_tile.value, loans_tile.estimated) == ("1.2 million", True)
    assert loans_tile.help == "The loans. Method: Grossed up."
    # From 2024/25: Ash and Birch, 310 -> 340; from 2023/24 (the delta): all three, 350 -> 400.
    assert loans_tile.delta == f"{400 / 350 - 1:+.1%} on 2023/24, same 3 services"
    assert loans_tile.change.startswith(f"Change on the same services: up {340 / 310 - 1:.1%} from 2024/25 to 2025/26")
    assert f"up {400 / 350 - 1:.1%} from 2023/24 to 2025/26" in loans_tile.change
    assert "95% interval 1.1 million to 1.4 million" in loans_tile.detail


def test_a_year_without_an_estimate_says_so_and_gives_no_change() -> None:
    visits = headline_tiles(england_estimates(NATIONAL, 2025), ANNUAL, SERVICES, METRICS)[1]
    assert (visits.value, visits.estimated, visits.delta, visits.change) == ("No estimate", False, None, "")
    assert (visits.detail, visits.help) == ("No estimate for 2025/26.", "The visits.")
    first = headline_tiles(england_estimates(NATIONAL, 2023), ANNUAL, SERVICES, METRICS)[0]
    assert (first.value, first.delta, first.change) == ("400", None, "")  # the first year has nothing to change from


def test_the_estimates_chart_has_its_years_coverage_and_a_table_in_whole_numbers() -> None:
    section = estimates_section(england_estimates(NATIONAL, 2024), METRICS, "loans")
    assert section.table.select(
        "Year", "Estimate", "95% interval, upper", "Residents in reporting services (%)"
    ).rows() == [
        ("2023/24", 400.0, 440.0, 81.2),
        ("2024/25", 420.0, 462.0, 75.0),
    ]
    about = section.about
    assert about.title == "Loans in England: estimated per year, 2023/24 to 2024/25"
    assert (about.unit, about.period) == ("loans per year", "financial years 2023/24 to 2024/25")
    assert about.denominator == "none: estimated totals for the whole of England"
    footer = " ".join(annotation.text for annotation in section.figure.layout.annotations).replace("<br>", " ")
    assert "2023/24: 3 of 3 services reported (81.2% of residents)" in footer


def test_every_headline_metric_per_year_in_words() -> None:
    rows = every_headline_table(england_estimates(NATIONAL, 2025), METRICS)
    assert rows.select("Metric", "Year", "Estimate").rows() == [
        ("Loans", "2023/24", "400"),
        ("Loans", "2024/25", "420"),
        ("Loans", "2025/26", "1.2 million"),
        ("Visits", "2023/24", "5,000"),
    ]


def test_each_offer_has_a_door_with_its_number_of_metrics() -> None:
    doors = offer_doors(METRICS)
    assert [offer_id for offer_id, _, _ in doors] == list(OFFERS)
    counts = {offer: count for _, offer, count in doors}
    assert counts["Reading"] == 2  # loans and visits
    assert (counts["Health & Wellbeing"], counts["Culture & Creativity"], counts["Information & Digital"]) == (1, 1, 0)


def test_about_the_data_counts_the_years_returns() -> None:
    assert "(April to March, England only, 2 returns)" in about_the_data_text(ANNUAL, 2024, "2025-06-01T10:00")
    assert "(April to March, England only, 3 returns)" in about_the_data_text(ANNUAL, 2025, "2025-06-01T10:00")
    assert about_the_data_text(ANNUAL, 2025, "2025-06-01T10:00").endswith("Tables built 2025-06-01.")
