"""The metrics catalogue: one entry per annual metric, ACE's definitions quoted, the right denominators."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest

from observatory_data.build.activity import workbook_source
from observatory_data.build.annual import annual_metric_ids
from observatory_data.build.metrics import CATALOGUE, DEFINITIONS_SHEET, build_metrics
from observatory_data.serving.errors import BuildError

SOURCE = workbook_source(2023)

OFFERS = {
    "Reading", "Information & Digital", "Health & Wellbeing", "Culture & Creativity",
    "Vision & Print Impaired People", "Children & Young People",
}  # fmt: skip


def definitions_workbook(path: Path, fields: dict[str, str]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = DEFINITIONS_SHEET
    sheet.append(["Field definitions ", None])
    for name, text in fields.items():
        sheet.append([name, text])
    book.save(path)
    return path


def all_fields() -> dict[str, str]:
    return {name: f"{name} means this." for entry in CATALOGUE.values() for name in entry.fields}


def test_catalogue_covers_every_annual_metric(tmp_path: Path) -> None:
    metrics = build_metrics(definitions_workbook(tmp_path / "ace.xlsx", all_fields()), SOURCE)
    assert set(annual_metric_ids()) | {"physical_issues"} == set(metrics["metric"])
    assert metrics["metric"].is_unique().all()
    assert all(set(offers) <= OFFERS and offers for offers in metrics["offers"].to_list())
    assert set(metrics["polarity"]) <= {"higher_is_better", "neutral"}
    denominators = dict(zip(metrics["metric"], metrics["denominator"], strict=True))
    assert denominators["children_loans"] == "population_0_11"
    assert denominators["active_users_young_people"] == "population_12_17"
    assert denominators["loans"] == "population"
    loans = metrics.filter(pl.col("metric") == "loans")["definition"].item()
    assert loans.startswith("ACE, Loans: Loans means this. Derived: the sum of physical books + physical audiobooks")


def test_missing_definition_field_is_an_error(tmp_path: Path) -> None:
    fields = {name: text for name, text in all_fields().items() if name != "PC use"}
    with pytest.raises(BuildError, match=r"sheet 'Field definitions and notes', column A: no field \['PC use'\]"):
        build_metrics(definitions_workbook(tmp_path / "ace.xlsx", fields), SOURCE)
