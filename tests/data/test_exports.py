"""Readable CSV downloads: what the table is, then the table, as a spreadsheet will read it back."""

from __future__ import annotations

import csv
import io

from components.exports import (
    ENCODING,
    about_table,
    readable_csv,
)
from observatory_data.serving.schema import describe
from observatory_data.serving.tables import read_table


def test_a_table_download_describes_every_column_from_the_schema(prepared_tables) -> None:
    frame = read_table("peers")
    about = about_table("peers", "sources", "OGL v3", tuple((c, describe("peers", c)) for c in frame.columns))
    rows = list(csv.reader(io.StringIO(readable_csv(frame, about, decimals=None).decode(ENCODING))))
    block = {row[0]: row[1] for row in rows[: rows.index([])]}
    assert block["Column: rank"] == "1 = nearest"
    assert "Metric" not in block  # a whole table has no single metric: no empty rows pretending otherwise
    header = rows[rows.index([]) + 1]
    assert header == frame.columns
