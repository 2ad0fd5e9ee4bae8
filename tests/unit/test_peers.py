"""Nearest neighbours: a tiny workbook in ONS's layout."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest

from observatory_data.build.codes import CodeChanges
from observatory_data.build.peers import read_peers
from observatory_data.serving.errors import BuildError

REGISTER = pl.DataFrame(
    {
        "service_code": ["E06000001", "E06000002", "E08000016", "W06000015"],
        "nation": ["England", "England", "England", "Wales"],
    }
)
# Barnsley was recoded E08000016 -> E08000038 in 2025; the register keeps the 2023 code.
CHANGES = CodeChanges(backward={"E08000038": "E08000016"})
CODES = ["E06000001", "E06000002", "E08000038"]
DISTANCES = [[0.0, 2.0, 1.0], [2.0, 0.0, 3.0], [1.0, 3.0, 0.0]]


def _write_workbook(
    tmp_path: Path, codes: list[str] = CODES, first_header: str = "Upper tier local authority code"
) -> Path:
    """Tables 3 and 4 as ONS lays them out: three lines of title and notes, then the header row."""
    workbook = openpyxl.Workbook()
    neighbours = workbook.active
    neighbours.title = "Table 3"
    distances = workbook.create_sheet("Table 4")
    for sheet in (neighbours, distances):
        sheet.append([f"{sheet.title}: upper tier"])
        sheet.append(["Notes that apply to this table: [note 1]"])
        sheet.append(["There is 1 table on this tab."])
    neighbours.append([first_header, "Upper tier local authority name", "Neighbour 1", "Neighbour 2"])
    distances.append([first_header, "Upper tier local authority name", *codes])
    for index, code in enumerate(codes):
        others = sorted((DISTANCES[index][other], codes[other]) for other in range(len(codes)) if other != index)
        neighbours.append([code, f"Area {code}", *(peer for _, peer in others)])
        distances.append([code, f"Area {code}", *DISTANCES[index]])
    path = tmp_path / "neighbours.xlsx"
    workbook.save(path)
    return path


def test_neighbours_ranked_with_distances_and_recoded_back(tmp_path: Path) -> None:
    result = read_peers(_write_workbook(tmp_path), REGISTER, CHANGES)
    assert result.schema == pl.Schema(
        {"service_code": pl.String, "peer_code": pl.String, "rank": pl.Int64, "distance": pl.Float64}
    )
    assert result.rows() == [
        ("E06000001", "E08000016", 1, 1.0),
        ("E06000001", "E06000002", 2, 2.0),
        ("E06000002", "E06000001", 1, 2.0),
        ("E06000002", "E08000016", 2, 3.0),
        ("E08000016", "E06000001", 1, 1.0),
        ("E08000016", "E06000002", 2, 3.0),
    ]


def test_code_that_is_not_an_english_service_is_named(tmp_path: Path) -> None:
    path = _write_workbook(tmp_path, codes=["E06000001", "E06000002", "E06000099"])
    with pytest.raises(BuildError, match=r"code E06000099 \(2023 code E06000099\) is not an English service"):
        read_peers(path, REGISTER, CHANGES)


def test_english_service_without_neighbours_is_an_error(tmp_path: Path) -> None:
    register = pl.concat([REGISTER, pl.DataFrame({"service_code": ["E06000003"], "nation": ["England"]})])
    with pytest.raises(BuildError, match=r"no neighbours for service.*E06000003"):
        read_peers(_write_workbook(tmp_path), register, CHANGES)


def test_unexpected_header_row_is_an_error(tmp_path: Path) -> None:
    path = _write_workbook(tmp_path, first_header="Code")
    with pytest.raises(BuildError, match=r"sheet 'Table 3': row 4 should start with 'Upper tier local authority code'"):
        read_peers(path, REGISTER, CHANGES)
