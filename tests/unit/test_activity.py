"""Reading the ACE workbook: header mapping, blanks, quarterly totals, errors that name the cell."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from openpyxl.utils import get_column_letter

from observatory_data.build.activity import _statuses, financial_quarter, read_activity, read_point_in_time
from observatory_data.build.register import read_register
from observatory_data.serving.errors import BuildError
from tests.support.ace_workbook import AUTHORITY_HEADER, workbook_headers, write_workbook

FY_MONTHS = [date(2023, m, 1) for m in range(4, 13)] + [date(2024, m, 1) for m in range(1, 4)]


@pytest.fixture(scope="module")
def register() -> pl.DataFrame:
    return read_register()


def test_statuses_quarterly_totals_and_year_figure() -> None:
    quarterly = {period: None for period in FY_MONTHS}
    quarterly.update({date(2023, 6, 1): 535.0, date(2023, 9, 1): 453.0})
    statuses = _statuses(quarterly)
    assert statuses[date(2023, 6, 1)] == ("quarterly_total", 3)
    assert statuses[date(2023, 4, 1)] == ("in_quarter", None)
    # Q3 and Q4 totals not given: their months are missing, not "in quarter"
    assert statuses[date(2023, 12, 1)] == ("missing", None)
    march_only = {period: None for period in FY_MONTHS} | {date(2024, 3, 1): 1_040_210.0}
    assert _statuses(march_only)[date(2024, 3, 1)] == ("annual_total", 12)
    assert _statuses(march_only)[date(2023, 4, 1)] == ("in_year", None)
    june_only = {period: None for period in FY_MONTHS} | {date(2023, 6, 1): 15.0}
    assert _statuses(june_only)[date(2023, 6, 1)] == ("reported", 1)
    monthly = {period: 10.0 for period in FY_MONTHS} | {date(2023, 5, 1): None}
    assert _statuses(monthly)[date(2023, 5, 1)] == ("missing", None)
    assert _statuses(monthly)[date(2023, 4, 1)] == ("reported", 1)


def test_financial_quarter() -> None:
    assert financial_quarter(date(2023, 4, 1)) == "2023Q1"
    assert financial_quarter(date(2023, 12, 1)) == "2023Q3"
    assert financial_quarter(date(2024, 3, 1)) == "2023Q4"


def test_tiny_workbook_reads_blanks_and_markers(tmp_path: Path, register: pl.DataFrame) -> None:
    headers = workbook_headers()
    path = write_workbook(
        tmp_path / "ace.xlsx",
        headers,
        [
            {
                AUTHORITY_HEADER: "Barnsley",
                "Total Number Of Physical Book Issues - April 2023": 100,
                "Total Number Of Physical Book Issues - May 2023": "nan",
                "Total Active Members": 50,
                "Ebook & Eaudio Data Collection": "nan",
            }
        ],
    )
    activity = read_activity(path, register)
    books = activity.filter(pl.col("format") == "physical_book", pl.col("content_age") == "total")
    assert books.height == 12
    assert books.filter(pl.col("period") == date(2023, 4, 1))["value"].item() == 100.0
    may = books.filter(pl.col("period") == date(2023, 5, 1)).row(0, named=True)
    assert may["value"] is None and may["status"] == "missing"
    assert activity["service_code"].unique().to_list() == ["E08000016"]
    points = read_point_in_time(path, register)
    assert points.filter(pl.col("metric") == "active_users", pl.col("user_age") == "total")["value"].item() == 50.0
    assert points.filter(pl.col("metric") == "ebook_data_collected")["status"].item() == "missing"


def test_unknown_header_names_the_column(tmp_path: Path, register: pl.DataFrame) -> None:
    headers = [*workbook_headers(), "Number Of Robots - April 2023"]
    path = write_workbook(tmp_path / "ace.xlsx", headers, [{AUTHORITY_HEADER: "Barnsley"}])
    letter = get_column_letter(len(headers))
    with pytest.raises(BuildError, match=rf"column {letter}: unrecognised header 'Number Of Robots - April 2023'"):
        read_activity(path, register)


def test_text_in_numeric_cell_names_row_column_and_value(tmp_path: Path, register: pl.DataFrame) -> None:
    headers = workbook_headers()
    column = get_column_letter(headers.index("Home Delivery - July 2023") + 1)
    path = write_workbook(
        tmp_path / "ace.xlsx",
        headers,
        [{AUTHORITY_HEADER: "Barnsley"}, {AUTHORITY_HEADER: "Bolton", "Home Delivery - July 2023": "about 40"}],
    )
    with pytest.raises(BuildError, match=rf"ace.xlsx row 3, column {column}: text 'about 40'"):
        read_activity(path, register)


def test_unknown_authority_and_repeated_service_are_errors(tmp_path: Path, register: pl.DataFrame) -> None:
    headers = workbook_headers()
    path = write_workbook(tmp_path / "a.xlsx", headers, [{AUTHORITY_HEADER: "Atlantis"}])
    with pytest.raises(BuildError, match=r"a.xlsx row 2, column B: no library service is called 'Atlantis'"):
        read_activity(path, register)
    path = write_workbook(tmp_path / "b.xlsx", headers, [{AUTHORITY_HEADER: "Barnsley"}] * 2)
    with pytest.raises(BuildError, match=r"row 3, column B: 'Barnsley' .* already returned on row 2"):
        read_activity(path, register)


def test_missing_month_column_is_an_error(tmp_path: Path, register: pl.DataFrame) -> None:
    headers = [h for h in workbook_headers() if h != "Home Delivery - Sept 2023"]
    path = write_workbook(tmp_path / "ace.xlsx", headers, [{AUTHORITY_HEADER: "Barnsley"}])
    with pytest.raises(BuildError, match=r"missing columns \['Home Delivery \(12 months\)'\]"):
        read_activity(path, register)
