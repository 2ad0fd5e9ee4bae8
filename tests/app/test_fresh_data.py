"""A running app serves a new build without a restart: its caches are keyed on the build's identity."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from observatory_data.serving.catalogue import CATALOGUE
from observatory_data.serving.store import PREPARED_VARIABLE, staged_output
from observatory_data.serving.tables import build_id
from tests.support.pages import ROOT

LOANS = CATALOGUE["loans"].label


RENAMED = "Loans of every format (renamed by a newer build)"


def _overview_metric_labels() -> list[str]:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    app.run()
    assert not app.exception
    return [metric.label for metric in app.metric]


def test_a_new_build_is_served_without_a_restart(
    prepared_tables: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "prepared"
    shutil.copytree(prepared_tables, folder)
    monkeypatch.setenv(PREPARED_VARIABLE, str(folder))
    before = build_id(folder)
    assert LOANS in _overview_metric_labels()

    # A newer build replaces the whole folder, as `observatory build` does (atomic swap).
    metrics = pl.read_parquet(folder / "metrics.parquet")
    with staged_output(folder) as staging:
        for table in prepared_tables.glob("*"):
            shutil.copy(table, staging / table.name)
        metrics.with_columns(
            label=pl.when(pl.col("metric") == "loans").then(pl.lit(RENAMED)).otherwise(pl.col("label"))
        ).write_parquet(staging / "metrics.parquet")

    assert build_id(folder) != before
    labels = _overview_metric_labels()
    assert RENAMED in labels and LOANS not in labels
