"""One valid boundary per library service, for the choropleth map and the hex cartogram.

England and Wales come from the ONS upper-tier layer as it stood in April 2023, Northern Ireland from
the ONS country layer (Libraries NI covers the whole country), and the Crown Dependencies from Natural
Earth, which ONS does not map. The UK parts are simplified together as one coverage so that neighbouring
services keep sharing their boundary exactly (no slivers, no gaps) while the file stays small.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import polars as pl
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from observatory_data.build.codes import TARGET_YEAR, CodeChanges, non_service_reason
from observatory_data.build.csvfile import read_text_csv
from observatory_data.serving.errors import BuildError

NORTHERN_IRELAND_CODE = "N92000002"
# world-atlas ids are ISO 3166-1 numeric codes; the register uses the alpha-3 codes.
CROWN_DEPENDENCY_IDS = {"832": "JEY", "831": "GGY", "833": "IMN"}
EQUAL_AREA_CRS = "EPSG:3035"
# Visvalingam-Whyatt tolerance in metres (about the square root of the triangle areas removed). The ONS
# layer is already super-generalised (0.57 MB as GeoParquet unsimplified), so only a light touch: 100 m
# gives 0.51 MB (0.41 MB with zstd) and London boroughs look unchanged; 500 m still gives 0.31 MB.
SIMPLIFY_TOLERANCE_M = 100.0
LOOKUP_NAME = "lower_upper_lookup.csv"

Polygonal = Polygon | MultiPolygon


@dataclass(frozen=True)
class TopoFeature:
    """One decoded TopoJSON geometry with its id and properties."""

    id: str | None
    properties: dict[str, Any]
    geometry: Polygonal


def read_topojson_layer(path: Path, layer: str) -> list[TopoFeature]:
    """The polygons of one TopoJSON layer, decoded with shapely (quantized or not); other types are an error."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    objects = topology.get("objects", {})
    if layer not in objects:
        raise BuildError(f"{path.name}: no layer {layer!r} (layers: {', '.join(objects)})")
    arcs = _ArcDecoder(topology["arcs"], topology.get("transform"))
    features = []
    for index, item in enumerate(objects[layer].get("geometries", [])):
        kind = item.get("type")
        if kind not in ("Polygon", "MultiPolygon"):
            raise BuildError(f"{path.name} layer {layer} geometry {index}: expected a polygon, got {kind!r}")
        parts = [arcs.polygon(rings) for rings in (item["arcs"] if kind == "MultiPolygon" else [item["arcs"]])]
        parts = [part for part in parts if part is not None]
        # A feature smaller than the quantization grid (Vatican in Natural Earth) decodes as empty.
        geometry: Polygonal = MultiPolygon(parts) if kind == "MultiPolygon" or not parts else parts[0]
        identifier = None if item.get("id") is None else str(item["id"])
        features.append(TopoFeature(identifier, item.get("properties") or {}, geometry))
    return features


class _ArcDecoder:
    """Turns arc indexes into coordinates: delta-decodes and transforms each arc once."""

    def __init__(self, arcs: list[list[list[float]]], transform: dict[str, list[float]] | None) -> None:
        self._arcs = arcs
        self._transform = transform
        self._decoded: dict[int, np.ndarray] = {}

    def _arc(self, index: int) -> np.ndarray:
        if index < 0:  # a negative index is the one's complement of an arc walked backwards
            return self._arc(~index)[::-1]
        if index not in self._decoded:
            points = np.asarray(self._arcs[index], dtype=float)[:, :2]
            if self._transform is not None:
                points = np.cumsum(points, axis=0) * self._transform["scale"] + self._transform["translate"]
            self._decoded[index] = points
        return self._decoded[index]

    def ring(self, arc_indexes: list[int]) -> np.ndarray:
        pieces = [self._arc(i) if n == 0 else self._arc(i)[1:] for n, i in enumerate(arc_indexes)]
        return np.concatenate(pieces)

    def polygon(self, rings: list[list[int]]) -> Polygon | None:
        """The polygon, without rings that quantization collapsed to fewer than 4 points; None if its shell did."""
        exterior, *holes = (self.ring(r) for r in rings)
        if len(exterior) < 4:
            return None
        return Polygon(exterior, [hole for hole in holes if len(hole) >= 4])


