"""The whole dataset as an open data package: every prepared table as a CSV, the boundaries as GeoJSON, and one
`datapackage.json` that describes them (Frictionless Data Package v2, a Table Schema per table): the convention of
the UK library open-data community, whose schemas (Libraries Hacked's) are Table Schema.

The descriptor is derived from schema.py, never typed again: each column's type, description, unit and allowed
values, whether it may be empty, each table's primary key and the columns that refer to another table. Each table's
sources and licences come from the build's own sources table; only which source files a table is made from, and a
line on what it holds, are said here (RESOURCES). CSVs are UTF-8 with a header row, an empty cell for a missing
value (never zero), lists joined with '; ', and text a spreadsheet would run as a formula written as text.

`observatory export --out DIR` writes the folder; the Data page offers the same files as one zip. No Streamlit here.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import polars as pl

from observatory_data.serving import tables
from observatory_data.serving.catalogue import OPEN_GOVERNMENT_LICENCE
from observatory_data.serving.schema import FOREIGN_KEYS, GEO_TABLE, PRIMARY_KEYS, TABLES, Column
from observatory_data.serving.spreadsheet_safe import spreadsheet_safe
from observatory_data.serving.store import staged_output

DESCRIPTOR = "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PACKAGE_NAME = "public-libraries-observatory"
LIST_DELIMITER = "; "
GEO_FILE = f"{GEO_TABLE}.geojson"

ACE_WORKBOOK = "ace/Libraries Activity Data 2023-24 FINAL.xlsx"
ACE_RELEASE = "librarieshacked/activity-dataset/services.csv"
ACE_LOCATIONS = "ace/libraries_england_2023.csv"
POPULATION = "ons/mye24tablesew.csv"
DISTRICTS = "ons/lower_upper_lookup.csv"
LIBRARY_LIST = "librarieshacked/libraries.csv"
DCMS_2016 = ("librarieshacked/england-2016/libraries.csv", "librarieshacked/england-2016/authorities.csv")
OUTLINES = ("ons/topo.json", "natural-earth/countries-10m.json")
NEWCASTLE = (
    "services-open-data/newcastle/monthly_visits.csv",
    "services-open-data/newcastle/monthly_issues_by_branch.csv",
)
SERVICES_OWN = (*NEWCASTLE, "services-open-data/librarieswest/issues_summary.csv")


@dataclass(frozen=True)
class Resource:
    """What a table holds in a line, and the source files (paths of the sources table) it is made from."""

    title: str
    sources: tuple[str, ...] = ()


RESOURCES: dict[str, Resource] = {
    "services": Resource(
        "Library services: codes, names, nation and region, population, area, deprivation and the places flags",
        (
            POPULATION,
            *OUTLINES,
            DISTRICTS,
            "mhclg/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
            "mhclg/File_6_-_IoD2019_Population_Denominators.csv.gz",
            "welsh-government/lsoa_wimd.csv",
            "ons/lsoa11_to_lsoa21_to_lad.csv",
            "ace/arts-council-investment-programme.csv",
        ),
    ),
    "branches": Resource(
        "Service points (libraries) of every service: name, status, type, hours and location",
        (LIBRARY_LIST, DCMS_2016[0], ACE_LOCATIONS, "librarieshacked/uk_local_authorities.csv"),
    ),
    "activity": Resource("Monthly lines of the returns, as returned and as used", (ACE_WORKBOOK, *SERVICES_OWN)),
    "annual": Resource(
        "Each service's value per metric and year, with its status, note, caveat and the audit's mark",
        (ACE_WORKBOOK, ACE_RELEASE, *SERVICES_OWN),
    ),
    "monthly": Resource("Each service's monthly series per metric, summed from its lines", (ACE_WORKBOOK,)),
    "metrics": Resource(
        "The metrics: label, unit, definition, Offers, denominator and polarity", (ACE_WORKBOOK, NEWCASTLE[1])
    ),
    "peers": Resource(
        "Each English service's ONS statistical nearest neighbours",
        ("ons/localauthoritynearestneighboursengland.xlsx", "ons/changes.csv"),
    ),
    "places": Resource(
        "Districts on ACE's Priority Places and Levelling Up for Culture Places lists, with the evidence",
        ("ace/arts-council-investment-programme.csv", DISTRICTS),
    ),
    "flags": Resource(
        "Values the plausibility rules flagged, corrected, derived or caveated", (ACE_WORKBOOK, ACE_RELEASE)
    ),
    "quarterly_totals": Resource("Values returned as quarterly totals, per service and line", (ACE_WORKBOOK,)),
    "sources": Resource("The public source files the build reads: publisher, licence and pinned URL"),
    "build_info": Resource("The build: its id and when it was made"),
    "national": Resource(
        "National estimates per metric and year, with their interval and coverage",
        (ACE_WORKBOOK, ACE_RELEASE, POPULATION),
    ),
    "network": Resource(
        "The library network per service and year since 2010: service points, openings, closures, hours",
        (LIBRARY_LIST, ACE_LOCATIONS, *DCMS_2016),
    ),
    GEO_TABLE: Resource("Service boundaries (GeoJSON, EPSG:4326)", (*OUTLINES, DISTRICTS)),
}

# The licence words of the sources table -> an Open Definition licence id (and its text's address): the first
# pattern the words match. The descriptor keeps the words themselves as the licence's title.
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
LICENCE_IDS: tuple[tuple[str, str, str | None], ...] = (
    (r"^no licence", "notspecified", None),
    (rf"^OGL|{re.escape(OPEN_GOVERNMENT_LICENCE)}", "OGL-UK-3.0", OGL_URL),
    (r"^MIT\b", "MIT", "https://opensource.org/license/mit"),
    (r"^ISC\b", "ISC", "https://opensource.org/license/isc-license-txt"),
    (r"public domain", "other-pd", None),
    (r"^ACE open data", "other-at", None),  # Arts Council England's terms: attribute Arts Council England
    (r"attribut", "other-at", None),
)
UNKNOWN_LICENCE = "notspecified"


class ExportError(ValueError):
    """The package cannot be written where asked; the message says why and what to choose instead."""


@dataclass(frozen=True)
class Table:
    """One table's declarations, as the descriptor needs them (declared_tables() reads them from schema.py)."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)
    resource: Resource = Resource("")


