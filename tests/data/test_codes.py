"""Code changes: old codes reach their April 2023 successors; splits are refused where one code is needed."""

from __future__ import annotations

from observatory_data.build.codes import read_code_changes


def test_real_table_remaps_the_named_reorganisations(real_source) -> None:
    changes = read_code_changes(real_source("ons/changes.csv"))
    assert changes.remap("E10000023") == ["E06000065"]  # North Yorkshire
    assert changes.remap("E10000027") == ["E06000066"]  # Somerset
    assert changes.remap("E07000155") == ["E06000062"]  # South Northamptonshire
    assert changes.remap("E07000007") == ["E06000060"]  # Wycombe -> Buckinghamshire
    assert changes.remap("E06000029") == ["E06000058"]  # Poole -> BCP
    assert changes.remap("E08000039") == ["E08000019"]  # Sheffield 2025 code
    assert sorted(changes.remap("E10000006")) == ["E06000063", "E06000064"]  # Cumbria
