"""ACE's Libraries Activity Data workbook as long monthly rows, plus its annual and 31-March figures.

The sheet has one row per returning English service and one column per field and month. Every header
is mapped through the explicit tables in ace_headers.py, so a renamed or added column stops the build
(BuildError naming the column) instead of being dropped or misread.

Reading decisions, checked against the 2023/24 file:
- The "Loans And Lending ... _digital" columns follow the physical audiobook total and are its age
  breakdown, not eBooks: e.g. Barnsley April 2023: audiobook total 227 = adult 225 + children 2.
- Blank cells are missing, never zero. Text that only marks a blank ('nan', '-', 'n/a', 'na', empty)
  counts as blank: 'nan' is a text cell in the eBook-collection column (an export artefact). Any other
  text, a negative number or a true/false in a numeric cell is an error naming row and column.
- A series (one service, one field) with values only in June/September/December/March and at least two
  of them holds quarterly totals (ACE's note: "the total in the last month of that quarter"). Its
  values get status `quarterly_total` (covers_months 3); a blank month inside a quarter whose total
  was given gets `in_quarter`, a quarter with no total leaves its months `missing`. Values only in the
  same month of every quarter they fill, at another position (Cheshire West and Chester's visits sit in
  May, August, November and February, each at the level of other services' quarters), are read the
  same way: the total is kept in the month it was entered.
- A series with a single value, in March, is read as the year's total entered in the year's last
  month, by the same convention: status `annual_total` (covers_months 12), the other months `in_year`.
  In 2023/24 these values sit at the level of other services' annual totals, not their months (e.g.
  Barnet's physical book issues 1,040,210 = 2.6 per resident, the median year being 1.9), and for a
  genuinely one-month series the year's sum is the same figure. A single value in any other month is
  an ordinary month (the year is then partial).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from observatory_data.build.ace_headers import Layout, map_headers
from observatory_data.build.register import ServiceMatcher
from observatory_data.serving.catalogue import ACE_SOURCE_PREFIX, ActivityStatus
from observatory_data.serving.errors import BuildError
from observatory_data.serving.periods import financial_year, year_of
from observatory_data.serving.schema import polars_schema

# The data sheet is named for the calendar year the financial year ends in: 'Activity Data 2024' for 2023/24.
SHEET_PATTERN = re.compile(r"^Activity Data (\d{4})$")
BLANK_MARKERS = {"", "nan", "-", "n/a", "na"}

ACTIVITY_SCHEMA = polars_schema("activity")
SERIES_KEYS = ["service_code", "metric", "mode", "format", "content_age", "user_age", "location"]
# The whole-year and 31-March figures: an intermediate frame the annual table is built from, not a prepared table.
POINT_SCHEMA = {
    "service_code": pl.String,
    "year": pl.Int32,
    "metric": pl.String,
    "user_age": pl.String,
    "value": pl.Float64,
    "text": pl.String,
    "status": pl.String,
    "flag_reason": pl.String,
    "source_column": pl.String,
    "source": pl.String,
}


def workbook_source(year: int) -> str:
    """The `source` of every value read from ACE's monthly workbook for financial year `year`."""
    return f"{ACE_SOURCE_PREFIX} {financial_year(year)}"


def financial_quarter(period: date) -> str:
    """The financial quarter label of a month, e.g. '2023Q1' for April-June 2023, '2023Q4' for March 2024."""
    return f"{year_of(period)}Q{(period.month - 4) % 12 // 3 + 1}"


def _number(value: object, where: str) -> float | None:
    """A count from a cell: None for blanks and blank markers, an error for anything else that is not a count."""
    if value is None:
        return None
    if isinstance(value, str):
        if value.strip().lower() in BLANK_MARKERS:
            return None
        raise BuildError(f"{where}: text {value!r} in a numeric column")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BuildError(f"{where}: {value!r} is not a number")
    if value < 0:
        raise BuildError(f"{where}: negative count {value!r}")
    return float(value)


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return None if text.lower() in BLANK_MARKERS else text


def open_workbook(path: Path) -> openpyxl.Workbook:
    """The workbook, read-only; a file that is not a readable .xlsx (a CSV renamed, a truncated copy) is a
    BuildError naming it, never a traceback."""
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise BuildError(f"{path.name}: not a readable Excel workbook (.xlsx): {exc}") from exc


def data_sheet(path: Path, sheetnames: list[str]) -> tuple[str, int]:
    """The one 'Activity Data YYYY' sheet and the financial year it holds (YYYY - 1)."""
    found = [name for name in sheetnames if SHEET_PATTERN.match(name)]
    if len(found) != 1:
        raise BuildError(f"{path.name}: expected one sheet 'Activity Data YYYY' (sheets: {sheetnames})")
    return found[0], int(SHEET_PATTERN.match(found[0])[1]) - 1


def _read_sheet(path: Path) -> tuple[str, int, tuple, list[tuple[int, tuple]]]:
    """The data sheet's name and year, its header row and the non-empty data rows with their Excel row numbers."""
    workbook = open_workbook(path)
    try:
        sheet, year = data_sheet(path, workbook.sheetnames)
        rows = list(workbook[sheet].iter_rows(values_only=True))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise BuildError(f"{path.name}: the workbook cannot be read to the end (truncated or corrupt?): {exc}") from exc
    finally:
        workbook.close()
    if not rows:
        raise BuildError(f"{path.name}, sheet '{sheet}': the sheet is empty")
    data = [(line, row) for line, row in enumerate(rows[1:], start=2) if any(v is not None for v in row)]
    return sheet, year, rows[0], data


