"""Code changes: old codes reach their April 2023 successors; splits are refused where one code is needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory_data.build.codes import read_code_changes

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


def test_real_table_remaps_the_named_reorganisations(real_source) -> None:
    changes = read_code_changes(real_source("ons/changes.csv"))
    assert changes.remap("E10000023") == ["E06000065"]  # North Yorkshire
    assert changes.remap("E10000027") == ["E06000066"]  # Somerset
    assert changes.remap("E07000155") == ["E06000062"]  # South Northamptonshire
    assert changes.remap("E07000007") == ["E06000060"]  # Wycombe -> Buckinghamshire
    assert changes.remap("E06000029") == ["E06000058"]  # Poole -> BCP
    assert changes.remap("E08000039") == ["E08000019"]  # Sheffield 2025 code
    assert sorted(changes.remap("E10000006")) == ["E06000063", "E06000064"]  # Cumbria
