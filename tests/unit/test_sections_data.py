"""The Data and methods page's section builders on tiny tables made here, without Streamlit: the catalogue and its
search, who sent no return, what the rules did, the audit's marks and the CSVs."""

from __future__ import annotations

from datetime import date

import polars as pl

from components.sections.data_marks import (
    ALL_YEARS,
    MARK_COLUMNS,
    NOT_JUDGED,
    audit_marks,
    mark_outcomes,
    mark_years,
    marks_about,
    shown_marks,
)
from components.sections.data_tables import (
    counted_section,
    coverage_section,
    metric_catalogue,
    no_return_section,
    prepared_table_csv,
    quarterly_series,
    rule_list,
    rule_outcomes,
    rule_runs,
    sources_table,
)
from observatory_data.serving.rules import RULES
from tests.support.section_frames import table

ACE = "ACE Libraries Activity Data"
SERVICES = table(
    "services",
    [
        {"service_code": "E1", "service_name": "Ash", "nation": "England", "region": "North"},
        {"service_code": "E2", "service_name": "Birch", "nation": "England", "region": "South"},
        {"service_code": "W1", "service_name": "Cymru", "nation": "Wales", "region": "Wales"},
    ],
)
METRICS = table(
    "metrics",
    [
        {"metric": "loans", "label": "Loans", "unit": "loans", "definition": "Books lent", "offers": ["Reading"],
         "denominator": "population", "polarity": "higher_is_better", "source": "ACE"},
        {"metric": "children_loans", "label": "Children's loans", "unit": "loans", "definition": "Books for children",
         "offers": ["Reading", "Children & Young People"], "denominator": "population_0_11",
         "polarity": "higher_is_better", "source": "ACE"},
    ],
)  # fmt: skip


def ace(code: str, year: int, value: float | None, status: str, **more: object) -> dict:
    """One ACE value of loans."""
    source = f"{ACE} {year}"
    row = {"service_code": code, "year": year, "metric": "loans", "value": value, "status": status, "source": source}
    return row | more


# 2023/24: Ash returned, Birch did not; 2024/25 the other way round. Cymru is Welsh: ACE does not collect there.
ANNUAL = table(
    "annual",
    [
        ace("E1", 2023, 10.0, "reported"),
        ace("E2", 2023, None, "no_return"),
        ace("E1", 2024, None, "no_return"),
        ace("E2", 2024, 5.0, "reported"),
        ace("W1", 2023, None, "not_collected"),
    ],
)


def test_the_catalogue_search_ignores_case_takes_text_literally_and_counts_what_it_shows() -> None:
    every = metric_catalogue(METRICS)
    assert every.caption == "2 of 2 metrics."
    assert every.table.columns == ["Metric", "Unit", "Definition", "Offers", "Denominator", "Polarity", "Source", "Id"]
    assert every.table["Offers"].to_list() == ["Reading", "Reading, Children & Young People"]
    children = metric_catalogue(METRICS, "CHILD")
    assert (children.table["Id"].to_list(), children.caption) == (["children_loans"], "1 of 2 metrics.")
    assert metric_catalogue(METRICS, "reading").table.height == 2  # found in the Offers column
    assert metric_catalogue(METRICS, ".").caption == "0 of 2 metrics."  # a dot is a dot, not any character


def test_no_return_lists_each_years_english_services_without_one() -> None:
    section = no_return_section(ANNUAL, SERVICES)
    assert section.title == "English services with no return, per year"
    assert section.table.rows() == [("2023/24", "Birch", "E2"), ("2024/25", "Ash", "E1")]
    assert section.caption.endswith("each year has its own list. 2023/24: 1; 2024/25: 1.")


def test_coverage_counts_services_per_status_and_counted_by_year_per_release() -> None:
    coverage = coverage_section(ANNUAL, SERVICES, METRICS, 2023)
    england = coverage.table.filter(pl.col("Nation") == "England").row(0, named=True)
    assert (england["Metric"], england["counted"], england["no_return"]) == ("Loans", 1, 1)
    counted = counted_section(ANNUAL, METRICS)
    assert counted.title == "Counted services per metric and year"
    assert counted.table.rows() == [("Loans", 1, 1)]  # Ash in 2023/24, Birch in 2024/25
    assert counted.table.columns == ["Metric", "2023/24", "2024/25"]


def test_the_rule_list_gives_every_rule_with_its_count_zero_included() -> None:
    flags = table("flags", [{"rule": "spike"}, {"rule": "spike"}])
    assert rule_list(flags, {"spike": "A month ten times its neighbours.", "gap": "A blank month."}) == (
        "- `spike` (2 values): A month ten times its neighbours.\n- `gap` (0 values): A blank month."
    )


