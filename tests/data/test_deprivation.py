"""IMD and WIMD per service: File 11's figures on the real files."""

from __future__ import annotations

import polars as pl
import pytest

from observatory_data.build.codes import read_code_changes
from observatory_data.build.deprivation import read_deprivation
from observatory_data.build.register import read_register


@pytest.fixture(scope="module")
def real_deprivation(real_source) -> pl.DataFrame:
    return read_deprivation(
        real_source("mhclg/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"),
        real_source("mhclg/File_6_-_IoD2019_Population_Denominators.csv.gz"),
        real_source("welsh-government/lsoa_wimd.csv"),
        real_source("ons/lsoa11_to_lsoa21_to_lad.csv"),
        real_source("ons/lower_upper_lookup.csv"),
        read_code_changes(real_source("ons/changes.csv")),
        read_register(),
    )


def test_real_average_ranks_match_file_11(real_deprivation: pl.DataFrame) -> None:
    ranks = dict(zip(real_deprivation["service_code"], real_deprivation["imd_avg_rank"], strict=True))
    # File 11, sheet "IMD", column "IMD - Average rank", read by hand.
    assert ranks["E06000001"] == pytest.approx(22581.98, abs=0.5)  # Hartlepool
    assert ranks["E06000002"] == pytest.approx(23729.1, abs=0.5)  # Middlesbrough
    assert ranks["E06000017"] == pytest.approx(6306.8, abs=0.5)  # Rutland
    # Buckinghamshire's 2019 county (E10000002) has the same boundary as the 2020 unitary: 8023.36.
    assert ranks["E06000060"] == pytest.approx(8023.36, abs=0.5)


def test_real_every_unchanged_service_matches_file_11(real_source, real_deprivation: pl.DataFrame) -> None:
    summaries = pl.read_excel(
        real_source("mhclg/File_11_-_IoD2019_Local_Authority_District_Summaries__upper-tier__.xlsx"), sheet_name="IMD"
    )
    same_boundary = {
        "E0600003": "E06000039",  # File 11 truncates Slough's code
        "E10000002": "E06000060",  # Buckinghamshire county -> unitary (2020)
        "E10000023": "E06000065",  # North Yorkshire county -> unitary (2023)
        "E10000027": "E06000066",  # Somerset county -> unitary (2023)
    }
    published = summaries.select(
        service_code=pl.col("Upper Tier Local Authority District code (2019)").replace(same_boundary),
        published=pl.col("IMD - Average rank "),
    )
    compared = published.join(real_deprivation, on="service_code", how="inner")
    # 151 File 11 rows less Cumbria and Northamptonshire, which were split.
    assert compared.height == 149
    mismatched = compared.filter((pl.col("published") - pl.col("imd_avg_rank")).abs() > 0.5)
    assert mismatched.is_empty(), mismatched


def test_real_coverage(real_deprivation: pl.DataFrame) -> None:
    assert real_deprivation.height == 179
    assert real_deprivation["imd_lsoas"].sum() == 32844  # every row of File 1, each once
    assert real_deprivation["wimd_lsoas"].sum() == 1909  # every row of lsoa_wimd.csv
    assert real_deprivation["imd_avg_rank"].is_not_null().sum() == 153
    assert real_deprivation["wimd_avg_rank"].is_not_null().sum() == 22
    assert real_deprivation["imd_rank_of_avg_rank"].drop_nulls().sort().to_list() == list(range(1, 154))
    assert real_deprivation.filter(pl.col("imd_decile") == 1).height == 16
