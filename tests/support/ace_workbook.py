"""Tiny ACE workbooks in the 2023/24 layout, written by the tests (never real data)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from observatory_data.build.ace_headers import (
    AUTHORITY_HEADER,
    MONTHLY_HEADERS,
    POINT_HEADERS,
    SERVICE_NAME_HEADER,
    TEXT_HEADERS,
)
from observatory_data.build.metrics import DEFINITIONS_SHEET

__all__ = ["AUTHORITY_HEADER", "month_names", "workbook_headers", "write_workbook"]


def month_names(year: int = 2023) -> list[str]:
    """The twelve month labels of financial year `year` as ACE's headers spell them."""
    return [
        f"April {year}", f"May {year}", f"June {year}", f"July {year}", f"August {year}", f"Sept {year}",
        f"Oct {year}", f"Nov {year}", f"Dec {year}", f"Jan {year + 1}", f"Feb {year + 1}", f"March {year + 1}",
    ]  # fmt: skip


def workbook_headers(year: int = 2023) -> list[str]:
    """The full header row the reader expects, in the real file's order of kinds."""
    monthly = []
    for key in MONTHLY_HEADERS:
        label = key.removesuffix("_digital")
        monthly += [f"{label} - {month}{key[len(label) :]}" for month in month_names(year)]
    return [SERVICE_NAME_HEADER, AUTHORITY_HEADER, *POINT_HEADERS, *monthly, *TEXT_HEADERS]


def write_workbook(
    path: Path, headers: list[str], rows: list[dict[str, object]], year: int = 2023, full_layout: bool = False
) -> Path:
    """A workbook in ACE's layout; `rows` give values by header, everything else blank. `full_layout` adds the
    'Introduction' and definitions sheets a new year's file must have."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = f"Activity Data {year + 1}"
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    if full_layout:
        book.create_sheet("Introduction").append(["A test workbook written by the tests"])
        book.create_sheet(DEFINITIONS_SHEET).append(["Field", "Definition"])
    book.save(path)
    return path
