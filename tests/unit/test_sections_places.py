"""The Priority Places page's sections on tiny tables, without Streamlit: the gap in one year, the distribution and
its table, the groups' weighted rates, the deciles, the flags, and the gap over the years on the same services."""

from __future__ import annotations

import polars as pl
import pytest

from components.exports import AUDIT_MARK, AUDIT_NOTE, CAVEAT
from components.sections.places_gaps import GAP_NOTES, gap_metric_years, gap_years_section
from components.sections.places_sections import (
    PLACES_SOURCE,
    decile_section,
    distribution_section,
    flags_table,
    gap_lines,
    intro,
    no_figures,
    summary_table,
    year_caption,
    year_heading,
)
from components.sections.rates_table import DECILE_HEADER
from observatory_data.serving.places_groups import (
    ANY_CULTURE,
    ANY_PRIORITY,
    BOTH,
    CULTURE_ONLY,
    IMD_DECILE_NOTE,
    NEITHER,
    PRIORITY_ONLY,
    UNKNOWN,
    assign_groups,
    gap_over_years,
    group_summary,
    service_rates_by_metric,
)
from observatory_data.serving.rates import service_rates
from tests.support.section_frames import ACE_2023, LOANS_ENTRY

# code: (name, Priority Place, LUCP, IMD decile, residents, loans 2023, loans 2024); None: no return that year.
SERVICES = {
    "P1": ("Both Town", "yes", "yes", 1, 1_000.0, 1_000.0, 1_200.0),
    "P2": ("Priority City", "yes", "no", 1, 1_000.0, 800.0, 900.0),
    "C1": ("Culture Borough", "no", "yes", 2, 2_000.0, 3_000.0, 3_000.0),
    "N1": ("Neither North", "no", "no", 1, 1_000.0, 1_500.0, 2_000.0),
    "N2": ("Neither South", "no", "no", 2, 1_000.0, 2_500.0, None),
    "U1": ("Unknown Shire", "unknown", "no", 3, 1_000.0, None, 500.0),
    "W1": ("Welsh Town", "no", "no", None, 1_000.0, 700.0, 700.0),
}


def _services() -> pl.DataFrame:
    rows = [(code, name, pp, lucp, decile, people) for code, (name, pp, lucp, decile, people, *_) in SERVICES.items()]
    frame = pl.DataFrame(
        rows,
        schema=["service_code", "service_name", "priority_place", "lucp", "imd_decile", "population"],
        orient="row",
    )
    return frame.with_columns(
        nation=pl.when(pl.col("service_code") == "W1").then(pl.lit("Wales")).otherwise(pl.lit("England")),
        region=pl.lit("Somewhere"),
        priority_place_districts=pl.when(pl.col("priority_place") == "yes").then(pl.lit("District A")),
        priority_place_unknown_districts=pl.lit(0),
        lucp_districts=pl.when(pl.col("lucp") == "yes").then(pl.lit("District B")),
        lucp_unknown_districts=pl.lit(0),
    )


def _annual() -> pl.DataFrame:
    rows = [
        (code, year, "loans", value, "reported" if value is not None else "no_return")
        for code, (*_, first, last) in SERVICES.items()
        for year, value in ((2023, first), (2024, last))
    ]
    rows.append(("P1", 2024, "visits", 50.0, "reported"))  # a metric with one year: no gap over years
    frame = pl.DataFrame(rows, schema=["service_code", "year", "metric", "value", "status"], orient="row")
    return frame.with_columns(
        pl.col("year").cast(pl.Int32),
        months_covered=pl.lit(12, pl.Int32),
        caveat=pl.lit(None, pl.String),
        source=pl.lit(ACE_2023),
    )


def _metrics() -> pl.DataFrame:
    visits = {**LOANS_ENTRY, "metric": "visits", "label": "Visits", "unit": "visits"}
    return pl.DataFrame([LOANS_ENTRY, visits])


def _grouped(year: int = 2024) -> pl.DataFrame:
    return assign_groups(service_rates(_annual(), _services(), _metrics(), "loans", year))


def test_the_opening_words_say_who_is_compared_and_why_a_metric_cannot_be() -> None:
    assert intro("NOTE.").endswith(f"with an unknown flag on either list is in '{UNKNOWN}', never in the rest. NOTE.")
    assert no_figures(LOANS_ENTRY).startswith("Loans has no ACE figures")
    assert year_heading(LOANS_ENTRY, 2024) == "Loans per 1,000 residents, 2024/25"
    assert year_caption(2024).startswith("The gap in 2024/25: each group's population-weighted rate against that of")


def test_the_gap_in_a_year_is_the_weighted_rate_against_neither() -> None:
    summary = group_summary(_grouped())
    lines = gap_lines(summary, LOANS_ENTRY, 2024)
    # Any Priority Place: (1,200 + 900) loans over 2,000 residents = 1,050 per 1,000; Neither: North's 2,000 alone.
    assert lines[0].startswith(
        f"- {ANY_PRIORITY}, gap in 2024/25: 1,050.0 loans per 1,000 residents, 950.0 (47.5%) below {NEITHER} at 2,000.0"
    )
    # Any LUCP: (1,200 + 3,000) over 3,000 residents = 1,400, 600 (30%) below.
    assert lines[1].startswith(f"- {ANY_CULTURE}, gap in 2024/25: 1,400.0 loans per 1,000 residents, 600.0 (30.0%)")
    table = summary_table(summary, LOANS_ENTRY)
    assert table.columns == [
        "Group",
        "Services",
        "Coverage",
        "Weighted rate per 1,000 residents",
        f"Gap to {NEITHER}",
        "Gap (%)",
    ]
    rows = {row["Group"]: row for row in table.iter_rows(named=True)}
    assert rows[NEITHER]["Coverage"] == "1 of 2 services reported" and rows[NEITHER][f"Gap to {NEITHER}"] is None
    assert rows[ANY_PRIORITY]["Weighted rate per 1,000 residents"] == pytest.approx(1_050.0)
    assert rows[ANY_PRIORITY]["Gap (%)"] == pytest.approx(-47.5)


