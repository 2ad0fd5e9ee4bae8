"""Area deprivation per service: English IMD 2019 rebuilt on April 2023 boundaries, Welsh WIMD 2019 alongside.

MHCLG's own upper-tier summaries (File 11) use 2019 authorities, so Buckinghamshire, the
Northamptonshires, Cumberland, Westmorland and Furness, North Yorkshire and Somerset are missing from
them. The summaries are therefore rebuilt from LSOA ranks with MHCLG's method. The two indices rank
different sets of areas and are not comparable: English figures are null outside England and Welsh
ones null outside Wales.

Average ranks follow File 11's convention: LSOA ranks are reversed (the most deprived LSOA gets the
highest number) before averaging, so a higher average rank means a more deprived service.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from observatory_data.build.codes import CodeChanges
from observatory_data.build.csvfile import read_text_csv
from observatory_data.serving.catalogue import ENGLAND, WALES
from observatory_data.serving.errors import BuildError

IMD_COLUMNS = {
    "LSOA code (2011)": "lsoa",
    "Local Authority District code (2019)": "lad19",
    "Index of Multiple Deprivation (IMD) Rank": "rank",
    "Index of Multiple Deprivation (IMD) Decile": "decile",
}
IMD_POPULATION_COLUMNS = {"LSOA code (2011)": "lsoa", "Total population: mid 2015 (excluding prisoners)": "population"}
WIMD_COLUMNS = {"lsoa11cd": "lsoa", "rank": "rank", "decile": "decile"}
LSOA_LOOKUP_COLUMNS = {"LSOA11CD": "lsoa", "LAD22CD": "lad22"}
LOWER_UPPER_COLUMNS = {"LTLA23CD": "ltla23", "UTLA23CD": "utla23"}
MOST_DEPRIVED_DECILE = 1


def read_deprivation(
    imd_lsoa_path: Path,
    imd_population_path: Path,
    wimd_path: Path,
    lsoa_lookup_path: Path,
    lower_upper_path: Path,
    changes: CodeChanges,
    register: pl.DataFrame,
) -> pl.DataFrame:
    """One row per register service with the IMD columns (England) and WIMD columns (Wales)."""
    english = _english_imd(imd_lsoa_path, imd_population_path, lower_upper_path, changes, register)
    welsh = _welsh_wimd(wimd_path, lsoa_lookup_path, changes, register)
    services = register.select("service_code")
    return services.join(english, on="service_code", how="left", maintain_order="left").join(
        welsh, on="service_code", how="left", maintain_order="left"
    )


def _english_imd(
    imd_lsoa_path: Path,
    imd_population_path: Path,
    lower_upper_path: Path,
    changes: CodeChanges,
    register: pl.DataFrame,
) -> pl.DataFrame:
    """IMD summaries per English service, weighted by MHCLG's mid-2015 LSOA populations as File 11 is.

    imd_decile places each service in a tenth of the English services ordered by average rank:
    decile = floor((rank_of_avg_rank - 1) * 10 / number_of_services) + 1, so with 153 services
    deciles 1 to 10 hold 15 or 16 services each and decile 1 is the most deprived.
    """
    lsoas = _read(imd_lsoa_path, IMD_COLUMNS, integers=("rank", "decile"))
    populations = _read(imd_population_path, IMD_POPULATION_COLUMNS, integers=("population",))
    _require_unique(lsoas, imd_lsoa_path)
    lsoas = lsoas.join(populations, on="lsoa", how="left")
    _require_matched(lsoas, "population", f"{imd_lsoa_path.name} (no population in {imd_population_path.name})")
    reversed_rank = _reversed_rank(lsoas, imd_lsoa_path)

    english = register.filter(pl.col("nation") == ENGLAND)["service_code"]
    district_services = _district_services(
        lsoas["lad19"].drop_nulls().unique().to_list(), lower_upper_path, changes, english
    )
    lsoas = lsoas.join(district_services, on="lad19", how="left")
    _require_matched(lsoas, "service_code", f"{imd_lsoa_path.name} (no district code)")

    summary = lsoas.group_by("service_code").agg(
        imd_avg_rank=(reversed_rank * pl.col("population")).sum() / pl.col("population").sum(),
        imd_share_most_deprived_10pct=pl.col("population").filter(pl.col("decile") == MOST_DEPRIVED_DECILE).sum()
        / pl.col("population").sum(),
        imd_lsoas=pl.len().cast(pl.Int64),
    )
    without = sorted(set(english.to_list()) - set(summary["service_code"].to_list()))
    if without:
        raise BuildError(f"{imd_lsoa_path.name}: no LSOAs for English service(s) {', '.join(without)}")
    services = summary.height
    return summary.with_columns(
        imd_rank_of_avg_rank=pl.col("imd_avg_rank").rank(method="min", descending=True).cast(pl.Int64)
    ).with_columns(imd_decile=(pl.col("imd_rank_of_avg_rank") - 1) * 10 // services + 1)


def _district_services(
    districts: list[str], lower_upper_path: Path, changes: CodeChanges, english: pl.Series
) -> pl.DataFrame:
    """Each 2019 district's April 2023 service: merged districts go to their successor, then to its upper tier."""
    lookup = _read(lower_upper_path, LOWER_UPPER_COLUMNS)
    upper_of = dict(zip(lookup["ltla23"], lookup["utla23"], strict=True))
    services = set(english.to_list())
    rows = []
    for district in sorted(districts):
        ltla23 = changes.remap_one(district, where="IMD 2019 district")
        service = upper_of.get(ltla23)
        if service not in services:
            raise BuildError(
                f"{lower_upper_path.name}: 2019 district {district} (2023 code {ltla23}) has upper tier {service!r}, "
                "which is not an English service in the register"
            )
        rows.append({"lad19": district, "service_code": service})
    return pl.DataFrame(rows, schema={"lad19": pl.String, "service_code": pl.String})


