"""Priority Places and Levelling Up for Culture Places flags for each service, from the district list.

A service is `yes` when any of its districts is on the list, `no` when every district is known and
none is, and `unknown` otherwise: the lists are partial, and unknown is not "no".
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from observatory_data.serving.catalogue import ENGLAND, PLACE_FLAG_VALUES, PLACE_FLAGS
from observatory_data.serving.errors import BuildError

PLACES_PATH = Path(__file__).parents[1] / "reference" / "places_by_district.csv"


def read_places(path: Path = PLACES_PATH) -> pl.DataFrame:
    """The district list, checked: every flag is yes, no or unknown."""
    table = pl.read_csv(path, infer_schema=False)
    for line, row in enumerate(table.iter_rows(named=True), start=2):
        for column in PLACE_FLAGS.values():
            if row[column] not in PLACE_FLAG_VALUES:
                raise BuildError(f"{path.name} row {line}, column {column}: {row[column]!r} is not yes/no/unknown")
    return table


def service_place_flags(places: pl.DataFrame, districts: pl.DataFrame, register: pl.DataFrame) -> pl.DataFrame:
    """Flags per service, with the districts that give a `yes` and the count of unknown districts.

    `districts` is the April 2023 lookup (ltla23, utla23) so that districts missing from the list are
    counted as unknown rather than assumed "no".
    """
    known = districts.join(places.select(["ltla23", "place_name", *PLACE_FLAGS.values()]), on="ltla23", how="left")
    rows = []
    for code, group in known.group_by("utla23"):
        row: dict[str, object] = {"service_code": code[0]}
        for flag, column in PLACE_FLAGS.items():
            values = group[column].fill_null("unknown")
            yes_names = sorted(group.filter(values == "yes")["place_name"].to_list())
            row[flag] = "yes" if yes_names else ("no" if (values == "no").all() else "unknown")
            row[f"{flag}_districts"] = "; ".join(yes_names) or None
            row[f"{flag}_unknown_districts"] = int((values == "unknown").sum())
        rows.append(row)
    flags = pl.DataFrame(rows)
    services = register.select("service_code", "nation")
    result = services.join(flags, on="service_code", how="left")
    # ACE's places are English districts: services elsewhere are simply not on the lists.
    outside = pl.col("nation") != ENGLAND
    return result.with_columns(
        [pl.when(outside).then(pl.lit("no")).otherwise(pl.col(flag)).alias(flag) for flag in PLACE_FLAGS]
    ).drop("nation")
