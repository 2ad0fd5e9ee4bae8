"""IMD and WIMD per service: weighted means on tiny synthetic files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from observatory_data.build.codes import CodeChanges
from observatory_data.build.deprivation import read_deprivation
from observatory_data.serving.errors import BuildError

REGISTER = pl.DataFrame(
    {
        "service_code": ["E06000001", "E06000060", "E10000003", "W06000015", "W06000001", "N92000002"],
        "nation": ["England", "England", "England", "Wales", "Wales", "Northern Ireland"],
    }
)
# Aylesbury Vale and Chiltern (2019 districts) merged into Buckinghamshire unitary in 2020.
CHANGES = CodeChanges(forward={"E07000004": ["E06000060"], "E07000005": ["E06000060"]})

IMD_HEADER = (
    "\ufeffLSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
    "Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,"
    "Index of Multiple Deprivation (IMD) Decile"
)
# (LSOA, 2019 district, rank, decile, mid-2015 population); 5 LSOAs, so the reversed rank is 6 - rank.
ENGLISH_LSOAS = [
    ("E01000001", "E06000001", "1", "1", "1,000"),
    ("E01000002", "E06000001", "3", "6", "3,000"),
    ("E01000003", "E07000004", "2", "3", "500"),
    ("E01000004", "E07000005", "4", "10", "1,500"),
    ("E01000005", "E07000008", "5", "10", "2,000"),
]
# (LSOA, WIMD rank, decile, 2022 authority); 3 LSOAs, so the reversed rank is 4 - rank.
WELSH_LSOAS = [
    ("W01000001", "1", "1", "W06000015"),
    ("W01000002", "3", "10", "W06000015"),
    ("W01000003", "2", "5", "W06000001"),
]
UPPER_TIERS = {"E06000001": "E06000001", "E06000060": "E06000060", "E07000008": "E10000003"}


def _write_sources(folder: Path, english=ENGLISH_LSOAS, welsh=WELSH_LSOAS) -> list[Path]:
    """The five files in the real files' layouts (quoted thousands commas, BOMs)."""
    imd = [IMD_HEADER] + [
        f'{lsoa},Area {lsoa},{lad},District,"{rank}",{decile}' for lsoa, lad, rank, decile, _ in english
    ]
    population = ["\ufeffLSOA code (2011),LSOA name (2011),Total population: mid 2015 (excluding prisoners)"] + [
        f'{lsoa},Area {lsoa},"{people}"' for lsoa, *_, people in english
    ]
    wimd = ["\ufefflsoa11cd,rank,decile"] + [f"{lsoa},{rank},{decile}" for lsoa, rank, decile, _ in welsh]
    lookup = ["\ufeffObjectId,LSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,LAD22CD,LAD22NM,LAD22NMW"]
    for number, (lsoa, _, _, lad) in enumerate(welsh, start=1):
        lookup.append(f"{number},{lsoa},Area,{lsoa},Area,{lad},Authority,Awdurdod")
    lookup.append("9,W01000002,Area,W01009999,Area split in 2021,W06000015,Authority,Awdurdod")
    lower_upper = ["\ufeffLTLA23CD,LTLA23NM,LTLA23NMW,UTLA23CD,UTLA23NM,UTLA23NMW,ObjectId"] + [
        f"{lower},Lower,,{upper},Upper,,{number}" for number, (lower, upper) in enumerate(UPPER_TIERS.items(), start=1)
    ]
    paths = []
    for name, lines in [
        ("imd.csv", imd),
        ("population.csv", population),
        ("wimd.csv", wimd),
        ("lsoa_lookup.csv", lookup),
        ("lower_upper.csv", lower_upper),
    ]:
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(folder / name)
    return paths


