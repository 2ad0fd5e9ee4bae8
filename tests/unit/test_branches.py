"""Branches: hours are summed from day ranges, points are placed by postcode, unknown authorities stop the build."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from observatory_data.build.branches import (
    HOURS_FROM_ACE,
    HOURS_FROM_LIST,
    LOCATION_SOURCE,
    STAFFED_COLUMNS,
    UNSTAFFED_COLUMNS,
    BranchesResult,
    build_branches,
    normalise_postcode,
    parse_weekly_hours,
)
from observatory_data.serving.errors import BuildError

LIBRARY_COLUMNS = [
    "Local authority",
    "Library name",
    "Address 1",
    "Address 2",
    "Address 3",
    "Postcode",
    "Unique property reference number",
    "Statutory",
    "Type of library",
    "Year opened",
    "Year closed",
    *STAFFED_COLUMNS,
    *UNSTAFFED_COLUMNS,
    "Special hours",
    "Co-located",
]


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _library(authority: str, name: str, postcode: str, **fields: str) -> dict[str, str]:
    return {"Local authority": authority, "Library name": name, "Postcode": postcode, "Statutory": "Yes", **fields}


def _build(tmp_path: Path, libraries: list[dict[str, str]]) -> BranchesResult:
    register = pl.DataFrame(
        {
            "service_code": ["E06000001", "W06000015", "E06000002"],
            "service_name": ["Alphaton", "Betaford", "Deltaton"],
            "nation": ["England", "Wales", "England"],
            "region": ["North East", "Wales", "North East"],
            "authority_type": ["Unitary Authority"] * 3,
            "aliases": ["", "", ""],
        }
    )
    england_2016 = [
        {"name": "Old Alphaton Central", "postcode": "AB12CD", "lat": "54.1", "lng": "-1.1"},
        {"name": "Hub Library", "postcode": "EF34GH", "lat": "54.2", "lng": "-1.2"},
        {"name": "Market Street", "postcode": "EF34GH", "lat": "54.3", "lng": "-1.3"},
    ]
    ace = [
        {"name": "Quiet Corner", "postcode": "JK5 6LM", "staffed_hours": "12.5", "reporting": "Alphaton"},
        {"name": "Gone Away", "postcode": "NP1 1AA", "staffed_hours": "20", "reporting": "Alphaton"},
        {"name": "Border Library", "postcode": "ZZ9 9ZZ", "staffed_hours": "", "reporting": "Deltaton"},
        {"name": "Shared Hub", "postcode": "ZZ8 8ZZ", "staffed_hours": "", "reporting": "Southend"},
    ]
    authorities = [
        {"official-name": "Gammashire Council", "nice-name": "Gammashire", "gss-code": "S12000099", "alt-names": ""},
    ]
    return build_branches(
        _write(tmp_path / "libraries.csv", LIBRARY_COLUMNS, libraries),
        _write(tmp_path / "england_2016.csv", ["name", "postcode", "lat", "lng"], england_2016),
        _write(tmp_path / "ace.csv", ["name", "postcode", "staffed_hours", "reporting"], ace),
        _write(tmp_path / "authorities.csv", ["official-name", "nice-name", "gss-code", "alt-names"], authorities),
        register,
    )


def test_hours_sum_single_and_split_ranges() -> None:
    assert parse_weekly_hours(["09:00-19:00", "10:00-13:00,14:00-17:00", None, ""]) == 16.0
    assert parse_weekly_hours(["09:30-10:15"]) == 0.75


def test_blank_week_is_none_not_zero() -> None:
    assert parse_weekly_hours([None, "", "  "]) is None


@pytest.mark.parametrize("text", ["9am-5pm", "00:00", "10:00-00:00", "25:00-26:00", "1:00-18:00"])
def test_bad_hours_raise_with_the_text(text: str) -> None:
    with pytest.raises(ValueError, match=text):
        parse_weekly_hours(["09:00-17:00", text])


def test_postcode_normalisation() -> None:
    assert normalise_postcode(" ig11 7nb ") == "IG117NB"
    assert normalise_postcode("IG117NB") == "IG117NB"
    assert normalise_postcode("  ") is None
    assert normalise_postcode(None) is None


def test_branches_from_fixture(tmp_path: Path) -> None:
    result = _build(
        tmp_path,
        [
            _library(
                "Alphaton Council",
                "Central",
                "ab1 2cd",
                **{"Address 1": "1 High St", "Address 3": "Alphaton", "Type of library": "LAL"},
                **{"Monday staffed hours": "09:00-17:00", "Tuesday staffed hours": "10:00-12:00,13:00-15:00"},
                **{"Monday unstaffed hours": "17:00-20:00"},
            ),
            _library("Alphaton Council", "Market Street Library", "EF3 4GH", **{"Type of library": "CRL"}),
            _library("Alphaton Council", "Riverside", "EF3 4GH", Statutory="No", **{"Type of library": "ICL"}),
            _library("Alphaton Council", "Quiet Corner", "JK5 6LM", Statutory=""),
            _library("Alphaton Council", "Gone Away", "NP1 1AA", **{"Year closed": "2015", "Year opened": "1960"}),
            _library("Alphaton Council", "Gone Away", "NP2 2BB"),
            _library("Gammashire Council", "Glen Library", "G1 1AA"),
            _library("Gammashire", "Loch Library", "G2 2AA"),
            _library("Betaford", "Odd Hours", "CF1 1AA", **{"Wednesday staffed hours": "10:00-00:00"}),
        ],
    )
    table = {row["name"] + (row["postcode"] or ""): row for row in result.table.iter_rows(named=True)}

    central = table["CentralAB1 2CD"]
    assert central["service_code"] == "E06000001"
    assert central["branch_id"] == "E06000001-central"
    assert central["address"] == "1 High St, Alphaton"
    assert (central["staffed_hours_week"], central["unstaffed_hours_week"]) == (12.0, 3.0)
    assert central["staffed_hours_source"] == HOURS_FROM_LIST
    # "ab1 2cd" meets the 2016 file's "AB12CD" although the names differ: the postcode is the key.
    assert (central["lat"], central["lon"], central["location_source"]) == (54.1, -1.1, LOCATION_SOURCE)
    assert central["type_label"] == "Local authority run library"

    # Two 2016 rows share EF3 4GH: the same-named one wins, otherwise the first in the file.
    assert table["Market Street LibraryEF3 4GH"]["lat"] == 54.3
    assert table["RiversideEF3 4GH"]["lat"] == 54.2
    assert table["RiversideEF3 4GH"]["statutory"] is False

    quiet = table["Quiet CornerJK5 6LM"]
    assert quiet["statutory"] is None
    assert (quiet["staffed_hours_week"], quiet["staffed_hours_source"]) == (12.5, HOURS_FROM_ACE)
    assert quiet["unstaffed_hours_week"] is None
    assert (quiet["lat"], quiet["location_source"]) == (None, None)

    # ACE's hours belong to the open branch, never to a closed one at the same postcode.
    closed = table["Gone AwayNP1 1AA"]
    assert (closed["status"], closed["year_closed"], closed["year_opened"]) == ("closed", 2015, 1960)
    assert closed["staffed_hours_week"] is None and closed["staffed_hours_source"] is None
    assert closed["branch_id"] == "E06000001-gone-away-np11aa"
    assert table["Gone AwayNP2 2BB"]["branch_id"] == "E06000001-gone-away-np22bb"
    assert result.table["branch_id"].is_unique().all()

    # A Welsh branch gets no ACE hours; its unreadable Wednesday is reported and its week left null.
    odd = table["Odd HoursCF1 1AA"]
    assert odd["staffed_hours_week"] is None
    assert result.unparsed_hours.to_dicts() == [
        {"row": 10, "name": "Odd Hours", "column": "Wednesday staffed hours", "text": "10:00-00:00"}
    ]

    assert result.excluded.to_dicts() == [
        {"authority": "Gammashire", "rows": 1, "reason": "expected: Scottish authority (not covered)"},
        {"authority": "Gammashire Council", "rows": 1, "reason": "expected: Scottish authority (not covered)"},
    ]
    summary = {row["nation"]: row for row in result.summary.iter_rows(named=True)}
    assert (summary["England"]["branches"], summary["England"]["closed"]) == (6, 1)
    assert summary["England"]["open_without_coordinates"] == 2
    assert summary["Wales"]["without_coordinates"] == 1


def test_a_point_another_english_service_returned_to_ace_is_that_services(tmp_path: Path) -> None:
    # Listed under Alphaton, but Deltaton returned the same point (same postcode and name) to ACE: Deltaton's,
    # with the list's authority kept. ACE's 'Southend' is no register name, so the list's authority stands.
    result = _build(
        tmp_path,
        [
            _library("Alphaton Council", "Border", "zz9 9zz"),
            _library("Alphaton Council", "Shared Hub", "ZZ8 8ZZ"),
            _library("Alphaton Council", "Quiet Corner", "JK5 6LM"),
        ],
    )
    code = dict(result.table.select("name", "service_code").iter_rows())
    assert code == {"Border": "E06000002", "Shared Hub": "E06000001", "Quiet Corner": "E06000001"}
    assert result.reassigned.to_dicts() == [
        {"name": "Border", "postcode": "zz9 9zz", "listed_authority": "Alphaton Council", "service_code": "E06000002"}
    ]


def test_unknown_authority_names_file_row_and_name(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match=r"libraries.csv row 3, column Local authority: 'Nowhere Council'"):
        _build(tmp_path, [_library("Alphaton", "Central", "AB1 2CD"), _library("Nowhere Council", "X", "ZZ1 1ZZ")])


def test_unknown_type_names_the_column(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match=r"row 2, column Type of library: unknown type 'XYZ'"):
        _build(tmp_path, [_library("Alphaton", "Central", "AB1 2CD", **{"Type of library": "XYZ"})])