def build_boundaries(
    topo_path: Path,
    natural_earth_path: Path,
    register: pl.DataFrame,
    changes: CodeChanges,
    lower_upper_lookup: Path | None = None,
) -> gpd.GeoDataFrame:
    """One simplified boundary per register service (EPSG:4326), with its area.

    area_km2 is measured in an equal-area projection before simplification, but on ONS's
    super-generalised boundaries clipped to the coastline: a few percent off the official areas.
    `lower_upper_lookup` (default: the ONS lookup beside topo.json) is read only when a service is missing
    from the upper-tier layer and has to be assembled from its districts.
    """
    services = register["service_code"].to_list()
    pieces = _upper_tier_pieces(topo_path, set(services), changes)
    elsewhere = {NORTHERN_IRELAND_CODE, *CROWN_DEPENDENCY_IDS.values()}
    missing = [code for code in services if code not in pieces and code not in elsewhere]
    if missing:
        lookup = lower_upper_lookup or topo_path.with_name(LOOKUP_NAME)
        pieces.update(_pieces_from_districts(topo_path, lookup, set(missing)))
    pieces[NORTHERN_IRELAND_CODE] = [_northern_ireland(topo_path)]
    crown = _crown_dependencies(natural_earth_path)

    uk = {code: _dissolved(parts, code) for code, parts in pieces.items()}
    absent = [code for code in services if code not in uk and code not in crown]
    if absent:
        raise BuildError(
            f"{topo_path.name}: no boundary for service {', '.join(absent)} "
            f"(not in the utla layer in {TARGET_YEAR}, nor assembled from the ltla layer)"
        )
    uk_codes = [code for code in services if code in uk]
    crown_codes = [code for code in services if code in crown]
    uk_frame = _simplified(uk_codes, [uk[c] for c in uk_codes])
    crown_frame = _simplified(crown_codes, [crown[c] for c in crown_codes])
    boundaries = gpd.GeoDataFrame(pd.concat([uk_frame, crown_frame], ignore_index=True), crs="EPSG:4326")
    names = dict(zip(services, register["service_name"].to_list(), strict=True))
    boundaries.insert(1, "service_name", boundaries["service_code"].map(names))
    return boundaries.set_index("service_code").loc[services].reset_index()


def _in_force(properties: dict[str, Any]) -> bool:
    """In force in April of the target year; `end` is the last year a code was used (Cumbria ends 2022)."""
    start, end = properties.get("start"), properties.get("end")
    return (start is None or int(start) <= TARGET_YEAR) and (end is None or int(end) >= TARGET_YEAR)


def _upper_tier_pieces(topo_path: Path, services: set[str], changes: CodeChanges) -> dict[str, list[Polygonal]]:
    """Upper-tier polygons by 2023 service code; codes that came in later are mapped back to their 2023 code.

    The layer holds both Barnsley E08000016 (ends 2024) and its 2025 recode E08000038 with the same
    arcs: a later code only supplies a geometry when its 2023 code has none of its own.
    """
    current: dict[str, list[Polygonal]] = {}
    later: dict[str, list[Polygonal]] = {}
    for feature in read_topojson_layer(topo_path, "utla"):
        code = feature.properties.get("areacd")
        start = feature.properties.get("start")
        if _in_force(feature.properties):
            current.setdefault(code, []).append(feature.geometry)
        elif start is not None and int(start) > TARGET_YEAR:
            later_code = changes.remap_one(code, where=f"{topo_path.name} layer utla")
            later.setdefault(later_code, []).append(feature.geometry)
    pieces = {**later, **current}
    unexpected = sorted(code for code in pieces if code not in services and non_service_reason(code) is None)
    if unexpected:
        raise BuildError(
            f"{topo_path.name} layer utla: code {', '.join(unexpected)} in force in {TARGET_YEAR} "
            "is not a library service in the register"
        )
    return {code: parts for code, parts in pieces.items() if code in services}


