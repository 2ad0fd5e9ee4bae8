"""The Libraries Hacked audit's marks in words, written once and shown wherever the value is; which rules could run
in each year; and each year's own return status (a service that returned a year is never "no return" for it)."""

from __future__ import annotations

import pandas as pd
import polars as pl

from components.benchmark import AUDIT_HEADER
from observatory_data.serving.audit_marks import (
    marks_table,
)
from observatory_data.serving.coverage import no_return_by_year
from observatory_data.serving.tables import read_table
from tests.support.apptest import run_page

SALFORD, DEVON, BUCKINGHAMSHIRE, GLOUCESTERSHIRE = "E08000006", "E10000008", "E06000060", "E10000013"


# The real build: the Data page and the benchmark


def _cell(value: object) -> str:
    return str(value).replace(",", "").removesuffix(".0")


def _marks_on_page() -> pd.DataFrame:
    app = run_page("app_pages/data_methods.py", {})
    assert not app.exception
    frames = [frame.value for frame in app.dataframe]
    frames = [getattr(frame, "data", frame) for frame in frames]
    return next(frame for frame in frames if "Audit's estimate" in frame.columns)


def test_the_data_page_lists_the_audits_marks_with_what_we_did() -> None:
    marks = _marks_on_page()
    names = dict(read_table("services").select("service_code", "service_name").iter_rows())

    def row(code: str, year: str, metric_word: str) -> pd.Series:
        chosen = marks[
            (marks["Service"] == names[code]) & (marks["Year"] == year) & marks["Metric"].str.startswith(metric_word)
        ]
        assert len(chosen) == 1, (code, year, metric_word)
        return chosen.iloc[0]

    salford = row(SALFORD, "2024/25", "Visits")
    assert (_cell(salford["Figure as returned"]), _cell(salford["Value used"])) == ("1446078", "730854")
    assert salford["Our outcome"] == "adopted"
    devon = row(DEVON, "2024/25", "Loans")
    assert (_cell(devon["Figure as returned"]), _cell(devon["Value used"])) == ("2408653", "2408653")
    assert _cell(devon["Audit's estimate"]) == "1334179" and devon["Our outcome"] == "not adopted"
    bucks = row(BUCKINGHAMSHIRE, "2025/26", "Hours of public PC")
    assert bucks["Our outcome"] == "unreconciled" and bucks["Status"] == "flagged"
    assert "neither" in bucks["Our reason"]


def test_the_data_page_has_no_return_and_rules_per_year() -> None:
    annual, services = read_table("annual"), read_table("services")
    listed = no_return_by_year(annual, services)
    gloucestershire = listed.filter(pl.col("service_code") == GLOUCESTERSHIRE)["year"].to_list()
    assert gloucestershire == [2023]  # no 2023/24 workbook return, but figures for 2024/25 and 2025/26
    table = marks_table(annual)
    assert table.filter(pl.col("audit_status").is_null()).is_empty()
    app = run_page("app_pages/data_methods.py", {})
    frames = [getattr(frame.value, "data", frame.value) for frame in app.dataframe]
    rules = next(frame for frame in frames if "Could run" in frame.columns)
    slip = rules[(rules["Year"] == "2025/26") & (rules["Rule"] == "decimal_slip")].iloc[0]
    assert slip["Could run"] == "no: the year has no monthly lines"


def test_salfords_benchmark_shows_the_audits_sentence_for_visits() -> None:
    app = run_page("app_pages/service_benchmark.py", {"service": SALFORD, "year": "2024"})
    assert not app.exception
    sentence = "The audit's estimate 730,854 is used in place of 1,446,078 as returned"
    assert any(sentence in block.value for block in app.markdown)
    table = getattr(app.dataframe[0].value, "data", app.dataframe[0].value)
    visits = table[table["Metric"].str.startswith("Visits")].iloc[0]
    assert visits[AUDIT_HEADER].startswith(sentence)


def test_gloucestershire_in_2025_is_not_no_return() -> None:
    app = run_page("app_pages/service_benchmark.py", {"service": GLOUCESTERSHIRE, "year": "2025"})
    assert not app.exception
    assert any("Gloucestershire made a return to ACE for the year" in caption.value for caption in app.caption)
    assert not any("Not ranked: no return" in block.value for block in app.markdown)
    frames = [getattr(frame.value, "data", frame.value) for frame in app.dataframe]
    missing = next(frame for frame in frames if "Why" in frame.columns)
    assert "no return" not in set(missing["Status"])
