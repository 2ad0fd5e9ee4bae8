"""The metrics catalogue: one entry per annual metric, ACE's definitions quoted, the right denominators."""

from __future__ import annotations

import polars as pl

from observatory_data.build.activity import workbook_source
from observatory_data.build.metrics import build_metrics, read_field_definitions

SOURCE = workbook_source(2023)


def test_real_definitions_are_read_from_the_workbook(real_source) -> None:
    workbook = real_source("ace/Libraries Activity Data 2023-24 FINAL.xlsx")
    fields = read_field_definitions(workbook)
    # 'Field definitions and notes', row 'Quarterly totals' (column B)
    assert fields["Quarterly totals"].startswith("For data that is collected quarterly, respondents were asked")
    metrics = build_metrics(workbook, SOURCE)
    active = metrics.filter(pl.col("metric") == "active_users")["definition"].item()
    assert "borrowed at least one piece of physical or digital content" in active
