"""The open data package from a small schema: the descriptor derived from the declarations (types, units, allowed
values, keys, sources and licences), CSVs a spreadsheet cannot be hurt by, `frictionless validate` on the result,
and a folder that is never damaged."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import frictionless
import polars as pl
import pytest

from observatory_data.build.cli import main
from observatory_data.serving.open_data import (
    DESCRIPTOR,
    ExportError,
    Resource,
    Table,
    declared_tables,
    export_package,
    licence_descriptor,
    package_descriptor,
    package_files,
    package_zip,
    table_schema,
)
from observatory_data.serving.schema import TABLES, Column
from observatory_data.serving.store import PREPARED_DIR

HOSTILE = '=HYPERLINK("http://example.com/x","Barnsley")'
CODE = Column("service_code", pl.String(), "The service", nullable=False)
SERVICES = Table(
    "services",
    (
        CODE,
        Column("service_name", pl.String(), "Its name", nullable=False),
        Column("population", pl.Int64(), "Residents, all ages", unit="residents"),
        Column("change", pl.Float64(), "Change in a rate, %"),
    ),
    ("service_code",),
    resource=Resource("Library services", ("ons/population.csv",)),
)
ANNUAL = Table(
    "annual",
    (
        CODE,
        Column("year", pl.Int32(), "Start of the financial year", nullable=False),
        Column("status", pl.String(), "Status", nullable=False, allowed=("reported", "no_return")),
        Column("counted", pl.Boolean(), "Counted in totals"),
        Column("period", pl.Date(), "First day of the month"),
        Column("offers", pl.List(pl.String()), "Offers it serves"),
    ),
    ("service_code", "year"),
    (("service_code", "services", "service_code"),),
    Resource("Values per year", ("ace/workbook.xlsx", "ons/population.csv")),
)
SMALL = [SERVICES, ANNUAL, Table("sources", TABLES["sources"]), Table("build_info", TABLES["build_info"])]
FRAMES = {
    "services": pl.DataFrame(
        {
            "service_code": ["E08000016", "E06000001"],
            "service_name": [HOSTILE, "Hartlepool"],
            "population": [None, 98_180],
            "change": [-3.5, 2.25],
        }
    ),
    "annual": pl.DataFrame(
        {
            "service_code": ["E08000016", "E06000001"],
            "year": [2023, 2023],
            "status": ["reported", "no_return"],
            "counted": [True, None],
            "period": [date(2023, 4, 1), None],
            "offers": [["Reading", "Health & Wellbeing"], []],
        },
        schema_overrides={"year": pl.Int32()},
    ),
    "sources": pl.DataFrame(
        {
            "path": ["ons/population.csv", "ace/workbook.xlsx"],
            "publisher": ["ONS", "Arts Council England"],
            "licence": ["OGL v3", "ACE open data (publisher's terms; attribute Arts Council England)"],
            "url": ["https://example.org/population.csv", "https://example.org/workbook.xlsx"],
        }
    ),
    "build_info": pl.DataFrame({"build_id": ["abc"], "built_at": ["2026-11-29T10:00:00+00:00"]}),
}


def small_files() -> dict[str, bytes]:
    return package_files(FRAMES.__getitem__, declared=SMALL)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_the_descriptor_is_derived_from_the_declarations() -> None:
    descriptor = package_descriptor(SMALL, FRAMES["sources"], "2026-11-29T10:00:00+00:00")
    annual = next(resource for resource in descriptor["resources"] if resource["name"] == "annual")
    fields = {field["name"]: field for field in annual["schema"]["fields"]}
    assert [fields[name]["type"] for name in fields] == ["string", "integer", "string", "boolean", "date", "list"]
    assert fields["status"]["constraints"] == {"required": True, "enum": ["reported", "no_return"]}
    assert fields["offers"]["delimiter"] == "; " and fields["offers"]["itemType"] == "string"
    assert "constraints" not in fields["counted"] and fields["year"]["description"] == "Start of the financial year"
    assert annual["schema"]["primaryKey"] == ["service_code", "year"]
    assert annual["schema"]["foreignKeys"] == [
        {"fields": ["service_code"], "reference": {"resource": "services", "fields": ["service_code"]}}
    ]
    services = descriptor["resources"][0]
    assert services["schema"]["fields"][2]["unit"] == "residents"
    assert services["sources"] == [{"title": "ONS: ons/population.csv", "path": "https://example.org/population.csv"}]
    assert services["licenses"] == [
        {
            "name": "OGL-UK-3.0",
            "title": "OGL v3",
            "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        }
    ]
    assert [licence["name"] for licence in annual["licenses"]] == ["other-at", "OGL-UK-3.0"]
    assert descriptor["created"] == "2026-11-29T10:00:00+00:00" and len(descriptor["sources"]) == 2


def test_licence_words_become_open_definition_ids_and_keep_their_words() -> None:
    assert licence_descriptor("MIT (repository); compiled from public sources")["name"] == "MIT"
    assert licence_descriptor("Natural Earth: public domain; package ISC")["name"] == "other-pd"
    unknown = licence_descriptor("some terms of a publisher")
    assert unknown == {"name": "notspecified", "title": "some terms of a publisher"}


def test_a_key_that_cannot_hold_is_refused() -> None:
    nullable = Table("t", (Column("id", pl.String(), "may be empty"),), ("id",))
    with pytest.raises(ValueError, match="primary key columns \\['id'\\] may be empty"):
        table_schema(nullable)
    with pytest.raises(ValueError, match="not documented"):
        table_schema(Table("t", (CODE,), ("code",)))
    with pytest.raises(ValueError, match="outside the package"):
        package_descriptor([ANNUAL, SMALL[2]], FRAMES["sources"], "2026-11-29T10:00:00+00:00")
    with pytest.raises(ValueError, match="not in the sources table"):
        package_descriptor([Table("s", (CODE,), resource=Resource("", ("nowhere.csv",)))], FRAMES["sources"], "x")


def test_every_prepared_table_is_declared_with_documented_keys_and_known_sources() -> None:
    manifest = pl.read_csv(PREPARED_DIR.parent / "reference" / "sources.csv", infer_schema=False)
    declared = declared_tables()
    assert [table.name for table in declared] == list(TABLES)
    assert all(table.resource.title for table in declared)
    sources = manifest.select(column.name for column in TABLES["sources"])
    descriptor = package_descriptor(declared, sources, "2026-11-29T10:00:00Z")
    assert len(descriptor["resources"]) == len(TABLES)
    assert {licence["name"] for licence in descriptor["licenses"]} >= {"OGL-UK-3.0", "MIT", "other-at"}


def test_the_small_package_validates_and_its_csvs_cannot_hurt_the_reader(tmp_path: Path) -> None:
    written = export_package(tmp_path / "package", small_files)
    assert [path.name for path in written] == [
        DESCRIPTOR,
        "services.csv",
        "annual.csv",
        "sources.csv",
        "build_info.csv",
    ]
    report = frictionless.validate(tmp_path / "package" / DESCRIPTOR)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    services = _rows((tmp_path / "package" / "services.csv").read_bytes())
    assert services == [
        ["service_code", "service_name", "population", "change"],
        ["E08000016", "'" + HOSTILE, "", "-3.5"],  # text made safe; a missing value empty; a number as it is
        ["E06000001", "Hartlepool", "98180", "2.25"],
    ]
    annual = _rows((tmp_path / "package" / "annual.csv").read_bytes())
    assert annual[1] == ["E08000016", "2023", "reported", "true", "2023-04-01", "Reading; Health & Wellbeing"]


def test_a_broken_key_fails_validation(tmp_path: Path) -> None:
    files = small_files()
    files["annual.csv"] = files["annual.csv"].replace(b"E06000001,2023", b"E99999999,2023")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    report = frictionless.validate(tmp_path / DESCRIPTOR)
    assert not report.valid and "foreign-key" in {row[0] for row in report.flatten(["type"])}


def test_the_zip_holds_the_same_files_with_the_descriptor_at_its_root() -> None:
    files = small_files()
    with zipfile.ZipFile(io.BytesIO(package_zip(files))) as archive:
        assert archive.namelist() == list(files)
        assert json.loads(archive.read(DESCRIPTOR))["name"] == "public-libraries-observatory"


def test_the_folder_is_never_damaged(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match=r"not the package's \(notes\.txt\)"):
        export_package(mine, small_files)
    assert [path.name for path in mine.iterdir()] == ["notes.txt"]
    with pytest.raises(ExportError, match="is a file"):
        export_package(mine / "notes.txt", small_files)
    earlier = tmp_path / "earlier"
    export_package(earlier, small_files)
    (earlier / "annual.csv").write_text("stale")

    def failing() -> dict[str, bytes]:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        export_package(earlier, failing)
    assert (earlier / "annual.csv").read_text() == "stale"  # a failed export leaves the earlier one as it was
    export_package(earlier, small_files)  # an earlier export is replaced whole
    assert (earlier / "annual.csv").read_bytes() == small_files()["annual.csv"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["earlier", "mine"]  # no staging folder left


def test_the_command_refuses_a_file_with_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a.csv"
    target.write_text("x")
    assert main(["export", "--out", str(target)]) == 1
    error = capsys.readouterr().err
    assert "is a file, not a folder" in error and "Traceback" not in error and target.read_text() == "x"