def _welsh_wimd(wimd_path: Path, lsoa_lookup_path: Path, changes: CodeChanges, register: pl.DataFrame) -> pl.DataFrame:
    """WIMD summaries per Welsh authority.

    No Welsh LSOA populations are among the sources, so the means are unweighted: wimd_avg_rank is the
    plain mean of reversed WIMD LSOA ranks (higher = more deprived, as for IMD) and the share is the
    share of LSOAs, not of people, in WIMD decile 1.
    """
    lsoas = _read(wimd_path, WIMD_COLUMNS, integers=("rank", "decile"))
    _require_unique(lsoas, wimd_path)
    reversed_rank = _reversed_rank(lsoas, wimd_path)
    lookup = _read(lsoa_lookup_path, LSOA_LOOKUP_COLUMNS).filter(pl.col("lsoa").str.starts_with("W")).unique()
    split = lookup.filter(pl.col("lsoa").is_duplicated())
    if split.height:
        raise BuildError(f"{lsoa_lookup_path.name}: LSOA {split['lsoa'][0]} lies in more than one authority")
    lsoas = lsoas.join(lookup, on="lsoa", how="left")
    _require_matched(lsoas, "lad22", f"{wimd_path.name} (LSOA not in {lsoa_lookup_path.name})")
    welsh = set(register.filter(pl.col("nation") == WALES)["service_code"].to_list())
    authorities = {code: changes.remap_one(code, where=lsoa_lookup_path.name) for code in lsoas["lad22"].unique()}
    unknown = sorted(code for code in authorities.values() if code not in welsh)
    if unknown:
        raise BuildError(f"{lsoa_lookup_path.name}: authority code(s) {', '.join(unknown)} are not Welsh services")
    summary = (
        lsoas.with_columns(service_code=pl.col("lad22").replace_strict(authorities))
        .group_by("service_code")
        .agg(
            wimd_avg_rank=reversed_rank.mean(),
            wimd_share_most_deprived_10pct=(pl.col("decile") == MOST_DEPRIVED_DECILE).mean(),
            wimd_lsoas=pl.len().cast(pl.Int64),
        )
    )
    without = sorted(welsh - set(summary["service_code"].to_list()))
    if without:
        raise BuildError(f"{wimd_path.name}: no LSOAs for Welsh service(s) {', '.join(without)}")
    return summary


def _read(path: Path, columns: dict[str, str], integers: tuple[str, ...] = ()) -> pl.DataFrame:
    """The named columns of a CSV, renamed; counts written with thousands commas ("29,199") become integers."""
    table = read_text_csv(path)
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise BuildError(f"{path.name}: missing columns {missing}")
    table = table.select(pl.col(source).alias(name) for source, name in columns.items())
    for name in integers:
        values = table[name].str.replace_all(",", "").str.strip_chars().cast(pl.Int64, strict=False)
        bad = table.with_row_index("line", offset=2).filter(values.is_null())
        if bad.height:
            source = next(source for source, renamed in columns.items() if renamed == name)
            row = bad.row(0, named=True)
            raise BuildError(f"{path.name} row {row['line']}, column {source!r}: not a whole number: {row[name]!r}")
        table = table.with_columns(values.alias(name))
    return table


def _reversed_rank(lsoas: pl.DataFrame, path: Path) -> pl.Expr:
    """Ranks turned round as in File 11, so the most deprived of n LSOAs counts n; ranks must lie in 1..n."""
    total = lsoas.height
    out_of_range = lsoas.filter(~pl.col("rank").is_between(1, total))
    if out_of_range.height:
        raise BuildError(f"{path.name}: LSOA {out_of_range['lsoa'][0]} has rank outside 1..{total}")
    return total + 1 - pl.col("rank")


def _require_unique(lsoas: pl.DataFrame, path: Path) -> None:
    duplicated = lsoas.filter(pl.col("lsoa").is_duplicated())["lsoa"].unique().sort().to_list()
    if duplicated:
        raise BuildError(f"{path.name}: LSOA(s) {', '.join(duplicated[:5])} appear on more than one row")


def _require_matched(lsoas: pl.DataFrame, column: str, where: str) -> None:
    """Every LSOA must land in exactly one service: count the unmatched ones and name a few."""
    unmatched = lsoas.filter(pl.col(column).is_null())["lsoa"].to_list()
    if unmatched:
        raise BuildError(f"{where}: {len(unmatched)} LSOA(s) unmatched, e.g. {', '.join(unmatched[:5])}")
