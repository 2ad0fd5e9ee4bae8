"""The headers of ACE's Libraries Activity Data workbook: what each column measures, and where each field sits.

Every header is mapped through the explicit tables below, so a renamed or added column stops the build (BuildError
naming the column) instead of being dropped or misread. activity.py reads the cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from openpyxl.utils import get_column_letter

from observatory_data.serving.errors import BuildError
from observatory_data.serving.periods import financial_year, year_of


@dataclass(frozen=True)
class Series:
    """What one monthly column measures (the same for its twelve months)."""

    metric: str
    mode: str | None = None
    format: str | None = None
    content_age: str | None = None
    user_age: str | None = None
    location: str | None = None


def _events(mode: str, age: str) -> Series:
    return Series("events", mode=mode, user_age=age)


def _attendance(mode: str, age: str) -> Series:
    return Series("event_attendance", mode=mode, user_age=age)


def _loans(mode: str, item_format: str, age: str) -> Series:
    return Series("loans", mode=mode, format=item_format, content_age=age)


# Header text before " - <Month> <Year>" (plus "_digital" when the header ends with it) -> series.
MONTHLY_HEADERS: dict[str, Series] = {
    "Total Number Of Physical Events": _events("physical", "total"),
    "Physical Events Adults Age 18": _events("physical", "adult"),
    "Physical Events Children 11 And Under": _events("physical", "child"),
    "Physical Events Young People Between 12 And 17": _events("physical", "young_person"),
    "Physical Events All Age Groups": _events("physical", "all_ages"),
    "Total Number Of Digital Events": _events("digital", "total"),
    "Digital Events Adults Age 18": _events("digital", "adult"),
    "Digital Events Children 11 And Under": _events("digital", "child"),
    "Digital Events Young People Between 12 And 17": _events("digital", "young_person"),
    "Digital Events All Age Groups": _events("digital", "all_ages"),
    "Total Attendees At Physical Events": _attendance("physical", "total"),
    "Physical Attendees Adults": _attendance("physical", "adult"),
    "Physical Attendees Children 11 And Under": _attendance("physical", "child"),
    "Physical Attendees Young People Between 12 And 17": _attendance("physical", "young_person"),
    "Total Attendees At Digital Events": _attendance("digital", "total"),
    "Digital Attendees Adults": _attendance("digital", "adult"),
    "Digital Attendees Children 11 And Under": _attendance("digital", "child"),
    "Digital Attendees Young People Between 12 And 17": _attendance("digital", "young_person"),
    "Total Number Of Physical Book Issues": _loans("physical", "physical_book", "total"),
    "Loans And Lending Adult 18": _loans("physical", "physical_book", "adult"),
    "Loans And Lending Children Under 12": _loans("physical", "physical_book", "child"),
    "Loans And Lending Young People Under 12 17": _loans("physical", "physical_book", "young_person"),
    "Total Number Of Physical Audio Book Issues": _loans("physical", "physical_audiobook", "total"),
    "Loans And Lending Adult 18_digital": _loans("physical", "physical_audiobook", "adult"),
    "Loans And Lending Children Under 12_digital": _loans("physical", "physical_audiobook", "child"),
    "Loans And Lending Young People Under 12 17_digital": _loans("physical", "physical_audiobook", "young_person"),
    "Total Number Of Ebooks Issues": _loans("digital", "ebook", "total"),
    "Ebooks Adult 18": _loans("digital", "ebook", "adult"),
    "Ebooks Children Under 12": _loans("digital", "ebook", "child"),
    "Ebooks Young People Under 12 17": _loans("digital", "ebook", "young_person"),
    "Total Number Of Digital Audio Book Issues": _loans("digital", "eaudio", "total"),
    "Digital Audio Book Issues Adult 18": _loans("digital", "eaudio", "adult"),
    "Digital Audio Book Issues Children Under 12": _loans("digital", "eaudio", "child"),
    "Digital Audio Book Issues Young People Under 12 17": _loans("digital", "eaudio", "young_person"),
    "Physical Visitors To Library Sites Where There Is No Co Location": Series(
        "visits", mode="physical", location="library_only"
    ),
    "Physical Visitors Co Location": Series("visits", mode="physical", location="co_located"),
    "Click And Collect": Series("click_and_collect"),
    "Mobile Libraries": Series("mobile_library"),
    "Home Delivery": Series("home_delivery"),
    "Number Of Hours Physical Public Pcs Library Issues Devices": Series("pc_hours"),
    "Number Of Sessions Of Wifi Access": Series("wifi_sessions"),
}

# Whole-year and 31-March columns -> (metric, user_age); text columns have kind "text".
SERVICE_NAME_HEADER = "Library Details"
AUTHORITY_HEADER = "Library Authority (Upper Tier Local Authority)"
POINT_HEADERS: dict[str, tuple[str, str | None]] = {
    "Total Active Members": ("active_users", "total"),
    "Active Members - Children (≤11)": ("active_users", "child"),
    "Active Members - Teens (12-17)": ("active_users", "young_person"),
    "Active Members - Adults (18+)": ("active_users", "adult"),
    "Pcs & Devices In Service (31/03)": ("pcs_in_service", None),
    "Devices Loan (31/03)": ("devices_for_loan", None),
    "Device Loan Issues (31/03)": ("device_loans", None),
}
TEXT_HEADERS: dict[str, str] = {
    "Ebook & Eaudio Data Collection": "ebook_data_collected",
    "Please Tell Us Why You Have No Data To Enter Here Eg You Do Not Have A Mobile Library Service": (
        "no_data_reason_lending"
    ),
    "Please Tell Us Why You Have No Data To Enter Here Eg You Do Not Collate Data For Wifi": "no_data_reason_wifi",
}

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTHLY = re.compile(r"^(?P<label>.+?) - (?P<month>[A-Za-z]+) (?P<year>\d{4})(?P<suffix>_digital)?$")


@dataclass(frozen=True)
class Layout:
    """Where each field sits in the sheet (0-based column indexes)."""

    sheet: str
    year: int
    name_column: int
    authority_column: int
    monthly: dict[Series, dict[date, int]]
    point: dict[int, tuple[str, str | None]]
    text: dict[int, str]


def map_headers(header: tuple, file: str, sheet: str, year: int) -> Layout:
    """Map every header to a field; an unknown or duplicated header is an error naming its column."""
    fixed: dict[str, int] = {}
    monthly: dict[Series, dict[date, int]] = {}
    point: dict[int, tuple[str, str | None]] = {}
    text: dict[int, str] = {}
    for index, raw in enumerate(header):
        title = " ".join(str(raw).split()) if raw is not None else ""
        where = f"{file}, sheet '{sheet}', column {get_column_letter(index + 1)}"
        if title in (SERVICE_NAME_HEADER, AUTHORITY_HEADER):
            if title in fixed:
                raise BuildError(f"{where}: header {title!r} appears twice")
            fixed[title] = index
        elif title in POINT_HEADERS:
            point[index] = POINT_HEADERS[title]
        elif title in TEXT_HEADERS:
            text[index] = TEXT_HEADERS[title]
        elif (match := _MONTHLY.match(title)) and f"{match['label']}{match['suffix'] or ''}" in MONTHLY_HEADERS:
            series = MONTHLY_HEADERS[f"{match['label']}{match['suffix'] or ''}"]
            period = _month(match["month"], int(match["year"]), where, title, year)
            months = monthly.setdefault(series, {})
            if period in months:
                raise BuildError(f"{where}: header {title!r} repeats a month already read")
            months[period] = index
        else:
            raise BuildError(f"{where}: unrecognised header {title!r}; map it in ace_headers.py before building")
    missing = [title for title in (SERVICE_NAME_HEADER, AUTHORITY_HEADER) if title not in fixed]
    missing += [f"{label} (12 months)" for label, s in MONTHLY_HEADERS.items() if len(monthly.get(s, {})) != 12]
    missing += [title for title, field in POINT_HEADERS.items() if field not in point.values()]
    if missing:
        raise BuildError(f"{file}, sheet '{sheet}': missing columns {missing}")
    return Layout(sheet, year, fixed[SERVICE_NAME_HEADER], fixed[AUTHORITY_HEADER], monthly, point, text)


def _month(name: str, year: int, where: str, title: str, financial: int) -> date:
    """The first day of a header's month, which must fall in the sheet's financial year."""
    number = MONTHS.get(name.lower())
    if number is None:
        raise BuildError(f"{where}: unrecognised month {name!r} in header {title!r}")
    period = date(year, number, 1)
    if year_of(period) != financial:
        raise BuildError(f"{where}: header {title!r} is outside financial year {financial_year(financial)}")
    return period
