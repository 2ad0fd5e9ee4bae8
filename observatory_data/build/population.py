"""Resident population per service from ONS mid-2024 estimates, split into the age bands libraries plan for.

Children (0-11), young people (12-17) and adults (18+) are the bands library statistics report on. The
estimates use 2023 geography, the register's codes. Libraries NI and the Crown Dependencies are not in
the England and Wales file: their populations are null, not zero.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from observatory_data.build.csvfile import read_text_csv
from observatory_data.serving.catalogue import ENGLAND, WALES
from observatory_data.serving.errors import BuildError

BANDS = {
    "population_0_11": [str(age) for age in range(12)],
    "population_12_17": [str(age) for age in range(12, 18)],
    "population_18_plus": [*(str(age) for age in range(18, 90)), "90+"],
}
ALL_AGES = "All ages"
COVERED_NATIONS = (ENGLAND, WALES)


def read_population(path: Path, register: pl.DataFrame) -> pl.DataFrame:
    """Population by age band for every register service; a row whose bands do not add up stops the build."""
    table = read_text_csv(path)
    ages = [age for band in BANDS.values() for age in band]
    missing = [column for column in ["Code", ALL_AGES, *ages] if column not in table.columns]
    if missing:
        raise BuildError(f"{path.name}: missing columns {missing}")
    counts = table.select("Code", *(_count(table, column, path) for column in [ALL_AGES, *ages]))
    bands = counts.select(
        pl.col("Code").alias("service_code"),
        pl.col(ALL_AGES).alias("population"),
        *(pl.sum_horizontal(columns).alias(name) for name, columns in BANDS.items()),
    ).with_row_index("line", offset=2)
    wrong = bands.filter(pl.sum_horizontal(list(BANDS)) != pl.col("population"))
    if wrong.height:
        row = wrong.row(0, named=True)
        raise BuildError(
            f"{path.name} row {row['line']} ({row['service_code']}): the ages 0-11, 12-17 and 18+ add up to "
            f"{sum(row[name] for name in BANDS)}, not the '{ALL_AGES}' figure {row['population']}"
        )
    bands = bands.drop("line").filter(pl.col("service_code").is_in(register["service_code"].implode()))
    duplicated = bands.filter(pl.col("service_code").is_duplicated())["service_code"].unique().to_list()
    if duplicated:
        raise BuildError(f"{path.name}: code(s) {', '.join(sorted(duplicated))} appear on more than one row")
    covered = register.filter(pl.col("nation").is_in(COVERED_NATIONS))["service_code"]
    absent = sorted(set(covered.to_list()) - set(bands["service_code"].to_list()))
    if absent:
        raise BuildError(f"{path.name}: no population for service code(s) {', '.join(absent)}")
    return register.select("service_code").join(bands, on="service_code", how="left", maintain_order="left")


def _count(table: pl.DataFrame, column: str, path: Path) -> pl.Series:
    """A column of whole-number counts; a blank or non-numeric cell is an error naming its row."""
    values = table[column].str.strip_chars().cast(pl.Int64, strict=False)
    bad = table.with_row_index("line", offset=2).filter(values.is_null())
    if bad.height:
        row = bad.row(0, named=True)
        where = f"{path.name} row {row['line']} ({row['Code']}), column {column!r}"
        raise BuildError(f"{where}: not a count: {row[column]!r}")
    return values
