"""The whole build as an open data package: `observatory export` writes it, `frictionless validate` passes (types,
required cells, allowed values, primary and foreign keys on every row), the values read back as the sources give
them, and a hostile service name reaches neither a spreadsheet's formula bar nor the Data page's CSVs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import frictionless
import polars as pl
import pytest

from components.exports import ENCODING
from components.sections.data_tables import prepared_table_csv
from observatory_data.build.cli import main
from observatory_data.serving.open_data import DESCRIPTOR, GEO_FILE, declared_tables, export_package, package_files
from observatory_data.serving.schema import TABLES
from observatory_data.serving.tables import read_table

HOSTILE = '=HYPERLINK("http://example.com/x","Barnsley")'
BARNSLEY = "E08000016"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's build exported by the command, as a user runs it."""
    out = tmp_path_factory.mktemp("export") / "open-data"
    assert main(["export", "--out", str(out)]) == 0
    return out


def test_the_export_of_the_build_is_a_valid_data_package(package: Path) -> None:
    report = frictionless.validate(package / DESCRIPTOR)
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "message"])[:20]
    descriptor = json.loads((package / DESCRIPTOR).read_text())
    assert [resource["name"] for resource in descriptor["resources"]] == list(TABLES)
    assert sorted(path.name for path in package.iterdir()) == sorted(
        [DESCRIPTOR, GEO_FILE, *(f"{name}.csv" for name in TABLES if name != "boundaries")]
    )


def test_the_keys_and_provenance_are_declared(package: Path) -> None:
    resources = {item["name"]: item for item in json.loads((package / DESCRIPTOR).read_text())["resources"]}
    assert resources["annual"]["schema"]["primaryKey"] == ["service_code", "year", "metric"]
    peers = resources["peers"]["schema"]["foreignKeys"]
    assert [(key["fields"], key["reference"]["resource"]) for key in peers] == [
        (["service_code"], "services"),
        (["peer_code"], "services"),
    ]
    assert "ace/Libraries Activity Data 2023-24 FINAL.xlsx" in resources["activity"]["sources"][0]["title"]
    assert {licence["name"] for licence in resources["services"]["licenses"]} >= {"OGL-UK-3.0"}
    services = {field["name"]: field for field in resources["services"]["schema"]["fields"]}
    assert services["area_km2"]["unit"] == "km2" and services["lucp"]["constraints"]["enum"] == ["yes", "no", "unknown"]


def test_values_read_back_as_the_sources_give_them(package: Path) -> None:
    # ons/mye24tablesew.csv, "All ages", read by hand; Libraries NI is not in that file: an empty cell, never zero.
    population = {row["service_name"]: row["population"] for row in _rows(package / "services.csv")}
    assert population["Hartlepool"] == "98180" and population["Libraries NI"] == ""
    # ACE workbook row 3, column C: Barnsley's 13,835 active users in 2023/24.
    annual = _rows(package / "annual.csv")
    barnsley = next(
        row for row in annual if (row["service_code"], row["year"], row["metric"]) == (BARNSLEY, "2023", "active_users")
    )
    assert float(barnsley["value"]) == 13_835 and barnsley["status"] == "reported"
    assert len(annual) == read_table("annual").height


def test_a_hostile_service_name_is_text_in_the_package_and_in_the_pages_csv(tmp_path: Path) -> None:
    services = read_table("services").with_columns(
        service_name=pl.when(pl.col("service_code") == BARNSLEY).then(pl.lit(HOSTILE)).otherwise("service_name")
    )

    def read(name: str) -> pl.DataFrame:
        return services if name == "services" else read_table(name)

    declared = [table for table in declared_tables() if table.name in ("services", "sources", "build_info")]
    export_package(tmp_path / "package", lambda: package_files(read, declared=declared))
    assert frictionless.validate(tmp_path / "package" / DESCRIPTOR).valid
    names = {row["service_code"]: row["service_name"] for row in _rows(tmp_path / "package" / "services.csv")}
    assert names[BARNSLEY] == "'" + HOSTILE and names["E06000001"] == "Hartlepool"

    page_csv = prepared_table_csv("services", services, "2026-11-29T10:00:00+00:00").decode(ENCODING)
    rows = list(csv.reader(io.StringIO(page_csv, newline="")))
    header = rows.index(["service_code", *services.columns[1:]])
    shown = {row[0]: row[1] for row in rows[header + 1 :]}
    assert shown[BARNSLEY] == "'" + HOSTILE
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
