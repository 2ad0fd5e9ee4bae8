"""Places flags: any listed district makes a service `yes`; an unlisted district makes `no` impossible."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from observatory_data.build.places import read_places, service_place_flags
from observatory_data.serving.errors import BuildError

HEADER = "place_name,lad_code,ltla23,priority_place_2021_24,lucp_2022_26,evidence,utla23,utla23_nm\n"


def _register() -> pl.DataFrame:
    return pl.DataFrame(
        {"service_code": ["E10000001", "E10000002", "W06000001"], "nation": ["England", "England", "Wales"]}
    )


def test_service_flags_from_districts(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(
        HEADER
        + "Alpha,E07000001,E07000001,yes,no,ev,E10000001,A\n"
        + "Beta,E07000002,E07000002,no,no,ev,E10000001,A\n"
        + "Gamma,E07000003,E07000003,no,no,ev,E10000002,B\n"
    )
    districts = pl.DataFrame(
        {
            "ltla23": ["E07000001", "E07000002", "E07000003", "E07000004"],
            "utla23": ["E10000001", "E10000001", "E10000002", "E10000002"],
        }
    )
    flags = service_place_flags(read_places(path), districts, _register()).sort("service_code")
    assert flags["priority_place"].to_list() == ["yes", "unknown", "no"]
    assert flags["priority_place_districts"].to_list() == ["Alpha", None, None]
    assert flags["lucp"].to_list() == ["no", "unknown", "no"]
    assert flags["lucp_unknown_districts"].to_list() == [0, 1, None]


def test_bad_flag_names_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(HEADER + "Alpha,E07000001,E07000001,maybe,no,ev,E10000001,A\n")
    with pytest.raises(BuildError, match="row 2, column priority_place_2021_24"):
        read_places(path)
