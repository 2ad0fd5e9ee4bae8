"""The same services across years, said once: the like-for-like set a change, a matched median, a gap over years
or a paired total rests on.

A group's change is measured on the services that meet a criterion in every one of the years compared, so it is a
change in use, not in who reported. Each caller names its criterion (a countable value, a comparable rate, a known
count); `in_every_year` says what "in every year" means.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from observatory_data.serving.catalogue import COUNTABLE

# A value that counts in a sum: countable status (catalogue.COUNTABLE) and a figure.
COUNTED_VALUE = pl.col("status").is_in(COUNTABLE) & pl.col("value").is_not_null()


def in_every_year(
    rows: pl.DataFrame,
    where: pl.Expr,
    years: Sequence[int] | None = None,
    *,
    by: Sequence[str] = (),
    key: str = "service_code",
) -> pl.DataFrame:
    """The `by` columns and `key` (a frame, sorted) of every key with a row meeting `where` in every one of `years`.

    `years` are counted once each (2023 given twice is one year); None means every year `rows` holds, per `by` (each
    metric its own years). A key missing a year, or whose row that year fails `where`, is left out.
    """
    keys = [*by, key]
    if years is None:
        wanted = pl.col("year").n_unique().over(by) if by else pl.col("year").n_unique()
    else:
        rows = rows.filter(pl.col("year").is_in(list(years)))
        wanted = pl.lit(len(set(years)), pl.UInt32)
    return (
        rows.with_columns(wanted=wanted)
        .filter(where)
        .group_by(keys)
        .agg(held=pl.col("year").n_unique(), wanted=pl.col("wanted").first())
        .filter(pl.col("held") == pl.col("wanted"))
        .select(keys)
        .sort(keys)
    )
