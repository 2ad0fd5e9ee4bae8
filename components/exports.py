"""CSV downloads a person can open in a spreadsheet and still know what the numbers are.

A short block of what the table is (metric, unit, period, denominator, source, licence), an empty row, then
the table. The file is UTF-8 with a byte-order mark: without it Excel reads UTF-8 as a legacy code page and
shows "£" and accented names garbled; LibreOffice, Numbers, pandas and Python's csv (utf-8-sig) take it in
their stride. Rows end in CRLF, as RFC 4180 and Excel expect. A text cell that a spreadsheet would run as a
formula (a name starting with '=') is written as text (serving.spreadsheet_safe), in the block and in the table.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import polars as pl

from components.png_export import slug
from observatory_data.serving.audit_marks import mark_expr, sentence_expr
from observatory_data.serving.spreadsheet_safe import safe_text, spreadsheet_safe

ENCODING = "utf-8-sig"
# A header that says its column holds rates or other ratios (written to `decimals` places even when whole).
RATE_HEADER = re.compile(r"\brate|per 1,000|per 100,000|index|median|%|share|average", re.IGNORECASE)
MISSING_VALUES = "empty cell: no countable value (never zero)"
_LINE_END = "\r\n"
CAVEAT = (
    "Caveat",
    "Why the service's per-resident rate is not comparable with other services' (empty: nothing to say); such a "
    "rate is shown, but left out of medians, ranks, distributions and map classes",
)

# The audit's mark beside the value, never in the caveat (which is about the rate): its own two columns.
AUDIT_MARK = (
    "Audit mark",
    "The Libraries Hacked audit's mark on ACE's published figure (replaced, excluded or suspicious) and what our "
    "rule made of it (empty: no mark); a mark does not take a value out of medians: the figure's status says "
    "whether it counts",
)
AUDIT_NOTE = (
    "Audit note",
    "The mark in one sentence: the audit's estimate where it is used or not, and the audit's own note (often the "
    "service's explanation); empty: no mark",
)


@dataclass(frozen=True)
class About:
    """What a downloaded table is: the words a slide's footnote or a methods note would need."""

    title: str
    metric: str  # the metric's label, e.g. "Physical book loans"
    definition: str
    unit: str  # e.g. "loans per 1,000 residents"
    period: str  # e.g. "April 2023 to March 2024"
    denominator: str  # in words, e.g. "ONS mid-2024 population, all ages"
    source: str
    licence: str
    notes: str = ""
    columns: tuple[tuple[str, str], ...] = ()  # (header, what the column holds), from the tables' schema


def about_table(title: str, source: str, licence: str, columns: tuple[tuple[str, str], ...]) -> About:
    """The words for a whole table rather than one metric: what each column holds."""
    return About(title, "", "", "", "", "", source, licence, columns=columns)


def caveat_column() -> pl.Expr:
    """The rate's caveat as a column headed CAVEAT: empty text, not a missing value, where there is none."""
    return pl.col("caveat").fill_null("").alias(CAVEAT[0])


def audit_columns() -> list[pl.Expr]:
    """The audit's mark and its sentence as columns headed AUDIT_MARK and AUDIT_NOTE (empty text where there is no
    mark), from the frame's audit columns (rates.service_rates carries them)."""
    return [
        mark_expr().fill_null("").alias(AUDIT_MARK[0]),
        sentence_expr().fill_null("").alias(AUDIT_NOTE[0]),
    ]


def whole_number_columns(frame: pl.DataFrame) -> list[str]:
    """The float columns of counts holding whole numbers only (counts and populations are stored as floats so a gap
    can be null), which a reader should see as 1234, not 1234.0. A column whose header names a rate, an index, a
    median or a share keeps its decimal even when every value is whole: 2505.0 per 1,000 is a rate."""
    return [
        column
        for column, dtype in frame.schema.items()
        if dtype.is_float() and not RATE_HEADER.search(column) and _whole(frame[column].drop_nulls())
    ]


def _whole(values: pl.Series) -> bool:
    return values.len() > 0 and bool(values.is_finite().all()) and bool((values % 1 == 0).all())


def readable_csv(frame: pl.DataFrame, about: About, decimals: int | None = 1) -> bytes:
    """The metadata block, an empty row, then `frame` with floats to `decimals` places and nulls as empty cells.

    Integers and text are written as they are (floats too with `decimals=None`), and so is a float column of whole
    numbers only (a count: 1234, never 1234.0); column names are the caller's. Text that could run as a formula is
    written as text, numbers as they are.
    """
    frame = spreadsheet_safe(frame.with_columns(pl.col(whole_number_columns(frame)).cast(pl.Int64)))
    described = [
        ("Title", about.title),
        ("Metric", about.metric),
        ("Definition", about.definition),
        ("Unit", about.unit),
        ("Period", about.period),
        ("Denominator", about.denominator),
        ("Source", about.source),
        ("Licence", about.licence),
        ("Notes", about.notes),
    ]
    metadata = [
        *[(label, text) for label, text in described if text],
        *[(f"Column: {header}", text) for header, text in about.columns],
        ("Missing values", MISSING_VALUES),
    ]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator=_LINE_END)
    writer.writerows([*[(safe_text(label), safe_text(words)) for label, words in metadata], ()])
    # Printed to `decimals` places, as the page's tables print them (so 1848.4999999 is 1848.5).
    text.write(frame.write_csv(float_precision=decimals, null_value="", line_terminator=_LINE_END))
    return text.getvalue().encode(ENCODING)


def csv_file_name(title: str) -> str:
    """A download's file name from its title, e.g. 'visits-barnsley-2023.csv'."""
    return f"{slug(title)}.csv"
