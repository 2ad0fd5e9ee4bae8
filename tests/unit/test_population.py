"""Population by age band: tiny synthetic files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from observatory_data.build.population import read_population
from observatory_data.serving.errors import BuildError

AGES = [*(str(age) for age in range(90)), "90+"]
REGISTER = pl.DataFrame(
    {
        "service_code": ["E06000001", "W06000015", "N92000002", "JEY"],
        "nation": ["England", "Wales", "Northern Ireland", "Crown Dependency"],
    }
)


def _write(tmp_path: Path, rows: dict[str, list[int | str]], totals: dict[str, int] | None = None) -> Path:
    """An estimates file with a BOM like ONS's; `totals` overrides the All ages figure of a row."""
    lines = ["\ufeffCode,Name,Geography,All ages," + ",".join(AGES)]
    for code, counts in rows.items():
        total = (totals or {}).get(code, sum(count for count in counts if isinstance(count, int)))
        lines.append(f"{code},Area {code},Unitary Authority,{total}," + ",".join(map(str, counts)))
    path = tmp_path / "mye.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ages(child: int | str, young: int, adult: int) -> list[int | str]:
    """91 single-year counts: `child` at each age 0-11, `young` at 12-17, `adult` at 18-89 and 90+."""
    return [child] * 12 + [young] * 6 + [adult] * 73


def test_bands_add_up_and_missing_services_are_null(tmp_path: Path) -> None:
    path = _write(tmp_path, {"E12000001": _ages(9, 9, 9), "E06000001": _ages(1, 2, 3), "W06000015": _ages(10, 0, 1)})
    result = read_population(path, REGISTER)
    assert result["service_code"].to_list() == REGISTER["service_code"].to_list()
    hartlepool = result.row(0, named=True)
    assert hartlepool == {
        "service_code": "E06000001",
        "population": 12 + 12 + 219,
        "population_0_11": 12,
        "population_12_17": 12,
        "population_18_plus": 219,
    }
    assert result.row(1, named=True)["population_12_17"] == 0  # a real zero stays zero
    for code in ("N92000002", "JEY"):
        row = result.filter(pl.col("service_code") == code).row(0, named=True)
        assert all(row[column] is None for column in result.columns if column != "service_code")
    assert all(dtype == pl.Int64 for dtype in result.select(pl.exclude("service_code")).dtypes)


def test_total_that_does_not_match_the_ages_names_the_row(tmp_path: Path) -> None:
    rows = {"E06000001": _ages(1, 1, 1), "W06000015": _ages(1, 1, 1)}
    path = _write(tmp_path, rows, totals={"W06000015": 90})
    with pytest.raises(BuildError, match=r"mye\.csv row 3 \(W06000015\).*add up to 91.*All ages.*90"):
        read_population(path, REGISTER)


def test_non_numeric_cell_names_row_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, {"E06000001": _ages(1, 1, 1), "W06000015": _ages("x", 1, 1)})
    with pytest.raises(BuildError, match=r"row 3 \(W06000015\), column '0': not a count: 'x'"):
        read_population(path, REGISTER)


def test_english_or_welsh_service_missing_from_the_file_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, {"E06000001": _ages(1, 1, 1)})
    with pytest.raises(BuildError, match=r"no population for service code.*W06000015"):
        read_population(path, REGISTER)