def _service_rows(path: Path, register: pl.DataFrame) -> tuple[Layout, list[tuple[int, str, tuple]]]:
    """The layout and each data row with its Excel row number and service code; a service twice is an error."""
    sheet, year, header, data = _read_sheet(path)
    layout = map_headers(header, path.name, sheet, year)
    matcher = ServiceMatcher(register)
    seen: dict[str, int] = {}
    rows = []
    column = get_column_letter(layout.authority_column + 1)
    for line, row in data:
        name = _text(row[layout.authority_column])
        where = f"{path.name} row {line}, column {column}"
        if name is None:
            raise BuildError(f"{where}: a data row without an authority name")
        code = matcher.require(name, where=where)
        if code in seen:
            raise BuildError(f"{where}: {name!r} ({code}) already returned on row {seen[code]}")
        seen[code] = line
        rows.append((line, code, row))
    return layout, rows


@dataclass(frozen=True)
class Workbook:
    """One ACE workbook read once: its financial year, monthly rows and whole-year / 31-March figures."""

    year: int
    activity: pl.DataFrame
    point_in_time: pl.DataFrame


def year_of_workbook(path: Path) -> int:
    """The financial year of a workbook, from its data sheet's name (sheet names only: cheap)."""
    book = open_workbook(path)
    try:
        return data_sheet(path, book.sheetnames)[1]
    finally:
        book.close()


def read_workbook(path: Path, register: pl.DataFrame) -> Workbook:
    """The whole workbook, its sheet read and its rows matched to services once."""
    layout, rows = _service_rows(path, register)
    return Workbook(layout.year, _activity(path, layout, rows), _points(path, layout, rows))


def read_activity(path: Path, register: pl.DataFrame) -> pl.DataFrame:
    """The monthly `activity` rows: one per service x series x month, blanks included so coverage can be counted."""
    return _activity(path, *_service_rows(path, register))


def read_point_in_time(path: Path, register: pl.DataFrame) -> pl.DataFrame:
    """The whole-year and 31-March figures (active users by age, PCs, devices) and the return's text answers."""
    return _points(path, *_service_rows(path, register))


def _activity(path: Path, layout: Layout, rows: list[tuple[int, str, tuple]]) -> pl.DataFrame:
    records: list[dict] = []
    for line, code, row in rows:
        for series, months in layout.monthly.items():
            cells = {
                period: _number(row[index], f"{path.name} row {line}, column {get_column_letter(index + 1)}")
                for period, index in sorted(months.items())
            }
            statuses = _statuses(cells)
            for period, index in sorted(months.items()):
                status, covers = statuses[period]
                records.append(
                    {
                        "service_code": code,
                        **asdict(series),
                        "period": period,
                        "period_type": "month",
                        "quarter": financial_quarter(period),
                        "covers_months": covers,
                        "value_as_returned": cells[period],
                        "value": cells[period],
                        "status": status,
                        "flag_reason": None,
                        "caveat": None,
                        "source_column": get_column_letter(index + 1),
                        "source": workbook_source(layout.year),
                    }
                )
    return pl.DataFrame(records, schema=ACTIVITY_SCHEMA)


def _statuses(cells: dict[date, float | None]) -> dict[date, tuple[str, int | None]]:
    """Status and months covered of each month of one series (see the module notes on quarterly totals)."""
    given = [period for period, value in cells.items() if value is not None]
    if len(given) == 1 and given[0].month == 3:
        return {
            period: (ActivityStatus.ANNUAL_TOTAL, 12) if period in given else (ActivityStatus.IN_YEAR, None)
            for period in cells
        }
    if len(given) >= 2 and len({_position_in_quarter(period) for period in given}) == 1:
        totalled = {financial_quarter(period) for period in given}
        return {
            period: (ActivityStatus.QUARTERLY_TOTAL, 3)
            if period in given
            else (ActivityStatus.IN_QUARTER, None)
            if financial_quarter(period) in totalled
            else (ActivityStatus.MISSING, None)
            for period in cells
        }
    return {
        period: (ActivityStatus.REPORTED, 1) if period in given else (ActivityStatus.MISSING, None) for period in cells
    }


def _position_in_quarter(period: date) -> int:
    """0, 1 or 2: the first, middle or last month of its financial quarter."""
    return (period.month - 4) % 3


def _points(path: Path, layout: Layout, rows: list[tuple[int, str, tuple]]) -> pl.DataFrame:
    records: list[dict] = []
    for line, code, row in rows:
        for index, (metric, age) in layout.point.items():
            value = _number(row[index], f"{path.name} row {line}, column {get_column_letter(index + 1)}")
            records.append(_point(layout.year, code, metric, age, value, None, get_column_letter(index + 1)))
        for index, metric in layout.text.items():
            text = _text(row[index])
            records.append(_point(layout.year, code, metric, None, None, text, get_column_letter(index + 1)))
    return pl.DataFrame(records, schema=POINT_SCHEMA)


def _point(
    year: int, code: str, metric: str, age: str | None, value: float | None, text: str | None, column: str
) -> dict:
    return {
        "service_code": code,
        "year": year,
        "metric": metric,
        "user_age": age,
        "value": value,
        "text": text,
        "status": ActivityStatus.MISSING if value is None and text is None else ActivityStatus.REPORTED,
        "flag_reason": None,
        "source_column": column,
        "source": workbook_source(year),
    }