def declared_tables() -> list[Table]:
    """Every prepared table with its columns and keys from schema.py and its line from RESOURCES."""
    return [
        Table(name, TABLES[name], PRIMARY_KEYS.get(name, ()), FOREIGN_KEYS.get(name, ()), RESOURCES[name])
        for name in TABLES
    ]


def field_type(dtype: pl.DataType) -> dict[str, str]:
    """A Polars type as a Table Schema type (a list column is one cell, its items joined with LIST_DELIMITER)."""
    if isinstance(dtype, pl.List):
        return {"type": "list", "delimiter": LIST_DELIMITER, "itemType": field_type(dtype.inner)["type"]}
    if dtype == pl.String:
        return {"type": "string"}
    if dtype == pl.Boolean:
        return {"type": "boolean"}
    if dtype == pl.Date:
        return {"type": "date"}
    if dtype.is_integer():
        return {"type": "integer"}
    if dtype.is_float():
        return {"type": "number"}
    raise ValueError(f"no Table Schema type for the Polars type {dtype}")


def field_descriptor(column: Column) -> dict[str, Any]:
    """A column as a Table Schema field: type, description, unit (where one holds), required and allowed values."""
    if column.dtype is None:
        raise ValueError(f"column {column.name} is a geometry: it goes in the GeoJSON, not a table")
    field: dict[str, Any] = {"name": column.name, **field_type(column.dtype), "description": column.description}
    if column.unit:
        field["unit"] = column.unit
    constraints: dict[str, Any] = {}
    if not column.nullable:
        constraints["required"] = True
    if column.allowed is not None:
        constraints["enum"] = list(column.allowed)
    return field | ({"constraints": constraints} if constraints else {})


def table_schema(table: Table) -> dict[str, Any]:
    """A table's Table Schema; a key over an undocumented column, or over one that may be empty, is an error."""
    names = {column.name: column for column in table.columns}
    keyed = [*table.primary_key, *(column for column, _, _ in table.foreign_keys)]
    unknown = [name for name in keyed if name not in names]
    if unknown:
        raise ValueError(f"table {table.name}: key columns {unknown} are not documented")
    if empty := [name for name in table.primary_key if names[name].nullable]:
        raise ValueError(f"table {table.name}: primary key columns {empty} may be empty")
    schema: dict[str, Any] = {"fields": [field_descriptor(column) for column in table.columns], "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [column], "reference": {"resource": target, "fields": [target_column]}}
            for column, target, target_column in table.foreign_keys
        ]
    return schema


def licence_descriptor(words: str) -> dict[str, str]:
    """A source's licence words as a Data Package licence: an Open Definition id, the words as its title."""
    for pattern, name, path in LICENCE_IDS:
        if re.search(pattern, words, re.IGNORECASE):
            return {"name": name, "title": words} | ({"path": path} if path else {})
    return {"name": UNKNOWN_LICENCE, "title": words}


def provenance(paths: Sequence[str], sources: pl.DataFrame) -> dict[str, list[dict[str, str]]]:
    """The `sources` and `licenses` of a resource made from these source files (rows of the sources table)."""
    rows = {row["path"]: row for row in sources.iter_rows(named=True)}
    if missing := [path for path in paths if path not in rows]:
        raise ValueError(f"source files {missing} are not in the sources table")
    used = [rows[path] for path in paths]
    licences = {row["licence"]: licence_descriptor(row["licence"]) for row in used if row["licence"]}
    return {
        "sources": [
            {"title": f"{row['publisher'] or 'unknown publisher'}: {row['path']}", "path": row["url"]} for row in used
        ],
        "licenses": list(licences.values()),
    }