def test_the_distribution_table_lists_english_services_by_group_with_their_decile() -> None:
    grouped = _grouped()
    section = distribution_section(grouped, group_summary(grouped), LOANS_ENTRY, 2024)
    table = section.table
    assert table["Group"].to_list() == [BOTH, PRIORITY_ONLY, CULTURE_ONLY, NEITHER, NEITHER, UNKNOWN]
    assert table["Service"].to_list()[3:5] == ["Neither North", "Neither South"]  # by name within a group
    assert table.columns[:4] == ["Group", "Service", "Service code", DECILE_HEADER]
    assert table["Rate per 1,000 residents"].to_list() == [1_200.0, 900.0, 1_500.0, 2_000.0, None, 500.0]
    assert table["Status"].to_list()[4] == "no return"
    assert table["Population (residents)"].to_list()[2] == 2_000.0
    assert section.about.columns == (CAVEAT, AUDIT_MARK, AUDIT_NOTE, (DECILE_HEADER, IMD_DECILE_NOTE))
    assert section.about.source.endswith(PLACES_SOURCE)
    assert section.about.title == "Loans per 1,000 residents in Priority Places and the rest of England, 2024/25"


def test_the_deciles_compare_groups_within_the_same_deprivation() -> None:
    section = decile_section(_grouped(), LOANS_ENTRY, 2024)
    table = section.table
    assert table.height == 40  # ten deciles by four known groups, empty cells too
    first = table.filter(pl.col(DECILE_HEADER) == 1)
    rates = dict(first.select("Group", "Population-weighted rate per 1,000 residents").iter_rows())
    assert rates == {BOTH: 1_200.0, PRIORITY_ONLY: 900.0, CULTURE_ONLY: None, NEITHER: 2_000.0}
    second = table.filter((pl.col(DECILE_HEADER) == 2) & (pl.col("Group") == NEITHER)).row(0, named=True)
    assert (second["Services in the cell"], second["Services reported"]) == (1, 0)
    neither = next(trace for trace in section.figure.data if trace.name == NEITHER)
    assert list(neither.text[:2]) == ["1/1", "0/1"]  # reported of services in the cell, as the bar's label
    assert section.about.columns == ((DECILE_HEADER, IMD_DECILE_NOTE),)


def test_the_flags_table_names_the_districts_behind_each_flag() -> None:
    flags = flags_table(_grouped(), _services())
    assert flags["Service"].to_list()[0] == "Both Town" and "Welsh Town" not in flags["Service"].to_list()
    both = flags.row(0, named=True)
    assert (both["Priority Place districts"], both["LUCP districts"]) == ("District A", "District B")
    assert flags.row(3, named=True)["Priority Place districts"] == ""  # no flag: empty text, not missing


def test_the_gap_over_the_years_is_measured_on_the_services_countable_every_year() -> None:
    gap_years = gap_metric_years(_annual(), ["loans", "visits"])
    assert gap_years == {"loans": [2023, 2024]}  # visits has one year
    gaps = gap_over_years(service_rates_by_metric(_annual(), _services(), _metrics(), gap_years))
    section = gap_years_section(gaps, _metrics(), gap_years, LOANS_ENTRY)
    assert section.heading == "**Loans per 1,000 residents, 2023/24 to 2024/25**"
    # On the panel (Neither South and Unknown Shire miss a year): Any Priority Place 900 against 1,500 (-40%) in
    # 2023/24, then 1,050 against 2,000 (-47.5%): the gap widened by 7.5 points.
    assert section.trend[0] == (
        f"- {ANY_PRIORITY}, change of the gap on the same services: 40.0% below {NEITHER} in 2023/24 and 47.5% below "
        "in 2024/25, so the gap widened by 7.5 percentage points (the 2 of 2 services in the group and 1 of 2 in "
        f"{NEITHER} countable in every year from 2023/24 to 2024/25)."
    )
    # Any LUCP: (1,000 + 3,000) over 3,000 residents = 1,333.3 against 1,500 in 2023/24: 11.1% below.
    assert "11.1% below" in section.trend[1] and "widened by 18.9 percentage points" in section.trend[1]
    table = section.chart.table
    priority = table.filter(pl.col("Group") == ANY_PRIORITY)
    assert priority["Year"].to_list() == ["2023/24", "2024/25"]
    assert priority["Gap (%)"].to_list() == [-40.0, -47.5]
    assert priority["Change since 2023/24: gap (% points)"].to_list() == [None, -7.5]
    assert priority["Group: services compared"].to_list() == [2, 2]
    assert priority[f"{NEITHER}: services compared"].to_list() == [1, 1]
    assert table["Unit"].unique().to_list() == ["loans per 1,000 residents"]
    assert section.chart.about.notes == GAP_NOTES
    assert [header for header, _ in section.chart.about.columns][:2] == ["Unit", "Group: services compared"]


def test_a_metric_with_one_year_has_the_chart_but_no_sentence_of_its_own() -> None:
    gap_years = gap_metric_years(_annual(), ["loans", "visits"])
    gaps = gap_over_years(service_rates_by_metric(_annual(), _services(), _metrics(), gap_years))
    visits = {**LOANS_ENTRY, "metric": "visits", "label": "Visits"}
    section = gap_years_section(gaps, _metrics(), gap_years, visits)
    assert (section.heading, section.trend) == ("", [])
    assert section.chart.table["Metric"].unique().to_list() == ["Loans"]