def test_population_weighted_ranks_and_unweighted_wimd(tmp_path: Path) -> None:
    result = read_deprivation(*_write_sources(tmp_path), CHANGES, REGISTER)
    assert result["service_code"].to_list() == REGISTER["service_code"].to_list()
    rows = {row["service_code"]: row for row in result.iter_rows(named=True)}
    # Hartlepool by hand: reversed ranks 5 and 3 weighted by 1000 and 3000 -> (5000 + 9000) / 4000.
    assert rows["E06000001"]["imd_avg_rank"] == pytest.approx(3.5)
    assert rows["E06000001"]["imd_share_most_deprived_10pct"] == pytest.approx(0.25)
    # Buckinghamshire gathers its two merged 2019 districts: (4 * 500 + 2 * 1500) / 2000.
    assert rows["E06000060"]["imd_avg_rank"] == pytest.approx(2.5)
    assert rows["E06000060"]["imd_lsoas"] == 2
    # Cambridge goes to its upper tier, Cambridgeshire.
    assert rows["E10000003"]["imd_avg_rank"] == pytest.approx(1.0)
    assert [rows[code]["imd_rank_of_avg_rank"] for code in ("E06000001", "E06000060", "E10000003")] == [1, 2, 3]
    # Three services: decile = (rank - 1) * 10 // 3 + 1.
    assert [rows[code]["imd_decile"] for code in ("E06000001", "E06000060", "E10000003")] == [1, 4, 7]
    # Cardiff: plain mean of reversed ranks 3 and 1; one of its two LSOAs in decile 1. The 2021 split of
    # W01000002 into two LSOAs must not count it twice.
    assert rows["W06000015"]["wimd_avg_rank"] == pytest.approx(2.0)
    assert rows["W06000015"]["wimd_share_most_deprived_10pct"] == pytest.approx(0.5)
    assert rows["W06000015"]["wimd_lsoas"] == 2
    assert rows["W06000001"]["wimd_lsoas"] == 1
    assert rows["W06000015"]["imd_avg_rank"] is None
    assert rows["E06000001"]["wimd_avg_rank"] is None
    assert all(value is None for key, value in rows["N92000002"].items() if key != "service_code")


def test_lsoa_without_a_district_is_counted_and_named(tmp_path: Path) -> None:
    english = [*ENGLISH_LSOAS[:4], ("E01000005", "", "5", "10", "2,000")]
    paths = _write_sources(tmp_path, english=english)
    with pytest.raises(BuildError, match=r"imd\.csv \(no district code\): 1 LSOA\(s\) unmatched, e\.g\. E01000005"):
        read_deprivation(*paths, CHANGES, REGISTER)


def test_district_outside_the_register_is_an_error(tmp_path: Path) -> None:
    english = [*ENGLISH_LSOAS[:4], ("E01000005", "E07000099", "5", "10", "2,000")]
    paths = _write_sources(tmp_path, english=english)
    with pytest.raises(BuildError, match="2019 district E07000099"):
        read_deprivation(*paths, CHANGES, REGISTER)


def test_welsh_lsoa_missing_from_the_lookup_is_an_error(tmp_path: Path) -> None:
    welsh = [*WELSH_LSOAS, ("W01000004", "3", "10", "W06000001")]
    paths = _write_sources(tmp_path, welsh=welsh)
    # Drop the new LSOA from the lookup after writing it.
    lookup = paths[3]
    lookup.write_text("".join(line for line in lookup.open(encoding="utf-8") if "W01000004" not in line), "utf-8")
    with pytest.raises(BuildError, match=r"wimd\.csv \(LSOA not in lsoa_lookup\.csv\): 1 LSOA\(s\) unmatched"):
        read_deprivation(*paths, CHANGES, REGISTER)


def test_rank_that_is_not_a_number_names_row_and_column(tmp_path: Path) -> None:
    english = [*ENGLISH_LSOAS[:4], ("E01000005", "E07000008", "five", "10", "2,000")]
    paths = _write_sources(tmp_path, english=english)
    with pytest.raises(BuildError, match=r"imd\.csv row 6, column 'Index of Multiple Deprivation \(IMD\) Rank'"):
        read_deprivation(*paths, CHANGES, REGISTER)
