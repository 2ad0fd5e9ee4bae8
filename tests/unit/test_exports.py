"""Readable CSV downloads: what the table is, then the table, as a spreadsheet will read it back."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import polars as pl

from components.exports import (
    AUDIT_MARK,
    AUDIT_NOTE,
    MISSING_VALUES,
    About,
    audit_columns,
    csv_file_name,
    readable_csv,
    whole_number_columns,
)

ABOUT = About(
    title="Visits per 1,000 residents: Barnsley and its nearest neighbours, 2023/24",
    metric="Physical visits",
    definition="Visits to library buildings, counted or estimated.",
    unit="visits per 1,000 residents",
    period="April 2023 to March 2024",
    denominator="ONS mid-2024 population, all ages",
    source="Arts Council England, Libraries Activity Data 2023/24",
    licence="Open Government Licence v3.0",
)
FRAME = pl.DataFrame(
    {
        "Service": ["Barnsley", "Bristol, City of", "Rhondda Cynon Taf £"],
        "Visits": [577_163, 1_200_000, None],
        "Rate per 1,000": [2292.4000001, 1848.4999999, None],
        "In group": [True, False, True],
    }
)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_metadata_block_then_an_empty_row_then_the_table() -> None:
    rows = _rows(readable_csv(FRAME, ABOUT))
    assert rows[:10] == [
        ["Title", ABOUT.title],
        ["Metric", "Physical visits"],
        ["Definition", ABOUT.definition],
        ["Unit", "visits per 1,000 residents"],
        ["Period", "April 2023 to March 2024"],
        ["Denominator", "ONS mid-2024 population, all ages"],
        ["Source", ABOUT.source],
        ["Licence", "Open Government Licence v3.0"],
        ["Missing values", MISSING_VALUES],
        [],
    ]
    assert rows[10] == ["Service", "Visits", "Rate per 1,000", "In group"]
    assert len(rows) == 10 + 1 + FRAME.height


def test_floats_are_rounded_integers_untouched_and_nulls_empty() -> None:
    table = _rows(readable_csv(FRAME, ABOUT))[11:]
    assert table[0] == ["Barnsley", "577163", "2292.4", "true"]
    assert table[1] == ["Bristol, City of", "1200000", "1848.5", "false"]  # the comma is quoted, not a new cell
    assert table[2] == ["Rhondda Cynon Taf £", "", "", "true"]
    assert _rows(readable_csv(FRAME, ABOUT, decimals=3))[12][2] == "1848.500"


def test_counts_stored_as_floats_are_written_as_whole_numbers_and_rates_keep_one_decimal() -> None:
    """Counts come out of the tables as floats (so a gap can be null): 577163, never 577163.0."""
    frame = pl.DataFrame(
        {
            "Visits (visits)": [577_163.0, 1_200_000.0, None],
            "Population (residents)": [244_500.0, 479_000.0, 1_000.0],
            "Rate per 1,000 residents": [2360.6, 2505.0, None],
            "Group median": [2000.0, 3000.0, None],  # whole, but a rate: its header says so
            "Year": [2023, 2024, 2025],
        }
    )
    table = _rows(readable_csv(frame, ABOUT))[11:]
    assert table == [
        ["577163", "244500", "2360.6", "2000.0", "2023"],
        ["1200000", "479000", "2505.0", "3000.0", "2024"],
        ["", "1000", "", "", "2025"],
    ]
    assert whole_number_columns(frame) == ["Visits (visits)", "Population (residents)"]
    assert _rows(readable_csv(frame, ABOUT, decimals=None))[11][:2] == ["577163", "244500"]


def test_file_is_utf8_with_a_byte_order_mark_and_crlf_rows() -> None:
    data = readable_csv(FRAME, ABOUT)
    assert data.startswith(b"\xef\xbb\xbfTitle,")
    assert "Rhondda Cynon Taf £".encode() in data
    assert data.count(b"\r\n") == len(_rows(data)) and b"\n" not in data.replace(b"\r\n", b"")


def test_notes_appear_only_when_given_and_are_quoted_whole() -> None:
    rows = _rows(readable_csv(FRAME, replace(ABOUT, notes='Partial returns left out, "flagged" too')))
    assert rows[8] == ["Notes", 'Partial returns left out, "flagged" too']
    assert "Notes" not in [row[0] for row in _rows(readable_csv(FRAME, ABOUT)) if row]


def test_csv_file_name_is_a_slug() -> None:
    assert csv_file_name("Visits: Barnsley, 2023/24") == "visits-barnsley-2023-24.csv"


def test_the_audit_mark_has_two_described_columns_empty_where_there_is_no_mark() -> None:
    marks = pl.DataFrame(
        {
            "Service": ["Salford", "Barnsley"],
            "audit_status": ["replaced", None],
            "audit_estimate": [730_854.0, None],
            "audit_note": ["Counted twice.", None],
            "audit_outcome": ["adopted", None],
            "value_as_returned": [1_446_078.0, 577_163.0],
        }
    )
    frame = marks.select("Service", *audit_columns())
    rows = _rows(readable_csv(frame, replace(ABOUT, columns=(AUDIT_MARK, AUDIT_NOTE))))
    assert ["Column: Audit mark", AUDIT_MARK[1]] in rows and ["Column: Audit note", AUDIT_NOTE[1]] in rows
    header = rows.index(["Service", "Audit mark", "Audit note"])
    assert rows[header + 1] == [
        "Salford",
        "replaced: estimate adopted",
        "The audit's estimate 730,854 is used in place of 1,446,078 as returned (marked replaced by the Libraries "
        "Hacked audit): Counted twice.",
    ]
    assert rows[header + 2] == ["Barnsley", "", ""]
