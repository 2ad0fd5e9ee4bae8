"""The typed schema: each kind of mismatch is refused with a message naming table and column."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from observatory_data.serving.errors import BuildError
from observatory_data.serving.schema import TABLES, check_schema, describe, polars_schema, validate
from observatory_data.serving.tables import PreparedTableInvalid, read_boundaries, read_table


def annual(**values: object) -> pl.DataFrame:
    """A one-row annual table that matches the schema, with `values` replacing its defaults."""
    row = {
        "service_code": "E08000016",
        "year": 2023,
        "metric": "loans",
        "value": 379_787.0,
        "status": "derived",
        "months_covered": 12,
        "source": "ACE Libraries Activity Data 2023/24",
        "note": "physical books + eBooks",
    }
    return pl.DataFrame([{**row, **values}], schema=polars_schema("annual"))


def test_a_matching_frame_passes_and_nullable_columns_take_nulls() -> None:
    validate("annual", annual())
    validate("annual", annual(value=None, months_covered=None, status="no_return"))


def test_a_wrong_type_names_table_column_and_both_types() -> None:
    frame = annual().with_columns(pl.col("year").cast(pl.Int64))
    with pytest.raises(BuildError, match=r"table annual .*\n  column year: type Int64, expected Int32"):
        validate("annual", frame)


def test_a_null_in_a_required_column_is_counted() -> None:
    with pytest.raises(BuildError, match=r"table annual .*\n  column note: 1 null values, but it may not be null"):
        validate("annual", annual(note=None))


def test_a_status_outside_the_enum_is_shown() -> None:
    with pytest.raises(BuildError, match=r"table annual .*\n  column status: 1 values outside .* \(e.g. 'estimated'\)"):
        validate("annual", annual(status="estimated"))


def test_at_most_five_values_outside_the_enum_are_listed() -> None:
    frame = pl.concat([annual(status=f"odd_{n}") for n in range(7)])
    with pytest.raises(BuildError, match="7 values outside") as raised:
        validate("annual", frame)
    assert "'odd_4'" in str(raised.value) and "'odd_5'" not in str(raised.value)


def test_missing_and_extra_columns_are_both_named() -> None:
    frame = annual().drop("note").with_columns(comment=pl.lit("x"))
    with pytest.raises(BuildError, match="column note: missing\n  column comment: not documented"):
        validate("annual", frame)
    with pytest.raises(BuildError, match=r"table annual .*\n  column note: missing"):
        check_schema("annual", frame.columns)


def test_an_undocumented_table_is_refused() -> None:
    with pytest.raises(BuildError, match="table 'annuals' is not documented"):
        validate("annuals", annual())


def test_every_column_is_described_and_every_typed_table_has_a_polars_schema() -> None:
    for table, columns in TABLES.items():
        assert all(describe(table, column.name) for column in columns)
        if table != "boundaries":
            assert list(polars_schema(table)) == [column.name for column in columns]
    assert describe("annual", "year") == "Start of the financial year: 2023 means 2023/24"
    with pytest.raises(ValueError, match="geometry"):
        polars_schema("boundaries")
    with pytest.raises(BuildError, match="column 'population' is not documented"):
        describe("annual", "population")


def test_read_table_refuses_a_file_with_a_wrong_column_type(tmp_path: Path) -> None:
    annual().with_columns(pl.col("year").cast(pl.String)).write_parquet(tmp_path / "annual.parquet")
    with pytest.raises(PreparedTableInvalid, match=r"annual\.parquet cannot be used.*\n  column year: type String"):
        read_table("annual", folder=tmp_path)
    annual().write_parquet(tmp_path / "annual.parquet")
    assert read_table("annual", folder=tmp_path).height == 1


def test_read_boundaries_refuses_a_file_without_geometry(tmp_path: Path) -> None:
    pl.DataFrame({"service_code": ["E08000016"], "service_name": ["Barnsley"]}).write_parquet(
        tmp_path / "boundaries.parquet"
    )
    with pytest.raises(
        PreparedTableInvalid, match=r"boundaries\.parquet cannot be used(.|\n)*column geometry: missing"
    ):
        read_boundaries(folder=tmp_path)