def resource_descriptor(table: Table, sources: pl.DataFrame) -> dict[str, Any]:
    """One table as a Data Resource: a CSV with its Table Schema, or the boundaries as GeoJSON."""
    described = {"name": table.name, "title": table.resource.title}
    if table.name == GEO_TABLE:
        properties = "; ".join(f"{c.name}: {c.description}" for c in table.columns)
        resource = described | {
            "path": GEO_FILE,
            "format": "geojson",
            "mediatype": "application/geo+json",
            "encoding": "utf-8",
            "description": f"One feature per service. {properties}",
        }
    else:
        resource = described | {
            "type": "table",
            "path": f"{table.name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": table_schema(table),
        }
    return resource | {key: value for key, value in provenance(table.resource.sources, sources).items() if value}


def package_descriptor(declared: Sequence[Table], sources: pl.DataFrame, created: str) -> dict[str, Any]:
    """The datapackage.json: every table as a resource; the package's sources and licences are all of theirs."""
    names = {table.name for table in declared}
    dangling = [
        (table.name, target) for table in declared for _, target, _ in table.foreign_keys if target not in names
    ]
    if dangling:
        raise ValueError(f"foreign keys refer to tables outside the package: {dangling}")
    resources = [resource_descriptor(table, sources) for table in declared]
    whole = provenance(sources["path"].to_list(), sources)
    return {
        "$schema": PROFILE,
        "name": PACKAGE_NAME,
        "title": "Public Libraries Data Observatory: the prepared tables",
        "description": (
            "Every table the observatory's pages are drawn from, built from the pinned public sources listed in the "
            "sources table. An empty cell is a missing value (no return, not collected, suppressed), never zero; "
            f"list cells are joined with '{LIST_DELIMITER}'; a text cell that a spreadsheet would run as a formula "
            "(starting with =, +, - or @) is written with a single quote in front."
        ),
        "created": created,
        "keywords": ["public libraries", "library statistics", "Arts Council England", "UK"],
        "licenses": whole["licenses"],
        "sources": whole["sources"],
        "resources": resources,
    }


def table_csv(frame: pl.DataFrame) -> bytes:
    """A table as the package's CSV: UTF-8, a header row, empty cells for nulls, lists joined, text made safe."""
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    joined = frame.with_columns(pl.col(lists).list.join(LIST_DELIMITER)) if lists else frame
    return spreadsheet_safe(joined).write_csv(null_value="").encode("utf-8")


def package_files(
    read: Callable[[str], pl.DataFrame] = tables.read_table,
    read_boundaries: Callable[[], gpd.GeoDataFrame] = tables.read_boundaries,
    declared: Sequence[Table] | None = None,
) -> dict[str, bytes]:
    """Every file of the package by name, datapackage.json first: the tables `read` gives (the served build's by
    default; the Data page passes its cached loader), as `declared` (schema.py's by default)."""
    declared = declared_tables() if declared is None else declared
    files = {}
    for table in declared:
        if table.name == GEO_TABLE:
            files[GEO_FILE] = (
                read_boundaries()[[column.name for column in table.columns]].to_json(drop_id=True).encode()
            )
        else:
            files[f"{table.name}.csv"] = table_csv(read(table.name).select(column.name for column in table.columns))
    descriptor = package_descriptor(declared, read("sources"), read("build_info")["built_at"][0])
    return {DESCRIPTOR: json.dumps(descriptor, indent=1, ensure_ascii=False).encode(), **files}


def package_zip(files: Mapping[str, bytes]) -> bytes:
    """The package as one zip, datapackage.json at its root (as a zipped data package has it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def package_file_name(built_at: str) -> str:
    """The zip's name, with the build's date: 'observatory-open-data-2026-11-29.zip'."""
    return f"observatory-open-data-{built_at[:10]}.zip"


def export_package(out: Path, make_files: Callable[[], dict[str, bytes]] = package_files) -> list[Path]:
    """Write the package into the folder `out`: new, empty, or an earlier export (the same file names only), so
    nothing else is ever overwritten. Written into a folder beside it first, which then takes its place: a failure
    leaves `out` as it was."""
    _check_target(out)
    files = make_files()
    if out.is_dir() and (strays := sorted(path.name for path in out.iterdir() if path.name not in files)):
        raise ExportError(_not_ours(out, strays))
    with staged_output(out) as staging:
        for name, data in files.items():
            (staging / name).write_bytes(data)
    return [out / name for name in files]


def _check_target(out: Path) -> None:
    """Refuse a file, or a folder holding anything but an earlier export, before reading a table."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file, not a folder: give a new or empty folder to write the package into.")
    if (above := next(path for path in out.parents if path.exists())) and not above.is_dir():
        raise ExportError(f"{above} is a file, so no folder can be made inside it: give another folder.")
    if out.is_dir() and any(out.iterdir()) and not (out / DESCRIPTOR).is_file():
        raise ExportError(_not_ours(out, sorted(path.name for path in out.iterdir())))


def _not_ours(out: Path, names: list[str]) -> str:
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return (
        f"{out} holds files that are not the package's ({shown}); they would be lost. Give a new or empty folder, "
        "or the folder of an earlier export."
    )
