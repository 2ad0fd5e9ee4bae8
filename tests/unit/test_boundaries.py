"""Boundaries: the TopoJSON decoder and one geometry per service, on tiny topologies written here."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from observatory_data.build.boundaries import build_boundaries, read_topojson_layer
from observatory_data.build.codes import read_code_changes
from observatory_data.serving.errors import BuildError
from observatory_data.serving.geography import service_centroids

CHANGES = "oldcd,oldnm,newcd,newnm,type,start\nE08000016,Barnsley,E08000038,Barnsley,new_code,2025\n"
LOOKUP = "\ufeffLTLA23CD,LTLA23NM,LTLA23NMW,UTLA23CD,UTLA23NM,UTLA23NMW,ObjectId\n"


def _square(x: float, y: float, size: float = 0.1) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def _write_topology(path: Path, layers: dict[str, list[tuple[dict, list[list[float]]]]]) -> Path:
    """A topology without transform (absolute coordinates), one closed arc per single-ring polygon."""
    arcs: list[list[list[float]]] = []
    objects = {}
    for layer, features in layers.items():
        geometries = []
        for properties, ring in features:
            arcs.append(ring)
            geometries.append({"type": "Polygon", "arcs": [[len(arcs) - 1]], **properties})
        objects[layer] = {"type": "GeometryCollection", "geometries": geometries}
    path.write_text(json.dumps({"type": "Topology", "arcs": arcs, "objects": objects}))
    return path


def _ons(*utla: tuple[str, list[list[float]], dict], ltla: tuple = ()) -> dict:
    return {
        "utla": [({"properties": {"areacd": code, **years}}, ring) for code, ring, years in utla],
        "ltla": [({"properties": {"areacd": code}}, ring) for code, ring in ltla],
        "ctry": [({"properties": {"areacd": "N92000002"}}, _square(-7.0, 54.5))],
    }


@pytest.fixture()
def crown(tmp_path: Path) -> Path:
    countries = [({"id": number}, _square(x, 49.3)) for number, x in [("832", -2.2), ("831", -2.6), ("833", -3.0)]]
    return _write_topology(tmp_path / "countries.json", {"countries": countries})


@pytest.fixture()
def changes(tmp_path: Path):
    path = tmp_path / "changes.csv"
    path.write_text(CHANGES)
    return read_code_changes(path)


def _register(*codes: str) -> pl.DataFrame:
    all_codes = [*codes, "N92000002", "JEY", "GGY", "IMN"]
    return pl.DataFrame({"service_code": all_codes, "service_name": [f"name {c}" for c in all_codes]})


def test_decoder_delta_decodes_transforms_and_reverses_shared_arc(tmp_path: Path) -> None:
    # Quantized squares (0,0)-(2,4) and (2,0)-(4,4) sharing arc 0, the x=2 edge; the right one walks it backwards.
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [-1.0, 50.0]},
        "arcs": [[[2, 0], [0, 4]], [[2, 4], [-2, 0], [0, -4], [2, 0]], [[2, 0], [2, 0], [0, 4], [-2, 0]]],
        "objects": {
            "squares": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"areacd": "left"}},
                    {"type": "Polygon", "arcs": [[2, -1]], "id": 7, "properties": {"areacd": "right"}},
                ],
            }
        },
    }
    path = tmp_path / "squares.json"
    path.write_text(json.dumps(topology))
    left, right = read_topojson_layer(path, "squares")
    assert list(left.geometry.exterior.coords) == [(0, 50), (0, 51), (-1, 51), (-1, 50), (0, 50)]
    assert list(right.geometry.exterior.coords) == [(0, 50), (1, 50), (1, 51), (0, 51), (0, 50)]
    assert left.geometry.area == right.geometry.area == 1.0
    assert left.geometry.intersection(right.geometry).length == 1.0
    assert (left.id, right.id) == (None, "7")


def test_unknown_layer_is_an_error(tmp_path: Path) -> None:
    path = _write_topology(tmp_path / "topo.json", _ons())
    with pytest.raises(BuildError, match="no layer 'cauth'"):
        read_topojson_layer(path, "cauth")


def test_one_row_per_service_with_later_recode_mapped_back(tmp_path: Path, crown: Path, changes) -> None:
    topo = _write_topology(
        tmp_path / "topo.json",
        _ons(
            ("E08000016", _square(-1.5, 53.5), {"end": 2024}),
            ("E08000038", _square(-1.5, 53.5, size=0.05), {"start": 2025}),  # same arcs in ONS; shrunk here
            ("E06000001", _square(-1.4, 53.5), {}),
            ("E10000006", _square(-3.0, 54.5), {"end": 2022}),  # abolished before 2023: ignored
            ("S12000033", _square(-2.0, 57.0), {}),  # Scottish: expected, not a service
        ),
    )
    boundaries = build_boundaries(topo, crown, _register("E06000001", "E08000016"), changes)
    assert boundaries["service_code"].to_list() == ["E06000001", "E08000016", "N92000002", "JEY", "GGY", "IMN"]
    assert boundaries["service_name"].iloc[0] == "name E06000001"
    assert boundaries.is_valid.all()
    by_code = boundaries.set_index("service_code").geometry
    assert by_code["E08000016"].bounds == pytest.approx((-1.5, 53.5, -1.4, 53.6))  # the 2023 feature wins
    assert by_code["E06000001"].touches(by_code["E08000016"])
    assert service_centroids(boundaries).columns == ["service_code", "lon", "lat"]


def test_only_the_2025_code_still_gives_the_2023_service(tmp_path: Path, crown: Path, changes) -> None:
    topo = _write_topology(tmp_path / "topo.json", _ons(("E08000038", _square(-1.5, 53.5), {"start": 2025})))
    boundaries = build_boundaries(topo, crown, _register("E08000016"), changes)
    assert "E08000016" in boundaries["service_code"].to_list()


def test_missing_service_is_dissolved_from_its_districts(tmp_path: Path, crown: Path, changes) -> None:
    topo = _write_topology(
        tmp_path / "topo.json",
        _ons(ltla=(("E07000001", _square(0.0, 52.0)), ("E07000002", _square(0.1, 52.0)))),
    )
    lookup = tmp_path / "lookup.csv"
    lookup.write_text(LOOKUP + "E07000001,A,,E10000099,County,,1\nE07000002,B,,E10000099,County,,2\n")
    boundaries = build_boundaries(topo, crown, _register("E10000099"), changes, lower_upper_lookup=lookup)
    county = boundaries.set_index("service_code").geometry["E10000099"]
    assert county.geom_type == "Polygon"  # the two districts became one polygon
    assert county.bounds == pytest.approx((0.0, 52.0, 0.2, 52.1))


def test_service_without_geometry_is_an_error_naming_it(tmp_path: Path, crown: Path, changes) -> None:
    topo = _write_topology(tmp_path / "topo.json", _ons(("E06000001", _square(-1.4, 53.5), {})))
    lookup = tmp_path / "lookup.csv"
    lookup.write_text(LOOKUP + "E06000001,Hartlepool,,E06000001,Hartlepool,,1\n")
    with pytest.raises(BuildError, match="no boundary for service E06000099"):
        build_boundaries(topo, crown, _register("E06000001", "E06000099"), changes, lower_upper_lookup=lookup)


def test_unexpected_code_in_force_is_an_error_naming_it(tmp_path: Path, crown: Path, changes) -> None:
    topo = _write_topology(
        tmp_path / "topo.json",
        _ons(("E06000001", _square(-1.4, 53.5), {}), ("E06000098", _square(-1.3, 53.5), {"start": 2020})),
    )
    with pytest.raises(BuildError, match="E06000098 in force in 2023 is not a library service"):
        build_boundaries(topo, crown, _register("E06000001"), changes)


def test_missing_crown_dependency_is_an_error(tmp_path: Path, changes) -> None:
    topo = _write_topology(tmp_path / "topo.json", _ons(("E06000001", _square(-1.4, 53.5), {})))
    countries = _write_topology(tmp_path / "countries.json", {"countries": [({"id": "832"}, _square(-2.2, 49.3))]})
    with pytest.raises(BuildError, match=r"GGY \(id 831\), IMN \(id 833\)"):
        build_boundaries(topo, countries, _register("E06000001"), changes)
