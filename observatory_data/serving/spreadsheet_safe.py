"""Text that a spreadsheet shows as text: the OWASP guard against CSV (formula) injection, stated once.

Excel, LibreOffice and Google Sheets read a cell that starts with '=', '+', '-' or '@' as a formula, and a tab or a
carriage return before one can hide it. A name or a note reaches our CSVs from files other people made (a service
name in a workbook added with `add-year`, an audit's note), so `=HYPERLINK(...)` in one would run on the reader's
machine. Such a text cell is written with a single quote in front (OWASP's advice), which the spreadsheet shows as
text. Numbers in numeric columns are never touched, and nor is text that is only a signed number (-3.5, +12%),
which a spreadsheet reads as a number and cannot run. Every CSV the app or the open data package writes goes
through here: `components.exports.readable_csv` and `serving.open_data`.
"""

from __future__ import annotations

import re

import polars as pl

QUOTE = "'"
# A cell a spreadsheet would run (OWASP, CSV Injection): its first character is one of these.
FORMULA_START = r"^[=+\-@\t\r]"
# ...unless it is only a signed number, with thousands separators, decimals or a per cent sign.
SIGNED_NUMBER = r"^[+\-]?[0-9][0-9,]*(\.[0-9]+)?%?$"
_FORMULA_START = re.compile(FORMULA_START)
_SIGNED_NUMBER = re.compile(SIGNED_NUMBER)


def safe_text(text: str) -> str:
    """One cell as a spreadsheet must get it: `text` with a quote in front if it could run as a formula."""
    if _FORMULA_START.search(text) and not _SIGNED_NUMBER.search(text):
        return QUOTE + text
    return text


def safe_text_column(column: str) -> pl.Expr:
    """safe_text over a text column (the same two patterns, run by Polars); null stays null."""
    value = pl.col(column)
    risky = value.str.contains(FORMULA_START) & ~value.str.contains(SIGNED_NUMBER)
    return pl.when(risky).then(pl.lit(QUOTE) + value).otherwise(value).alias(column)


def spreadsheet_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with every text cell and every column name safe to open in a spreadsheet; other columns as they are."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    guarded = frame.with_columns(safe_text_column(name) for name in text) if text else frame
    return guarded.rename({name: safe_text(name) for name in frame.columns if safe_text(name) != name})
