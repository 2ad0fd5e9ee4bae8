"""Code changes: old codes reach their April 2023 successors; splits are refused where one code is needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory_data.build.codes import non_service_reason, read_code_changes
from observatory_data.serving.errors import BuildError

CHANGES = """oldcd,oldnm,newcd,newnm,type,start
E07000026,Allerdale,E06000063,Cumberland,merger,2023
E07000027,Barrow-in-Furness,E06000064,Westmorland and Furness,merger,2023
E10000006,Cumbria,,,termination,2023
E06000028,Bournemouth,E06000058,"Bournemouth, Christchurch and Poole",merger,2019
E08000016,Barnsley,E08000038,Barnsley,new_code,2025
E06000014,York,E47000012,York and North Yorkshire,new_geo,2024
"""


@pytest.fixture()
def changes(tmp_path: Path):
    path = tmp_path / "changes.csv"
    path.write_text(CHANGES)
    return read_code_changes(path)


def test_merger_maps_to_successor(changes) -> None:
    assert changes.remap("E06000028") == ["E06000058"]
    assert changes.remap("E07000026") == ["E06000063"]


def test_recode_after_2023_maps_back_to_2023_code(changes) -> None:
    assert changes.remap("E08000038") == ["E08000016"]
    assert changes.remap("E08000016") == ["E08000016"]


def test_combined_authority_rows_are_not_remaps(changes) -> None:
    assert changes.remap("E06000014") == ["E06000014"]


def test_split_county_has_two_successors_and_remap_one_refuses_it(changes) -> None:
    assert changes.remap("E10000006") == ["E06000063", "E06000064"]
    with pytest.raises(BuildError, match="E10000006 was split into E06000063, E06000064"):
        changes.remap_one("E10000006", where="fixture row 3")


def test_bad_year_names_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "changes.csv"
    path.write_text("oldcd,oldnm,newcd,newnm,type,start\nE1,a,E2,b,merger,soon\n")
    with pytest.raises(BuildError, match="row 2, column start"):
        read_code_changes(path)


def test_expected_non_service_codes_have_reasons() -> None:
    assert non_service_reason("S12000036") == "Scottish authority (not covered)"
    assert non_service_reason("E06000001") is None
