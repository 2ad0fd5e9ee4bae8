"""Exports that cannot hurt the reader: a text cell a spreadsheet would run as a formula is written as text (OWASP's
CSV-injection guard), in the table, its headers and the block above it; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest

from components.exports import ENCODING, about_table, readable_csv
from observatory_data.serving.spreadsheet_safe import safe_text, safe_text_column, spreadsheet_safe

HOSTILE = '=HYPERLINK("http://example.com/x","Barnsley")'
RISKY = [HOSTILE, "@SUM(1)", "+1+cmd|' /C calc'!A0", "-2+3", "=1+1", "\t=1+1", "\r=1+1", "-", "@"]
HARMLESS = ["Barnsley", "Bristol, City of", "", " =1+1", "\u22123", "a=b", "St. Helens"]
SIGNED_NUMBERS = ["-3.5", "+12%", "-1,234", "+7", "-0.25%"]


@pytest.mark.parametrize("text", RISKY)
def test_text_that_a_spreadsheet_would_run_gets_a_quote_in_front(text: str) -> None:
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS + SIGNED_NUMBERS)
def test_other_text_and_signed_numbers_are_left_as_they_are(text: str) -> None:
    assert safe_text(text) == text


def test_the_column_guard_is_the_same_rule_as_the_cell_guard() -> None:
    cells = [*RISKY, *HARMLESS, *SIGNED_NUMBERS, None]
    guarded = pl.DataFrame({"name": cells}).select(safe_text_column("name"))["name"].to_list()
    assert guarded == [None if cell is None else safe_text(cell) for cell in cells]


def test_a_frame_keeps_its_numbers_and_nulls_and_guards_its_text_and_headers() -> None:
    frame = pl.DataFrame({"Service": [HOSTILE, "Barnsley", None], "Change (%)": [-3.5, 2.0, None], "-n": [-1, 2, 3]})
    safe = spreadsheet_safe(frame)
    assert safe.columns == ["Service", "Change (%)", "'-n"]
    assert safe["Service"].to_list() == ["'" + HOSTILE, "Barnsley", None]
    assert safe["Change (%)"].to_list() == [-3.5, 2.0, None] and safe["'-n"].to_list() == [-1, 2, 3]
    assert safe.schema["Change (%)"] == pl.Float64


def test_readable_csv_writes_a_hostile_service_name_as_text_in_the_table_and_the_block() -> None:
    frame = pl.DataFrame({"Service": [HOSTILE, "@SUM(1)", "Barnsley"], "Change (%)": [-3.5, 1.5, None]})
    about = about_table(f"Visits, {HOSTILE}", "-sources", "OGL v3", (("Service", "=the service's name"),))
    rows = list(csv.reader(io.StringIO(readable_csv(frame, about).decode(ENCODING), newline="")))
    block = dict(row for row in rows[: rows.index([])])
    assert block["Title"] == f"Visits, {HOSTILE}"  # not at the start of the cell: a spreadsheet shows it as text
    assert block["Source"] == "'-sources" and block["Column: Service"] == "'=the service's name"
    table = rows[rows.index([]) + 1 :]
    assert table == [["Service", "Change (%)"], ["'" + HOSTILE, "-3.5"], ["'@SUM(1)", "1.5"], ["Barnsley", ""]]
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