def test_rule_outcomes_name_the_line_and_the_period_of_each_value() -> None:
    flags = table(
        "flags",
        [
            {"service_code": "E1", "metric": "loans", "mode": "physical", "format": "book", "content_age": "child",
             "period": date(2023, 5, 1), "value_as_returned": 900.0, "value_used": 90.0, "outcome": "corrected",
             "rule": "decimal_slip", "reason": "ten times the other months"},
            {"service_code": "X9", "metric": "mystery", "year": 2024, "value_as_returned": 5.0, "outcome": "flagged",
             "rule": "spike", "reason": "no"},
        ],
    )  # fmt: skip
    section = rule_outcomes(flags, SERVICES, METRICS)
    assert section.caption.startswith("2 rule outcomes.")
    assert section.table.select("Service", "Metric", "Line", "Period", "Value used").rows() == [
        ("Ash", "Loans", "physical, book, child", "May 2023", 90.0),
        (None, "mystery", "", "2024/25 year", None),  # not in the catalogue: the metric's id
    ]


def test_rule_runs_give_every_rule_in_every_year_headed_in_words() -> None:
    section = rule_runs(ANNUAL, table("activity", []), table("flags", []))
    assert section.title == "Which rules could run in each year, and what they did"
    assert section.table.columns == ["Year", "Rule", "Reads", "Could run", "Values", "What it did"]
    assert section.table.height == 2 * len(RULES)
    assert section.table["Year"].unique().sort().to_list() == ["2023/24", "2024/25"]
    assert section.table["Values"].sum() == 0


def test_quarterly_series_count_the_services_known_and_name_unknown_metrics_by_id() -> None:
    quarterly = table(
        "quarterly_totals",
        [
            {"service_code": "E1", "metric": "loans", "months": 3},
            {"service_code": "E2", "metric": "mystery", "months": 2},
            {"service_code": "X9", "metric": "loans", "months": 4},
        ],
    )
    section = quarterly_series(quarterly, SERVICES, METRICS)
    assert section.title == "2 series entered as quarterly totals"
    assert section.table.rows() == [("Ash", "Loans", 3), ("Birch", "mystery", 2)]


def test_the_sources_table_is_headed_for_readers() -> None:
    sources = table("sources", [{"path": "ace.xlsx", "publisher": "ACE", "licence": "OGL", "url": "https://x"}])
    assert sources_table(sources).rows(named=True) == [
        {"Publisher": "ACE", "File": "ace.xlsx", "Licence": "OGL", "Pinned URL": "https://x"}
    ]


def test_a_prepared_tables_csv_opens_with_its_title_and_joins_lists() -> None:
    text = prepared_table_csv("metrics", METRICS, "2025-01-02T03:04").decode("utf-8-sig")
    assert text.startswith('Title,"Public Libraries Data Observatory: the metrics table, built 2025-01-02T03:04"')
    assert "Reading; Children & Young People" in text
    assert "Column: offers," in text


MARKED = table(
    "annual",
    [
        ace("E1", 2023, 100.0, "reported", value_as_returned=100.4, audit_status="suspicious", audit_note="odd"),
        ace("E2", 2024, 60.0, "corrected", value_as_returned=600.0, audit_status="replaced", audit_estimate=59.6,
            audit_outcome="adopted", note="the audit's estimate agrees"),
        ace("E1", 2024, 70.0, "reported"),  # no mark
    ],
)  # fmt: skip


def test_audit_marks_are_rounded_in_words_and_not_judged_where_our_rules_decide() -> None:
    marks = audit_marks(MARKED, SERVICES, METRICS)
    assert marks.select(
        "Service", "year", "Figure as returned", "Audit's estimate", "Status", "Our outcome"
    ).rows() == [
        ("Ash", 2023, 100, None, "reported", NOT_JUDGED),
        ("Birch", 2024, 600, 60, "corrected", "adopted"),  # 59.6 rounds to 60
    ]
    assert mark_years(MARKED, marks) == [ALL_YEARS, "2023/24", "2024/25"]
    assert mark_outcomes(marks) == ["adopted", NOT_JUDGED]


def test_the_marks_shown_follow_the_year_and_the_outcomes_chosen() -> None:
    marks = audit_marks(MARKED, SERVICES, METRICS)
    assert shown_marks(marks).columns == ["Service", "Metric", "Year", *MARK_COLUMNS]
    assert shown_marks(marks)["Year"].to_list() == ["2023/24", "2024/25"]
    assert shown_marks(marks, "2024/25")["Service"].to_list() == ["Birch"]
    assert shown_marks(marks, ALL_YEARS, [NOT_JUDGED])["Service"].to_list() == ["Ash"]
    assert shown_marks(marks, "2023/24", ["adopted"]).is_empty()


def test_the_marks_csv_says_which_years_it_holds_and_what_each_column_is() -> None:
    about = marks_about("2024/25", "2025-01-02T03:04")
    assert about.title == (
        "Public Libraries Data Observatory: the Libraries Hacked audit's marks (2024/25), built 2025-01-02T03:04"
    )
    assert marks_about(ALL_YEARS, "x").title.endswith("marks (all years), built x")
    assert [header for header, _ in about.columns] == list(MARK_COLUMNS)
