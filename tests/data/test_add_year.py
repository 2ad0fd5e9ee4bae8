"""`add-year`: a later year's workbook is added with its cells summed; every fault is refused, tables untouched."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from observatory_data.build.add_year import add_year
from observatory_data.build.audit_file import AUDIT_METRICS
from observatory_data.build.cli import main
from observatory_data.build.local_sources import LOCAL_VARIABLE, MANIFEST_NAME
from observatory_data.build.sources import mirror_from_environment
from observatory_data.serving.errors import BuildError
from tests.support.ace_workbook import AUTHORITY_HEADER, workbook_headers, write_workbook

NEW_YEAR = 2026  # 2026/27: a year no source holds
BOOKS = "Total Number Of Physical Book Issues"


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under `folder` and its sha256: 'byte-identical' made checkable."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def target(prepared_tables: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the session's tables and an empty folder of added files, both private to the test."""
    monkeypatch.setenv(LOCAL_VARIABLE, str(tmp_path / "local"))
    copy = tmp_path / "prepared"
    shutil.copytree(prepared_tables, copy)
    return copy


def new_workbook(path: Path, rows: list[dict[str, object]] | None = None, year: int = NEW_YEAR, **kwargs) -> Path:
    headers = workbook_headers(year)
    if rows is None:
        books = {header: 1000 for header in headers if header.startswith(f"{BOOKS} - ")}
        rows = [
            {AUTHORITY_HEADER: "Barnsley", **books, "Total Active Members": 15_000},
            {AUTHORITY_HEADER: "Bolton", f"{BOOKS} - April {year}": 2500},
        ]
    return write_workbook(path, kwargs.pop("headers", headers), rows, year=year, full_layout=True, **kwargs)


def annual_csv(path: Path, rows: list[dict[str, str]], drop: str | None = None) -> Path:
    """A file in the services.csv layout (CRLF), every figure blank unless given."""
    columns = ["Authority code", "Authority nice name", "Library service", "Period"]
    for label in AUDIT_METRICS:
        columns += [label, f"{label} estimated", f"{label} status", f"{label} notes"]
    columns = [column for column in columns if column != drop]
    lines = [",".join(columns)] + [",".join(row.get(column, "") for column in columns) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


def test_a_later_workbook_is_added_with_its_cells_summed(target: Path, tmp_path: Path) -> None:
    path = new_workbook(tmp_path / "Libraries Activity Data 2026-27.xlsx")
    added = add_year(path, replace=False, target=target, mirror=mirror_from_environment(), echo=lambda _: None)
    assert added["2026/27"]["coverage"]["active_users"] == "1 of 153"
    annual = pl.read_parquet(target / "annual.parquet").filter(pl.col("year") == NEW_YEAR)
    barnsley = annual.filter(pl.col("service_code") == "E08000016", pl.col("metric") == "physical_book_loans")
    assert barnsley.select("value_as_returned", "value", "status").row(0) == (12_000.0, 12_000.0, "reported")
    bolton = annual.filter(pl.col("service_code") == "E08000001", pl.col("metric") == "physical_book_loans")
    assert bolton.select("value", "status", "months_covered").row(0) == (2500.0, "partial", 1)
    assert set(pl.read_parquet(target / "annual.parquet")["year"]) >= {2023, 2024, 2025, NEW_YEAR}
    before = fingerprint(target)
    with pytest.raises(BuildError, match=r"2026/27 is already present; add it with --replace"):
        add_year(path, replace=False, target=target, mirror=mirror_from_environment())
    assert fingerprint(target) == before


def faulty_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each fault the command must refuse, and the message it must give."""
    headers = workbook_headers(NEW_YEAR)
    renamed = [header.replace("Home Delivery - July", "Home Deliveries - July") for header in headers]
    barnsley = {"Authority code": "E08000016", "Period": "2026/2027", "Loans": "1000"}
    good = new_workbook(tmp_path / "good.xlsx")
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    wrong_sheet = new_workbook(tmp_path / "sheet.xlsx")
    book = openpyxl.load_workbook(wrong_sheet)
    book[f"Activity Data {NEW_YEAR + 1}"].title = "Activity 2027"
    book.save(wrong_sheet)
    return {
        "text in a number cell": (
            new_workbook(tmp_path / "text.xlsx", [{AUTHORITY_HEADER: "Barnsley", f"{BOOKS} - May {NEW_YEAR}": "lots"}]),
            r"text.xlsx row 2, column [A-Z]+: text 'lots'",
        ),
        "a negative count": (
            annual_csv(tmp_path / "negative.csv", [barnsley | {"Visits": "-5"}]),
            r"negative.csv row 2, column 'Visits'",
        ),
        "a duplicated service row": (
            new_workbook(tmp_path / "twice.xlsx", [{AUTHORITY_HEADER: "Barnsley"}] * 2),
            r"twice.xlsx row 3, column B: 'Barnsley' .* already returned on row 2",
        ),
        "an unknown service": (
            annual_csv(tmp_path / "unknown.csv", [barnsley | {"Authority code": "E99999999"}]),
            r"unknown.csv row 2, column 'Authority code'",
        ),
        "a renamed column": (
            new_workbook(tmp_path / "renamed.xlsx", [{AUTHORITY_HEADER: "Barnsley"}], headers=renamed),
            r"renamed.xlsx, sheet 'Activity Data 2027', column [A-Z]+: unrecognised header 'Home Deliveries",
        ),
        "a missing column": (
            annual_csv(tmp_path / "missing.csv", [barnsley], drop="Visits status"),
            r"missing.csv row 1 \(header\): missing column 'Visits status'",
        ),
        "a renamed sheet": (wrong_sheet, r"sheet.xlsx: expected one sheet 'Activity Data YYYY'"),
        "a truncated file": (truncated, r"truncated.xlsx: not a readable Excel workbook"),
        "a CSV with an .xlsx name": (
            annual_csv(tmp_path / "services.xlsx", [barnsley]),
            r"services.xlsx: not a readable Excel workbook",
        ),
        "a year already present": (
            annual_csv(tmp_path / "again.csv", [barnsley | {"Period": "2025/2026"}]),
            r"again.csv: 2025/26 is already present",
        ),
        "the workbook's year as a CSV": (
            annual_csv(tmp_path / "old.csv", [barnsley | {"Period": "2023/2024"}]),
            r"old.csv: 2023/24 comes from a monthly ACE workbook",
        ),
    }


def test_every_fault_is_refused_naming_the_file_and_the_tables_are_unchanged(
    target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fingerprint(target)
    folder = tmp_path / "files"
    folder.mkdir()
    for fault, (path, message) in faulty_files(folder).items():
        status = main(["add-year", str(path), "--output", str(target)])
        err = capsys.readouterr().err
        assert status == 1, fault
        assert "Traceback" not in err, fault
        assert re.search(message, err), (fault, err)
        assert fingerprint(target) == before, fault
    assert not (tmp_path / "local" / MANIFEST_NAME).exists()  # nothing was kept
