"""Reading the sources' CSV files one way: every cell as text, header names without BOM or spaces.

Text first, because the sources write numbers with thousands commas and codes with leading zeros;
each parser converts the columns it needs and names the row when a value is bad.
"""

from pathlib import Path

import polars as pl


def read_text_csv(path: Path) -> pl.DataFrame:
    """A CSV with every column as text; a byte-order mark or stray spaces in header names are removed."""
    table = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    return table.rename({column: column.lstrip("\ufeff").strip() for column in table.columns})
