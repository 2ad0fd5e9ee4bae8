"""Statistical nearest neighbours of each English service, from ONS's upper-tier model.

ONS ranks every other upper-tier authority by a relative distance over a standardised set of
indicators; comparing a service with its nearest neighbours is fairer than with the whole country.
The model uses December 2024 boundaries, so both sides are mapped to the register's April 2023 codes.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from observatory_data.build.codes import CodeChanges
from observatory_data.serving.catalogue import ENGLAND
from observatory_data.serving.errors import BuildError

NEIGHBOURS_SHEET = "Table 3"
DISTANCES_SHEET = "Table 4"
CODE_COLUMN = "Upper tier local authority code"
NAME_COLUMN = "Upper tier local authority name"
HEADER_ROW = 3  # zero-based: three lines of title and notes come first


def read_peers(path: Path, register: pl.DataFrame, changes: CodeChanges) -> pl.DataFrame:
    """One row per (service, peer): the peer's rank (1 = nearest) and ONS's relative distance between them."""
    english = set(register.filter(pl.col("nation") == ENGLAND)["service_code"].to_list())
    neighbours = _sheet(path, NEIGHBOURS_SHEET)
    rank_columns = [column for column in neighbours.columns if column.startswith("Neighbour ")]
    if not rank_columns:
        raise BuildError(f"{path.name} sheet {NEIGHBOURS_SHEET!r}: no 'Neighbour N' columns")
    pairs = neighbours.unpivot(index=CODE_COLUMN, on=rank_columns, variable_name="neighbour", value_name="peer")
    pairs = pairs.filter(pl.col("peer").is_not_null()).select(
        service_code=pl.col(CODE_COLUMN),
        peer_code=pl.col("peer"),
        rank=pl.col("neighbour").str.strip_prefix("Neighbour ").cast(pl.Int64),
    )
    distances = _sheet(path, DISTANCES_SHEET)
    matrix = distances.unpivot(index=CODE_COLUMN, on=distances.columns[2:], variable_name="peer", value_name="distance")
    matrix = matrix.select(
        service_code=pl.col(CODE_COLUMN), peer_code=pl.col("peer"), distance=pl.col("distance").cast(pl.Float64)
    )
    codes = {code for frame in (pairs, matrix) for side in ("service_code", "peer_code") for code in frame[side]}
    to_service = {code: _service_code(code, changes, english, path) for code in codes}
    pairs, matrix = (
        frame.with_columns(pl.col("service_code", "peer_code").replace_strict(to_service)) for frame in (pairs, matrix)
    )
    peers = pairs.join(matrix, on=["service_code", "peer_code"], how="left")
    _check(peers, english, path)
    return peers.sort("service_code", "rank")


def _sheet(path: Path, sheet: str) -> pl.DataFrame:
    """A table whose header is the fourth row, checked to start with the code and name columns."""
    table = pl.read_excel(path, sheet_name=sheet, read_options={"header_row": HEADER_ROW})
    if table.columns[:2] != [CODE_COLUMN, NAME_COLUMN]:
        raise BuildError(
            f"{path.name} sheet {sheet!r}: row {HEADER_ROW + 1} should start with {CODE_COLUMN!r}, {NAME_COLUMN!r}; "
            f"found {table.columns[:2]}"
        )
    return table.filter(pl.col(CODE_COLUMN).is_not_null())


def _service_code(code: str, changes: CodeChanges, english: set[str], path: Path) -> str:
    service = changes.remap_one(code, where=f"{path.name} nearest neighbours")
    if service not in english:
        raise BuildError(f"{path.name}: code {code} (2023 code {service}) is not an English service in the register")
    return service


def _check(peers: pl.DataFrame, english: set[str], path: Path) -> None:
    """Every English service has neighbours, each pair once and never itself, with distances growing by rank.

    ONS orders the neighbours by the Table 4 distance, so a distance that shrinks with rank means the two
    tables were joined wrongly.
    """
    without = sorted(english - set(peers["service_code"].to_list()))
    if without:
        raise BuildError(f"{path.name} sheet {NEIGHBOURS_SHEET!r}: no neighbours for service(s) {', '.join(without)}")
    problems = {
        "is its own neighbour": peers.filter(pl.col("service_code") == pl.col("peer_code")),
        "has the same neighbour twice": peers.filter(pl.struct("service_code", "peer_code").is_duplicated()),
        f"has no distance in sheet {DISTANCES_SHEET!r}": peers.filter(pl.col("distance").is_null()),
        "has a nearer neighbour ranked after a further one": peers.sort("service_code", "rank").filter(
            pl.col("distance").diff().over("service_code") < 0
        ),
    }
    for problem, rows in problems.items():
        if rows.height:
            row = rows.row(0, named=True)
            raise BuildError(f"{path.name}: service {row['service_code']} {problem} (peer {row['peer_code']})")
