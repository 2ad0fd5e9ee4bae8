"""Nearest neighbours: hand-read rows of the real workbook."""

from __future__ import annotations

import polars as pl
import pytest

from observatory_data.build.codes import read_code_changes
from observatory_data.build.peers import read_peers
from observatory_data.build.register import read_register


def test_real_peers(real_source) -> None:
    result = read_peers(
        real_source("ons/localauthoritynearestneighboursengland.xlsx"),
        read_register(),
        read_code_changes(real_source("ons/changes.csv")),
    )
    counts = result.group_by("service_code").len()
    assert counts.height == 153
    assert counts["len"].unique().to_list() == [152]  # every service ranks all 152 others
    # Table 3, row 5 (Hartlepool E06000001): Neighbour 1-3 are Rotherham, Redcar and Cleveland, Knowsley.
    hartlepool = result.filter(pl.col("service_code") == "E06000001").head(3)
    assert hartlepool["peer_code"].to_list() == ["E08000018", "E06000003", "E08000011"]
    # Table 4, row Hartlepool, column E06000003: 3.833138863187656.
    assert hartlepool["distance"][1] == pytest.approx(3.833138863187656)