def _pieces_from_districts(topo_path: Path, lookup_path: Path, wanted: set[str]) -> dict[str, list[Polygonal]]:
    """Districts of the wanted upper-tier codes, from the ltla layer and the April 2023 lookup."""
    if not lookup_path.is_file():
        raise BuildError(f"{topo_path.name}: {', '.join(sorted(wanted))} not in the utla layer and no {lookup_path}")
    lookup = read_text_csv(lookup_path)
    if not {"LTLA23CD", "UTLA23CD"} <= set(lookup.columns):
        raise BuildError(f"{lookup_path.name}: missing column LTLA23CD or UTLA23CD")
    upper_of = dict(zip(lookup["LTLA23CD"], lookup["UTLA23CD"], strict=True))
    pieces: dict[str, list[Polygonal]] = {}
    for feature in read_topojson_layer(topo_path, "ltla"):
        upper = upper_of.get(feature.properties.get("areacd"))
        if upper in wanted and _in_force(feature.properties):
            pieces.setdefault(upper, []).append(feature.geometry)
    return pieces


def _northern_ireland(topo_path: Path) -> Polygonal:
    for feature in read_topojson_layer(topo_path, "ctry"):
        if feature.properties.get("areacd") == NORTHERN_IRELAND_CODE:
            return feature.geometry
    raise BuildError(f"{topo_path.name} layer ctry: no feature {NORTHERN_IRELAND_CODE} (Northern Ireland)")


def _crown_dependencies(natural_earth_path: Path) -> dict[str, Polygonal]:
    found = {
        CROWN_DEPENDENCY_IDS[feature.id]: _polygonal(feature.geometry, CROWN_DEPENDENCY_IDS[feature.id])
        for feature in read_topojson_layer(natural_earth_path, "countries")
        if feature.id in CROWN_DEPENDENCY_IDS
    }
    absent = [f"{code} (id {number})" for number, code in CROWN_DEPENDENCY_IDS.items() if code not in found]
    if absent:
        raise BuildError(f"{natural_earth_path.name} layer countries: no feature for {', '.join(absent)}")
    return found


def _dissolved(parts: list[Polygonal], code: str) -> Polygonal:
    """One geometry from a service's pieces; ONS's generalised lines self-intersect in places, so repair first."""
    repaired = [_polygonal(part, code) for part in parts]
    return repaired[0] if len(repaired) == 1 else _polygonal(shapely.union_all(repaired), code)


def _polygonal(geometry: BaseGeometry, code: str) -> Polygonal:
    """The geometry made valid, keeping only its polygons (make_valid can add stray lines or points)."""
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    if geometry.geom_type == "GeometryCollection":
        parts = [part for part in shapely.get_parts(geometry) if part.geom_type in ("Polygon", "MultiPolygon")]
        geometry = shapely.union_all(parts)
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
        raise BuildError(f"boundary of {code} has no polygonal part after repair: {geometry.geom_type}")
    return geometry


def _simplified(codes: list[str], geometries: list[Polygonal]) -> gpd.GeoDataFrame:
    """Area before simplification, then coverage simplification so shared edges stay shared.

    Repairing ONS's self-intersections adds vertices one neighbour lacks (Middlesbrough and Redcar), so the
    coverage is cleaned first (no snapping, so nothing moves): simplification needs identical shared edges.
    """
    projected = gpd.GeoSeries(geometries, crs="EPSG:4326").to_crs(EQUAL_AREA_CRS)
    cleaned = shapely.coverage_clean(projected.values, snapping_distance=0.0)
    simplified = shapely.coverage_simplify(cleaned, SIMPLIFY_TOLERANCE_M)
    back = gpd.GeoSeries(simplified, crs=EQUAL_AREA_CRS).to_crs("EPSG:4326")
    repaired = [_polygonal(geometry, code) for code, geometry in zip(codes, back, strict=True)]
    invalid = [code for code, geometry in zip(codes, repaired, strict=True) if not shapely.is_valid(geometry)]
    if invalid:
        raise BuildError(f"ons/topo.json: the simplified boundaries of {', '.join(invalid)} are not valid geometries")
    return gpd.GeoDataFrame(
        {"service_code": codes, "area_km2": (projected.area / 1e6).to_numpy()},
        geometry=repaired,
        crs="EPSG:4326",
    )
