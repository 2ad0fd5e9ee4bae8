"""The Data and methods page's table of the Libraries Hacked audit's marks: every mark beside the figure as returned,
the value used and what our rules did with it, narrowed to a year and to outcomes, and its CSV.

A mark is evidence for our rules, never a decision copied: the table puts the two side by side so a reader can see
where they part.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from components.exports import About, about_table
from components.sections.data_tables import metric_labels, service_names, year_name
from observatory_data.serving.audit_marks import marks_table
from observatory_data.serving.catalogue import DATA_LICENCE, years_with_data
from observatory_data.serving.formats import status_words_expr
from observatory_data.serving.periods import financial_year
from observatory_data.serving.schema import describe

# The audit's marks as the page shows them: header -> the annual table's column it comes from.
MARK_COLUMNS = {
    "Figure as returned": "value_as_returned",
    "Audit's estimate": "audit_estimate",
    "Value used": "value",
    "Status": "status",
    "Audit's mark": "audit_status",
    "Our outcome": "audit_outcome",
    "Audit's note": "audit_note",
    "Our reason": "note",
}
NOT_JUDGED = "not judged (our own rules decide)"  # a mark in a year our line rules decide
ALL_YEARS = "All years"
WORDY = ("Audit's note", "Our reason")  # columns shown wide: a sentence each
MARKS_CAPTION = (
    "Libraries Hacked's independent audit marks some of ACE's published figures replaced (with its estimate), "
    "excluded or suspicious, often with the service's own explanation. A mark is evidence for our rules, never a "
    "decision copied: where a year is published as whole-year figures, a replaced figure is set against the "
    "service's other years, and the estimate is used only where it agrees with them and the figure as returned "
    "does not; a suspicious mark is shown beside the value, which still counts. In a year of monthly lines our "
    "own line rules decide, and the mark is shown beside the value."
)
MARKS_FILE = "observatory-audit-marks.csv"


def audit_marks(annual: pl.DataFrame, services: pl.DataFrame, metrics: pl.DataFrame) -> pl.DataFrame:
    """Every mark with the service and metric named, the figures as whole numbers, statuses and outcomes in words
    ("not judged" where our own rules decide), and `year` kept for the year control."""
    return (
        marks_table(annual)
        .join(service_names(services), on="service_code", how="left")
        .join(metric_labels(metrics), on="metric", how="left")
        .select(
            "Service",
            pl.coalesce("Metric", "metric").alias("Metric"),
            "year",
            *(pl.col(column).alias(header) for header, column in MARK_COLUMNS.items()),
        )
        .with_columns(
            pl.col("Figure as returned", "Audit's estimate", "Value used").round(0).cast(pl.Int64),
            status_words_expr("Status"),
            pl.col("Our outcome").str.replace_all("_", " "),
        )
        .with_columns(pl.col("Our outcome").fill_null(NOT_JUDGED))
    )


def mark_years(annual: pl.DataFrame, marks: pl.DataFrame) -> list[str]:
    """The year control's options: all years, then each year of ACE returns that has a mark, oldest first."""
    return [ALL_YEARS, *(financial_year(marked) for marked in years_with_data(annual) if marked in marks["year"])]


def mark_outcomes(marks: pl.DataFrame) -> list[str]:
    """The outcome control's options: every outcome the marks have, in alphabetical order."""
    return sorted(marks["Our outcome"].unique())


def shown_marks(marks: pl.DataFrame, year: str = ALL_YEARS, outcomes: Sequence[str] = ()) -> pl.DataFrame:
    """The marks of one year (by its name; ALL_YEARS: every year) with one of `outcomes` (none chosen: every
    outcome), in the page's columns."""
    marks = marks.with_columns(year_name().alias("Year"))
    if year != ALL_YEARS:
        marks = marks.filter(pl.col("Year") == year)
    if outcomes:
        marks = marks.filter(pl.col("Our outcome").is_in(list(outcomes)))
    return marks.select("Service", "Metric", "Year", *MARK_COLUMNS)


def marks_about(year: str, built_at: str) -> About:
    """What the marks' CSV says about itself: which years it holds, the build, and each column from the schema."""
    return about_table(
        f"Public Libraries Data Observatory: the Libraries Hacked audit's marks ({year.lower()}), built {built_at}",
        "ACE Libraries Activity Data (official statistics) with Libraries Hacked's audit",
        DATA_LICENCE,
        tuple((header, describe("annual", column)) for header, column in MARK_COLUMNS.items()),
    )
