"""The notice when a metric collected in fewer years moves the year: its words."""

from __future__ import annotations

from app_pages.kit.controls import year_notice
from observatory_data.serving.catalogue import CATALOGUE

BOOKS = CATALOGUE["physical_book_loans"].label
MOVED = "Physical book loans are collected for 2023/24 only: showing 2023/24."


def test_the_year_notice_names_the_metric_and_its_years() -> None:
    assert year_notice(BOOKS, [2023]) == MOVED
    assert (
        year_notice("Wifi sessions", [2023, 2024])
        == "Wifi sessions are collected for 2023/24 and 2024/25 only: showing 2024/25."
    )
